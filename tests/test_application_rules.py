"""The application and grant rules without GraphQL or a store (申请与授权规则), R10 and R11."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from graph.model import Label, Node, Rel
from sharing import applications as rules
from sharing.application_errors import ApplicationRefusal, WorkflowRefusal
from sharing.commitment_letter import MAX_LETTER_BYTES, check_letter, decode_base64
from sharing.grants import GrantAction, effective_status, grant_status_change
from sharing.identity import Actor, Role
from sharing.terms import Level, ServiceKind, SharingType

AT = datetime(2026, 9, 30, 10, 0)
TODAY = date(2026, 9, 30)
STAFF = Actor(Role.AGENCY_STAFF, "C1", "张三", "t1", Level.CITY)
CHIEF = Actor(Role.CHIEF_REPRESENTATIVE, "P1", "李四", "t2", Level.CITY)


def _facts(sharing: str = "CONDITIONAL", consumer_level: str = "CITY",
           field_types: tuple[str | None, ...] = (None, None), letter: bool = True,
           existing: Node | None = None) -> rules.SubmitFacts:
    resource = Node(Label.RESOURCE, "R1", {"name": "资源", "sharingType": sharing, "providerCode": "P1",
                                           "legalBasis": "《某某法》第八条"})
    fields = [Node(Label.FIELD, f"R1#f{i}", {"name": f"f{i}", "sharingType": t}) for i, t in enumerate(field_types)]
    service = Node(Label.SERVICE, "R1-S01", {"kind": "INTERFACE_QUERY", "status": "PUBLISHED"})
    return rules.SubmitFacts(
        scenario=Node(Label.SCENARIO, "SC1", {"name": "场景", "agencyCode": "C1"}),
        consumer=Node(Label.AGENCY, "C1", {"level": consumer_level}),
        resource=resource,
        provider=Node(Label.AGENCY, "P1", {"level": "CITY"}),
        fields=fields,
        services=[(service, [str(f.get("name")) for f in fields])],
        letter=Node(Label.COMMITMENT_LETTER, "CL1", {"agencyCode": "C1", "sha256": "ab"}) if letter else None,
        existing_application=existing,
        bureau=Node(Label.AGENCY, "B1", {"name": "济宁市大数据局"}),
    )


def _request(fields: tuple[str, ...] = ("f0", "f1"), letter: str | None = "CL1",
             kind: ServiceKind = ServiceKind.INTERFACE_QUERY) -> rules.SubmitRequest:
    return rules.SubmitRequest("SC1", "R1", kind, fields, letter)


def test_a_fields_own_sharing_type_counts_and_the_least_open_decides() -> None:
    facts = _facts("UNCONDITIONAL", field_types=(None, "CONDITIONAL"))
    assert rules.effective_sharing(facts.resource, facts.fields[:1]) is SharingType.UNCONDITIONAL
    assert rules.effective_sharing(facts.resource, facts.fields) is SharingType.CONDITIONAL
    outcome = rules.submit(_request(("f0",)), facts, STAFF, AT, TODAY)
    assert outcome.application.get("path") == "DIRECT" and outcome.grant is not None
    assert outcome.grant.key == "SC1|R1-S01" and outcome.grant.get("fields") == ["f0"]
    outcome = rules.submit(_request(), facts, STAFF, AT, TODAY)
    assert outcome.application.get("status") == "PENDING_REVIEW" and outcome.grant is None


def test_submission_writes_the_application_its_edges_and_one_audit_entry_per_change() -> None:
    outcome = rules.submit(_request(), _facts(), STAFF, AT, TODAY)
    app = outcome.application
    assert app.key == "SC1|R1" and app.get("dueAgency") == "P1" and app.get("reviewBureau") == "B1"
    assert (app.get("receivedOn"), app.get("dueOn")) == ("2026-09-30", "2026-10-09")
    edges = {rel: [e.dst.id for e in es] for (src, rel), es in outcome.changes.edges.items() if src == app.ref}
    assert edges == {Rel.FOR_SCENARIO: ["Scenario:SC1"], Rel.APPLIES_FOR: ["DataResource:R1"],
                     Rel.REQUESTS: ["Field:R1#f0", "Field:R1#f1"], Rel.ATTACHES: ["CommitmentLetter:CL1"]}
    audits = [n for n in outcome.changes.upserts if n.label is Label.AUDIT_ENTRY]
    assert [a.get("action") for a in audits] == ["application.submit"]
    direct = rules.submit(_request(), _facts("UNCONDITIONAL"), STAFF, AT, TODAY)
    assert sorted(str(n.get("action")) for n in direct.changes.upserts if n.label is Label.AUDIT_ENTRY) == [
        "application.submit", "grant.create"]


def test_across_levels_the_bureau_reviews() -> None:
    app = rules.submit(_request(), _facts(consumer_level="COUNTY"), STAFF, AT, TODAY).application
    assert (app.get("path"), app.get("dueAgency")) == ("BUREAU_REVIEW", "B1")
    assert rules.may_review(Actor(Role.BUREAU_ADMIN, "B1", "王", None, Level.CITY), app)
    assert not rules.may_review(Actor(Role.BUREAU_ADMIN, "B2", "王", None, Level.COUNTY), app)
    assert not rules.may_review(CHIEF, app)


@pytest.mark.parametrize(
    ("facts", "request_", "code"),
    [
        (_facts("NOT_SHARED"), _request(), ApplicationRefusal.NOT_SHARED),
        (_facts(field_types=(None, "NOT_SHARED")), _request(), ApplicationRefusal.NOT_SHARED),
        (_facts(letter=False), _request(letter=None), ApplicationRefusal.LETTER_REQUIRED),
        (_facts(existing=Node(Label.APPLICATION, "SC1|R1", {"status": "REJECTED"})), _request(),
         ApplicationRefusal.DUPLICATE_APPLICATION),
        (_facts(), _request(("f0", "nope")), ApplicationRefusal.FIELD_NOT_IN_RESOURCE),
        (_facts(), _request(()), ApplicationRefusal.INVALID_INPUT),
        (_facts(), _request(kind=ServiceKind.BATCH_EXPORT), ApplicationRefusal.SERVICE_KIND_UNAVAILABLE),
    ],
)
def test_refusals_at_submission(facts: rules.SubmitFacts, request_: rules.SubmitRequest,
                                code: ApplicationRefusal) -> None:
    with pytest.raises(WorkflowRefusal) as raised:
        rules.submit(request_, facts, STAFF, AT, TODAY)
    assert raised.value.code is code
    if code is ApplicationRefusal.NOT_SHARED:
        assert raised.value.details["legalBasis"] == "《某某法》第八条"


def test_the_review_state_machine() -> None:
    app = rules.submit(_request(), _facts(), STAFF, AT, TODAY).application
    service = Node(Label.SERVICE, "R1-S01", {"status": "PUBLISHED"})
    with pytest.raises(WorkflowRefusal) as raised:
        rules.approve(app, service, None, ["f0", "f9"], CHIEF, AT, TODAY)
    assert raised.value.code is ApplicationRefusal.FIELDS_NOT_REQUESTED
    approved = rules.approve(app, service, None, ["f1"], CHIEF, AT, TODAY)
    assert approved.grant is not None and approved.grant.get("fields") == ["f1"]
    with pytest.raises(WorkflowRefusal) as raised:
        rules.reject(approved.application, "理由", CHIEF, AT)
    assert raised.value.code is ApplicationRefusal.INVALID_STATE
    with pytest.raises(WorkflowRefusal) as raised:
        rules.reject(app, "  ", CHIEF, AT)
    assert raised.value.code is ApplicationRefusal.REASON_REQUIRED
    rejected = rules.reject(app, "法律理由", CHIEF, AT).application
    disputed = rules.dispute(rejected, "不充分", STAFF, AT).application
    assert (disputed.get("status"), disputed.get("dueAgency"), disputed.get("dueOn")) == ("DISPUTED", "B1", None)
    bureau = Actor(Role.BUREAU_ADMIN, "B1", "王", None, Level.CITY)
    negotiating = rules.open_negotiation(disputed, None, bureau, AT).application
    refused = rules.decide_negotiation(negotiating, False, "维持驳回", None, None, None, bureau, AT, TODAY)
    assert refused.application.get("status") == "REFUSED" and refused.grant is None
    granted = rules.decide_negotiation(negotiating, True, "予以共享", service, None, None, bureau, AT, TODAY)
    assert granted.grant is not None and granted.grant.get("fields") == ["f0", "f1"]


def test_overdue_is_after_the_due_day_while_still_pending() -> None:
    app = rules.submit(_request(), _facts(), STAFF, AT, TODAY).application
    assert not rules.is_overdue(app, date(2026, 10, 9))
    assert rules.is_overdue(app, date(2026, 10, 10))
    assert not rules.is_overdue(rules.reject(app, "法律理由", CHIEF, AT).application, date(2026, 10, 10))


def test_grants_expire_after_valid_until_and_move_only_by_the_rules() -> None:
    grant = Node(Label.GRANT, "SC1|S1", {"status": "ACTIVE", "validUntil": "2026-10-09"})
    assert effective_status(grant, date(2026, 10, 9)).value == "ACTIVE"
    assert effective_status(grant, date(2026, 10, 10)).value == "EXPIRED"
    _, suspended = grant_status_change(grant, GrantAction.SUSPEND, "安全问题", CHIEF, AT, TODAY)
    assert suspended.get("status") == "SUSPENDED" and suspended.get("statusReason") == "安全问题"
    with pytest.raises(WorkflowRefusal) as raised:
        grant_status_change(grant, GrantAction.RESUME, "恢复", CHIEF, AT, TODAY)
    assert raised.value.code is ApplicationRefusal.INVALID_STATE
    with pytest.raises(WorkflowRefusal) as raised:
        grant_status_change(grant, GrantAction.TERMINATE, "终止", CHIEF, AT, date(2026, 10, 10))
    assert raised.value.code is ApplicationRefusal.GRANT_EXPIRED


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"", ApplicationRefusal.LETTER_EMPTY), (b"PK\x03\x04docx", ApplicationRefusal.LETTER_TYPE),
     (b"%PDF-" + b"x" * MAX_LETTER_BYTES, ApplicationRefusal.LETTER_TOO_LARGE)],
)
def test_letters_refused(content: bytes, code: ApplicationRefusal) -> None:
    with pytest.raises(WorkflowRefusal) as raised:
        check_letter("a.pdf", content)
    assert raised.value.code is code


def test_letters_accepted_by_their_signature_with_their_digest() -> None:
    letter = check_letter("scan.jpg", b"\xff\xd8\xff\xe0rest")
    assert letter.content_type == "image/jpeg" and len(letter.sha256) == 64
    assert decode_base64("data:application/pdf;base64,JVBERi0=") == b"%PDF-"
