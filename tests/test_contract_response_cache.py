"""The response cache on every backend (响应缓存契约): hits, precise invalidation, bypasses.

Writes come from outside the app under test (another `open_backends` on the same settings,
as `catalog load` or a second server worker would), so every invalidation here travels
through the change log in the graph, the way it does between processes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from app.backends import open_backends
from app.config import Settings
from app.web import create_app
from graph.model import ChangeSet, Direction, Label, Node, NodeRef, Rel
from sharing.identity import Role
from tests.identities import issue
from tests.sample_catalog import DSJ, SCJG

BROWSE = """query Browse($first: Int) { resources(first: $first) { totalCount edges { node {
    code name provider { code name } fields { name description } services { code kind } } } } }"""
ONE = """query One($code: String!) { resource(code: $code) { code name fields { name description } } }"""
AGENCIES = "{ agencies(first: 10) { totalCount edges { node { code name } } } }"
SEARCH = """query($q: String!) { search(query: $q, types: [FIELD], first: 3) { totalCount degraded
    edges { node { entity { ... on Field { name } } } } } }"""


@asynccontextmanager
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """One app instance (a server worker of its own) over `settings`."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 123))
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
            yield c


async def ask(c: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None,
              headers: dict[str, str] | None = None) -> tuple[str, dict[str, Any]]:
    response = await c.post("/graphql", json={"query": query, "variables": variables},
                            headers=headers or {})
    assert response.status_code == 200, response.text
    return response.headers.get("x-catalog-cache", ""), response.json()


async def change_field_description(settings: Settings, resource: str, text: str) -> str:
    """Rewrite the first field of `resource` through the catalog writer of another process."""
    async with open_backends(settings) as b:
        ((field, *_),) = await b.store.neighbors(Label.RESOURCE, [resource], Rel.HAS_FIELD,
                                                 Direction.OUT)
        changed = Node(field.label, field.key, {**field.props, "description": text})
        await b.writer.apply(ChangeSet(upserts=[changed]))
        return str(field.get("name"))


async def test_a_repeated_browse_page_is_served_from_the_cache(sample_settings: Settings) -> None:
    async with client(sample_settings) as c:
        first = await ask(c, BROWSE, {"first": 50})
        again = await ask(c, BROWSE, {"first": 50})
        # the same document laid out differently is the same entry
        spaced = await ask(c, "# browse\n" + BROWSE.replace(" ", "  "), {"first": 50})
        other = await ask(c, BROWSE, {"first": 2})
    assert first[0] == "miss" and again[0] == "hit" and spaced[0] == "hit"
    assert again[1] == first[1] == spaced[1] and not first[1].get("errors")
    assert first[1]["data"]["resources"]["totalCount"] == 7
    assert other[0] == "miss" and len(other[1]["data"]["resources"]["edges"]) == 2


async def test_a_write_drops_exactly_the_answers_that_read_what_it_changed(
    sample_settings: Settings,
) -> None:
    changed_resource, other_resource = "370800-SCJG-0001", "370800-GAJ-0001"
    async with client(sample_settings) as c:
        for q, v in ((BROWSE, {"first": 50}), (ONE, {"code": changed_resource}),
                     (ONE, {"code": other_resource}), (AGENCIES, None)):
            assert (await ask(c, q, v))[0] == "miss"
            assert (await ask(c, q, v))[0] == "hit"
        name = await change_field_description(sample_settings, changed_resource, "已更新的说明")

        state, body = await ask(c, ONE, {"code": changed_resource})
        assert state == "miss"
        field = next(f for f in body["data"]["resource"]["fields"] if f["name"] == name)
        assert field["description"] == "已更新的说明"
        state, body = await ask(c, BROWSE, {"first": 50})
        assert state == "miss"
        node = next(e["node"] for e in body["data"]["resources"]["edges"]
                    if e["node"]["code"] == changed_resource)
        assert any(f["description"] == "已更新的说明" for f in node["fields"])
        # answers that did not read the changed field stay
        assert (await ask(c, ONE, {"code": other_resource}))[0] == "hit"
        assert (await ask(c, AGENCIES))[0] == "hit"
        assert (await ask(c, ONE, {"code": changed_resource}))[0] == "hit"
        health = (await c.get("/healthz")).json()["responseCache"]
    assert health["invalidated"] >= 2 and health["hits"] >= 6 and health["entries"] >= 4


async def test_two_workers_over_one_store_see_each_others_writes(sample_settings: Settings) -> None:
    code = "370800-SCJG-0001"
    async with client(sample_settings) as one, client(sample_settings) as two:
        for worker in (one, two):
            await ask(worker, ONE, {"code": code})
            assert (await ask(worker, ONE, {"code": code}))[0] == "hit"
        await change_field_description(sample_settings, code, "第一次修改")
        for worker in (one, two):
            state, body = await ask(worker, ONE, {"code": code})
            assert state == "miss"
            assert body["data"]["resource"]["fields"][0]["description"] == "第一次修改"
        await change_field_description(sample_settings, code, "第二次修改")
        state, body = await ask(two, ONE, {"code": code})
        assert state == "miss" and body["data"]["resource"]["fields"][0]["description"] == "第二次修改"


