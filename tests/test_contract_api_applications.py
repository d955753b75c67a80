"""Applications and grants end to end through the API with real tokens (申请与授权), R10 and R11.

Every path of the workflow on the demo catalog: unconditional data granted at once; conditional
data approved by the provider's chief representative; rejected, disputed, negotiated, granted or
finally refused; not-shared data refused at submission; one scenario, one application; the
commitment letter required; cross-level applications reviewed by the bureau; grants suspended,
resumed, terminated and expired; a forbidden call per role; review deadlines across the 2026
National Day holiday and its adjusted working Saturday. Every refused mutation leaves the store
exactly as it was.
"""

from __future__ import annotations

import asyncio
import base64
import functools
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
import pytest_asyncio

from app.config import Settings
from graph.model import ChangeSet, Label, NodeRef
from graph.store import GraphStore
from interchange.demo import build_demo_catalog
from interchange.graph_mapping import grant_key
from interchange.records import CatalogDocument, ResourceRecord, ScenarioRecord, ServiceRecord
from resolvers.workflows import applications as applications_resolver
from schema.node import to_global_id
from sharing.clock import CHINA, FixedClock
from sharing.identity import Role
from tests.api import Api
from tests.conftest import CASES, _client, _loaded_settings
from tests.identities import issue
from tests.store_snapshot import graph_only, snapshot

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
CITY_BUREAU = "11370800004884472J"  # 济宁市大数据局

SUBMIT = """mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) {
  application { id code status path sharingType serviceKind receivedOn dueOn overdue
    dueAgency { code } requestedFields { name } approvedFields { name }
    commitmentLetter { sha256 } history { action fromStatus toStatus role person note fields } }
  grant { id status fields { name } service { code } scenario { code } }
  errors { code field messageZh messageEn legalBasis existingApplication } } }"""
UPLOAD_B64 = """mutation($input: CommitmentLetterBase64Input!) { uploadCommitmentLetterBase64(input: $input) {
  letter { id sha256 size contentType agencyCode } errors { code field messageZh messageEn } } }"""
APPROVE = """mutation($id: ID!, $fields: [String!]) { approveApplication(id: $id, fields: $fields) {
  application { status approvedFields { name } history { action } }
  grant { id status fields { name } } errors { code field messageZh messageEn } } }"""
REJECT = """mutation($id: ID!, $r: String!) { rejectApplication(id: $id, legalReasons: $r) {
  application { status rejectionReasons } errors { code field messageZh messageEn } } }"""
DISPUTE = """mutation($id: ID!, $r: String!) { disputeApplication(id: $id, reason: $r) {
  application { status disputeReason dueAgency { code } dueOn } errors { code field messageZh messageEn } } }"""
OPEN = """mutation($id: ID!) { openNegotiation(id: $id, note: "三方协商会") {
  application { status negotiationNote } errors { code field messageZh messageEn } } }"""
DECIDE = """mutation($id: ID!, $d: NegotiationDecision!, $r: String!, $f: [String!]) {
  decideNegotiation(id: $id, decision: $d, reason: $r, fields: $f) {
  application { status decisionReason history { action toStatus } } grant { status fields { name } }
  errors { code field messageZh messageEn } } }"""
GRANT_STEP = """mutation($id: ID!, $r: String!) { %s(id: $id, reason: $r) {
  grant { status statusReason history { action toStatus note } } errors { code field messageZh messageEn } } }"""
APPLICATION = """query($id: ID!) { application(id: $id) { code status history { action toStatus } } }"""


@dataclass(frozen=True)
class Case:
    """A scenario and a resource it does not hold yet, with a service and its fields."""

    scenario: ScenarioRecord
    resource: ResourceRecord
    service: ServiceRecord

    @property
    def consumer(self) -> str:
        return self.scenario.agency

    @property
    def provider(self) -> str:
        return self.resource.provider


def _cases(doc: CatalogDocument, sharing: str, provider_level: str, consumer_level: str, count: int) -> list[Case]:
    """Distinct (scenario, resource) pairs: effective sharing `sharing`, an online service exposing
    at least two fields, a scenario of another agency holding no grant on the resource."""
    level = {a.code: a.level for a in doc.agencies}
    held = {(g.scenario, g.service) for g in doc.grants}
    found: list[Case] = []
    used_scenarios: set[str] = set()
    for r in doc.resources:
        if r.sharing_type != sharing or level[r.provider] != provider_level:
            continue
        if any(f.sharing_type and f.sharing_type != sharing for f in r.fields):
            continue
        services = [s for s in r.services if s.status != "OFFLINE" and len(s.fields) >= 2]
        if not services:
            continue
        for sc in doc.scenarios:
            if (level[sc.agency] == consumer_level and sc.agency != r.provider and sc.code not in used_scenarios
                    and not any((sc.code, s.code) in held for s in r.services)):
                found.append(Case(sc, r, services[0]))
                used_scenarios.add(sc.code)
                break
        if len(found) == count:
            return found
    raise AssertionError(f"the demo has too few {sharing} cases")


