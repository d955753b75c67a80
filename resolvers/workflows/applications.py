"""Application and commitment-letter resolvers: who may act, then the rules (申请流程解析器).

Each mutation checks the caller's role (`require`) and its relation to the object (the
applicant's agency, the provider's chief representative, the bureau of the provider's level),
asks `sharing.applications` for the change set and writes it in one transaction. A refusal
of the rules becomes a payload error; nothing is written then.
"""

from __future__ import annotations

from datetime import date

from starlette.datastructures import UploadFile

from graph.errors import AlreadyExists, StoreError
from graph.model import ChangeSet, Direction, Label, Node, Rel
from resolvers.browse import page_of, where
from resolvers.context import Info
from resolvers.permissions import forbidden, require, require_agency
from schema.node import from_global_id
from schema.pagination import Connection
from schema.workflows.applications import (
    Application,
    ApplicationError,
    ApplicationPayload,
    CommitmentLetter,
    CommitmentLetterBase64Input,
    NegotiationDecision,
    OverdueApplication,
    SubmitApplicationInput,
    UploadCommitmentLetterPayload,
)
from sharing import applications as rules
from sharing.application_errors import ApplicationRefusal, WorkflowRefusal
from sharing.application_loading import grant_facts, node_or_refusal, submit_facts
from sharing.audit import audit_entry, record
from sharing.clock import today
from sharing.commitment_letter import MAX_LETTER_BYTES, check_letter, decode_base64, described, letter_node
from sharing.identity import Actor, Role
from sharing.terms import ApplicationStatus, Level, ReviewPath, ServiceKind

APPLICANTS = (Role.AGENCY_STAFF, Role.CHIEF_REPRESENTATIVE)
REVIEWERS = (Role.CHIEF_REPRESENTATIVE, Role.BUREAU_ADMIN)
READERS = (Role.AGENCY_STAFF, Role.CHIEF_REPRESENTATIVE, Role.BUREAU_ADMIN, Role.PLANNER)
_SCAN_BATCH = 1000


def error_of(refusal: WorkflowRefusal) -> ApplicationError:
    return ApplicationError(
        code=refusal.code, field=refusal.field, message=f"{refusal.message_zh} / {refusal.message_en}",
        message_zh=refusal.message_zh, message_en=refusal.message_en,
        legal_basis=refusal.details.get("legalBasis"), existing_application=refusal.details.get("application"),
    )


async def write(info: Info, changes: ChangeSet) -> None:
    """Apply one change set; a store failure is a refusal (the transaction left nothing)."""
    try:
        await info.context.writer.apply(changes)
    except AlreadyExists:
        raise
    except StoreError as e:
        raise WorkflowRefusal(ApplicationRefusal.WRITE_FAILED, None, f"写入失败，未写入任何内容：{e}",
                              f"the write failed; nothing was written: {e}") from e


def _date(text: str | None, field: str) -> date | None:
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise WorkflowRefusal(ApplicationRefusal.INVALID_INPUT, field, f"日期「{text[:20]}」无效，请用 YYYY-MM-DD",
                              f"invalid date {text[:20]!r}: use YYYY-MM-DD") from None


# -- commitment letters -------------------------------------------------------------------------


async def _store_letter(info: Info, file_name: str, content: bytes) -> UploadCommitmentLetterPayload:
    actor = require(info, *APPLICANTS)
    assert actor.agency_code is not None  # every signed-in staff or chief representative has one
    try:
        letter = check_letter(file_name, content)
        now = info.context.clock.now()
        node = letter_node(letter, actor.agency_code, actor.person, now)
        changes = ChangeSet(upserts=[node])
        record(changes, audit_entry(actor, "commitmentLetter.upload", node.ref, now, None, described(node.props)))
        await write(info, changes)
    except WorkflowRefusal as r:
        return UploadCommitmentLetterPayload(letter=None, errors=[error_of(r)])
    return UploadCommitmentLetterPayload(letter=CommitmentLetter(_node=node), errors=[])


async def upload_letter(info: Info, file: UploadFile) -> UploadCommitmentLetterPayload:
    require(info, *APPLICANTS)
    content = await file.read(MAX_LETTER_BYTES + 1)  # one byte over the cap is enough to refuse
    return await _store_letter(info, file.filename or "", content)


async def upload_letter_base64(info: Info, input: CommitmentLetterBase64Input) -> UploadCommitmentLetterPayload:
    require(info, *APPLICANTS)
    try:
        content = decode_base64(input.content_base64)
    except WorkflowRefusal as r:
        return UploadCommitmentLetterPayload(letter=None, errors=[error_of(r)])
    return await _store_letter(info, input.file_name, content)


