"""The change log and the cache's reading of it, on every backend (变更日志契约)."""

from __future__ import annotations

import pytest

from app.backends import Backends
from app.response_cache import CacheSettings, ResponseCache
from graph import change_log
from graph.model import ChangeSet, Label, Node, NodeRef, Rel


def agency(code: str, name: str) -> Node:
    return Node(Label.AGENCY, code, {"name": name, "level": "CITY"})


async def latest(b: Backends) -> change_log.LogEntry:
    (head,) = await b.store.get_nodes(Label.CHANGE_LOG, [change_log.HEAD_KEY])
    assert head is not None
    seq = int(head.get("seq"))
    page = await b.store.find_nodes(Label.CHANGE_LOG, after=change_log.entry_key(seq - 1), limit=1)
    return change_log.LogEntry.of(page.nodes[0])


async def test_each_write_logs_what_it_touched_in_order(backends: Backends) -> None:
    await backends.store.write(ChangeSet(upserts=[agency("A1", "甲"), agency("A2", "乙")]))
    first = await latest(backends)
    changes = ChangeSet(upserts=[Node(Label.AGENCY, "A3", {"name": "丙"})])
    changes.set_edges(NodeRef(Label.AGENCY, "A3"), Rel.SUPERVISED_BY, [NodeRef(Label.AGENCY, "A1")])
    await backends.store.write(changes)
    second = await latest(backends)
    assert second.seq == first.seq + 1 and second.uid != first.uid
    assert {"n:Agency:A1", "n:Agency:A2", "l:Agency"} <= first.tokens
    assert {"n:Agency:A3", "o:Agency:A3:SUPERVISED_BY", "i:Agency:A1:SUPERVISED_BY",
            "r:SUPERVISED_BY"} <= second.tokens
    assert "n:Agency:A1" not in second.tokens
    await backends.store.write(ChangeSet(deletes=[NodeRef(Label.AGENCY, "A3")]))
    assert {"n:Agency:A3", "r:SUPERVISED_BY", "r:PROVIDED_BY"} <= (await latest(backends)).tokens
    await backends.store.clear()
    cleared = await latest(backends)
    assert cleared.tokens == {change_log.ALL} and cleared.seq > second.seq


async def test_the_cache_drops_only_what_a_write_touched(backends: Backends) -> None:
    store = backends.store
    await store.write(ChangeSet(upserts=[agency("A1", "甲"), agency("A2", "乙")]))
    cache = ResponseCache(CacheSettings())
    assert await cache.lookup("one", store) is None
    assert cache.store("one", b"1", {"n:Agency:A1"}, cache.stamp)
    assert cache.store("two", b"2", {"n:Agency:A2"}, cache.stamp)
    await store.write(ChangeSet(upserts=[agency("A2", "乙二")]))
    assert await cache.lookup("one", store) == b"1"
    assert await cache.lookup("two", store) is None
    # an answer computed before a write it read was applied is not kept
    stamp = cache.stamp
    await store.write(ChangeSet(upserts=[agency("A1", "甲二")]))
    assert await cache.lookup("one", store) is None
    assert not cache.store("late", b"old", {"n:Agency:A1"}, stamp)
    assert cache.store("fine", b"ok", {"n:Agency:A2"}, stamp)
    await backends.writer.announce_search_change()
    assert await cache.lookup("fine", store) == b"ok"
    assert cache.store("found", b"s", {change_log.SEARCH}, cache.stamp)
    await backends.writer.announce_search_change()
    assert await cache.lookup("found", store) is None


async def test_a_reader_left_behind_by_the_retention_starts_afresh(
    backends: Backends, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(change_log, "RETAINED", 3)
    store = backends.store
    cache = ResponseCache(CacheSettings())
    await cache.lookup("x", store)
    assert cache.store("x", b"x", {"n:Agency:NONE"}, cache.stamp)
    for i in range(5):  # unrelated writes, more than the log keeps
        await store.write(ChangeSet(upserts=[agency(f"B{i}", "某")]))
    assert await cache.lookup("x", store) is None  # the entries it missed are gone: all dropped
    assert cache.store("x", b"x", {"n:Agency:NONE"}, cache.stamp)
    await store.write(ChangeSet(upserts=[agency("B9", "某")]))
    assert await cache.lookup("x", store) == b"x"