def _not_shared(doc: CatalogDocument) -> tuple[ScenarioRecord, ResourceRecord]:
    level = {a.code: a.level for a in doc.agencies}
    resource = next(r for r in doc.resources if r.sharing_type == "NOT_SHARED" and r.legal_basis and r.fields)
    scenario = next(sc for sc in doc.scenarios if level[sc.agency] == level[resource.provider])
    return scenario, resource


class World:
    """The app on the demo catalog at a fixed time, with tokens per role and agency."""

    def __init__(self, api: Api, settings: Settings, clock: FixedClock, doc: CatalogDocument) -> None:
        self.api = api
        self.settings = settings
        self.clock = clock
        self.doc = doc
        self._tokens: dict[tuple[str, Role], str] = {}

    async def as_(self, agency: str, role: Role) -> Api:
        if (agency, role) not in self._tokens:
            self._tokens[(agency, role)] = await issue(self.settings, agency=agency, role=role,
                                                       person=f"{role.value.lower()}@{agency[-6:]}")
        return self.api.as_bearer(self._tokens[(agency, role)])

    async def letter(self, agency: str, content: bytes = PDF) -> str:
        staff = await self.as_(agency, Role.AGENCY_STAFF)
        data = await staff.query(UPLOAD_B64, {"input": {"fileName": "承诺书.pdf",
                                                        "contentBase64": base64.b64encode(content).decode()}})
        payload = data["uploadCommitmentLetterBase64"]
        assert payload["errors"] == [], payload
        return str(payload["letter"]["id"])

    async def submit(self, case: Case, *, letter: str | None = None, fields: list[str] | None = None,
                     role: Role = Role.AGENCY_STAFF, **extra: Any) -> dict[str, Any]:
        who = await self.as_(case.consumer, role)
        letter = letter if letter is not None else await self.letter(case.consumer)
        form = {"scenario": case.scenario.code, "resource": case.resource.code, "serviceKind": case.service.kind,
                "fields": fields or list(case.service.fields), "commitmentLetter": letter, **extra}
        data = await who.query(SUBMIT, {"input": form})
        result: dict[str, Any] = data["submitApplication"]
        return result

    async def refused(self, who: Api, query: str, variables: dict[str, Any], name: str) -> dict[str, Any]:
        """A mutation that must be refused with a payload error, leaving the store unchanged."""
        before = await snapshot(self.settings)
        payload: dict[str, Any] = (await who.query(query, variables))[name]
        assert payload["errors"], payload
        assert await snapshot(self.settings) == before
        error: dict[str, Any] = payload["errors"][0]
        assert error["messageZh"] and error["messageEn"]
        return error

    async def forbidden(self, who: Api, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """A call refused with a top-level FORBIDDEN naming the roles, leaving the store unchanged."""
        before = await snapshot(self.settings)
        error = await who.error(query, variables)
        assert error["extensions"]["code"] == "FORBIDDEN", error
        assert error["extensions"]["requiredRoles"]
        assert await snapshot(self.settings) == before
        return error


# The demo catalog is loaded once per backend for the module (a load into Neo4j takes most of a
# minute); after each test the nodes the workflow wrote are deleted, so every test starts from the
# demo as imported. The cases never touch an imported grant.
pytestmark = pytest.mark.asyncio(loop_scope="module")
_WRITTEN_BY_WORKFLOW = (Label.APPLICATION, Label.COMMITMENT_LETTER, Label.AUDIT_ENTRY, Label.ACCESS_TOKEN)


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=CASES, ids=[c.name for c in CASES])
async def demo_once(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Settings]:
    async for settings in _loaded_settings(request.param, tmp_path_factory.mktemp("applications"),
                                           _demo(), "demo"):
        yield settings


@functools.cache
def _demo() -> CatalogDocument:
    """The demo catalog as records, to pick the cases from (built once)."""
    return build_demo_catalog()