# -- applications -------------------------------------------------------------------------------


def _letter_key(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    ref = from_global_id(value.strip())
    if ref.label is not Label.COMMITMENT_LETTER:
        raise WorkflowRefusal(ApplicationRefusal.NOT_FOUND, "commitmentLetter", "该 ID 不是承诺书",
                              "the ID is not a commitment letter's")
    return ref.key


async def submit(info: Info, input: SubmitApplicationInput) -> ApplicationPayload:
    actor = require(info, *APPLICANTS)
    try:
        request = rules.SubmitRequest(
            scenario_code=input.scenario.strip(), resource_code=input.resource.strip(),
            service_kind=ServiceKind(input.service_kind.value), fields=tuple(input.fields),
            letter_key=_letter_key(input.commitment_letter), purpose=input.purpose,
            valid_until=_date(input.valid_until, "validUntil"),
        )
        facts = await submit_facts(info.context.store, request)
        require_agency(actor, facts.consumer.key, *APPLICANTS)
        outcome = rules.submit(request, facts, actor, info.context.clock.now(), today(info.context.clock))
        try:
            await write(info, outcome.changes)
        except AlreadyExists:
            # a concurrent submit for the same scenario and resource landed first: decide again
            # against what is stored now, which refuses this one as the duplicate it is
            facts = await submit_facts(info.context.store, request)
            rules.submit(request, facts, actor, info.context.clock.now(), today(info.context.clock))
            raise WorkflowRefusal(ApplicationRefusal.WRITE_FAILED, None, "申请已存在，未写入任何内容",
                                  "the application already exists; nothing was written") from None
    except WorkflowRefusal as r:
        return ApplicationPayload(application=None, grant=None, errors=[error_of(r)])
    return _payload(outcome)


def _payload(outcome: rules.Outcome) -> ApplicationPayload:
    from schema.grant import Grant

    return ApplicationPayload(
        application=Application(_node=outcome.application),
        grant=Grant(_node=outcome.grant) if outcome.grant is not None else None, errors=[],
    )


async def _application(info: Info, id: str) -> Node:
    ref = from_global_id(id)
    if ref.label is not Label.APPLICATION:
        raise WorkflowRefusal(ApplicationRefusal.NOT_FOUND, "id", "该 ID 不是申请", "the ID is not an application's")
    return await node_or_refusal(info.context.store, Label.APPLICATION, ref.key, "申请", "application", "id")


def _check_reviewer(actor: Actor, application: Node) -> None:
    if rules.may_review(actor, application):
        return
    if ReviewPath(application.get("path")) is ReviewPath.BUREAU_REVIEW:
        raise forbidden((Role.BUREAU_ADMIN,), "跨层级申请由提供方所在层级的大数据局审核",
                        "a cross-level application is reviewed by the bureau of the provider's level")
    raise forbidden((Role.CHIEF_REPRESENTATIVE,), "由提供方首席代表审核",
                    "reviewed by the provider's chief representative")


def _check_negotiator(actor: Actor, application: Node) -> None:
    if not rules.acts_as_bureau_for(actor, application):
        raise forbidden((Role.BUREAU_ADMIN,), "由提供方所在层级的大数据局组织协商",
                        "the bureau of the provider's level negotiates")


async def approve(info: Info, id: str, fields: list[str] | None, note: str | None) -> ApplicationPayload:
    actor = require(info, *REVIEWERS)
    try:
        application = await _application(info, id)
        _check_reviewer(actor, application)
        service, held = await grant_facts(info.context.store, application)
        outcome = rules.approve(application, service, held, fields, actor, info.context.clock.now(),
                                today(info.context.clock), note)
        await write(info, outcome.changes)
    except WorkflowRefusal as r:
        return ApplicationPayload(application=None, grant=None, errors=[error_of(r)])
    return _payload(outcome)


async def reject(info: Info, id: str, legal_reasons: str) -> ApplicationPayload:
    actor = require(info, *REVIEWERS)
    try:
        application = await _application(info, id)
        _check_reviewer(actor, application)
        outcome = rules.reject(application, legal_reasons, actor, info.context.clock.now())
        await write(info, outcome.changes)
    except WorkflowRefusal as r:
        return ApplicationPayload(application=None, grant=None, errors=[error_of(r)])
    return _payload(outcome)


async def dispute(info: Info, id: str, reason: str) -> ApplicationPayload:
    actor = require(info, *APPLICANTS)
    try:
        application = await _application(info, id)
        require_agency(actor, str(application.get("applicantCode")), *APPLICANTS)
        outcome = rules.dispute(application, reason, actor, info.context.clock.now())
        await write(info, outcome.changes)
    except WorkflowRefusal as r:
        return ApplicationPayload(application=None, grant=None, errors=[error_of(r)])
    return _payload(outcome)


async def open_negotiation(info: Info, id: str, note: str | None) -> ApplicationPayload:
    actor = require(info, Role.BUREAU_ADMIN)
    try:
        application = await _application(info, id)
        _check_negotiator(actor, application)
        outcome = rules.open_negotiation(application, note, actor, info.context.clock.now())
        await write(info, outcome.changes)
    except WorkflowRefusal as r:
        return ApplicationPayload(application=None, grant=None, errors=[error_of(r)])
    return _payload(outcome)


async def decide_negotiation(info: Info, id: str, decision: NegotiationDecision, reason: str,
                             fields: list[str] | None) -> ApplicationPayload:
    actor = require(info, Role.BUREAU_ADMIN)
    try:
        application = await _application(info, id)
        _check_negotiator(actor, application)
        service, held = await grant_facts(info.context.store, application)
        outcome = rules.decide_negotiation(
            application, decision is NegotiationDecision.GRANT, reason, service, held, fields, actor,
            info.context.clock.now(), today(info.context.clock),
        )
        await write(info, outcome.changes)
    except WorkflowRefusal as r:
        return ApplicationPayload(application=None, grant=None, errors=[error_of(r)])
    return _payload(outcome)


# -- queries ------------------------------------------------------------------------------------


async def check_letter_reader(info: Info, letter: Node) -> None:
    """Who may read a letter's bytes: its agency, the bureau, the providers it was sent to."""
    actor = require(info, *READERS)
    if actor.role is Role.BUREAU_ADMIN or actor.acts_for(letter.get("agencyCode")):
        return
    loader = info.context.loaders.neighbors(Label.COMMITMENT_LETTER, Rel.ATTACHES, Direction.IN)
    if actor.role in APPLICANTS and any(actor.acts_for(a.get("providerCode")) for a in await loader.load(letter.key)):
        return
    raise forbidden((Role.BUREAU_ADMIN,), "承诺书仅上传机构、所附申请的提供方和大数据局可读",
                    "a letter is readable by its agency, the providers it was sent to and the bureau")


async def application(info: Info, id: str) -> Application | None:
    actor = require(info, *READERS)
    try:
        node = await _application(info, id)
    except WorkflowRefusal:
        return None
    if actor.role in (Role.AGENCY_STAFF, Role.CHIEF_REPRESENTATIVE) and not (
        actor.acts_for(node.get("applicantCode")) or actor.acts_for(node.get("providerCode"))
    ):
        raise forbidden((Role.BUREAU_ADMIN, Role.PLANNER), "只能查看本机构申请或申请本机构数据的申请",
                        "staff see only their agency's applications and those for its data")
    return Application(_node=node)


async def pending_my_review(info: Info, first: int | None, after: str | None) -> Connection[Application]:
    actor = require(info, *REVIEWERS)
    statuses = [ApplicationStatus.PENDING_REVIEW.value]
    if actor.role is Role.BUREAU_ADMIN:
        statuses += [ApplicationStatus.DISPUTED.value, ApplicationStatus.NEGOTIATING.value]
    filters = {"status": statuses, "dueAgency": actor.agency_code}
    return await page_of(info, Label.APPLICATION, filters, first, after, lambda n: Application(_node=n))


async def my_applications(info: Info, status: ApplicationStatus | None, first: int | None,
                          after: str | None) -> Connection[Application]:
    actor = require(info, *APPLICANTS)
    filters = where(applicantCode=actor.agency_code, status=status)
    return await page_of(info, Label.APPLICATION, filters, first, after, lambda n: Application(_node=n))


async def overdue(info: Info, agency: str | None, level: Level | None) -> list[OverdueApplication]:
    require(info, Role.BUREAU_ADMIN, Role.PLANNER)
    day = today(info.context.clock)
    filters = where(status=ApplicationStatus.PENDING_REVIEW.value, dueAgency=agency, providerLevel=level)
    found: list[OverdueApplication] = []
    after: str | None = None
    while True:
        page = await info.context.store.find_nodes(Label.APPLICATION, filters, after=after, limit=_SCAN_BATCH)
        for node in page.nodes:
            if rules.is_overdue(node, day):
                late = (day - date.fromisoformat(str(node.get("dueOn")))).days
                found.append(OverdueApplication(application=Application(_node=node), days_late=late))
        if not page.has_next:
            return sorted(found, key=lambda o: (-o.days_late, o.application.code()))
        after = page.nodes[-1].key
