"""Loading catalog files: all-or-nothing, idempotent, update by code, lossless round trip."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from app.backends import Backends
from graph.model import Label
from interchange.catalog_reader import read_catalog
from interchange.json_format import document_to_json, write_json
from interchange.load import load_file
from interchange.problems import InvalidCatalogFile
from interchange.records import CatalogDocument, FieldRecord, ResourceRecord
from interchange.xlsx_format import write_xlsx
from tests.sample_catalog import GAJ, sample_document


async def snapshot(b: Backends) -> dict[str, Any]:
    return document_to_json(await read_catalog(b.store))


async def test_json_load_export_reload_loses_nothing(backends: Backends, tmp_path: Path) -> None:
    original = sample_document()
    write_json(original, tmp_path / "in.json")
    report = await load_file(tmp_path / "in.json", backends.writer)
    assert report.nodes_written > 0 and report.search_pending == 0
    exported = await read_catalog(backends.store)
    assert document_to_json(exported) == document_to_json(original)


async def test_xlsx_export_loads_back_to_the_same_catalog(backends: Backends, tmp_path: Path) -> None:
    write_json(sample_document(), tmp_path / "in.json")
    await load_file(tmp_path / "in.json", backends.writer)
    before = await snapshot(backends)
    write_xlsx(await read_catalog(backends.store), tmp_path / "out.xlsx")
    await backends.store.clear()
    await backends.index.clear()
    await load_file(tmp_path / "out.xlsx", backends.writer)
    assert await snapshot(backends) == before


async def test_loading_the_same_file_again_changes_nothing(backends: Backends, tmp_path: Path) -> None:
    write_json(sample_document(), tmp_path / "in.json")
    await load_file(tmp_path / "in.json", backends.writer)
    again = await load_file(tmp_path / "in.json", backends.writer)
    assert again.unchanged
    assert await backends.store.count_nodes(Label.INDEX_OUTBOX) == 0


async def test_a_changed_file_updates_by_code(backends: Backends, tmp_path: Path) -> None:
    doc = sample_document()
    write_json(doc, tmp_path / "v1.json")
    await load_file(tmp_path / "v1.json", backends.writer)

    changed = copy.deepcopy(doc)
    people = next(r for r in changed.resources if r.code == "370800-GAJ-0001")
    people.name = "人口基础信息"
    people.fields = [f for f in people.fields if f.name != "户籍地址"]
    people.fields.append(FieldRecord("民族", "STRING", 10))
    write_json(changed, tmp_path / "v2.json")
    report = await load_file(tmp_path / "v2.json", backends.writer)
    assert not report.unchanged and report.nodes_deleted == 1

    after = await read_catalog(backends.store)
    got = next(r for r in after.resources if r.code == "370800-GAJ-0001")
    assert got.name == "人口基础信息"
    assert [f.name for f in got.fields] == ["公民身份号码", "姓名", "出生日期", "民族"]
    assert document_to_json(after) == document_to_json(changed)
    hits = await backends.index.search(_q("户籍地址"))
    assert all(h.id != "Field:370800-GAJ-0001#户籍地址" for h in hits.hits)


async def test_an_invalid_file_is_rejected_whole(backends: Backends, tmp_path: Path) -> None:
    write_json(sample_document(), tmp_path / "in.json")
    await load_file(tmp_path / "in.json", backends.writer)
    before = await snapshot(backends)
    docs_before = await backends.index.all_ids()

    bad = CatalogDocument(resources=[
        ResourceRecord("370800-GAJ-0009", "新资源（有效）", GAJ, "UNCONDITIONAL",
                       fields=[FieldRecord("姓名")]),
        ResourceRecord("370800-GAJ-0010", "不予共享但无依据", GAJ, "NOT_SHARED"),
        ResourceRecord("370800-GAJ-0011", "提供方不存在", "NO-SUCH-AGENCY", "CONDITIONAL"),
    ])
    path = tmp_path / "bad.json"
    write_json(bad, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["resources"][0]["updateCycle"] = "HOURLY"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(InvalidCatalogFile) as caught:
        await load_file(path, backends.writer)
    codes = {p.code for p in caught.value.problems}
    assert {"BAD_ENUM", "LEGAL_BASIS_REQUIRED", "UNKNOWN_REFERENCE"} <= codes
    assert all(p.file == "bad.json" and p.reason_zh and p.reason_en for p in caught.value.problems)
    assert await snapshot(backends) == before
    assert await backends.index.all_ids() == docs_before


def _q(text: str) -> Any:
    from search.index import SearchQuery

    return SearchQuery(text=text, limit=50)