async def _delete_workflow_nodes(settings: Settings) -> None:
    async with graph_only(settings) as store:
        doomed: list[NodeRef] = []
        for label in _WRITTEN_BY_WORKFLOW:
            doomed += [n.ref async for batch in store.iter_nodes(label) for n in batch]
        doomed += [n.ref async for batch in store.iter_nodes(Label.GRANT) for n in batch if n.get("applicationKey")]
        await store.write(ChangeSet(deletes=doomed))


@pytest_asyncio.fixture(loop_scope="module")
async def world(demo_once: Settings) -> AsyncIterator[World]:
    clock = FixedClock(datetime(2026, 9, 30, 10, 0, tzinfo=CHINA))  # a Wednesday before National Day
    try:
        async for api in _client(demo_once, clock=clock):
            yield World(api, demo_once, clock, _demo())
    finally:
        await _delete_workflow_nodes(demo_once)


def gid(label: Label, key: str) -> str:
    return to_global_id(NodeRef(label, key))


async def audit_actions(settings: Settings, target: str) -> list[tuple[str, bool, bool]]:
    """(action, has before, has after) of the audit entries about `target`, sorted."""
    async with graph_only(settings) as store:
        found = [n async for batch in store.iter_nodes(Label.AUDIT_ENTRY) for n in batch if n.get("target") == target]
    # entries of the same instant (one change set, or a fixed clock) have no order among them
    return sorted((str(n.get("action")), n.get("before") is not None, n.get("after") is not None) for n in found)


# -- the paths ----------------------------------------------------------------------------------


async def test_unconditional_data_is_granted_at_once(world: World) -> None:
    [case] = _cases(world.doc, "UNCONDITIONAL", "CITY", "CITY", 1)
    payload = await world.submit(case, purpose="窗口办件核验")
    assert payload["errors"] == []
    app, grant = payload["application"], payload["grant"]
    assert (app["status"], app["path"], app["sharingType"]) == ("APPROVED", "DIRECT", "UNCONDITIONAL")
    assert app["dueOn"] is None and app["overdue"] is False
    assert [f["name"] for f in app["approvedFields"]] == list(case.service.fields)
    assert app["commitmentLetter"]["sha256"] == __import__("hashlib").sha256(PDF).hexdigest()
    assert grant["status"] == "ACTIVE" and grant["service"]["code"] == case.service.code
    assert grant["scenario"]["code"] == case.scenario.code
    assert [f["name"] for f in grant["fields"]] == list(case.service.fields)
    # the grant shows where grants already showed, and in the consumer's and the provider's lists
    staff = await world.as_(case.consumer, Role.AGENCY_STAFF)
    scenario = (await staff.query('query($id: ID!) { node(id: $id) { ... on Scenario { grants { id } } } }',
                                  {"id": gid(Label.SCENARIO, case.scenario.code)}))["node"]
    assert grant["id"] in [g["id"] for g in scenario["grants"]]
    mine = (await staff.query("{ myGrants(first: 100) { edges { node { id consumer { code } } } } }"))["myGrants"]
    assert grant["id"] in [e["node"]["id"] for e in mine["edges"]]
    provider = await world.as_(case.provider, Role.AGENCY_STAFF)
    theirs = (await provider.query(
        "{ grantsOnMyData(first: 100) { totalCount edges { node { id consumer { code } provider { code } } } } }"
    ))["grantsOnMyData"]
    [held] = [e["node"] for e in theirs["edges"] if e["node"]["id"] == grant["id"]]
    assert held == {"id": grant["id"], "consumer": {"code": case.consumer}, "provider": {"code": case.provider}}
    # the application by its global id, for its parties only
    by_id = "query($id: ID!) { node(id: $id) { id ... on Application { status } } }"
    assert (await staff.query(by_id, {"id": app["id"]}))["node"] == {"id": app["id"], "status": "APPROVED"}
    assert (await provider.query(by_id, {"id": app["id"]}))["node"]["id"] == app["id"]
    await world.forbidden(world.api, by_id, {"id": app["id"]})
    target = f"Application:{case.scenario.code}|{case.resource.code}"
    assert await audit_actions(world.settings, target) == [("application.submit", False, True)]
    grant_target = f"Grant:{grant_key(case.scenario.code, case.service.code)}"
    assert await audit_actions(world.settings, grant_target) == [("grant.create", False, True)]


