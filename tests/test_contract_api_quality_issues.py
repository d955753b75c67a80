"""Data-quality issues end to end through the API with real tokens (数据问题), R7.

The big-data bureau of the provider's level reports a problem on a resource or one of its
fields; the provider gives feedback within 2 working days and completes verification within 5,
both counted from the day the report is received (the next working day after a holiday), across
the 2026 National Day holiday and its adjusted working Saturday. Overdue views per agency and
level; a forbidden call per role; every refused call leaves the store as it was.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import pytest

from app.config import Settings
from graph.model import Label, NodeRef
from schema.node import to_global_id
from sharing.clock import CHINA
from sharing.identity import Role
from tests.workflow_world import CITY_BUREAU, COUNTY_BUREAU, RSJ, SCJG, World, world_at

RESOURCE = "370800-SCJG-0001"  # 企业登记信息, of 济宁市市场监督管理局
ISSUE_FIELDS = """code status description fieldName field { name } resource { code } reportedOn receivedOn
  feedbackDueOn verificationDueOn dueOn dueAgency { code } overdue feedbackOverdue verificationOverdue
  feedback feedbackOn feedbackLate outcome verificationResult verifiedOn verificationLate warnings { year }"""
REPORT = """mutation($input: ReportQualityIssueInput!) { reportQualityIssue(input: $input) {
  issue { ISSUE } errors { code field messageZh messageEn } } }""".replace("ISSUE", ISSUE_FIELDS)
FEEDBACK = """mutation($c: String!, $f: String!) { giveQualityFeedback(code: $c, feedback: $f) {
  issue { ISSUE } errors { code field messageZh messageEn } } }""".replace("ISSUE", ISSUE_FIELDS)
VERIFY = """mutation($c: String!, $o: VerificationOutcome!, $r: String!) {
  completeQualityVerification(code: $c, outcome: $o, result: $r) {
  issue { ISSUE } errors { code field messageZh messageEn } } }""".replace("ISSUE", ISSUE_FIELDS)
WITHDRAW = """mutation($c: String!, $r: String!) { withdrawQualityIssue(code: $c, reason: $r) {
  issue { code status } errors { code field messageZh messageEn } } }"""
LIST = """query($a: String, $l: Level, $s: QualityIssueStatus, $o: Boolean!) {
  qualityIssues(agency: $a, level: $l, status: $s, overdue: $o) {
  totalCount overdueCount issues { code status overdue feedbackOverdue verificationOverdue } } }"""
ACCEPTANCE_CHECK = """query($c: String!) { qualityIssue(code: $c) { code status resource { code } } }"""


@pytest.fixture
async def world(demo_settings: Settings) -> AsyncIterator[World]:
    async for w in world_at(demo_settings, datetime(2026, 9, 30, 9, tzinfo=CHINA)):  # Wednesday
        yield w


async def issues(who: Any, **filters: Any) -> dict[str, Any]:
    variables = {"a": filters.get("agency"), "l": filters.get("level"), "s": filters.get("status"),
                 "o": filters.get("overdue", False)}
    data: dict[str, Any] = (await who.query(LIST, variables))["qualityIssues"]
    return data


async def test_a_reported_problem_is_fed_back_in_two_and_verified_in_five_working_days(world: World) -> None:
    bureau = await world.as_(CITY_BUREAU, Role.BUREAU_ADMIN)
    report = {"resource": RESOURCE, "field": "企业类型", "description": "部分企业类型取值不在国家标准代码表内"}
    issue = (await world.ok(bureau, REPORT, {"input": report}, "reportQualityIssue"))["issue"]
    assert (issue["status"], issue["fieldName"], issue["field"], issue["resource"]) == (
        "REPORTED", "企业类型", {"name": "企业类型"}, {"code": RESOURCE})
    # received Wednesday 30 September; feedback: 8, 9 October; verification: 8, 9, 10 (Sat), 12, 13
    assert (issue["receivedOn"], issue["feedbackDueOn"], issue["verificationDueOn"], issue["dueOn"]) == (
        "2026-09-30", "2026-10-09", "2026-10-13", "2026-10-09")
    assert issue["dueAgency"] == {"code": SCJG} and issue["warnings"] == []
    code = issue["code"]
    staff = await world.as_(SCJG, Role.AGENCY_STAFF)
    assert [i["code"] for i in (await issues(staff))["issues"]] == [code]

    error = await world.refused(staff, VERIFY, {"c": code, "o": "FIXED", "r": "已整改"}, "completeQualityVerification")
    assert error["code"] == "WRONG_STATE"  # verification needs feedback first
    error = await world.refused(staff, FEEDBACK, {"c": code, "f": "  "}, "giveQualityFeedback")
    assert (error["code"], error["field"]) == ("REQUIRED", "feedback")

    world.at(2026, 10, 12)  # Monday: the feedback (due Friday 9 October) is late
    late = await issues(bureau, level="CITY", overdue=True)
    assert [i["code"] for i in late["issues"]] == [code] and late["issues"][0]["feedbackOverdue"] is True
    assert late["issues"][0]["verificationOverdue"] is False
    assert (await issues(bureau, agency=SCJG, overdue=True))["overdueCount"] == 1
    assert (await issues(bureau, level="COUNTY", overdue=True))["totalCount"] == 0
    summary = {c["kind"]: c for c in (await bureau.query("{ overdueSummary { kind awaiting overdue } }"))[
        "overdueSummary"]}
    assert summary["QUALITY_ISSUE"] == {"kind": "QUALITY_ISSUE", "awaiting": 1, "overdue": 1}

    fed = (await world.ok(staff, FEEDBACK, {"c": code, "f": "已确认，正在按国标代码表清洗"}, "giveQualityFeedback"))
    fed = fed["issue"]
    assert (fed["status"], fed["feedbackOn"], fed["feedbackLate"], fed["dueOn"], fed["overdue"]) == (
        "FEEDBACK_GIVEN", "2026-10-12", True, "2026-10-13", False)
    again = await world.refused(staff, FEEDBACK, {"c": code, "f": "再次反馈"}, "giveQualityFeedback")
    assert again["code"] == "WRONG_STATE"
    world.at(2026, 10, 13)  # the last day of verification: not yet late
    assert (await issues(bureau, overdue=True))["totalCount"] == 0
    world.at(2026, 10, 14)
    late = await issues(bureau, overdue=True)
    assert late["issues"][0]["verificationOverdue"] is True and late["issues"][0]["feedbackOverdue"] is False

    chief = await world.as_(SCJG, Role.CHIEF_REPRESENTATIVE)
    done = (await world.ok(chief, VERIFY, {"c": code, "o": "FIXED", "r": "已按国标代码表清洗 132 条记录"},
                           "completeQualityVerification"))["issue"]
    assert (done["status"], done["outcome"], done["verifiedOn"], done["verificationLate"], done["overdue"]) == (
        "VERIFIED", "FIXED", "2026-10-14", True, False)
    assert (await issues(bureau))["totalCount"] == 0
    assert [i["code"] for i in (await issues(bureau, status="VERIFIED"))["issues"]] == [code]
    assert await world.audit(f"QualityIssue:{code}") == [
        "qualityIssue.feedback", "qualityIssue.report", "qualityIssue.verify"]
    found = (await staff.query(ACCEPTANCE_CHECK, {"c": code}))["qualityIssue"]
    assert found == {"code": code, "status": "VERIFIED", "resource": {"code": RESOURCE}}


async def test_a_report_on_a_holiday_starts_both_clocks_on_the_next_working_day(world: World) -> None:
    world.at(2026, 10, 2)  # Friday in the National Day holiday
    bureau = await world.as_(CITY_BUREAU, Role.BUREAU_ADMIN)
    issue = (await world.ok(bureau, REPORT, {"input": {"resource": RESOURCE, "description": "更新不及时"}},
                            "reportQualityIssue"))["issue"]
    # received Thursday 8 October; feedback: 9, 10 (the working Saturday); verification: 9, 10, 12, 13, 14
    assert (issue["reportedOn"], issue["receivedOn"], issue["feedbackDueOn"], issue["verificationDueOn"]) == (
        "2026-10-02", "2026-10-08", "2026-10-10", "2026-10-14")
    assert issue["fieldName"] is None
    world.at(2030, 12, 27)
    issue = (await world.ok(bureau, REPORT, {"input": {"resource": RESOURCE, "description": "年末核查"}},
                            "reportQualityIssue"))["issue"]
    assert {w["year"] for w in issue["warnings"]} >= {2030, 2031}
    withdrawn = await world.ok(bureau, WITHDRAW, {"c": issue["code"], "r": "重复报告"}, "withdrawQualityIssue")
    assert withdrawn["issue"]["status"] == "WITHDRAWN"


async def test_who_may_report_answer_and_read_quality_issues(world: World) -> None:
    bureau = await world.as_(CITY_BUREAU, Role.BUREAU_ADMIN)
    report = {"input": {"resource": RESOURCE, "description": "统一社会信用代码校验位错误"}}
    for agency, role in [(COUNTY_BUREAU, Role.BUREAU_ADMIN), (SCJG, Role.AGENCY_STAFF),
                         (SCJG, Role.CHIEF_REPRESENTATIVE), (SCJG, Role.PLANNER)]:
        await world.forbidden(await world.as_(agency, role), REPORT, report)
    await world.forbidden(world.api, REPORT, report)
    error = await world.refused(bureau, REPORT, {"input": {"resource": RESOURCE, "field": "不存在的项",
                                                           "description": "x"}}, "reportQualityIssue")
    assert (error["code"], error["field"]) == ("NOT_FOUND", "field")
    error = await world.refused(bureau, REPORT, {"input": {"resource": RESOURCE, "description": " "}},
                                "reportQualityIssue")
    assert (error["code"], error["field"]) == ("REQUIRED", "description")
    code = (await world.ok(bureau, REPORT, report, "reportQualityIssue"))["issue"]["code"]
    feedback = {"c": code, "f": "收到"}
    for agency, role in [(RSJ, Role.AGENCY_STAFF), (RSJ, Role.CHIEF_REPRESENTATIVE), (SCJG, Role.PLANNER),
                         (CITY_BUREAU, Role.BUREAU_ADMIN)]:
        await world.forbidden(await world.as_(agency, role), FEEDBACK, feedback)
    await world.forbidden(await world.as_(RSJ, Role.AGENCY_STAFF), ACCEPTANCE_CHECK, {"c": code})
    # by its global id, under the same rules
    node_id = to_global_id(NodeRef(Label.QUALITY_ISSUE, code))
    by_id = "query($id: ID!) { node(id: $id) { id ... on QualityIssue { code status } } }"
    provider = await world.as_(SCJG, Role.AGENCY_STAFF)
    assert (await provider.query(by_id, {"id": node_id}))["node"] == {"id": node_id, "code": code,
                                                                       "status": "REPORTED"}
    await world.forbidden(await world.as_(RSJ, Role.AGENCY_STAFF), by_id, {"id": node_id})
    await world.forbidden(world.api, by_id, {"id": node_id})
    await world.forbidden(await world.as_(SCJG, Role.AGENCY_STAFF), WITHDRAW, {"c": code, "r": "x"})
    await world.forbidden(world.api, LIST, {"a": None, "l": None, "s": None, "o": False})
    planner = await world.as_(RSJ, Role.PLANNER)
    assert (await issues(planner, agency=SCJG))["totalCount"] == 1
