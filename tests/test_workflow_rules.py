"""The upkeep, demand and data-quality rules without GraphQL (流程规则), on every backend where
a store is needed: who maintains what, minimum necessary, the deadline-clock convention, the
overdue views, change sets that are written whole or not at all."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime

import pytest

from app.backends import Backends
from graph.errors import StoreError
from graph.model import ChangeSet, Direction, Edge, Label, Node, NodeRef, Rel
from interchange.load import load_document
from interchange.origins import Origins
from interchange.records import FieldRecord, ResourceRecord, ServiceRecord
from sharing import catalog_upkeep as upkeep
from sharing.clock import CHINA
from sharing.deadline_clock import awaiting, late, overdue
from sharing.demand_justification import JustifiedItem, check_justified
from sharing.identity import Actor, Role
from sharing.overdue_views import awaited, overdue_summary
from sharing.refusal import Refusal, RefusalCode
from sharing.terms import Level
from tests.sample_catalog import DSJ, GAJ, RC_SCJG, SCJG, sample_document

CITY_AGENCY = Node(Label.AGENCY, SCJG, {"level": "CITY"})


def allow(agency: Node) -> None:
    return None


@pytest.mark.parametrize(
    ("actor", "may"),
    [
        (Actor(Role.AGENCY_STAFF, SCJG, "甲"), True),
        (Actor(Role.CHIEF_REPRESENTATIVE, SCJG, "乙"), True),
        (Actor(Role.AGENCY_STAFF, GAJ, "丙"), False),
        (Actor(Role.BUREAU_ADMIN, DSJ, "丁", level=Level.CITY), True),
        (Actor(Role.BUREAU_ADMIN, "COUNTY-BUREAU", "戊", level=Level.COUNTY), False),
        (Actor(Role.PLANNER, SCJG, "己"), False),
        (Actor(Role.ANONYMOUS), False),
    ],
)
def test_who_maintains_an_agencys_catalog_entries(actor: Actor, may: bool) -> None:
    assert upkeep.may_maintain(actor, CITY_AGENCY) is may


def test_minimum_necessary_needs_the_scenario_and_a_real_justification() -> None:
    ok = check_justified([JustifiedItem("姓名", "  核对低保申请人身份  ")], "社会救助对象核查")
    assert ok == [JustifiedItem("姓名", "核对低保申请人身份")]
    with pytest.raises(Refusal) as no_scenario:
        check_justified([JustifiedItem("姓名", "核对低保申请人身份")], " ")
    assert no_scenario.value.code is RefusalCode.SCENARIO_REQUIRED
    with pytest.raises(Refusal) as refused:
        check_justified([JustifiedItem("姓名", ""), JustifiedItem("身份证号", "身份证号。"),
                         JustifiedItem("住址", "核对")], "社会救助对象核查")
    assert [(r.code, r.field) for r in refused.value.all()] == [
        (RefusalCode.JUSTIFICATION_REQUIRED, "items[0].justification"),
        (RefusalCode.JUSTIFICATION_NOT_SPECIFIC, "items[1].justification"),
        (RefusalCode.JUSTIFICATION_NOT_SPECIFIC, "items[2].justification"),
    ]


def test_the_clock_convention_awaiting_overdue_and_late() -> None:
    open_demand = {"status": "OPEN", "dueOn": "2026-10-10", "dueAgency": GAJ}
    assert awaiting(open_demand)
    assert not overdue(open_demand, date(2026, 10, 10)) and overdue(open_demand, date(2026, 10, 11))
    assert not awaiting({**open_demand, "status": "RESPONDED"})
    assert not awaiting({**open_demand, "dueOn": None})  # nobody has to act
    assert not overdue({**open_demand, "status": "VERIFIED"}, date(2027, 1, 1))
    assert late(date(2026, 10, 12), "2026-10-10") and not late(date(2026, 10, 10), "2026-10-10")
    assert not late(date(2026, 10, 12), None)


@pytest.fixture
async def sample(backends: Backends) -> AsyncIterator[Backends]:
    await load_document(sample_document(), Origins(), "sample", backends.writer)
    yield backends


STEP = upkeep.StepContext(Actor(Role.AGENCY_STAFF, SCJG, "张三", level=Level.CITY),
                          datetime(2026, 9, 30, 10, tzinfo=CHINA))
NEW = ResourceRecord(code="370800-SCJG-0901", name="户外广告设置许可信息", provider=SCJG,
                     sharing_type="UNCONDITIONAL", fields=[FieldRecord("许可编号"), FieldRecord("设置地点")])


async def test_an_upkeep_change_set_carries_its_audit_and_the_supply_list(sample: Backends) -> None:
    created = await upkeep.create_resource(sample.store, STEP, NEW, allow)
    audited = sorted(n.get("target") for n in created.changes.upserts if n.label is Label.AUDIT_ENTRY)
    assert audited == sorted([f"DataResource:{NEW.code}", f"Field:{NEW.code}#许可编号", f"Field:{NEW.code}#设置地点",
                              f"SupplyList:SL-{SCJG}"])
    await sample.writer.apply(created.changes)
    (entries,) = await sample.store.neighbors(Label.SUPPLY_LIST, [f"SL-{SCJG}"], Rel.SUPPLIES, Direction.OUT)
    assert NEW.code in [e.key for e in entries]
    # a step that changes nothing in the supply list leaves it out of the change set
    changed = await upkeep.update_resource(sample.store, STEP, NEW.code, {"summary": "户外广告设置许可"}, allow)
    assert not any(n.label is Label.SUPPLY_LIST for n in changed.changes.upserts)


async def test_a_failing_upkeep_write_leaves_nothing(sample: Backends) -> None:
    await sample.writer.apply((await upkeep.create_resource(sample.store, STEP, NEW, allow)).changes)
    before = await sample.store.count_nodes(Label.AUDIT_ENTRY)
    record = ServiceRecord("370800-SCJG-0901-S01", "许可查询", "INTERFACE_QUERY", ["许可编号"])
    published = await upkeep.publish_service(sample.store, STEP, NEW.code, record, allow)
    service = NodeRef(Label.SERVICE, "370800-SCJG-0901-S01")
    published.changes.edges[(service, Rel.EXPOSES)] = [
        Edge(Rel.EXPOSES, service, NodeRef(Label.FIELD, "NO-SUCH-FIELD"))]  # the store must refuse the lot
    with pytest.raises(StoreError):
        await sample.writer.apply(published.changes)
    (stored,) = await sample.store.get_nodes(Label.SERVICE, [service.key])
    assert stored is None and await sample.store.count_nodes(Label.AUDIT_ENTRY) == before


async def test_the_overdue_views_read_only_the_convention(sample: Backends) -> None:
    clocked = [
        Node(Label.DEMAND, "D1", {"status": "OPEN", "dueOn": "2026-10-09", "dueAgency": GAJ}),
        Node(Label.DEMAND, "D2", {"status": "RESPONDED", "dueOn": "2026-10-09", "dueAgency": GAJ}),
        Node(Label.QUALITY_ISSUE, "Q1", {"status": "FEEDBACK_GIVEN", "dueOn": "2026-10-13", "dueAgency": RC_SCJG}),
        Node(Label.APPLICATION, "A1", {"status": "PENDING_REVIEW", "dueOn": "2026-10-08", "dueAgency": SCJG}),
        Node(Label.APPLICATION, "A2", {"status": "APPROVED", "dueOn": "2026-10-08", "dueAgency": SCJG}),
    ]


    await sample.store.write(ChangeSet(upserts=clocked))
    today = date(2026, 10, 12)
    demands = await awaited(sample.store, Label.DEMAND, today)
    assert [(a.node.key, a.overdue, a.working_days_late) for a in demands] == [("D1", True, 2)]  # Sat 10, Mon 12
    assert await awaited(sample.store, Label.QUALITY_ISSUE, today, level="CITY") == []
    assert [a.node.key for a in await awaited(sample.store, Label.QUALITY_ISSUE, today, level="COUNTY")] == ["Q1"]
    summary = {c.label: (c.awaiting, c.overdue) for c in await overdue_summary(sample.store, today, "CITY")}
    assert summary == {Label.DEMAND: (1, 1), Label.QUALITY_ISSUE: (0, 0), Label.APPLICATION: (1, 1)}