async def test_conditional_same_level_is_approved_by_the_provider_for_the_fields_approved(world: World) -> None:
    [case] = _cases(world.doc, "CONDITIONAL", "CITY", "CITY", 1)
    payload = await world.submit(case)
    app = payload["application"]
    assert payload["grant"] is None and payload["errors"] == []
    assert (app["status"], app["path"], app["dueAgency"]) == ("PENDING_REVIEW", "PROVIDER_REVIEW",
                                                              {"code": case.provider})
    assert (app["receivedOn"], app["dueOn"]) == ("2026-09-30", "2026-10-09")  # across National Day
    chief = await world.as_(case.provider, Role.CHIEF_REPRESENTATIVE)
    pending = (await chief.query("{ applicationsPendingMyReview { edges { node { id } } } }"))
    assert [e["node"]["id"] for e in pending["applicationsPendingMyReview"]["edges"]] == [app["id"]]
    letter_q = "query($id: ID!) { application(id: $id) { commitmentLetter { sha256 contentBase64 } } }"
    letter = (await chief.query(letter_q, {"id": app["id"]}))["application"]["commitmentLetter"]
    assert base64.b64decode(letter["contentBase64"]) == PDF  # the reviewer reads the signed letter
    requested = list(case.service.fields)
    error = await world.refused(chief, APPROVE, {"id": app["id"], "fields": [requested[0], "不存在的信息项"]},
                                "approveApplication")
    assert error["code"] == "FIELDS_NOT_REQUESTED"
    approved = requested[:2]
    result = (await chief.query(APPROVE, {"id": app["id"], "fields": approved}))["approveApplication"]
    assert result["errors"] == []
    assert result["application"]["status"] == "APPROVED"
    assert [f["name"] for f in result["application"]["approvedFields"]] == approved
    assert [f["name"] for f in result["grant"]["fields"]] == approved and result["grant"]["status"] == "ACTIVE"
    assert [h["action"] for h in result["application"]["history"]] == ["application.submit", "application.approve"]
    error = await world.refused(chief, APPROVE, {"id": app["id"]}, "approveApplication")
    assert error["code"] == "INVALID_STATE"
    assert not (await chief.query("{ applicationsPendingMyReview { edges { node { id } } } }"))[
        "applicationsPendingMyReview"]["edges"]
    target = f"Application:{case.scenario.code}|{case.resource.code}"
    assert await audit_actions(world.settings, target) == [
        ("application.approve", True, True), ("application.submit", False, True)]


async def test_reject_dispute_negotiate_then_grant_or_finally_refuse(world: World) -> None:
    granted, refused = _cases(world.doc, "CONDITIONAL", "CITY", "CITY", 2)
    bureau = await world.as_(CITY_BUREAU, Role.BUREAU_ADMIN)
    for case, decision in ((granted, "GRANT"), (refused, "REFUSE")):
        app = (await world.submit(case))["application"]
        chief = await world.as_(case.provider, Role.CHIEF_REPRESENTATIVE)
        error = await world.refused(chief, REJECT, {"id": app["id"], "r": "   "}, "rejectApplication")
        assert (error["code"], error["field"]) == ("REASON_REQUIRED", "legalReasons")
        rejected = (await chief.query(REJECT, {"id": app["id"], "r": "《个人信息保护法》第十三条：超出最小必要范围"}))
        assert rejected["rejectApplication"]["application"]["status"] == "REJECTED"
        applicant = await world.as_(case.consumer, Role.AGENCY_STAFF)
        error = await world.refused(bureau, OPEN, {"id": app["id"]}, "openNegotiation")
        assert error["code"] == "INVALID_STATE"  # only a disputed rejection is negotiated
        disputed = (await applicant.query(DISPUTE, {"id": app["id"], "r": "场景确需全部信息项，理由不充分"}))
        assert disputed["disputeApplication"]["application"] == {
            "status": "DISPUTED", "disputeReason": "场景确需全部信息项，理由不充分",
            "dueAgency": {"code": CITY_BUREAU}, "dueOn": None}
        pending = await bureau.query("{ applicationsPendingMyReview { edges { node { id status } } } }")
        assert {"id": app["id"], "status": "DISPUTED"} in [
            e["node"] for e in pending["applicationsPendingMyReview"]["edges"]]
        opened = (await bureau.query(OPEN, {"id": app["id"]}))["openNegotiation"]["application"]
        assert opened == {"status": "NEGOTIATING", "negotiationNote": "三方协商会"}
        error = await world.refused(bureau, DECIDE, {"id": app["id"], "d": decision, "r": ""}, "decideNegotiation")
        assert error["code"] == "REASON_REQUIRED"
        decided = (await bureau.query(DECIDE, {"id": app["id"], "d": decision, "r": "协商结论",
                                               "f": list(case.service.fields)[:1]}))["decideNegotiation"]
        assert decided["errors"] == []
        steps = [h["action"] for h in decided["application"]["history"]]
        assert steps[:4] == ["application.submit", "application.reject", "application.dispute",
                             "application.negotiation.open"]
        if decision == "GRANT":
            assert decided["application"]["status"] == "APPROVED"
            assert decided["grant"] == {"status": "ACTIVE", "fields": [{"name": case.service.fields[0]}]}
            assert steps[4] == "application.negotiation.grant"
        else:
            assert decided["application"]["status"] == "REFUSED" and decided["grant"] is None
            assert steps[4] == "application.negotiation.refuse"
            error = await world.refused(applicant, DISPUTE, {"id": app["id"], "r": "再议"}, "disputeApplication")
            assert error["code"] == "INVALID_STATE"  # the negotiation's decision is final
        history = (await applicant.query(APPLICATION, {"id": app["id"]}))["application"]["history"]
        assert len(history) == 5


