"""matchDemand and fileDemand through GraphQL, on every backend (供需匹配与需求登记契约).

R3: unconditional data is preferred and not-shared data never counts as coverage; R9: what
the catalog cannot cover is filed as demands due in 3 working days; R10: conditional data is
reviewed by the provider within 2 working days. Dates are Chinese working days.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.config import Settings
from sharing.clock import CHINA, FixedClock
from sharing.identity import Role
from tests.api import Api
from tests.conftest import _client
from tests.identities import issue
from tests.sample_catalog import DSJ, GAJ, SWJ

MATCH = """query($input: MatchDemandInput!) { matchDemand(input: $input) {
  requestDate itemCount coveredCount
  items { position original cleaned note covered
    chosen { field { name } resource { code } sharingType covering }
    candidates(first: 3) { field { name } resource { code } provider { name } sharingType
      services { code kind status } score reasons tier confident covering obtainable } }
  plan { resourceCount fieldCount expectedDate
    resources { resource { code name } provider { name } approvalPath reviewWorkingDays receivedDate
      expectedDate dateIsEstimate sharingCondition legalBasis
      fields { field { name } sharingType items } services { code kind status } }
    notShared { resource { code } approvalPath legalBasis expectedDate fields { field { name } items } } }
  uncovered { item reason likelyProvider { code name } likelyProviderBasis leads(first: 2) { field { name } } }
  ignored { text reason duplicateOf }
  warnings { year messageZh messageEn } } }"""

FILE = """mutation($input: FileDemandInput!) { fileDemand(input: $input) {
  demands { code status filedOn deadline deadlineIsEstimate requester { code } routedTo { code name }
    routingBasis scenario { code } scenarioName items { name note original } }
  match { coveredCount uncovered { item reason } }
  errors { code field message messageZh messageEn } } }"""

DEMANDS = "query($r: String) { demands(requester: $r) { totalCount edges { node { code } } } }"

TWENTY = """1、身份证号（申请人）；2、姓名；3、户籍地址
4. 统一社会信用代码、企业名称、法定代表人
5) 纳税信用等级；社保缴费基数；不动产权证号
公积金账号、出生医学证明编号、婚姻状况、学历
残疾人证号、低保金额、车牌号、电话
护照号码、宠物犬登记证号、戒毒类型
😀、姓名"""


async def match(api: Api, **input: Any) -> dict[str, Any]:
    data: dict[str, Any] = (await api.query(MATCH, {"input": input}))["matchDemand"]
    return data


async def test_a_twenty_item_demand_gets_a_plan_and_its_uncovered_items(demo_api: Api) -> None:
    result = await match(demo_api, text=TWENTY, requestDate="2026-09-30")
    assert result["itemCount"] == 20
    assert [(g["text"], g["reason"]) for g in result["ignored"]] == [("😀", "NO_TEXT"), ("姓名", "DUPLICATE")]
    first = result["items"][0]
    assert (first["cleaned"], first["note"]) == ("身份证号", "申请人")
    assert first["chosen"]["field"]["name"] == "公民身份号码"

    uncovered = {u["item"]: u for u in result["uncovered"]}
    assert set(uncovered) == {"护照号码", "宠物犬登记证号", "戒毒类型"}
    assert result["coveredCount"] == 17
    passport = uncovered["护照号码"]
    assert passport["reason"] == "NOT_IN_CATALOG"
    assert (passport["likelyProvider"]["name"], passport["likelyProviderBasis"]) == ("济宁市公安局", "AUTHORITY")
    drugs = uncovered["戒毒类型"]
    assert (drugs["reason"], drugs["likelyProviderBasis"]) == ("NOT_SHARED", "NOT_SHARED_RESOURCE")

    plan = result["plan"]
    codes = {r["resource"]["code"] for r in plan["resources"]}
    covered = [i for i in result["items"] if i["covered"]]
    assert all(i["chosen"]["covering"] and i["chosen"]["resource"]["code"] in codes for i in covered)
    answered = sorted(item for r in plan["resources"] for f in r["fields"] for item in f["items"])
    assert answered == sorted(i["cleaned"] for i in covered)
    assert plan["resourceCount"] == len(codes) < len(covered)  # fewer resources than items
    for resource in plan["resources"]:
        kinds = {f["sharingType"] for f in resource["fields"]}
        assert "NOT_SHARED" not in kinds  # never coverage
        if resource["approvalPath"] == "DIRECT":
            assert kinds == {"UNCONDITIONAL"} and resource["expectedDate"] == "2026-09-30"
        else:
            assert resource["approvalPath"] == "PROVIDER_REVIEW" and "CONDITIONAL" in kinds
            assert (resource["reviewWorkingDays"], resource["expectedDate"]) == (2, "2026-10-09")
            assert resource["sharingCondition"]
    assert plan["expectedDate"] == "2026-10-09"  # National Day 1–7 October is not counted
    (held,) = plan["notShared"]
    assert held["approvalPath"] == "NOT_SHARED" and held["expectedDate"] is None
    assert "戒毒条例" in held["legalBasis"] and held["fields"][0]["items"] == ["戒毒类型"]
    assert result["warnings"] == []


async def test_noise_is_shown_as_candidates_but_never_counts_as_coverage(demo_api: Api) -> None:
    result = await match(demo_api, items=["就业登记日期", "学位证书编号"], requestDate="2026-09-30")
    employment, degree = result["items"]
    assert employment["chosen"]["field"]["name"] == "就业登记日期"  # not 失业登记日期, one character off
    assert not degree["covered"]
    assert all(not c["covering"] for c in degree["candidates"])


async def test_r3_unconditional_data_is_preferred_and_obtained_directly(api: Api) -> None:
    result = await match(api, items=["统一社会信用代码", "纳税信用等级"], requestDate="2026-09-29")
    (resource,) = result["plan"]["resources"]
    assert resource["resource"]["code"] == "370800-SWJ-0001"
    assert (resource["approvalPath"], resource["expectedDate"]) == ("DIRECT", "2026-09-29")


async def test_r10_conditional_data_is_reviewed_within_two_working_days_across_national_day(api: Api) -> None:
    result = await match(api, text="统一社会信用代码、企业名称、法定代表人", requestDate="2026-10-01")
    (resource,) = result["plan"]["resources"]  # one resource covers all three
    assert resource["resource"]["code"] == "370800-SCJG-0001"
    assert resource["approvalPath"] == "PROVIDER_REVIEW"
    # 1 October is a holiday: received Thursday 8 October, then Friday 9 and working Saturday 10
    assert (resource["receivedDate"], resource["expectedDate"]) == ("2026-10-08", "2026-10-10")


async def test_the_requested_kind_of_service_comes_first(api: Api) -> None:
    result = await match(api, items=["统一社会信用代码", "企业名称", "法定代表人"],
                         serviceKind="INTERFACE_VERIFY", requestDate="2026-09-29")
    (resource,) = result["plan"]["resources"]
    assert resource["services"][0]["kind"] == "INTERFACE_VERIFY"


async def test_a_date_in_a_year_without_holidays_is_an_estimate(api: Api) -> None:
    result = await match(api, items=["企业名称"], requestDate="2099-06-01")
    (resource,) = result["plan"]["resources"]
    assert resource["dateIsEstimate"] is True
    assert result["warnings"][0]["year"] == 2099 and result["warnings"][0]["messageZh"]


# --------------------------------------------------------------------------- bad input


async def error(api: Api, **input: Any) -> dict[str, Any]:
    return await api.error(MATCH, {"input": input})


async def test_no_items_is_a_typed_error(api: Api) -> None:
    inputs: list[dict[str, Any]] = [{}, {"items": []}, {"items": ["", " "], "text": "\n"}]
    for input in inputs:
        assert (await error(api, **input))["extensions"]["code"] == "EMPTY_DEMAND"


async def test_hundreds_of_items_are_capped_with_a_clear_error(api: Api) -> None:
    many = [f"信息项{i}" for i in range(300)]
    listed = await error(api, items=many)
    assert listed["extensions"]["code"] == "TOO_MANY_ITEMS" and "200" in listed["extensions"]["messageZh"]
    written = await error(api, text="、".join(many))
    assert written["extensions"]["code"] == "TOO_MANY_ITEMS"


async def test_very_long_input_is_refused_not_cut(api: Api) -> None:
    item = await error(api, items=["身份证号", "号" * 101])
    assert (item["extensions"]["code"], item["extensions"]["field"]) == ("INPUT_TOO_LONG", "items[1]")
    text = await error(api, text="码" * 30_000)
    assert text["extensions"]["code"] == "INPUT_TOO_LONG"


async def test_emoji_and_punctuation_only_is_an_honest_empty_result(api: Api) -> None:
    result = await match(api, text="😀😀、！！？；……\n🙂")
    assert result["itemCount"] == 0 and result["items"] == [] and result["uncovered"] == []
    assert result["plan"]["resources"] == [] and result["plan"]["expectedDate"] is None
    assert {g["reason"] for g in result["ignored"]} == {"NO_TEXT"}


async def test_a_bad_date_or_unknown_requester_is_a_typed_error(api: Api) -> None:
    assert (await error(api, items=["姓名"], requestDate="2026-13-45"))["extensions"]["code"] == "INVALID_INPUT"
    unknown = await error(api, items=["姓名"], requester="NO-SUCH-AGENCY")
    assert unknown["extensions"]["code"] == "NOT_FOUND" and unknown["extensions"]["field"] == "requester"


# --------------------------------------------------------------------------- fileDemand (R9)


def justified(*names: str) -> list[dict[str, str]]:
    return [{"name": n, "justification": f"社会救助对象核查中比对{n}以确认申请人身份"} for n in names]


async def file(api: Api, settings: Settings, agency: str = DSJ, **input: Any) -> dict[str, Any]:
    bearer = await issue(settings, agency=agency, role=Role.AGENCY_STAFF, person="王芳")
    data: dict[str, Any] = (await api.as_bearer(bearer).query(FILE, {"input": input}))["fileDemand"]
    return data


async def test_r9_uncovered_items_are_filed_routed_and_due_in_three_working_days(
    sample_settings: Settings,
) -> None:
    clock = FixedClock(datetime(2026, 9, 29, 15, tzinfo=CHINA))  # Tuesday
    async for api in _client(sample_settings, clock=clock):
        result = await file(api, sample_settings, scenario="SC-370800-0002",
                            items=justified("统一社会信用代码", "护照号码（申请人）", "宠物犬登记证号"))
        assert result["errors"] == []
        routed, unrouted = result["demands"]
        assert routed["routedTo"]["code"] == GAJ and routed["routingBasis"] == "AUTHORITY"
        assert [(i["name"], i["note"]) for i in routed["items"]] == [("护照号码", "申请人")]
        assert unrouted["routedTo"] is None and [i["name"] for i in unrouted["items"]] == ["宠物犬登记证号"]
        for demand in (routed, unrouted):
            assert demand["status"] == "OPEN" and demand["requester"]["code"] == DSJ
            assert demand["scenario"]["code"] == "SC-370800-0002"
            # Tuesday 29 September: Wednesday 30, then Thursday 8 and Friday 9 October
            assert (demand["filedOn"], demand["deadline"]) == ("2026-09-29", "2026-10-09")
        listed = (await api.query(DEMANDS, {"r": DSJ}))["demands"]
        assert listed["totalCount"] == 2
        one = await api.query("query($c: String!) { demand(code: $c) { code routedTo { code } } }",
                              {"c": routed["code"]})
        assert one["demand"]["routedTo"]["code"] == GAJ


async def test_a_refused_filing_writes_nothing(api: Api, sample_settings: Settings) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"scenario": "SC-370800-0001", "items": justified("统一社会信用代码", "纳税信用等级")}, "NOTHING_TO_FILE"),
        ({"scenario": "SC-370800-0001", "items": justified(*[f"信息项{i}" for i in range(201)])}, "TOO_MANY_ITEMS"),
        ({"scenario": "SC-370800-0001", "items": justified("😀！")}, "NOTHING_TO_FILE"),
        ({"scenario": "SC-370800-0001", "items": []}, "EMPTY_DEMAND"),
        ({"scenario": "SC-370800-0001", "items": [{"name": "护照号码", "justification": ""}]},
         "JUSTIFICATION_REQUIRED"),
        ({"scenario": "SC-370800-0002", "items": justified("护照号码")}, "SCENARIO_NOT_OWNED"),
    ]
    for input, code in cases:
        result = await file(api, sample_settings, SWJ, **input)
        assert result["demands"] == [] and result["match"] is None
        (problem,) = result["errors"]
        assert problem["code"] == code and problem["messageZh"] and problem["messageEn"], input
    assert (await api.query(DEMANDS))["demands"]["totalCount"] == 0
