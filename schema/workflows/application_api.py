"""Root fields of the application workflow (申请流程的查询与变更入口), R10 and R11."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types.scalar import scalar

from resolvers.context import Info
from schema.enums import Level
from schema.pagination import Connection
from schema.query import After, First
from schema.workflows.applications import (
    Application,
    ApplicationPayload,
    CommitmentLetterBase64Input,
    NegotiationDecision,
    OverdueApplication,
    SubmitApplicationInput,
    UploadCommitmentLetterPayload,
)
from sharing.terms import ApplicationStatus

# strawberry's `Upload` scalar (the multipart parser puts a Starlette `UploadFile` in its place),
# described in both languages; schema/build.py maps `Upload` to it.
UPLOAD_SCALAR = scalar(
    name="Upload",
    description="上传的文件（GraphQL multipart 请求规范）/ A file uploaded by the GraphQL multipart request spec.",
    specified_by_url="https://github.com/jaydenseric/graphql-multipart-request-spec",
    serialize=lambda value: None,
    parse_value=lambda value: value,
)

ApplicationId = Annotated[
    strawberry.ID, strawberry.argument(description="申请的全局 ID / The application's global ID.")
]
Note = Annotated[str | None, strawberry.argument(description="说明（可选）/ Note (optional).")]
FieldNames = Annotated[
    list[str] | None,
    strawberry.argument(
        description="批准的信息项名称（默认全部申请项）/ Field names approved (default: all requested)."
    ),
]


@strawberry.type(description="申请查询 / Application queries.")
class ApplicationQuery:
    @strawberry.field(
        description="按 ID 取申请及其审核记录（申请方、提供方、大数据局、规划人员）/ An application with its review "
        "history (the applicant, the provider, the bureau, planners)."
    )
    async def application(self, info: Info, id: ApplicationId) -> Application | None:
        from resolvers.workflows import applications

        return await applications.application(info, str(id))

    @strawberry.field(
        description="待我审核的申请（首席代表：本机构数据；大数据局：跨层级审核、异议与协商）/ Applications awaiting "
        "my decision (chief representative: for my agency's data; bureau: cross-level reviews, disputes, negotiations)."
    )
    async def applications_pending_my_review(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Application]:
        from resolvers.workflows import applications

        return await applications.pending_my_review(info, first, after)

    @strawberry.field(description="本机构提出的申请 / My agency's applications.")
    async def my_applications(
        self,
        info: Info,
        status: Annotated[ApplicationStatus | None, strawberry.argument(description="状态 / Status.")] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Application]:
        from resolvers.workflows import applications

        return await applications.my_applications(info, status, first, after)

    @strawberry.field(
        description="逾期未审的申请（按须办理机构、提供方层级筛选；大数据局、规划人员）/ Applications whose review is "
        "overdue, by the agency that must act or the provider's level (bureau, planners)."
    )
    async def overdue_applications(
        self,
        info: Info,
        agency: Annotated[str | None, strawberry.argument(description="须办理机构代码 / Agency that must act.")] = None,
        level: Annotated[Level | None, strawberry.argument(description="提供方层级 / The provider's level.")] = None,
    ) -> list[OverdueApplication]:
        from resolvers.workflows import applications

        return await applications.overdue(info, agency, level)


@strawberry.type(description="申请变更 / Application mutations.")
class ApplicationMutation:
    @strawberry.mutation(
        description="上传签署的承诺书（multipart 文件；PDF、PNG 或 JPEG，至多 2 MiB）/ Upload the signed commitment "
        "letter (a multipart file: PDF, PNG or JPEG, at most 2 MiB)."
    )
    async def upload_commitment_letter(
        self, info: Info, file: Annotated[Upload, strawberry.argument(description="文件 / The file.")]
    ) -> UploadCommitmentLetterPayload:
        from resolvers.workflows import applications

        return await applications.upload_letter(info, file)  # type: ignore[arg-type]

    @strawberry.mutation(
        description="以 base64 上传承诺书（GraphiQL 无法发送文件时）/ Upload the commitment letter as base64 text "
        "(for GraphiQL, which cannot send files)."
    )
    async def upload_commitment_letter_base64(
        self, info: Info, input: Annotated[CommitmentLetterBase64Input, strawberry.argument(description="文件 / File.")]
    ) -> UploadCommitmentLetterPayload:
        from resolvers.workflows import applications

        return await applications.upload_letter_base64(info, input)

    @strawberry.mutation(
        description="提交申请（一场景一申请；无条件共享即时授权，有条件共享进入审核，不予共享拒绝）/ Submit an "
        "application: one scenario, one application; unconditional data is granted at once, conditional data goes "
        "to review, not-shared data is refused."
    )
    async def submit_application(
        self, info: Info, input: Annotated[SubmitApplicationInput, strawberry.argument(description="申请单 / Form.")]
    ) -> ApplicationPayload:
        from resolvers.workflows import applications

        return await applications.submit(info, input)

    @strawberry.mutation(
        description="批准申请，按批准的信息项授权（审核人）/ Approve: a grant for exactly the approved fields "
        "(reviewer)."
    )
    async def approve_application(
        self, info: Info, id: ApplicationId, fields: FieldNames = None, note: Note = None
    ) -> ApplicationPayload:
        from resolvers.workflows import applications

        return await applications.approve(info, str(id), fields, note)

    @strawberry.mutation(description="驳回申请，须写明法律理由（审核人）/ Reject with the legal reasons (reviewer).")
    async def reject_application(
        self,
        info: Info,
        id: ApplicationId,
        legal_reasons: Annotated[str, strawberry.argument(description="法律理由（必填）/ Legal reasons (required).")],
    ) -> ApplicationPayload:
        from resolvers.workflows import applications

        return await applications.reject(info, str(id), legal_reasons)

    @strawberry.mutation(
        description="对驳回提出异议（申请机构）/ Dispute a rejection (the applying agency)."
    )
    async def dispute_application(
        self,
        info: Info,
        id: ApplicationId,
        reason: Annotated[str, strawberry.argument(description="异议理由（必填）/ Why the reasons are insufficient.")],
    ) -> ApplicationPayload:
        from resolvers.workflows import applications

        return await applications.dispute(info, str(id), reason)

    @strawberry.mutation(
        description="就异议组织协商（提供方所在层级大数据局）/ Open the negotiation of a dispute (the bureau)."
    )
    async def open_negotiation(self, info: Info, id: ApplicationId, note: Note = None) -> ApplicationPayload:
        from resolvers.workflows import applications

        return await applications.open_negotiation(info, str(id), note)

    @strawberry.mutation(
        description="记录协商结果：授权或最终不予授权（大数据局）/ Record the negotiation's decision: grant or "
        "finally refuse (the bureau)."
    )
    async def decide_negotiation(
        self,
        info: Info,
        id: ApplicationId,
        decision: Annotated[NegotiationDecision, strawberry.argument(description="结果 / Decision.")],
        reason: Annotated[str, strawberry.argument(description="结果理由（必填）/ Reason (required).")],
        fields: FieldNames = None,
    ) -> ApplicationPayload:
        from resolvers.workflows import applications

        return await applications.decide_negotiation(info, str(id), decision, reason, fields)
