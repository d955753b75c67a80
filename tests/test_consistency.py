"""The graph is the source of truth; the index catches up after an outage (一致性).

A write lands in the graph first. If the index cannot take it, the graph write stands, the
documents are queued durably (an outbox in the graph), search reports degraded, and the
catch-up brings the index level with the graph, item for item.
"""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Sequence
from pathlib import Path

import pytest

from app.backends import Backends, open_backends
from graph.model import Label, NodeRef
from interchange.demo import build_demo_catalog
from interchange.load import load_document
from interchange.origins import Origins
from search.index import SearchDoc, SearchIndex
from search.projection import INDEXED_LABELS
from sharing.catalog_writer import CatalogWriter
from tests.backends import BackendCase, cases
from tests.sample_catalog import sample_document

ROOT = Path(__file__).resolve().parent.parent


async def graph_ids(b: Backends) -> set[str]:
    ids: set[str] = set()
    for label in INDEXED_LABELS:
        async for batch in b.store.iter_nodes(label):
            ids |= {NodeRef(label, n.key).id for n in batch}
    return ids


class FlakyIndex:
    """Wraps an index; fails every write while `down` is set."""

    def __init__(self, inner: SearchIndex) -> None:
        self.inner = inner
        self.down = False

    async def upsert(self, docs: Sequence[SearchDoc]) -> None:
        if self.down:
            raise ConnectionError("index unreachable")
        await self.inner.upsert(docs)

    async def delete(self, ids: Sequence[str]) -> None:
        if self.down:
            raise ConnectionError("index unreachable")
        await self.inner.delete(ids)

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


async def test_index_outage_queues_writes_and_catch_up_restores_them(backends: Backends) -> None:
    flaky = FlakyIndex(backends.index)
    writer = CatalogWriter(backends.store, flaky)  # type: ignore[arg-type]
    flaky.down = True
    report = await load_document(sample_document(), Origins(), "sample", writer)
    assert report.search_pending > 0
    assert await backends.store.count_nodes(Label.RESOURCE) == 7  # the graph write stands
    assert await writer.pending() == report.search_pending
    assert await backends.index.all_ids() == set()

    flaky.down = False
    assert await writer.catch_up() == 0
    assert await writer.pending() == 0
    assert await backends.index.all_ids() == await graph_ids(backends)


SERVER_CASES = [c for c in cases() if c.search_url]


async def _stop_elasticsearch_mid_import(case: BackendCase, tmp_path: Path) -> None:
    settings = case.settings(tmp_path, uuid.uuid4().hex[:8])
    stack = str(ROOT / "scripts" / "stack")
    stopped = False

    async with open_backends(settings) as b:
        await b.store.clear()
        await b.index.clear()

        def stop_after_first_batch(phase: str, done: int, total: int) -> None:
            nonlocal stopped
            if phase == "index" and not stopped:
                stopped = True
                subprocess.run([stack, "down", "elasticsearch"], check=True, timeout=120)

        try:
            report = await load_document(build_demo_catalog(), Origins(), "demo", b.writer,
                                         stop_after_first_batch)
        finally:
            if stopped:
                subprocess.run([stack, "up", "elasticsearch"], check=True, timeout=300)
        assert stopped and report.search_pending > 0
        assert await b.writer.pending() == report.search_pending

        assert await b.writer.catch_up() == 0
        assert await b.index.all_ids() == await graph_ids(b)
        await b.store.clear()
        await b.index.clear()


# Defined only where Elasticsearch is configured; CI requires it (tests/backends.py), so there
# it always runs.
if SERVER_CASES:

    @pytest.mark.parametrize("case", SERVER_CASES, ids=[c.name for c in SERVER_CASES])
    async def test_elasticsearch_stopped_mid_import_then_caught_up(
        case: BackendCase, tmp_path: Path
    ) -> None:
        await _stop_elasticsearch_mid_import(case, tmp_path)