async def test_not_shared_data_is_refused_at_submission_with_its_legal_basis(world: World) -> None:
    scenario, resource = _not_shared(world.doc)
    staff = await world.as_(scenario.agency, Role.AGENCY_STAFF)
    letter = await world.letter(scenario.agency)
    form = {"scenario": scenario.code, "resource": resource.code, "serviceKind": "INTERFACE_QUERY",
            "fields": [resource.fields[0].name], "commitmentLetter": letter}
    error = await world.refused(staff, SUBMIT, {"input": form}, "submitApplication")
    assert error["code"] == "NOT_SHARED"
    assert error["legalBasis"] == resource.legal_basis and resource.legal_basis in error["messageZh"]


async def test_one_scenario_one_application_and_the_letter_is_required(world: World) -> None:
    first, other = _cases(world.doc, "CONDITIONAL", "CITY", "CITY", 2)
    staff = await world.as_(first.consumer, Role.AGENCY_STAFF)
    form = {"scenario": first.scenario.code, "resource": first.resource.code, "serviceKind": first.service.kind,
            "fields": list(first.service.fields)}
    error = await world.refused(staff, SUBMIT, {"input": form}, "submitApplication")
    assert (error["code"], error["field"]) == ("LETTER_REQUIRED", "commitmentLetter")
    letter = await world.letter(first.consumer)
    submitted = await world.submit(first, letter=letter)
    assert submitted["errors"] == []
    error = await world.refused(staff, SUBMIT, {"input": {**form, "commitmentLetter": letter}}, "submitApplication")
    assert error["code"] == "DUPLICATE_APPLICATION"
    assert error["existingApplication"] == f"{first.scenario.code}|{first.resource.code}"
    # a letter another agency uploaded does not count
    foreign = await world.letter(other.consumer if other.consumer != first.consumer else first.provider)
    form2 = {"scenario": other.scenario.code, "resource": other.resource.code, "serviceKind": other.service.kind,
             "fields": list(other.service.fields), "commitmentLetter": foreign}
    who = await world.as_(other.consumer, Role.AGENCY_STAFF)
    if other.consumer != first.consumer:
        form2["commitmentLetter"] = await world.letter(first.consumer)
    error = await world.refused(who, SUBMIT, {"input": form2}, "submitApplication")
    assert error["code"] == "LETTER_OF_OTHER_AGENCY"
    # a field the resource does not have
    error = await world.refused(who, SUBMIT, {"input": {**form2, "fields": ["并无此项"]}}, "submitApplication")
    assert (error["code"], error["field"]) == ("FIELD_NOT_IN_RESOURCE", "fields")


