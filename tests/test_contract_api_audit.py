"""The audit trail end to end (审计留痕), on every backend: conditional detail reads are recorded
once per resource per request, token issue and revoke are recorded, and only bureau
administrators read the trail."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest

from app.backends import open_backends
from app.config import Settings
from app.web import create_app
from graph.model import Label, NodeRef
from interchange.audit_export import COLUMNS, SHEET
from interchange.json_format import write_json
from interchange.load import load_document
from interchange.origins import Origins
from interchange.records import AgencyRecord
from schema.node import to_global_id
from sharing.clock import CHINA, FixedClock, SystemClock
from sharing.identity import Role
from sharing.tokens import revoke_token
from tests.api import Api
from tests.backends import BackendCase
from tests.identities import issue
from tests.sample_catalog import DSJ, GAJ, RC_SCJG, SCJG, SWJ, sample_document

READ_AT = datetime(2026, 10, 8, 9, 30, tzinfo=CHINA)  # the first working day after National Day
RC_DSJ = "11370811004612345F"  # 任城区大数据局, the county's bureau

DETAILS = """{
  r1: resource(code: "370800-SCJG-0001") { fields { name } services { fields { name } } }
  r2: resource(code: "370800-SCJG-0002") { fields { name } }
  r3: resource(code: "370800-SWJ-0001") { name fieldCount }
  fields(filter: { resource: "370800-SCJG-0001" }) { totalCount edges { node { name } } }
}"""
CONDITIONAL_FIELD = '{ resource(code: "370800-SWJ-0001") { fields { name sharingType } } }'
TRAIL = """query($filter: AuditFilterInput, $first: Int, $after: String) {
  auditTrail(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id at action target targetLabel role agency person tokenId before after note } } } }"""


@dataclasses.dataclass
class World:
    settings: Settings
    api: Api
    clock: FixedClock

    async def as_role(self, role: Role, agency: str, person: str = "王测试") -> Api:
        return self.api.as_bearer(await issue(self.settings, agency=agency, role=role, person=person))

    async def entries(self, action: str | None = None) -> list[dict[str, Any]]:
        async with open_backends(self.settings) as b:
            found = [dict(n.props) | {"key": n.key} async for batch in b.store.iter_nodes(Label.AUDIT_ENTRY)
                     for n in batch]
        return [e for e in found if action is None or e["action"] == action]


@pytest.fixture
async def world(backend_case: BackendCase, tmp_path: Path) -> AsyncIterator[World]:
    """The sample catalog, where 纳税信用等级 of an unconditional resource is itself conditional."""
    settings = backend_case.settings(tmp_path, uuid.uuid4().hex[:8])
    doc = sample_document()
    swj = next(r for r in doc.resources if r.code == "370800-SWJ-0001")
    swj.fields = [dataclasses.replace(f, sharing_type="CONDITIONAL") if f.name == "纳税信用等级" else f
                  for f in swj.fields]
    doc.agencies.append(AgencyRecord(RC_DSJ, "任城区大数据局", "COUNTY", "任城区大数据局", "370811", "任城区",
                                     DSJ, []))
    async with open_backends(settings) as b:
        await b.store.clear()
        await b.index.clear()
        await load_document(doc, Origins(), "sample", b.writer)
    clock = FixedClock(READ_AT)
    app = create_app(settings, clock=clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            yield World(settings, Api(client), clock)
    async with open_backends(settings) as b:
        await b.store.clear()
        drop = getattr(b.index, "drop", None)
        await (drop() if drop is not None else b.index.clear())


async def test_a_conditional_read_is_recorded_once_per_resource_per_request(world: World) -> None:
    planner = await world.as_role(Role.PLANNER, GAJ, "周规划")
    await planner.query(DETAILS)
    [entry] = await world.entries("read.conditionalDetails")
    assert entry["target"] == "DataResource:370800-SCJG-0001" and entry["targetLabel"] == "DataResource"
    assert (entry["role"], entry["agency"], entry["person"]) == ("PLANNER", GAJ, "周规划")
    assert entry["token"] == planner.headers["Authorization"].split()[1].split(".")[0]
    assert entry["at"] == READ_AT.isoformat()
    assert json.loads(entry["after"])["fields"] == sorted(
        ["统一社会信用代码", "企业名称", "法定代表人", "成立日期", "住所", "登记状态"])
    # a conditional field of an unconditional resource counts too; each request is recorded
    world.clock.advance(timedelta(minutes=5))
    await planner.query(CONDITIONAL_FIELD)
    await planner.query(DETAILS)
    reads = await world.entries("read.conditionalDetails")
    assert sorted(e["target"] for e in reads) == [
        "DataResource:370800-SCJG-0001", "DataResource:370800-SCJG-0001", "DataResource:370800-SWJ-0001"]


# Other ways to the details of 企业登记信息 (conditional): each is recorded like a field list.
OTHER_WAYS = {
    "search": ('{ search(query: "企业名称", types: [FIELD]) { edges { node { entity { ... on Field { name } } } } } }',
               "企业名称"),
    "fieldLineage": ('{ fieldLineage(resource: "370800-SCJG-0001", field: "住所") { field { name dataType } } }',
                     "住所"),
    "grant": ('{ grants { edges { node { fields { name } } } } }', "统一社会信用代码"),
    "node": ("{ node(id: \"" + to_global_id(NodeRef(Label.FIELD, "370800-SCJG-0001#成立日期"))
             + "\") { ... on Field { description } } }", "成立日期"),
}


@pytest.mark.parametrize("way", list(OTHER_WAYS))
async def test_every_way_to_a_conditional_field_is_recorded(world: World, way: str) -> None:
    query, field = OTHER_WAYS[way]
    planner = await world.as_role(Role.PLANNER, GAJ, "周规划")
    await planner.query(query)
    reads = await world.entries("read.conditionalDetails")
    by_target = {e["target"]: json.loads(e["after"])["fields"] for e in reads}
    assert field in by_target.get("DataResource:370800-SCJG-0001", []), reads
    assert len(reads) == len(by_target)  # one entry per resource per request
    # the same question without any detail of a field records nothing more
    await planner.query('{ grants { totalCount } fieldLineage(resource: "370800-SCJG-0001", field: "住所") '
                        "{ services { code } } }")
    assert len(await world.entries("read.conditionalDetails")) == len(reads)


@pytest.mark.parametrize(
    ("role", "agency"),
    [(None, None), (Role.BUREAU_ADMIN, DSJ), (Role.AGENCY_STAFF, SCJG), (Role.CHIEF_REPRESENTATIVE, SCJG)],
    ids=["anonymous", "bureau", "provider-staff", "provider-chief"],
)
async def test_reads_that_are_not_recorded(world: World, role: Role | None, agency: str | None) -> None:
    caller = world.api if role is None or agency is None else await world.as_role(role, agency)
    await caller.query(DETAILS)
    assert await world.entries("read.conditionalDetails") == []


async def test_the_bureau_reads_the_trail_and_others_are_refused(world: World) -> None:
    staff = await world.as_role(Role.AGENCY_STAFF, SWJ, "陈静")
    await staff.query(DETAILS)
    bureau = await world.as_role(Role.BUREAU_ADMIN, DSJ, "李明")
    trail = (await bureau.query(TRAIL, {"filter": {"action": "read.conditionalDetails"}}))["auditTrail"]
    assert trail["totalCount"] == 1
    [node] = [e["node"] for e in trail["edges"]]
    assert node["target"] == "DataResource:370800-SCJG-0001" and node["role"] == "AGENCY_STAFF"
    assert node["agency"] == SWJ and node["person"] == "陈静" and node["note"] is None
    assert json.loads(node["after"])["fields"][0] == "企业名称" and node["before"] is None
    # token issues are on the trail too, oldest first: the staff's token before the bureau's
    issued = (await bureau.query(TRAIL, {"filter": {"action": "token.issue"}}))["auditTrail"]
    assert [json.loads(e["node"]["after"])["person"] for e in issued["edges"]] == ["陈静", "李明"]
    assert all("secretSha256" not in json.dumps(e["node"]) for e in issued["edges"])

    before = await world.entries()
    for role, agency in ((Role.PLANNER, GAJ), (Role.AGENCY_STAFF, SWJ), (Role.CHIEF_REPRESENTATIVE, SCJG)):
        caller = await world.as_role(role, agency)
        before = await world.entries()
        response = await caller.raw(TRAIL)
        body = response.json()
        assert response.status_code == 200 and body["data"] is None
        ext = body["errors"][0]["extensions"]
        assert ext["code"] == "FORBIDDEN" and ext["requiredRoles"] == ["BUREAU_ADMIN"]
        assert "大数据局管理员" in ext["messageZh"]
        assert await world.entries() == before  # a refused call records and changes nothing
    anonymous = await world.api.raw(TRAIL)
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_trail_filters_pages_and_bad_filters(world: World) -> None:
    bureau = await world.as_role(Role.BUREAU_ADMIN, DSJ, "李明")
    planner = await world.as_role(Role.PLANNER, GAJ, "周规划")
    for minutes in (0, 10, 20):
        world.clock.set(READ_AT + timedelta(minutes=minutes))
        await planner.query(DETAILS)
    reads = {"action": "read.conditionalDetails"}
    page1 = (await bureau.query(TRAIL, {"filter": reads, "first": 2}))["auditTrail"]
    assert page1["totalCount"] == 3 and page1["pageInfo"]["hasNextPage"]
    page2 = (await bureau.query(TRAIL, {"filter": reads, "first": 2, "after": page1["pageInfo"]["endCursor"]}))
    ats = [e["node"]["at"] for e in page1["edges"] + page2["auditTrail"]["edges"]]
    assert ats == sorted(ats) and len(set(ats)) == 3 and not page2["auditTrail"]["pageInfo"]["hasNextPage"]
    window = {**reads, "since": "2026-10-08T09:40:00", "until": "2026-10-08T09:50:00+08:00"}
    windowed = (await bureau.query(TRAIL, {"filter": window}))["auditTrail"]
    assert [e["node"]["at"] for e in windowed["edges"]] == [(READ_AT + timedelta(minutes=10)).isoformat()]
    assert windowed["totalCount"] == 1
    by_agency = (await bureau.query(TRAIL, {"filter": {"agency": SCJG}}))["auditTrail"]
    assert by_agency["totalCount"] == 0
    target = {"target": "DataResource:370800-SCJG-0001", "since": "2026-10-08"}
    assert (await bureau.query(TRAIL, {"filter": target}))["auditTrail"]["totalCount"] == 3
    bad = await bureau.error(TRAIL, {"filter": {"since": "yesterday"}})
    assert bad["extensions"]["code"] == "INVALID_INPUT" and bad["extensions"]["field"] == "filter.since"
    backwards = await bureau.error(TRAIL, {"filter": {"since": "2026-10-09", "until": "2026-10-08"}})
    assert backwards["extensions"]["code"] == "INVALID_INPUT"
    assert (await bureau.error(TRAIL, {"after": "nope"}))["extensions"]["code"] == "INVALID_CURSOR"
    assert (await bureau.error(TRAIL, {"first": 500}))["extensions"]["code"] == "PAGE_SIZE_TOO_LARGE"


async def test_each_bureau_reads_its_own_levels_trail_in_the_order_it_was_made(world: World) -> None:
    county_staff = await world.as_role(Role.AGENCY_STAFF, RC_SCJG, "赵磊")
    planner = await world.as_role(Role.PLANNER, GAJ, "周规划")
    both = ('{ a: resource(code: "370800-SWJ-0001") { fields { name } } '
            'b: resource(code: "370800-SCJG-0001") { fields { name } } }')
    await county_staff.query(DETAILS)
    await planner.query(both)  # two entries at one instant (the clock is fixed)
    city = await world.as_role(Role.BUREAU_ADMIN, DSJ, "李明")
    county = await world.as_role(Role.BUREAU_ADMIN, RC_DSJ, "孙县")
    reads = {"filter": {"action": "read.conditionalDetails"}}
    seen = {}
    for name, bureau in (("city", city), ("county", county)):
        trail = (await bureau.query(TRAIL.replace("role agency", "role level agency"), reads))["auditTrail"]
        seen[name] = [(e["node"]["level"], e["node"]["agency"], e["node"]["target"]) for e in trail["edges"]]
        assert trail["totalCount"] == len(seen[name])
    # the entries of one request come in the order they were made (by resource id), every time
    assert seen["city"] == [("CITY", GAJ, "DataResource:370800-SCJG-0001"),
                            ("CITY", GAJ, "DataResource:370800-SWJ-0001")]
    assert seen["county"] == [("COUNTY", RC_SCJG, "DataResource:370800-SCJG-0001")]
    # a token's issue belongs to the level of the agency it was issued to
    issued = (await county.query(TRAIL, {"filter": {"action": "token.issue"}}))["auditTrail"]
    assert [json.loads(e["node"]["after"])["agencyCode"] for e in issued["edges"]] == [RC_SCJG, RC_DSJ]
    keys = [e["key"] for e in await world.entries()]
    assert len(set(keys)) == len(keys)


async def test_a_revoke_is_recorded(world: World) -> None:
    bearer = await issue(world.settings, agency=GAJ, role=Role.AGENCY_STAFF, person="刘强")
    async with open_backends(world.settings) as b:
        await revoke_token(b.writer, bearer.split(".")[0], clock=SystemClock())
    [entry] = await world.entries("token.revoke")
    assert entry["target"] == f"AccessToken:{bearer.split('.')[0]}"
    assert json.loads(entry["before"]) == {"revokedAt": None} and json.loads(entry["after"])["revokedAt"]


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    base = [sys.executable, "-m", "app.cli", "--data-dir", str(tmp_path / "data")]
    return subprocess.run([*base, *args], capture_output=True, text=True, check=False, timeout=300)


def test_token_and_audit_export_commands(tmp_path: Path) -> None:
    write_json(sample_document(), tmp_path / "in.json")
    assert _cli(tmp_path, "load", str(tmp_path / "in.json")).returncode == 0
    created = _cli(tmp_path, "token", "create", "--agency", DSJ, "--role", "bureau_admin", "--person", "李明")
    assert created.returncode == 0, created.stderr
    bearer = created.stdout.strip().splitlines()[-1]
    token_id, secret = bearer.split(".", 1)
    assert token_id.startswith("tok_") and len(secret) >= 40
    assert "只显示这一次" in created.stderr and "shown only once" in created.stderr
    refused = _cli(tmp_path, "token", "create", "--agency", SCJG, "--role", "BUREAU_ADMIN", "--person", "张伟")
    assert refused.returncode == 2 and "大数据" in refused.stderr and "big-data bureau" in refused.stderr
    unknown = _cli(tmp_path, "token", "create", "--agency", "NOPE", "--role", "PLANNER", "--person", "张伟")
    assert unknown.returncode == 2 and "does not exist" in unknown.stderr
    listed = _cli(tmp_path, "token", "list")
    assert listed.returncode == 0 and token_id in listed.stdout and "济宁市大数据局" in listed.stdout
    assert secret not in listed.stdout and "active" in listed.stdout
    revoked = _cli(tmp_path, "token", "revoke", token_id)
    assert revoked.returncode == 0 and token_id in revoked.stdout
    assert _cli(tmp_path, "token", "revoke", token_id).returncode == 2  # already revoked
    assert "revoked" in _cli(tmp_path, "token", "list").stdout

    out = tmp_path / "audit.jsonl"
    exported = _cli(tmp_path, "audit-export", "--format", "jsonl", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["action"] for r in rows] == ["token.issue", "token.revoke"]
    assert rows[0]["after"]["person"] == "李明" and secret not in out.read_text(encoding="utf-8")
    book_path = tmp_path / "audit.xlsx"
    only_issue = _cli(tmp_path, "audit-export", "--format", "xlsx", "--out", str(book_path), "--action", "token.issue")
    assert only_issue.returncode == 0, only_issue.stderr
    sheet = openpyxl.load_workbook(book_path)[SHEET]
    table = list(sheet.iter_rows(values_only=True))
    assert table[0] == tuple(h for _, h in COLUMNS) and table[0][:3] == ("记录编号", "时间", "动作")
    row = dict(zip(table[0], table[1], strict=True))
    assert len(table) == 2 and row["动作"] == "token.issue" and row["操作人"] == "命令行操作员 / command-line operator"
    assert row["层级"] == "CITY"
    county_only = _cli(tmp_path, "audit-export", "--out", str(out), "--level", "COUNTY")
    assert county_only.returncode == 0 and out.read_text(encoding="utf-8") == ""
    bad = _cli(tmp_path, "audit-export", "--out", str(out), "--since", "soon")
    assert bad.returncode == 2 and "ISO 8601" in bad.stderr
