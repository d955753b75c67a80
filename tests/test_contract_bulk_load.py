"""Bulk load of a generated catalog into an empty catalog (空库批量导入), on every backend."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator
from functools import cache
from pathlib import Path

import pytest

from app.backends import Backends, open_backends
from app.config import Settings
from graph.model import ChangeSet, Label, Node
from interchange.bulk_load import KEPT_BY_CLEAR, MARKER_KEY, BulkLoadRefused, bulk_load, interrupted
from interchange.catalog_reader import read_catalog
from interchange.generator import generate_catalog
from interchange.json_format import write_json
from interchange.load import load_document
from interchange.origins import Origins
from interchange.records import CatalogDocument
from search.index import SearchDoc
from tests.sample_catalog import sample_document


@cache
def generated() -> CatalogDocument:
    return generate_catalog("test", 5)


def _search_documents(doc: CatalogDocument) -> int:
    return len(doc.agencies) + len(doc.resources) + len(doc.scenarios) + sum(len(r.fields) for r in doc.resources)


async def _counts(b: Backends) -> dict[Label, int]:
    return {label: await b.store.count_nodes(label) for label in Label if label.value not in KEPT_BY_CLEAR}


async def test_a_bulk_load_writes_the_whole_catalog_and_its_index(backends: Backends) -> None:
    doc = generated()
    report = await bulk_load(doc, "generated", backends.store, backends.index)
    assert await read_catalog(backends.store) == doc
    assert report.documents == _search_documents(doc) == await backends.index.count()
    assert report.rows == doc.row_count()
    assert not await interrupted(backends.store)
    assert await backends.writer.pending() == 0


async def test_a_bulk_load_refuses_a_catalog_that_is_not_empty(backends: Backends) -> None:
    await load_document(sample_document(), Origins(), "sample", backends.writer)
    before = await read_catalog(backends.store)
    with pytest.raises(BulkLoadRefused) as refused:
        await bulk_load(generated(), "generated", backends.store, backends.index)
    assert refused.value.code == "CATALOG_NOT_EMPTY"
    assert refused.value.message_zh and refused.value.message_en
    assert await read_catalog(backends.store) == before


async def test_a_failed_bulk_load_leaves_the_catalog_empty(
    backends: Backends, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def breaks_after_a_batch(batches: AsyncIterator[list[SearchDoc]]) -> int:
        async for _ in batches:
            raise ConnectionError("index went away")
        return 0

    monkeypatch.setattr(backends.index, "rebuild", breaks_after_a_batch)
    with pytest.raises(ConnectionError):
        await bulk_load(generated(), "generated", backends.store, backends.index)
    assert set((await _counts(backends)).values()) == {0}
    assert await backends.index.count() == 0


async def test_an_interrupted_bulk_load_is_cleared_by_the_next(backends: Backends) -> None:
    doc = generated()
    first = doc.agencies[0]
    await backends.store.write(ChangeSet(upserts=[
        Node(Label.BULK_LOAD, MARKER_KEY, {"file": "earlier", "rows": 1}),
        Node(Label.AGENCY, first.code, {"code": first.code, "name": "半截"}),
    ]))  # fmt: skip
    assert await interrupted(backends.store)
    report = await bulk_load(doc, "generated", backends.store, backends.index)
    assert report.recovered
    assert await read_catalog(backends.store) == doc
    assert not await interrupted(backends.store)


async def test_a_bulk_load_equals_a_normal_load(tmp_path: Path) -> None:
    """The committed batches write exactly what the one-transaction load writes."""
    doc = generated()
    results = []
    for name in ("normal", "bulk"):
        async with open_backends(Settings(data_dir=tmp_path / name)) as b:
            if name == "normal":
                await load_document(doc, Origins(), "generated", b.writer)
            else:
                await bulk_load(doc, "generated", b.store, b.index)
            results.append((await read_catalog(b.store), await b.index.all_ids(), await _counts(b)))
    assert results[0] == results[1]


def _catalog(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, timeout=300, check=False,
    )


def test_the_generate_command_writes_a_file_the_normal_load_accepts(tmp_path: Path) -> None:
    out = tmp_path / "city.json"
    made = _catalog(tmp_path / "unused", "generate", "--scale", "test", "--seed", "5", "--out", str(out))
    assert made.returncode == 0, made.stderr
    write_json(generated(), tmp_path / "expected.json")
    assert out.read_bytes() == (tmp_path / "expected.json").read_bytes()
    loaded = _catalog(tmp_path / "data", "load", str(out))
    assert loaded.returncode == 0, loaded.stderr
    assert f"{generated().row_count()} 行 rows" in loaded.stdout
    made = _catalog(tmp_path / "unused", "generate", "--scale", "test", "--out", str(tmp_path / "c.xlsx"))
    assert made.returncode == 0 and (tmp_path / "c.xlsx").stat().st_size > 0


def test_the_generate_command_loads_an_empty_catalog_and_refuses_a_full_one(tmp_path: Path) -> None:
    first = _catalog(tmp_path / "data", "generate", "--scale", "test", "--seed", "5")
    assert first.returncode == 0, first.stderr
    assert "rows/s" in first.stdout and "resources 300" in first.stdout
    again = _catalog(tmp_path / "data", "generate", "--scale", "test", "--seed", "5")
    assert again.returncode == 2
    assert "CATALOG_NOT_EMPTY" in again.stderr
    assert "catalog is not empty" in again.stderr and "目录非空" in again.stderr
    assert "Traceback" not in again.stderr
    exported = _catalog(tmp_path / "data", "export", "--out", str(tmp_path / "out"), "--format", "json")
    assert exported.returncode == 0, exported.stderr
    write_json(generated(), tmp_path / "expected.json")
    assert json.loads((tmp_path / "out" / "catalog.json").read_text("utf-8")) == json.loads(
        (tmp_path / "expected.json").read_text("utf-8")
    )
