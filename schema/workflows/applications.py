"""Applications for data, commitment letters and their payloads (数据共享申请), R10 and R11.

The objects wrap the nodes `sharing.applications` writes; catalog objects (scenarios, resources,
services, fields, agencies, grants) are the same GraphQL types as everywhere else. Mutations
answer with a payload holding the result and `errors` (nothing is written when there are any);
a caller without the needed role gets a top-level FORBIDDEN error naming the roles.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from graph.model import Label, Node
from interchange.graph_mapping import field_key
from resolvers.context import Info
from schema.enums import ServiceKind, SharingType, _describe_values, _doc
from schema.node import NodeInterface
from schema.workflow_step import WorkflowStep
from sharing import terms
from sharing.application_errors import ApplicationRefusal
from sharing.applications import is_overdue
from sharing.clock import today
from sharing.terms import ApplicationStatus, ReviewPath

if TYPE_CHECKING:
    from schema.agency import Agency
    from schema.field import Field
    from schema.grant import Grant
    from schema.resource import DataResource
    from schema.scenario import Scenario
    from schema.service import DataService

strawberry.enum(
    ApplicationStatus, name="ApplicationStatus",
    description=_doc(terms.ApplicationStatus, "申请状态（R10）", "Application status (R10)"),
)
strawberry.enum(
    ReviewPath, name="ReviewPath",
    description=_doc(terms.ReviewPath, "审核路径（R10）", "Who decides an application (R10)"),
)
for _term in (ApplicationStatus, ReviewPath):
    _describe_values(_term)

strawberry.enum(
    ApplicationRefusal, name="ApplicationErrorCode",
    description=(
        "申请与授权错误代码 / Error codes of the application and grant mutations. INVALID_INPUT: 输入有误 "
        "malformed input; NOT_FOUND: 对象不存在 no such object; FIELD_NOT_IN_RESOURCE: 资源无此信息项 not a "
        "field of the resource; FIELDS_NOT_SERVED: 服务未开放所需信息项 no service of the kind exposes them; "
        "SERVICE_KIND_UNAVAILABLE: 无该方式的在线服务 no online service of the kind; NOT_SHARED: 不予共享（附法律"
        "依据）not shared, with the legal basis; DUPLICATE_APPLICATION: 一场景一申请 one scenario, one "
        "application; ALREADY_GRANTED: 已有有效授权 a live grant exists; LETTER_REQUIRED: 须附承诺书 the "
        "commitment letter is required; LETTER_OF_OTHER_AGENCY: 承诺书非本机构上传 another agency's letter; "
        "LETTER_EMPTY: 文件为空 empty file; LETTER_TOO_LARGE: 文件过大 file too large; LETTER_TYPE: 须为 PDF "
        "或图片 not a PDF or image; INVALID_STATE: 当前状态不允许 not allowed in this state; REASON_REQUIRED: "
        "须说明理由 a reason is required; FIELDS_NOT_REQUESTED: 只能批准申请的信息项 only requested fields; "
        "GRANT_EXPIRED: 授权已过期 the grant has expired; WRITE_FAILED: 写入失败 the write failed"
    ),
)


class NegotiationDecision(StrEnum):
    GRANT = "GRANT"
    REFUSE = "REFUSE"


strawberry.enum(
    NegotiationDecision, name="NegotiationDecision",
    description="协商结果 / The negotiation's decision. GRANT: 予以授权 grant; REFUSE: 最终不予授权 finally refuse",
)
NegotiationDecision.__strawberry_definition__.values[0].description = "予以授权 / grant"  # type: ignore[attr-defined]
NegotiationDecision.__strawberry_definition__.values[1].description = "最终不予授权 / finally refuse"  # type: ignore[attr-defined]


@strawberry.type(description="错误（稳定代码；有错误时未写入）/ An error with a stable code; nothing was written.")
class ApplicationError:
    code: ApplicationRefusal = strawberry.field(description="错误代码 / Error code.")
    field: str | None = strawberry.field(description="出错的输入字段 / The input field at fault.")
    message: str = strawberry.field(description="中英文说明 / Message, Chinese and English.")
    message_zh: str = strawberry.field(description="中文说明 / Message in Chinese.")
    message_en: str = strawberry.field(description="英文说明 / Message in English.")
    legal_basis: str | None = strawberry.field(
        default=None, description="不予共享的法律依据（NOT_SHARED 时）/ Legal basis when NOT_SHARED."
    )
    existing_application: str | None = strawberry.field(
        default=None, description="已有申请的编号（DUPLICATE_APPLICATION 时）/ The existing application's code."
    )


@strawberry.type(description="公共数据规范使用承诺书 / A signed data-use commitment letter (R11).")
class CommitmentLetter(NodeInterface):
    @strawberry.field(description="文件名 / File name.")
    def file_name(self) -> str:
        return str(self.prop("fileName"))

    @strawberry.field(description="文件类型（按文件签名识别）/ Content type, from the file's signature.")
    def content_type(self) -> str:
        return str(self.prop("contentType"))

    @strawberry.field(description="字节数 / Size in bytes.")
    def size(self) -> int:
        return int(self.prop("size"))

    @strawberry.field(description="SHA-256 摘要（十六进制）/ SHA-256 digest (hex).")
    def sha256(self) -> str:
        return str(self.prop("sha256"))

    @strawberry.field(description="上传机构代码 / Code of the uploading agency.")
    def agency_code(self) -> str:
        return str(self.prop("agencyCode"))

    @strawberry.field(description="上传人 / Uploaded by.")
    def uploaded_by(self) -> str | None:
        return self.text("uploadedBy")

    @strawberry.field(description="上传时间 / Uploaded at (ISO 8601).")
    def uploaded_at(self) -> str:
        return str(self.prop("uploadedAt"))

    @strawberry.field(
        description="文件内容（base64；上传机构、所附申请的提供方、大数据局可读）/ The file as base64 (for the "
        "uploading agency, the providers of the applications it is attached to, and bureau administrators)."
    )
    async def content_base64(self, info: Info) -> str | None:
        from resolvers.workflows.applications import check_letter_reader

        await check_letter_reader(info, self._node)
        return self.text("content")


@strawberry.type(description="申请的一步（审核记录）/ One step of an application's review history.")
class ApplicationStep(WorkflowStep):
    @strawberry.field(description="之前的状态 / Status before.")
    def from_status(self) -> ApplicationStatus | None:
        value = self._d.get("from")
        return ApplicationStatus(value) if value else None

    @strawberry.field(description="之后的状态 / Status after.")
    def to_status(self) -> ApplicationStatus:
        return ApplicationStatus(str(self._d.get("to")))

    @strawberry.field(description="涉及的信息项名称 / Field names concerned.")
    def fields(self) -> list[str] | None:
        value = self._d.get("fields")
        return None if value is None else [str(v) for v in value]


def _agency(node: Node | None) -> Agency | None:
    from schema.agency import Agency

    return Agency(_node=node) if node is not None else None


@strawberry.type(
    description="数据共享申请（一场景一申请，R10）/ An application for data (one scenario, one application, R10)."
)
class Application(NodeInterface):
    @strawberry.field(description="申请编号（场景代码|资源代码）/ Code: <scenario code>|<resource code>.")
    def code(self) -> str:
        return self._node.key

    @strawberry.field(description="状态 / Status.")
    def status(self) -> ApplicationStatus:
        return ApplicationStatus(self.prop("status"))

    @strawberry.field(description="审核路径 / Who decides.")
    def path(self) -> ReviewPath:
        return ReviewPath(self.prop("path"))

    @strawberry.field(
        description="所申请数据的共享类型（信息项自身属性优先）/ Effective sharing attribute of what is asked."
    )
    def sharing_type(self) -> SharingType:
        return SharingType(self.prop("sharingType"))

    @strawberry.field(description="服务方式（数据服务需求清单）/ The kind of service asked for.")
    def service_kind(self) -> ServiceKind:
        return ServiceKind(self.prop("serviceKind"))

    @strawberry.field(description="应用场景 / The scenario.")
    async def scenario(self, info: Info) -> Annotated[Scenario, strawberry.lazy("schema.scenario")] | None:
        from schema.scenario import Scenario

        node = await info.context.loaders.nodes(Label.SCENARIO).load(str(self.prop("scenarioCode")))
        return Scenario(_node=node) if node else None

    @strawberry.field(description="申请的数据资源 / The resource applied for.")
    async def resource(self, info: Info) -> Annotated[DataResource, strawberry.lazy("schema.resource")] | None:
        from schema.resource import DataResource

        node = await info.context.loaders.nodes(Label.RESOURCE).load(str(self.prop("resourceCode")))
        return DataResource(_node=node) if node else None

    @strawberry.field(description="申请的数据服务 / The service applied for.")
    async def service(self, info: Info) -> Annotated[DataService, strawberry.lazy("schema.service")] | None:
        from schema.service import DataService

        node = await info.context.loaders.nodes(Label.SERVICE).load(str(self.prop("serviceCode")))
        return DataService(_node=node) if node else None

    @strawberry.field(description="申请机构 / The applying (consumer) agency.")
    async def applicant(self, info: Info) -> Annotated[Agency, strawberry.lazy("schema.agency")] | None:
        return _agency(await info.context.loaders.nodes(Label.AGENCY).load(str(self.prop("applicantCode"))))

    @strawberry.field(description="提供机构 / The providing agency.")
    async def provider(self, info: Info) -> Annotated[Agency, strawberry.lazy("schema.agency")] | None:
        return _agency(await info.context.loaders.nodes(Label.AGENCY).load(str(self.prop("providerCode"))))

    @strawberry.field(description="申请的信息项 / The fields requested.")
    async def requested_fields(self, info: Info) -> list[Annotated[Field, strawberry.lazy("schema.field")]]:
        return await self._fields(info, "requestedFields")

    @strawberry.field(description="批准的信息项（未批准时为空）/ The fields approved (empty until approved).")
    async def approved_fields(self, info: Info) -> list[Annotated[Field, strawberry.lazy("schema.field")]]:
        return await self._fields(info, "approvedFields")

    async def _fields(self, info: Info, prop: str) -> list[Any]:
        from schema.field import Field

        resource = str(self.prop("resourceCode"))
        keys = [field_key(resource, str(n)) for n in self.prop(prop) or []]
        nodes = await info.context.loaders.nodes(Label.FIELD).load_many(keys)
        return [Field(_node=n) for n in nodes if n is not None]

    @strawberry.field(description="用途说明 / Purpose.")
    def purpose(self) -> str | None:
        return self.text("purpose")

    @strawberry.field(description="承诺书 / The commitment letter attached.")
    async def commitment_letter(self, info: Info) -> CommitmentLetter | None:
        node = await info.context.loaders.nodes(Label.COMMITMENT_LETTER).load(str(self.prop("letterKey")))
        return CommitmentLetter(_node=node) if node else None

    @strawberry.field(description="申请的授权有效期至（含）/ Grant wanted until (inclusive), if limited.")
    def valid_until(self) -> str | None:
        return self.text("validUntil")

    @strawberry.field(description="提交时间 / Submitted at (ISO 8601).")
    def submitted_at(self) -> str:
        return str(self.prop("submittedAt"))

    @strawberry.field(description="审核时限起算日（受理日）/ The day the review clock started.")
    def received_on(self) -> str | None:
        return self.text("receivedOn")

    @strawberry.field(description="审核期限（最后一个工作日）/ Last working day for the review.")
    def due_on(self) -> str | None:
        return self.text("dueOn")

    @strawberry.field(description="期限是否为估算（日历未覆盖该年）/ Whether the due date is an estimate.")
    def due_is_estimate(self) -> bool:
        return bool(self.prop("dueEstimated"))

    @strawberry.field(description="须办理的机构 / The agency that must act now.")
    async def due_agency(self, info: Info) -> Annotated[Agency, strawberry.lazy("schema.agency")] | None:
        code = self.prop("dueAgency")
        return _agency(await info.context.loaders.nodes(Label.AGENCY).load(str(code))) if code else None

    @strawberry.field(description="是否逾期（按业务时钟）/ Whether the review is overdue today (workflow clock).")
    def overdue(self, info: Info) -> bool:
        return is_overdue(self._node, today(info.context.clock))

    @strawberry.field(description="驳回的法律理由 / Legal reasons of the rejection.")
    def rejection_reasons(self) -> str | None:
        return self.text("rejectionReasons")

    @strawberry.field(description="异议理由 / Reason of the dispute.")
    def dispute_reason(self) -> str | None:
        return self.text("disputeReason")

    @strawberry.field(description="协商说明 / Note of the negotiation.")
    def negotiation_note(self) -> str | None:
        return self.text("negotiationNote")

    @strawberry.field(description="协商结果理由 / Reason of the negotiation's decision.")
    def decision_reason(self) -> str | None:
        return self.text("decisionReason")

    @strawberry.field(description="申请结果：授权 / The grant it resulted in.")
    async def grant(self, info: Info) -> Annotated[Grant, strawberry.lazy("schema.grant")] | None:
        from schema.grant import Grant

        key = self.prop("grantKey")
        node = await info.context.loaders.nodes(Label.GRANT).load(str(key)) if key else None
        return Grant(_node=node) if node else None

    @strawberry.field(description="审核记录（按时间）/ Review history, in order.")
    def history(self) -> list[ApplicationStep]:
        return [ApplicationStep(_d=d) for d in json.loads(self.prop("history") or "[]")]


@strawberry.input(description="申请单 / An application.")
class SubmitApplicationInput:
    scenario: str = strawberry.field(description="本机构的应用场景代码 / Code of one of the agency's scenarios.")
    resource: str = strawberry.field(description="申请的数据资源代码 / Code of the resource.")
    service_kind: ServiceKind = strawberry.field(
        description="服务方式（接口、批量分析、批量导出）/ Kind of service: interface, batch analysis, batch export."
    )
    fields: list[str] = strawberry.field(description="申请的信息项名称（资源信息项的子集）/ Field names, a subset.")
    commitment_letter: strawberry.ID | None = strawberry.field(
        default=None, description="已上传承诺书的 ID（必填）/ ID of the uploaded commitment letter (required)."
    )
    purpose: str | None = strawberry.field(default=None, description="用途说明 / Purpose.")
    valid_until: str | None = strawberry.field(
        default=None, description="授权有效期至（YYYY-MM-DD，可选）/ Grant wanted until (YYYY-MM-DD, optional)."
    )


@strawberry.input(description="以 base64 上传承诺书（无法发送文件时）/ A commitment letter as base64 text.")
class CommitmentLetterBase64Input:
    file_name: str = strawberry.field(description="文件名 / File name.")
    content_base64: str = strawberry.field(
        description="文件内容（base64 或 data: URL）/ Content, base64 or a data: URL."
    )


@strawberry.type(description="承诺书上传结果 / Result of uploading a commitment letter.")
class UploadCommitmentLetterPayload:
    letter: CommitmentLetter | None = strawberry.field(description="上传的承诺书 / The letter stored.")
    errors: list[ApplicationError] = strawberry.field(description="错误 / Errors; nothing written.")


@strawberry.type(description="申请操作结果 / Result of an application step.")
class ApplicationPayload:
    application: Application | None = strawberry.field(description="申请（操作后）/ The application after the step.")
    grant: Annotated[Grant, strawberry.lazy("schema.grant")] | None = strawberry.field(
        description="本次产生的授权 / The grant this step made, if any."
    )
    errors: list[ApplicationError] = strawberry.field(description="错误 / Errors; nothing written.")


@strawberry.type(description="逾期未审的申请 / An application whose review is overdue.")
class OverdueApplication:
    application: Application = strawberry.field(description="申请 / The application.")
    days_late: int = strawberry.field(description="已逾期自然日数 / Calendar days past the due date.")