async def test_a_new_edge_reaches_a_cached_lineage(sample_settings: Settings) -> None:
    lineage = """query($id: ID!) { lineage(id: $id, direction: DOWNSTREAM, depth: 2) {
        nodes { id } } }"""
    code = "370800-SWJ-0001"
    async with client(sample_settings) as c:
        before = await ask(c, lineage, {"id": code})
        assert (await ask(c, lineage, {"id": code}))[0] == "hit"
        async with open_backends(sample_settings) as b:
            project = Node(Label.PROJECT, "PRJ-CACHE-1", {"name": "缓存测试项目", "ownerCode": SCJG,
                                                          "stage": "BUILDING"})
            changes = ChangeSet(upserts=[project])
            changes.set_edges(project.ref, Rel.DEPENDS_ON, [NodeRef(Label.RESOURCE, code)])
            await b.writer.apply(changes)
        state, after = await ask(c, lineage, {"id": code})
    assert state == "miss"
    ids_before = {n["id"] for n in before[1]["data"]["lineage"]["nodes"]}
    ids_after = {n["id"] for n in after["data"]["lineage"]["nodes"]}
    assert len(ids_after) == len(ids_before) + 1


async def test_search_answers_follow_synonym_edits_and_index_changes(
    sample_settings: Settings,
) -> None:
    token = await issue(sample_settings, agency=DSJ, role=Role.BUREAU_ADMIN, person="管理员")
    update = """mutation($input: UpdateSynonymsInput!) { updateSynonyms(input: $input) {
        errors { code } } }"""
    async with client(sample_settings) as c, client(sample_settings) as other:
        before = await ask(c, SEARCH, {"q": "纳税编码"})
        assert (await ask(c, SEARCH, {"q": "纳税编码"}))[0] == "hit"
        await ask(other, SEARCH, {"q": "纳税编码"})
        state, body = await ask(c, update, {"input": {"add": [
            {"canonical": "纳税人识别号", "variants": ["纳税编码"]}]}},
            headers={"Authorization": f"Bearer {token}"})
        assert state == "bypass" and body["data"]["updateSynonyms"]["errors"] == []
        state, after = await ask(c, SEARCH, {"q": "纳税编码"})
        assert state == "miss" and after != before[1]
        assert (await ask(other, SEARCH, {"q": "纳税编码"}))[0] == "miss"


async def test_degraded_search_and_clock_reads_are_not_kept(sample_settings: Settings) -> None:
    match = """{ matchDemand(input: { text: "统一社会信用代码、企业名称" }) {
        items { cleaned covered } plan { resources { expectedDate } } } }"""
    async with client(sample_settings) as c:
        assert [(await ask(c, match))[0] for _ in range(2)] == ["miss", "miss"]
        async with open_backends(sample_settings) as b:  # a queued index update
            await b.store.write(ChangeSet(upserts=[Node(Label.INDEX_OUTBOX, "cache-test", {"ids": []})]))
        states = []
        for _ in range(2):
            state, body = await ask(c, SEARCH, {"q": "信用代码"})
            assert body["data"]["search"]["degraded"] is True
            states.append(state)
        assert states == ["miss", "miss"]
        health = (await c.get("/healthz")).json()["responseCache"]
    assert health["notStored"] >= 4


async def test_mutations_and_signed_in_callers_pass_by(sample_settings: Settings) -> None:
    token = await issue(sample_settings, agency=SCJG, role=Role.PLANNER, person="规划员")
    signed = {"Authorization": f"Bearer {token}"}
    async with client(sample_settings) as c:
        await ask(c, ONE, {"code": "370800-SCJG-0001"})
        for _ in range(2):
            state, body = await ask(c, ONE, {"code": "370800-SCJG-0001"}, signed)
            assert state == "bypass" and body["data"]["resource"]["code"] == "370800-SCJG-0001"
        state, _ = await ask(c, "mutation { updateSynonyms(input: {}) { errors { code } } }")
        assert state == "bypass"
        health = (await c.get("/healthz")).json()["responseCache"]
    assert health["bypassReasons"]["authenticated"] == 2 and health["bypassReasons"]["mutation"] == 1


async def test_the_cache_can_be_switched_off(
    sample_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CATALOG_RESPONSE_CACHE", "0")
    async with client(sample_settings) as c:
        states = [(await ask(c, AGENCIES))[0] for _ in range(2)]
        health = (await c.get("/healthz")).json()["responseCache"]
    assert states == ["bypass", "bypass"] and health["enabled"] is False