async def test_two_concurrent_submits_for_one_scenario_and_resource_make_one_application(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    [case] = _cases(world.doc, "CONDITIONAL", "CITY", "CITY", 1)
    letter = await world.letter(case.consumer)
    # both submits read the store before either writes: the race the check alone cannot stop
    real_facts = applications_resolver.submit_facts  # type: ignore[attr-defined]
    both_read = asyncio.Barrier(2)
    calls = 0

    async def facts_then_meet(store: GraphStore, request: Any) -> Any:
        nonlocal calls
        calls += 1
        facts = await real_facts(store, request)
        if calls <= 2:
            assert facts.existing_application is None
            await asyncio.wait_for(both_read.wait(), 30)
        return facts

    monkeypatch.setattr(applications_resolver, "submit_facts", facts_then_meet)
    first, second = await asyncio.gather(
        world.submit(case, letter=letter), world.submit(case, letter=letter, role=Role.CHIEF_REPRESENTATIVE)
    )
    outcomes = sorted([first, second], key=lambda p: len(p["errors"]))
    assert outcomes[0]["errors"] == [] and outcomes[0]["application"]["status"] == "PENDING_REVIEW"
    [error] = outcomes[1]["errors"]
    assert (error["code"], error["existingApplication"]) == (
        "DUPLICATE_APPLICATION", f"{case.scenario.code}|{case.resource.code}")
    assert outcomes[1]["application"] is None
    assert calls == 3  # the loser decided again against the stored application
    key = f"{case.scenario.code}|{case.resource.code}"
    assert [a for a in await audit_actions(world.settings, f"Application:{key}")] == [
        ("application.submit", False, True)]


async def test_letters_must_be_non_empty_small_pdfs_or_images(world: World) -> None:
    [case] = _cases(world.doc, "UNCONDITIONAL", "CITY", "CITY", 1)
    staff = await world.as_(case.consumer, Role.AGENCY_STAFF)
    for content, code in ((b"", "LETTER_EMPTY"), (b"GIF89a...", "LETTER_TYPE"),
                          (b"%PDF-" + b"0" * (2 * 1024 * 1024), "LETTER_TOO_LARGE")):
        variables = {"input": {"fileName": "x.pdf", "contentBase64": base64.b64encode(content).decode()}}
        error = await world.refused(staff, UPLOAD_B64, variables, "uploadCommitmentLetterBase64")
        assert error["code"] == code
    error = await world.refused(staff, UPLOAD_B64, {"input": {"fileName": "x", "contentBase64": "不是base64"}},
                                "uploadCommitmentLetterBase64")
    assert error["code"] == "INVALID_INPUT"
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    data = await staff.query(UPLOAD_B64, {"input": {"fileName": "scan.png",
                                                    "contentBase64": base64.b64encode(png).decode()}})
    letter = data["uploadCommitmentLetterBase64"]["letter"]
    assert (letter["contentType"], letter["size"], letter["agencyCode"]) == ("image/png", len(png), case.consumer)


async def test_multipart_upload_of_the_letter(world: World) -> None:
    [case] = _cases(world.doc, "UNCONDITIONAL", "CITY", "CITY", 1)
    staff = await world.as_(case.consumer, Role.AGENCY_STAFF)
    operations = ('{"query": "mutation($f: Upload!) { uploadCommitmentLetter(file: $f) '
                  '{ letter { id sha256 fileName contentType } errors { code } } }", "variables": {"f": null}}')
    response = await world.api.client.post(
        "/graphql", headers=staff.headers,
        data={"operations": operations, "map": '{"0": ["variables.f"]}'},
        files={"0": ("承诺书.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 200, response.text
    payload = response.json()["data"]["uploadCommitmentLetter"]
    assert payload["errors"] == []
    assert payload["letter"]["fileName"] == "承诺书.pdf" and payload["letter"]["contentType"] == "application/pdf"
    assert payload["letter"]["sha256"] == __import__("hashlib").sha256(PDF).hexdigest()
    submitted = await world.submit(case, letter=payload["letter"]["id"])
    assert submitted["errors"] == [] and submitted["application"]["status"] == "APPROVED"


async def test_cross_level_applications_go_to_the_bureau_of_the_providers_level(world: World) -> None:
    [case] = _cases(world.doc, "CONDITIONAL", "CITY", "COUNTY", 1)
    app = (await world.submit(case))["application"]
    assert (app["status"], app["path"], app["dueAgency"]) == ("PENDING_REVIEW", "BUREAU_REVIEW",
                                                              {"code": CITY_BUREAU})
    chief = await world.as_(case.provider, Role.CHIEF_REPRESENTATIVE)
    await world.forbidden(chief, APPROVE, {"id": app["id"]})
    county_bureau = next(a.code for a in world.doc.agencies if a.level == "COUNTY" and a.name.endswith("大数据局"))
    await world.forbidden(await world.as_(county_bureau, Role.BUREAU_ADMIN), APPROVE, {"id": app["id"]})
    bureau = await world.as_(CITY_BUREAU, Role.BUREAU_ADMIN)
    pending = await bureau.query("{ applicationsPendingMyReview { edges { node { id path } } } }")
    assert {"id": app["id"], "path": "BUREAU_REVIEW"} in [
        e["node"] for e in pending["applicationsPendingMyReview"]["edges"]]
    result = (await bureau.query(APPROVE, {"id": app["id"]}))["approveApplication"]
    assert result["errors"] == [] and result["grant"]["status"] == "ACTIVE"


async def test_grants_are_suspended_resumed_terminated_and_expire(world: World) -> None:
    first, second = _cases(world.doc, "UNCONDITIONAL", "CITY", "CITY", 2)
    grant = (await world.submit(first))["grant"]
    consumer = await world.as_(first.consumer, Role.AGENCY_STAFF)
    await world.forbidden(consumer, GRANT_STEP % "suspendGrant", {"id": grant["id"], "r": "自行暂停"})
    chief = await world.as_(first.provider, Role.CHIEF_REPRESENTATIVE)
    error = await world.refused(chief, GRANT_STEP % "suspendGrant", {"id": grant["id"], "r": " "}, "suspendGrant")
    assert error["code"] == "REASON_REQUIRED"
    suspended = (await chief.query(GRANT_STEP % "suspendGrant", {"id": grant["id"], "r": "发现越权调用"}))
    assert suspended["suspendGrant"]["grant"]["status"] == "SUSPENDED"
    assert suspended["suspendGrant"]["grant"]["statusReason"] == "发现越权调用"
    resumed = (await chief.query(GRANT_STEP % "resumeGrant", {"id": grant["id"], "r": "整改完成"}))
    assert resumed["resumeGrant"]["grant"]["status"] == "ACTIVE"
    bureau = await world.as_(CITY_BUREAU, Role.BUREAU_ADMIN)
    terminated = (await bureau.query(GRANT_STEP % "terminateGrant", {"id": grant["id"], "r": "数据安全事件"}))
    history = terminated["terminateGrant"]["grant"]["history"]
    assert [(h["action"], h["toStatus"]) for h in history] == [
        ("grant.create", "ACTIVE"), ("grant.suspend", "SUSPENDED"), ("grant.resume", "ACTIVE"),
        ("grant.terminate", "TERMINATED")]
    error = await world.refused(bureau, GRANT_STEP % "suspendGrant", {"id": grant["id"], "r": "再停"}, "suspendGrant")
    assert error["code"] == "INVALID_STATE"
    target = f"Grant:{grant_key(first.scenario.code, first.service.code)}"
    assert [a for a, _, _ in await audit_actions(world.settings, target)] == [
        "grant.create", "grant.resume", "grant.suspend", "grant.terminate"]
    # a grant limited in time is EXPIRED the day after its validUntil, per the clock
    limited = (await world.submit(second, validUntil="2026-10-09"))["grant"]
    query = 'query($id: ID!) { node(id: $id) { ... on Grant { status validUntil } } }'
    assert (await consumer.query(query, {"id": limited["id"]}))["node"]["status"] == "ACTIVE"
    world.clock.set(datetime(2026, 10, 10, 9, 0, tzinfo=CHINA))
    assert (await consumer.query(query, {"id": limited["id"]}))["node"] == {"status": "EXPIRED",
                                                                           "validUntil": "2026-10-09"}
    chief2 = await world.as_(second.provider, Role.CHIEF_REPRESENTATIVE)
    error = await world.refused(chief2, GRANT_STEP % "suspendGrant", {"id": limited["id"], "r": "x"}, "suspendGrant")
    assert error["code"] == "GRANT_EXPIRED"


async def test_a_forbidden_call_per_role(world: World) -> None:
    [case] = _cases(world.doc, "CONDITIONAL", "CITY", "CITY", 1)
    letter = await world.letter(case.consumer)
    form = {"scenario": case.scenario.code, "resource": case.resource.code, "serviceKind": case.service.kind,
            "fields": list(case.service.fields), "commitmentLetter": letter}
    other_agency = next(a.code for a in world.doc.agencies
                        if a.level == "CITY" and a.code not in (case.consumer, case.provider, CITY_BUREAU))
    # anonymous, planner, bureau: may not apply; staff of another agency: not for this scenario
    await world.forbidden(world.api, SUBMIT, {"input": form})
    await world.forbidden(await world.as_(case.consumer, Role.PLANNER), SUBMIT, {"input": form})
    await world.forbidden(await world.as_(CITY_BUREAU, Role.BUREAU_ADMIN), SUBMIT, {"input": form})
    await world.forbidden(await world.as_(other_agency, Role.AGENCY_STAFF), SUBMIT, {"input": form})
    app = (await world.submit(case, letter=letter))["application"]
    # staff cannot review; another agency's chief representative cannot review this one
    await world.forbidden(await world.as_(case.provider, Role.AGENCY_STAFF), APPROVE, {"id": app["id"]})
    await world.forbidden(await world.as_(other_agency, Role.CHIEF_REPRESENTATIVE), REJECT,
                          {"id": app["id"], "r": "无"})
    # only the applicant disputes; only the bureau negotiates; anonymous callers read no application
    await world.forbidden(await world.as_(other_agency, Role.AGENCY_STAFF), DISPUTE, {"id": app["id"], "r": "x"})
    await world.forbidden(await world.as_(case.provider, Role.CHIEF_REPRESENTATIVE), OPEN, {"id": app["id"]})
    await world.forbidden(world.api, APPLICATION, {"id": app["id"]})
    await world.forbidden(await world.as_(other_agency, Role.AGENCY_STAFF), APPLICATION, {"id": app["id"]})
    planner = await world.as_(other_agency, Role.PLANNER)
    assert (await planner.query(APPLICATION, {"id": app["id"]}))["application"]["status"] == "PENDING_REVIEW"
    letter_q = "query($id: ID!) { application(id: $id) { commitmentLetter { contentBase64 } } }"
    await world.forbidden(planner, letter_q, {"id": app["id"]})  # planners see the application, not the letter
    await world.forbidden(planner, "{ myGrants { totalCount } }", {})
    await world.forbidden(await world.as_(case.consumer, Role.AGENCY_STAFF), "{ overdueApplications { daysLate } }", {})


async def test_review_deadlines_across_national_day_and_the_adjusted_working_saturday(world: World) -> None:
    # 2026: Oct 1-7 off (National Day and Mid-Autumn), Sat Oct 10 and Sun Sep 20 are working days.
    on_eve, in_holiday, on_saturday = _cases(world.doc, "CONDITIONAL", "CITY", "CITY", 3)
    bureau = await world.as_(CITY_BUREAU, Role.BUREAU_ADMIN)
    overdue_q = "query($l: Level) { overdueApplications(level: $l) { daysLate application { code dueOn } } }"

    world.clock.set(datetime(2026, 9, 19, 15, 0, tzinfo=CHINA))  # Saturday, a day off
    sat = (await world.submit(on_saturday))["application"]
    assert (sat["receivedOn"], sat["dueOn"]) == ("2026-09-20", "2026-09-22")  # Sunday Sep 20 is a working day

    world.clock.set(datetime(2026, 9, 30, 16, 0, tzinfo=CHINA))  # Wednesday before the holiday
    eve = (await world.submit(on_eve))["application"]
    assert (eve["receivedOn"], eve["dueOn"]) == ("2026-09-30", "2026-10-09")

    world.clock.set(datetime(2026, 10, 3, 11, 0, tzinfo=CHINA))  # in the holiday
    hol = (await world.submit(in_holiday))["application"]
    assert (hol["receivedOn"], hol["dueOn"]) == ("2026-10-08", "2026-10-10")  # due on the working Saturday

    world.clock.set(datetime(2026, 10, 9, 18, 0, tzinfo=CHINA))
    late = (await bureau.query(overdue_q, {"l": "CITY"}))["overdueApplications"]
    assert [o["application"]["code"] for o in late] == [sat["code"]]
    world.clock.set(datetime(2026, 10, 10, 9, 0, tzinfo=CHINA))  # the adjusted working Saturday
    late = (await bureau.query(overdue_q, {"l": "CITY"}))["overdueApplications"]
    assert {o["application"]["code"]: o["daysLate"] for o in late} == {sat["code"]: 18, eve["code"]: 1}
    world.clock.set(datetime(2026, 10, 11, 9, 0, tzinfo=CHINA))
    late = (await bureau.query(overdue_q, {"l": "CITY"}))["overdueApplications"]
    assert {o["application"]["code"] for o in late} == {sat["code"], eve["code"], hol["code"]}
    assert (await bureau.query(overdue_q, {"l": "COUNTY"}))["overdueApplications"] == []
    by_agency = (await bureau.query("query($a: String) { overdueApplications(agency: $a) { application { code } } }",
                                    {"a": on_eve.provider}))["overdueApplications"]
    assert eve["code"] in [o["application"]["code"] for o in by_agency]
    assert all(o["application"]["code"] in {sat["code"], eve["code"], hol["code"]} for o in by_agency)
    chief = await world.as_(on_eve.provider, Role.CHIEF_REPRESENTATIVE)
    item = (await chief.query(APPLICATION.replace("status", "status overdue"), {"id": eve["id"]}))["application"]
    assert item["overdue"] is True
    # an application decided is no longer overdue
    await chief.query(APPROVE, {"id": eve["id"]})
    late = (await bureau.query(overdue_q, {"l": "CITY"}))["overdueApplications"]
    assert eve["code"] not in {o["application"]["code"] for o in late}
