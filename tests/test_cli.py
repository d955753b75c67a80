"""The `catalog` command end to end on the embedded default (命令行)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from interchange.json_format import write_json
from tests.sample_catalog import sample_document


def catalog(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, timeout=300, check=False,
    )


def test_load_export_and_reload_through_the_command(tmp_path: Path) -> None:
    write_json(sample_document(), tmp_path / "in.json")
    first = catalog(tmp_path / "data", "load", str(tmp_path / "in.json"))
    assert first.returncode == 0, first.stderr
    assert "written" in first.stdout
    again = catalog(tmp_path / "data", "load", str(tmp_path / "in.json"))
    assert again.returncode == 0 and "unchanged" in again.stdout

    out = catalog(tmp_path / "data", "export", "--out", str(tmp_path / "out"))
    assert out.returncode == 0, out.stderr
    exported = json.loads((tmp_path / "out" / "catalog.json").read_text(encoding="utf-8"))
    original = json.loads((tmp_path / "in.json").read_text(encoding="utf-8"))
    assert exported == original
    assert (tmp_path / "out" / "catalog.xlsx").stat().st_size > 0

    reloaded = catalog(tmp_path / "data2", "load", str(tmp_path / "out" / "catalog.xlsx"))
    assert reloaded.returncode == 0, reloaded.stderr


def test_a_rejected_file_lists_its_problems_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "jining-catalog/1", "resources": [{"code": "X"}]}', encoding="utf-8")
    result = catalog(tmp_path / "data", "load", str(bad))
    assert result.returncode == 2
    assert "nothing written" in result.stderr and "REQUIRED" in result.stderr
    assert "Traceback" not in result.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    result = catalog(tmp_path / "data", "load", str(broken))
    assert result.returncode == 2 and "BAD_JSON" in result.stderr


def test_reindex_rebuilds_the_index_from_the_graph(tmp_path: Path) -> None:
    write_json(sample_document(), tmp_path / "in.json")
    assert catalog(tmp_path / "data", "load", str(tmp_path / "in.json")).returncode == 0
    (tmp_path / "data" / "search.sqlite3").unlink()
    result = catalog(tmp_path / "data", "reindex")
    assert result.returncode == 0, result.stderr
    assert "reindexed 36 documents" in result.stdout  # 5 agencies, 7 resources, 22 fields, 2 scenarios


def test_export_schema_writes_the_sdl(tmp_path: Path) -> None:
    result = catalog(tmp_path / "data", "export-schema", "--out", str(tmp_path / "s.graphql"))
    assert result.returncode == 0
    assert "type Query" in (tmp_path / "s.graphql").read_text(encoding="utf-8")
