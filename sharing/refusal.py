"""A workflow step refused (流程步骤被拒绝): a stable code, the input field at fault, two messages.

The catalog-upkeep, demand-answer and data-quality rules raise `Refusal` before anything is
written; the GraphQL layer turns it into a payload error. Codes are the values of `RefusalCode`.
"""

from __future__ import annotations

from enum import StrEnum


class RefusalCode(StrEnum):
    """Why a step was refused (拒绝原因代码)."""

    NOT_FOUND = "NOT_FOUND"  # 对象不存在
    DUPLICATE_CODE = "DUPLICATE_CODE"  # 代码已被使用
    REQUIRED = "REQUIRED"  # 必填项为空
    BAD_ENUM = "BAD_ENUM"  # 取值无效
    BAD_DATE = "BAD_DATE"  # 日期无效
    BAD_NUMBER = "BAD_NUMBER"  # 数字无效
    BAD_CODE = "BAD_CODE"  # 代码含非法字符
    TOO_LONG = "TOO_LONG"  # 过长
    UNKNOWN_REFERENCE = "UNKNOWN_REFERENCE"  # 引用的对象不存在（如服务开放的信息项不属于该资源）
    SELF_REFERENCE = "SELF_REFERENCE"  # 引用自身
    LEGAL_BASIS_REQUIRED = "LEGAL_BASIS_REQUIRED"  # 不予共享须有法律依据（R3）
    NOT_AGGREGATED_REASON_REQUIRED = "NOT_AGGREGATED_REASON_REQUIRED"  # 未汇聚须有依据和说明（R6）
    RETIRED = "RETIRED"  # 资源已停用
    FIELD_IN_USE = "FIELD_IN_USE"  # 信息项仍由在线服务开放
    NO_FIELDS = "NO_FIELDS"  # 服务未开放任何信息项
    WRONG_STATE = "WRONG_STATE"  # 当前状态不允许此操作
    NOT_ROUTED_HERE = "NOT_ROUTED_HERE"  # 需求未分派给本机构
    SCENARIO_REQUIRED = "SCENARIO_REQUIRED"  # 需求须说明应用场景（最小必要）
    SCENARIO_NOT_OWNED = "SCENARIO_NOT_OWNED"  # 场景不属于需求方
    JUSTIFICATION_REQUIRED = "JUSTIFICATION_REQUIRED"  # 每个信息项须说明场景用途（最小必要）
    JUSTIFICATION_NOT_SPECIFIC = "JUSTIFICATION_NOT_SPECIFIC"  # 用途说明只是重复信息项名称
    REASONS_REQUIRED = "REASONS_REQUIRED"  # 拒绝须说明理由
    ANSWER_AMBIGUOUS = "ANSWER_AMBIGUOUS"  # 应答须且只能选择一种方式
    WRONG_PROVIDER = "WRONG_PROVIDER"  # 资源不属于应答机构
    INVALID_INPUT = "INVALID_INPUT"  # 其他输入错误
    WRITE_FAILED = "WRITE_FAILED"  # 写入失败，未写入任何内容


class Refusal(Exception):
    """A step cannot be taken as asked; nothing has been written."""

    def __init__(self, code: RefusalCode, field: str | None, zh: str, en: str) -> None:
        super().__init__(en)
        self.code = code
        self.field = field
        self.message_zh = zh
        self.message_en = en
        self.more: list[Refusal] = []  # further problems found in the same check

    def all(self) -> list[Refusal]:
        return [self, *self.more]


def not_found(kind_zh: str, kind_en: str, key: str, field: str | None = None) -> Refusal:
    shown = key[:80]
    return Refusal(RefusalCode.NOT_FOUND, field, f"{kind_zh}「{shown}」不存在", f"{kind_en} {shown!r} does not exist")


def required(field: str, what_zh: str, what_en: str) -> Refusal:
    return Refusal(RefusalCode.REQUIRED, field, f"{what_zh}不能为空", f"{what_en} is required")
