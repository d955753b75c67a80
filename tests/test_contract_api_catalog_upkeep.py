"""Catalog upkeep end to end through the API with real tokens (目录维护), R3, R4, R6, R8.

A provider's staff catalogues, changes and retires a resource and its fields, and publishes,
changes and takes offline its services, on the demo catalog; each change reads at once in
browse, search and the provider's supply list, and is audited. Refusals (NOT_SHARED without a
legal basis, not aggregated without an explanation, a service field not of its resource, a
field still served) and a forbidden call per role leave the store exactly as it was.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import pytest

from app.config import Settings
from sharing.clock import CHINA
from sharing.identity import Role
from tests.workflow_world import CITY_BUREAU, COUNTY_BUREAU, RSJ, SCJG, World, world_at

CODE = "370800-SCJG-9001"
NAME = "共享单车停放秩序巡查记录"
RESOURCE_FIELDS = "resource { code name status retiredOn sharingType legalBasis aggregated notAggregatedReason " \
    "summary fields { name dataType description } services { code status kind fields { name } } }"
CREATE = """mutation($input: CreateResourceInput!) { createResource(input: $input) { BODY
  errors { code field messageZh messageEn } } }""".replace("BODY", RESOURCE_FIELDS)
UPDATE = """mutation($input: UpdateResourceInput!) { updateResource(input: $input) { BODY
  errors { code field messageZh messageEn } } }""".replace("BODY", RESOURCE_FIELDS)
RETIRE = """mutation($code: String!, $reason: String!) { retireResource(code: $code, reason: $reason) { BODY
  errors { code field messageZh messageEn } } }""".replace("BODY", RESOURCE_FIELDS)
ADD_FIELD = """mutation($r: String!, $f: FieldInput!) { addField(resource: $r, field: $f) {
  field { name dataType } resource { fields { name } } errors { code field messageZh messageEn } } }"""
UPDATE_FIELD = """mutation($input: UpdateFieldInput!) { updateField(input: $input) {
  field { name description dataType } errors { code field messageZh messageEn } } }"""
RETIRE_FIELD = """mutation($r: String!, $n: String!) { retireField(resource: $r, name: $n) {
  field { name } resource { fields { name } } errors { code field messageZh messageEn } } }"""
SERVICE_FIELDS = "service { code name kind status fields { name } resource { code } }"
PUBLISH = """mutation($input: PublishServiceInput!) { publishService(input: $input) { BODY
  errors { code field messageZh messageEn } } }""".replace("BODY", SERVICE_FIELDS)
CHANGE = """mutation($input: ChangeServiceInput!) { changeService(input: $input) { BODY
  errors { code field messageZh messageEn } } }""".replace("BODY", SERVICE_FIELDS)
OFFLINE = """mutation($code: String!, $reason: String!) { takeServiceOffline(code: $code, reason: $reason) { BODY
  errors { code field messageZh messageEn } } }""".replace("BODY", SERVICE_FIELDS)
BROWSE = """query($c: String!) { resource(code: $c) { code name status sharingType fields { name }
  services { code status } provider { code } } }"""
SEARCH = """query($q: String!) { search(query: $q, first: 10) { edges { node {
  entity { __typename ... on DataResource { code } ... on Field { name resource { code } } } } } } }"""
SUPPLY = """query($a: String!) { supplyList(agency: $a) { agency { code } level entryCount updatedOn
  entries { code } } }"""
SUPPLY_LEVEL = """query($l: Level!, $after: String) { supplyLists(level: $l, first: 100, after: $after) {
  lists { agency { code } entryCount } hasNextPage endCursor } }"""


def new_resource(**extra: Any) -> dict[str, Any]:
    return {
        "code": CODE, "name": NAME, "provider": SCJG, "sharingType": "CONDITIONAL",
        "summary": "城区共享单车停放秩序巡查结果", "sharingCondition": "用于城市管理执法",
        "updateCycle": "DAILY",
        "fields": [
            {"name": "巡查编号", "dataType": "STRING", "length": 32},
            {"name": "巡查日期", "dataType": "DATE"},
            {"name": "停放点位", "dataType": "STRING", "description": "停放点位名称"},
        ],
        **extra,
    }


@pytest.fixture
async def world(demo_settings: Settings) -> AsyncIterator[World]:
    async for w in world_at(demo_settings, datetime(2026, 9, 30, 10, tzinfo=CHINA)):
        yield w


async def search_hits(world: World, text: str) -> list[str]:
    data = await world.api.query(SEARCH, {"q": text})
    hits = []
    for edge in data["search"]["edges"]:
        entity = edge["node"]["entity"]
        hits.append(entity["code"] if entity["__typename"] == "DataResource" else
                    f"{entity['resource']['code']}#{entity['name']}")
    return hits


async def supply(world: World, agency: str = SCJG) -> list[str]:
    staff = await world.as_(agency, Role.PLANNER)
    data = (await staff.query(SUPPLY, {"a": agency}))["supplyList"]
    assert data["entryCount"] == len(data["entries"])
    return [e["code"] for e in data["entries"]]


async def test_a_provider_catalogues_changes_and_retires_a_resource_and_its_fields(world: World) -> None:
    staff = await world.as_(SCJG, Role.AGENCY_STAFF)
    assert CODE not in await supply(world)

    created = await world.ok(staff, CREATE, {"input": new_resource()}, "createResource")
    assert created["resource"]["status"] == "ACTIVE"
    assert [f["name"] for f in created["resource"]["fields"]] == ["巡查编号", "巡查日期", "停放点位"]
    browsed = (await world.api.query(BROWSE, {"c": CODE}))["resource"]
    assert browsed["name"] == NAME and browsed["provider"]["code"] == SCJG
    assert CODE in await search_hits(world, "共享单车停放巡查")
    assert f"{CODE}#停放点位" in await search_hits(world, "停放点位")
    listed = await supply(world)
    assert CODE in listed and listed == sorted(listed)

    updated = await world.ok(staff, UPDATE, {"input": {"code": CODE, "summary": "城区共享单车停放秩序日常巡查"}},
                             "updateResource")
    assert updated["resource"]["summary"] == "城区共享单车停放秩序日常巡查"
    assert updated["resource"]["sharingType"] == "CONDITIONAL"  # what was not given stays

    added = await world.ok(staff, ADD_FIELD, {"r": CODE, "f": {"name": "违停车辆数", "dataType": "INTEGER"}},
                           "addField")
    assert added["field"] == {"name": "违停车辆数", "dataType": "INTEGER"}
    changed = await world.ok(staff, UPDATE_FIELD, {"input": {"resource": CODE, "name": "违停车辆数",
                                                             "description": "当次巡查发现的违停车辆数"}}, "updateField")
    assert changed["field"]["description"] == "当次巡查发现的违停车辆数"
    assert f"{CODE}#违停车辆数" in await search_hits(world, "违停车辆数")
    retired_field = await world.ok(staff, RETIRE_FIELD, {"r": CODE, "n": "违停车辆数"}, "retireField")
    assert retired_field["field"] is None
    assert [f["name"] for f in retired_field["resource"]["fields"]] == ["巡查编号", "巡查日期", "停放点位"]
    assert f"{CODE}#违停车辆数" not in await search_hits(world, "违停车辆数")

    # NOT_SHARED with its legal basis: allowed, and it leaves the supply list (R3, R4)
    secret = await world.ok(staff, UPDATE, {"input": {"code": CODE, "sharingType": "NOT_SHARED",
                                                      "legalBasis": "《中华人民共和国个人信息保护法》第十三条"}},
                            "updateResource")
    assert secret["resource"]["sharingType"] == "NOT_SHARED"
    assert CODE not in await supply(world)
    await world.ok(staff, UPDATE, {"input": {"code": CODE, "sharingType": "CONDITIONAL"}}, "updateResource")
    assert CODE in await supply(world)

    world.at(2026, 10, 9)
    retired = await world.ok(staff, RETIRE, {"code": CODE, "reason": "并入新的巡查资源"}, "retireResource")
    assert retired["resource"]["status"] == "RETIRED" and retired["resource"]["retiredOn"] == "2026-10-09"
    assert (await world.api.query(BROWSE, {"c": CODE}))["resource"]["status"] == "RETIRED"
    assert CODE not in await supply(world)
    # search no longer offers it, nor its fields; it is still there by code
    assert CODE not in await search_hits(world, "共享单车停放巡查")
    assert f"{CODE}#停放点位" not in await search_hits(world, "停放点位")
    error = await world.refused(staff, UPDATE, {"input": {"code": CODE, "name": "新名称"}}, "updateResource")
    assert error["code"] == "RETIRED"

    # created; summary, NOT_SHARED and back; retired. Field steps that leave the resource's own
    # properties as they were (changedOn already that day) audit only the field.
    assert await world.audit(f"DataResource:{CODE}") == ["resource.create", "resource.retire"] + ["resource.update"] * 3
    assert await world.audit(f"Field:{CODE}#违停车辆数") == ["field.create", "field.retire", "field.update"]
    assert "supplyList.update" in await world.audit(f"SupplyList:SL-{SCJG}")


async def test_not_shared_or_not_aggregated_without_a_legal_basis_is_refused(world: World) -> None:
    staff = await world.as_(SCJG, Role.AGENCY_STAFF)
    error = await world.refused(staff, CREATE, {"input": new_resource(sharingType="NOT_SHARED")}, "createResource")
    assert (error["code"], error["field"]) == ("LEGAL_BASIS_REQUIRED", "legalBasis")
    error = await world.refused(staff, CREATE, {"input": new_resource(aggregated=False)}, "createResource")
    assert (error["code"], error["field"]) == ("NOT_AGGREGATED_REASON_REQUIRED", "notAggregatedReason")
    error = await world.refused(staff, CREATE, {"input": new_resource(sharingType="NOT_SHARED", legalBasis="  ")},
                                "createResource")
    assert error["code"] == "LEGAL_BASIS_REQUIRED"
    # the import rules, reused: a duplicate field name, a code with spaces, an unknown provider
    twice = new_resource(fields=[{"name": "巡查编号"}, {"name": "巡查编号"}])
    assert (await world.refused(staff, CREATE, {"input": twice}, "createResource"))["code"] == "DUPLICATE_CODE"
    error = await world.refused(staff, CREATE, {"input": new_resource(code="370800 SCJG 9001")}, "createResource")
    assert error["code"] == "BAD_CODE"
    await world.ok(staff, CREATE, {"input": new_resource()}, "createResource")
    again = await world.refused(staff, CREATE, {"input": new_resource()}, "createResource")
    assert (again["code"], again["field"]) == ("DUPLICATE_CODE", "code")
    error = await world.refused(staff, UPDATE, {"input": {"code": CODE, "sharingType": "NOT_SHARED"}},
                                "updateResource")
    assert (error["code"], error["field"]) == ("LEGAL_BASIS_REQUIRED", "legalBasis")
    error = await world.refused(staff, UPDATE, {"input": {"code": CODE, "aggregated": False}}, "updateResource")
    assert error["code"] == "NOT_AGGREGATED_REASON_REQUIRED"
    explained = await world.ok(staff, UPDATE, {"input": {
        "code": CODE, "aggregated": False,
        "notAggregatedReason": "依据《济宁市公共数据管理办法》第二十条，涉及执法过程数据暂不汇聚，已书面说明"}},
        "updateResource")
    assert explained["resource"]["aggregated"] is False


async def test_services_are_published_changed_and_taken_offline_on_their_resource(world: World) -> None:
    staff = await world.as_(SCJG, Role.AGENCY_STAFF)
    await world.ok(staff, CREATE, {"input": new_resource()}, "createResource")
    service = {"resource": CODE, "code": f"{CODE}-S01", "name": "巡查记录查询", "kind": "INTERFACE_QUERY",
               "fields": ["巡查编号", "停放点位"]}
    error = await world.refused(staff, PUBLISH, {"input": {**service, "fields": ["巡查编号", "车主姓名"]}},
                                "publishService")
    assert error["code"] == "UNKNOWN_REFERENCE" and "车主姓名" in error["messageZh"]
    error = await world.refused(staff, PUBLISH, {"input": {**service, "fields": []}}, "publishService")
    assert error["code"] == "NO_FIELDS"

    published = (await world.ok(staff, PUBLISH, {"input": service}, "publishService"))["service"]
    assert published["status"] == "PUBLISHED" and published["resource"]["code"] == CODE
    assert [f["name"] for f in published["fields"]] == ["巡查编号", "停放点位"]
    browsed = (await world.api.query(BROWSE, {"c": CODE}))["resource"]
    assert browsed["services"] == [{"code": f"{CODE}-S01", "status": "PUBLISHED"}]
    taken = await world.refused(staff, PUBLISH, {"input": {**service, "code": "370800-SCJG-0001-S01"}},
                                "publishService")
    assert taken["code"] == "DUPLICATE_CODE"

    error = await world.refused(staff, CHANGE, {"input": {"code": f"{CODE}-S01", "fields": ["巡查编号", "不存在"]}},
                                "changeService")
    assert error["code"] == "UNKNOWN_REFERENCE"
    change = {"code": f"{CODE}-S01", "kind": "INTERFACE_VERIFY", "fields": ["巡查编号", "巡查日期"]}
    changed = (await world.ok(staff, CHANGE, {"input": change}, "changeService"))["service"]
    assert changed["status"] == "CHANGED" and changed["kind"] == "INTERFACE_VERIFY"
    assert [f["name"] for f in changed["fields"]] == ["巡查编号", "巡查日期"]

    error = await world.refused(staff, RETIRE_FIELD, {"r": CODE, "n": "巡查日期"}, "retireField")
    assert error["code"] == "FIELD_IN_USE"
    error = await world.refused(staff, OFFLINE, {"code": f"{CODE}-S01", "reason": " "}, "takeServiceOffline")
    assert (error["code"], error["field"]) == ("REQUIRED", "reason")
    offline = (await world.ok(staff, OFFLINE, {"code": f"{CODE}-S01", "reason": "接口升级"}, "takeServiceOffline"))
    assert offline["service"]["status"] == "OFFLINE"
    again = await world.refused(staff, OFFLINE, {"code": f"{CODE}-S01", "reason": "接口升级"}, "takeServiceOffline")
    assert again["code"] == "WRONG_STATE"
    # once no online service exposes it, the field can go
    await world.ok(staff, RETIRE_FIELD, {"r": CODE, "n": "巡查日期"}, "retireField")
    audited = await world.audit(f"DataService:{CODE}-S01")
    assert audited == ["service.change", "service.offline", "service.publish"]


async def test_who_may_maintain_a_providers_entries(world: World) -> None:
    """A forbidden call per role: another agency's staff, a chief representative of another
    agency, a bureau of another level, a planner, anonymous; the city bureau may."""
    owner = await world.as_(SCJG, Role.AGENCY_STAFF)
    await world.ok(owner, CREATE, {"input": new_resource()}, "createResource")
    change = {"input": {"code": CODE, "summary": "越权修改"}}
    for agency, role in [(RSJ, Role.AGENCY_STAFF), (RSJ, Role.CHIEF_REPRESENTATIVE),
                         (COUNTY_BUREAU, Role.BUREAU_ADMIN), (SCJG, Role.PLANNER)]:
        error = await world.forbidden(await world.as_(agency, role), UPDATE, change)
        assert "AGENCY_STAFF" in error["extensions"]["requiredRoles"], (agency, role)
    await world.forbidden(world.api, UPDATE, change)
    await world.forbidden(await world.as_(RSJ, Role.AGENCY_STAFF), CREATE,
                          {"input": new_resource(code="370800-SCJG-9002")})
    await world.forbidden(await world.as_(SCJG, Role.PLANNER), RETIRE, {"code": CODE, "reason": "x"})
    bureau = await world.as_(CITY_BUREAU, Role.BUREAU_ADMIN)
    done = await world.ok(bureau, UPDATE, {"input": {"code": CODE, "summary": "市大数据局校核"}}, "updateResource")
    assert done["resource"]["summary"] == "市大数据局校核"
    chief = await world.as_(SCJG, Role.CHIEF_REPRESENTATIVE)
    await world.ok(chief, UPDATE, {"input": {"code": CODE, "summary": "首席代表确认"}}, "updateResource")
    # anonymous callers do not read supply lists
    await world.forbidden(world.api, SUPPLY, {"a": SCJG})


async def test_supply_lists_per_level(world: World) -> None:
    planner = await world.as_(SCJG, Role.PLANNER)
    codes: list[str] = []
    after = None
    while True:
        page = (await planner.query(SUPPLY_LEVEL, {"l": "CITY", "after": after}))["supplyLists"]
        codes += [x["agency"]["code"] for x in page["lists"]]
        if not page["hasNextPage"]:
            break
        after = page["endCursor"]
    assert SCJG in codes and CITY_BUREAU in codes and COUNTY_BUREAU not in codes
    assert codes == sorted(codes)
