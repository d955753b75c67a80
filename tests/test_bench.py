"""The benchmark machinery: statistics helpers and a tiny end-to-end run (no timing asserted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.catalogs import build_catalog
from bench.report import build_rows, render_json, render_markdown
from bench.run import Options, run, write_results
from bench.stats import Latency, percentile, ratio
from bench.workload import DEMAND_ITEMS, build_workload, evenly
from graph.model import Label


def test_percentile_interpolates_between_ranks() -> None:
    assert percentile([5, 1, 3, 2, 4], 50) == 3
    assert percentile([1, 2, 3, 4, 5], 95) == pytest.approx(4.8)
    assert percentile([1, 2, 3, 4, 5], 0) == 1
    assert percentile([7], 95) == 7
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1], 101)


def test_ratio_and_latency() -> None:
    assert ratio(3, 2) == 1.5
    assert ratio(1, 0) is None
    assert ratio(None, 2) is None
    lat = Latency.of([0.001, 0.002, 0.003])
    assert lat.samples == 3
    assert lat.p50 == pytest.approx(2.0)


def test_workload_is_deterministic_and_shaped() -> None:
    assert evenly(list("abcdefghij"), 5) == list("acegi")
    assert evenly(list("ab"), 5) == ["a", "b"]
    doc = build_catalog("demo", 2026)
    first, again = build_workload(doc), build_workload(doc)
    assert first == again
    assert all(len(items) == DEMAND_ITEMS for items in first.demands)
    assert {r.label for r in first.lineage_roots} == {Label.RESOURCE, Label.PROJECT}
    with pytest.raises(ValueError):
        build_catalog("country", 1)


async def test_a_tiny_embedded_run_fills_every_row(tmp_path: Path) -> None:
    opts = Options(scale="demo", rounds=1, seconds=1.0, concurrency=1, workers=1, out_dir=tmp_path,
                   searches=2, demands=1, roots=3)
    measured = await run(opts)
    m = measured.backends["embedded"]
    assert m["store_calls"]["page_5"] == m["store_calls"]["page_50"]
    assert m["store_calls"]["page_50_resources"] == 50
    assert m["browse"]["requests_per_s"] > 0 and m["browse"]["ceiling_requests_per_s"] > 0
    assert m["peak_rss_mib"]["largest_process"] > 0
    names = [row.name for row in build_rows(measured)]
    for expected in ("import, `catalog load` time ÷ raw time",
                     "search, GraphQL ÷ raw p50 / p95", "matchDemand, 20 items, p50 / p95 (ms)",
                     "lineage, GraphQL ÷ store walks p50 / p95", "browse, catalog ÷ ceiling",
                     "store calls per browse request, page 5 / 50",
                     "server peak RSS, largest process / all processes (MiB)"):
        assert expected in names
    md, js = write_results(measured, tmp_path)
    assert md.name.startswith("demo-") and md.read_text(encoding="utf-8") == render_markdown(measured)
    body = json.loads(js.read_text(encoding="utf-8"))
    assert body == json.loads(render_json(measured))
    assert body["rows"][0]["values"]["embedded"] > 0
