"""Demands end to end through the API with real tokens (需求登记与应答), R9.

A consumer's staff files a demand for its own scenario, each item justified (minimum
necessary); what the catalog lacks is routed to the likely provider, due in 3 working days
counted from the day received across the 2026 National Day holiday and its adjusted working
Saturday (10 October). The routed provider accepts (cataloguing the resource with its answer)
or declines with reasons; the bureau routes what nobody seemed to hold and sees what is
unanswered and overdue. Every refused call leaves the store as it was.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import pytest

from app.config import Settings
from sharing.clock import CHINA
from sharing.identity import Role
from tests.workflow_world import CGJ, CITY_BUREAU, COUNTY_BUREAU, RSJ, XZSP, World, world_at

GAJ = "11370800004477877C"  # 济宁市公安局
SCENARIO = "SC-370800-0001"  # 企业开办“一件事”, of 济宁市行政审批服务局
DEMAND_FIELDS = """code status filedOn receivedOn dueOn deadline overdue purpose scenario { code }
  requester { code } routedTo { code } dueAgency { code } items { name justification }
  answer answeredOn answeredLate answerReasons answeredWith { code name provider { code } }
  warnings { year }"""
FILE = """mutation($input: FileDemandInput!) { fileDemand(input: $input) {
  demands { DEMAND } errors { code field messageZh messageEn } } }""".replace("DEMAND", DEMAND_FIELDS)
ANSWER = """mutation($input: AnswerDemandInput!) { answerDemand(input: $input) {
  demand { DEMAND } errors { code field messageZh messageEn } } }""".replace("DEMAND", DEMAND_FIELDS)
ROUTE = """mutation($c: String!, $a: String!) { routeDemand(code: $c, agency: $a) {
  demand { DEMAND } errors { code field messageZh messageEn } } }""".replace("DEMAND", DEMAND_FIELDS)
AWAITING = """query($a: String, $l: Level, $o: Boolean!) {
  demandsAwaitingAnswer(agency: $a, level: $l, overdue: $o, first: 100) {
  totalCount overdueCount demands { code overdue dueOn dueAgency { code } } } }"""
SUMMARY = """query($l: Level) { overdueSummary(level: $l) { kind awaiting overdue } }"""
ITEMS = [
    {"name": "统一社会信用代码", "justification": "核验申请企业的主体身份，用于企业开办一窗受理"},
    {"name": "护照号码", "justification": "外籍法定代表人办理企业开办时核验其身份证件"},
    {"name": "宠物犬登记证号", "justification": "宠物用品企业开办时核对经营者是否已办理犬只登记"},
]


@pytest.fixture
async def world(demo_settings: Settings) -> AsyncIterator[World]:
    async for w in world_at(demo_settings, datetime(2026, 9, 30, 10, tzinfo=CHINA)):  # Wednesday
        yield w


async def file(world: World, items: list[dict[str, str]] | None = None) -> dict[str | None, dict[str, Any]]:
    staff = await world.as_(XZSP, Role.AGENCY_STAFF)
    payload = await world.ok(staff, FILE, {"input": {"scenario": SCENARIO, "items": items or ITEMS,
                                                     "purpose": "企业开办一件事联办"}}, "fileDemand")
    by_route = {(d["routedTo"] or {}).get("code"): d for d in payload["demands"]}
    return by_route


async def awaiting(world: World, who: Any, **filters: Any) -> dict[str, Any]:
    variables = {"a": filters.get("agency"), "l": filters.get("level"), "o": filters.get("overdue", False)}
    data: dict[str, Any] = (await who.query(AWAITING, variables))["demandsAwaitingAnswer"]
    return data


async def test_minimum_necessary_every_item_is_justified_by_the_scenario(world: World) -> None:
    staff = await world.as_(XZSP, Role.AGENCY_STAFF)
    cases: list[tuple[dict[str, Any], str, str | None]] = [
        ({"scenario": SCENARIO, "items": [{"name": "护照号码", "justification": " "}]},
         "JUSTIFICATION_REQUIRED", "items[0].justification"),
        ({"scenario": SCENARIO, "items": [{"name": "护照号码", "justification": "护照号码"}]},
         "JUSTIFICATION_NOT_SPECIFIC", "items[0].justification"),
        ({"scenario": " ", "items": ITEMS}, "SCENARIO_REQUIRED", "scenario"),
        ({"scenario": "SC-370800-0010", "items": ITEMS}, "SCENARIO_NOT_OWNED", "scenario"),
        ({"scenario": SCENARIO, "items": []}, "EMPTY_DEMAND", "items"),
    ]
    for input, code, field in cases:
        error = await world.refused(staff, FILE, {"input": input}, "fileDemand")
        assert (error["code"], error["field"]) == (code, field), input
    both = [{"name": "护照号码", "justification": ""}, {"name": "姓名", "justification": "姓名"}]
    payload = (await staff.query(FILE, {"input": {"scenario": SCENARIO, "items": both}}))["fileDemand"]
    assert [e["code"] for e in payload["errors"]] == ["JUSTIFICATION_REQUIRED", "JUSTIFICATION_NOT_SPECIFIC"]
    # the requester is the caller's agency; planners and anonymous callers file nothing
    await world.forbidden(await world.as_(XZSP, Role.PLANNER), FILE, {"input": {"scenario": SCENARIO, "items": ITEMS}})
    await world.forbidden(world.api, FILE, {"input": {"scenario": SCENARIO, "items": ITEMS}})


async def test_a_demand_is_routed_answered_in_three_working_days_and_chased_when_late(world: World) -> None:
    demands = await file(world)
    routed, unrouted = demands[GAJ], demands[None]
    assert [i["name"] for i in routed["items"]] == ["护照号码"]
    assert routed["items"][0]["justification"] == ITEMS[1]["justification"]
    assert routed["requester"]["code"] == XZSP and routed["scenario"]["code"] == SCENARIO
    assert routed["purpose"] == "企业开办一件事联办" and routed["dueAgency"]["code"] == GAJ
    # Wednesday 30 September: 8 and 9 October, then the adjusted working Saturday 10 October
    assert (routed["receivedOn"], routed["dueOn"], routed["deadline"]) == ("2026-09-30", "2026-10-10", "2026-10-10")
    assert routed["warnings"] == [] and routed["overdue"] is False and routed["status"] == "OPEN"
    assert await world.audit(f"Demand:{routed['code']}") == ["demand.file"]

    # nobody seemed to hold the dog licence number: the city bureau must route it, on the same clock
    assert unrouted["dueAgency"]["code"] == CITY_BUREAU and unrouted["dueOn"] == "2026-10-10"
    bureau = await world.as_(CITY_BUREAU, Role.BUREAU_ADMIN)
    city = await awaiting(world, bureau, level="CITY")
    assert sorted(d["code"] for d in city["demands"]) == sorted([routed["code"], unrouted["code"]])
    assert (await awaiting(world, bureau, agency=GAJ))["totalCount"] == 1

    world.at(2026, 10, 10)  # the adjusted working Saturday: still on time
    assert (await awaiting(world, bureau, level="CITY", overdue=True))["totalCount"] == 0
    world.at(2026, 10, 12)  # Monday: late
    late = await awaiting(world, bureau, level="CITY", overdue=True)
    assert late["overdueCount"] == late["totalCount"] == 2 and all(d["overdue"] for d in late["demands"])
    assert [d["code"] for d in (await awaiting(world, bureau, agency=GAJ, overdue=True))["demands"]] == [
        routed["code"]]
    assert (await awaiting(world, bureau, level="COUNTY", overdue=True))["totalCount"] == 0
    police = await world.as_(GAJ, Role.AGENCY_STAFF)
    assert (await awaiting(world, police))["totalCount"] == 1  # an agency sees its own
    await world.forbidden(police, AWAITING, {"a": CGJ, "l": None, "o": False})
    summary = {c["kind"]: c for c in (await bureau.query(SUMMARY, {"l": "CITY"}))["overdueSummary"]}
    assert summary["DEMAND"] == {"kind": "DEMAND", "awaiting": 2, "overdue": 2}
    assert set(summary) == {"DEMAND", "QUALITY_ISSUE", "APPLICATION"}

    # who may answer: only the agency it is routed to
    answer = {"code": routed["code"], "declineReasons": "不掌握该数据"}
    for agency, role in [(CGJ, Role.AGENCY_STAFF), (GAJ, Role.PLANNER), (CITY_BUREAU, Role.BUREAU_ADMIN)]:
        await world.forbidden(await world.as_(agency, role), ANSWER, {"input": answer})
    await world.forbidden(world.api, ANSWER, {"input": answer})
    error = await world.refused(police, ANSWER, {"input": {"code": routed["code"], "declineReasons": "  "}},
                                "answerDemand")
    assert (error["code"], error["field"]) == ("REASONS_REQUIRED", "declineReasons")
    error = await world.refused(police, ANSWER, {"input": {**answer, "resource": "370800-SCJG-0001"}}, "answerDemand")
    assert error["code"] == "ANSWER_AMBIGUOUS"
    error = await world.refused(police, ANSWER, {"input": {"code": routed["code"], "resource": "370800-SCJG-0001"}},
                                "answerDemand")
    assert error["code"] == "WRONG_PROVIDER"
    bad_new = {"code": "370800-GAJ-9001", "name": "出入境证件信息", "provider": GAJ, "sharingType": "NOT_SHARED",
               "fields": [{"name": "护照号码"}]}
    error = await world.refused(police, ANSWER, {"input": {"code": routed["code"], "newResource": bad_new}},
                                "answerDemand")
    assert error["code"] == "LEGAL_BASIS_REQUIRED"

    # accepted, with the resource catalogued in the same write (late: due on the 10th)
    new = {**bad_new, "sharingType": "CONDITIONAL", "sharingCondition": "用于政务服务身份核验"}
    done = (await world.ok(police, ANSWER, {"input": {"code": routed["code"], "newResource": new}},
                           "answerDemand"))["demand"]
    assert (done["status"], done["answer"], done["answeredOn"], done["answeredLate"]) == (
        "RESPONDED", "ACCEPTED", "2026-10-12", True)
    assert done["answeredWith"] == {"code": "370800-GAJ-9001", "name": "出入境证件信息", "provider": {"code": GAJ}}
    assert done["overdue"] is False
    browsed = await world.api.query('{ resource(code: "370800-GAJ-9001") { fields { name } } }')
    assert browsed["resource"]["fields"] == [{"name": "护照号码"}]
    again = await world.refused(police, ANSWER, {"input": answer}, "answerDemand")
    assert again["code"] == "WRONG_STATE"
    assert await world.audit(f"Demand:{routed['code']}") == ["demand.answer", "demand.file"]
    assert "resource.create" in await world.audit("DataResource:370800-GAJ-9001")
    assert [d["code"] for d in (await awaiting(world, bureau, level="CITY"))["demands"]] == [unrouted["code"]]

    # the bureau routes the entry nobody seemed to hold; the provider's 3 days start that day
    error = await world.refused(await world.as_(CGJ, Role.AGENCY_STAFF), ANSWER,
                                {"input": {"code": unrouted["code"], "declineReasons": "非本单位职责"}}, "answerDemand")
    assert error["code"] == "NOT_ROUTED_HERE"
    await world.forbidden(await world.as_(COUNTY_BUREAU, Role.BUREAU_ADMIN), ROUTE, {"c": unrouted["code"], "a": CGJ})
    await world.forbidden(await world.as_(CGJ, Role.CHIEF_REPRESENTATIVE), ROUTE, {"c": unrouted["code"], "a": CGJ})
    sent = (await world.ok(bureau, ROUTE, {"c": unrouted["code"], "a": CGJ}, "routeDemand"))["demand"]
    assert (sent["routedTo"]["code"], sent["receivedOn"], sent["dueOn"]) == (CGJ, "2026-10-12", "2026-10-15")
    assert sent["dueAgency"]["code"] == CGJ and sent["overdue"] is False
    city_manager = await world.as_(CGJ, Role.CHIEF_REPRESENTATIVE)
    reasons = "犬只登记由公安机关负责，本局不掌握该数据"
    answer = {"code": unrouted["code"], "declineReasons": reasons}
    declined = (await world.ok(city_manager, ANSWER, {"input": answer}, "answerDemand"))["demand"]
    assert (declined["answer"], declined["answerReasons"], declined["answeredLate"]) == ("DECLINED", reasons, False)
    assert declined["answeredWith"] is None
    assert await world.audit(f"Demand:{unrouted['code']}") == ["demand.answer", "demand.file", "demand.route"]


async def test_a_demand_filed_on_a_holiday_is_received_on_the_next_working_day(world: World) -> None:
    world.at(2026, 10, 3)  # Saturday in the National Day holiday
    routed = (await file(world, ITEMS[1:2]))[GAJ]
    # received Thursday 8 October, then 9, the working Saturday 10 and Monday 12
    assert (routed["filedOn"], routed["receivedOn"], routed["dueOn"]) == ("2026-10-03", "2026-10-08", "2026-10-12")
    world.at(2026, 9, 20)  # Sunday 20 September 2026 is an adjusted working day
    routed = (await file(world, ITEMS[1:2]))[GAJ]
    assert (routed["receivedOn"], routed["dueOn"]) == ("2026-09-20", "2026-09-23")


async def test_a_deadline_in_a_year_no_calendar_covers_comes_with_a_warning(world: World) -> None:
    world.at(2031, 12, 30)
    routed = (await file(world, ITEMS[1:2]))[GAJ]
    assert {w["year"] for w in routed["warnings"]} >= {2031}
    staff = await world.as_(RSJ, Role.AGENCY_STAFF)
    assert (await awaiting(world, staff))["totalCount"] == 0
