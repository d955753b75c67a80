"""The error of a catalog-upkeep, demand or data-quality step (流程步骤错误), Saleor-shaped."""

from __future__ import annotations

import strawberry

from sharing.refusal import Refusal, RefusalCode

strawberry.enum(
    RefusalCode, name="WorkflowStepErrorCode",
    description=(
        "目录维护、需求应答与数据问题的错误代码 / Error codes of catalog upkeep, demand answers and data "
        "quality. NOT_FOUND: 对象不存在 no such object; DUPLICATE_CODE: 代码已被使用 code in use; REQUIRED: "
        "必填项为空 required; BAD_ENUM / BAD_DATE / BAD_NUMBER / BAD_CODE / TOO_LONG: 取值无效 bad value; "
        "UNKNOWN_REFERENCE: 引用不存在（如服务开放的信息项不属于该资源）unknown reference, e.g. a service field not "
        "of its resource; SELF_REFERENCE: 引用自身 refers to itself; LEGAL_BASIS_REQUIRED: 不予共享须有法律依据 "
        "not shared needs a legal basis (R3); NOT_AGGREGATED_REASON_REQUIRED: 未汇聚须有依据与说明 not aggregated "
        "needs basis and explanation (R6); RETIRED: 资源已停用 retired; FIELD_IN_USE: 信息项仍由在线服务开放 "
        "exposed by an online service; NO_FIELDS: 服务未开放信息项 no fields; WRONG_STATE: 当前状态不允许 not in "
        "this state; NOT_ROUTED_HERE: 需求尚未分派 not routed; SCENARIO_REQUIRED: 须说明场景 scenario required; "
        "SCENARIO_NOT_OWNED: 场景不属于需求方 another agency's scenario; JUSTIFICATION_REQUIRED: 须说明用途 "
        "justification required (minimum necessary); JUSTIFICATION_NOT_SPECIFIC: 用途说明过于简单 says too "
        "little; REASONS_REQUIRED: 须说明理由 reasons required; ANSWER_AMBIGUOUS: 须选择一种应答方式 one way "
        "of answering; WRONG_PROVIDER: 资源不属于承办机构 not the provider's resource; INVALID_INPUT: 输入有误 "
        "invalid input; WRITE_FAILED: 写入失败，未写入任何内容 the write failed, nothing written"
    ),
)
_ZH: dict[RefusalCode, str] = {
    RefusalCode.NOT_FOUND: "对象不存在",
    RefusalCode.DUPLICATE_CODE: "代码已被使用",
    RefusalCode.REQUIRED: "必填项为空",
    RefusalCode.BAD_ENUM: "取值无效",
    RefusalCode.BAD_DATE: "日期无效",
    RefusalCode.BAD_NUMBER: "数字无效",
    RefusalCode.BAD_CODE: "代码含非法字符",
    RefusalCode.TOO_LONG: "过长",
    RefusalCode.UNKNOWN_REFERENCE: "引用的对象不存在",
    RefusalCode.SELF_REFERENCE: "引用自身",
    RefusalCode.LEGAL_BASIS_REQUIRED: "不予共享须有法律依据",
    RefusalCode.NOT_AGGREGATED_REASON_REQUIRED: "未汇聚须有依据和说明",
    RefusalCode.RETIRED: "资源已停用",
    RefusalCode.FIELD_IN_USE: "信息项仍由在线服务开放",
    RefusalCode.NO_FIELDS: "服务未开放任何信息项",
    RefusalCode.WRONG_STATE: "当前状态不允许此操作",
    RefusalCode.NOT_ROUTED_HERE: "需求未分派给本机构",
    RefusalCode.SCENARIO_REQUIRED: "需求须说明应用场景",
    RefusalCode.SCENARIO_NOT_OWNED: "场景不属于需求方",
    RefusalCode.JUSTIFICATION_REQUIRED: "每个信息项须说明场景用途",
    RefusalCode.JUSTIFICATION_NOT_SPECIFIC: "用途说明只是重复信息项名称",
    RefusalCode.REASONS_REQUIRED: "拒绝须说明理由",
    RefusalCode.ANSWER_AMBIGUOUS: "应答须且只能选择一种方式",
    RefusalCode.WRONG_PROVIDER: "资源不属于应答机构",
    RefusalCode.INVALID_INPUT: "其他输入错误",
    RefusalCode.WRITE_FAILED: "写入失败，未写入任何内容",
}
for _value in RefusalCode.__strawberry_definition__.values:  # type: ignore[attr-defined]
    _value.description = f"{_ZH[RefusalCode(_value.value)]} / {_value.name.replace('_', ' ').lower()}"


@strawberry.type(
    description="步骤错误（稳定代码；有错误时未写入）/ A step's error with a stable code; nothing was written."
)
class WorkflowStepError:
    code: RefusalCode = strawberry.field(description="错误代码 / Error code.")
    field: str | None = strawberry.field(description="出错的输入字段 / The input field at fault.")
    message: str = strawberry.field(description="中英文说明 / Message, Chinese and English.")
    message_zh: str = strawberry.field(description="中文说明 / Message in Chinese.")
    message_en: str = strawberry.field(description="英文说明 / Message in English.")


def step_errors(refusal: Refusal) -> list[WorkflowStepError]:
    return [
        WorkflowStepError(code=r.code, field=r.field, message=f"{r.message_zh} / {r.message_en}",
                          message_zh=r.message_zh, message_en=r.message_en)
        for r in refusal.all()
    ]
