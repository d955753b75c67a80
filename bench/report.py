"""The benchmark table (基准结果表): rows, targets, Markdown and JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bench.stats import ratio

BACKEND_TITLES = {"embedded": "embedded (SQLite)", "neo4j+elasticsearch": "Neo4j + Elasticsearch"}


@dataclass(slots=True)
class Measured:
    scale: str
    seed: int
    when: datetime
    backends: dict[str, dict[str, Any]]
    catalog: dict[str, int]
    workload: dict[str, Any]


@dataclass(slots=True)
class Row:
    name: str
    target: str = ""
    cells: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    verdicts: dict[str, bool | None] = field(default_factory=dict)


def _get(m: dict[str, Any], *path: str) -> Any:
    value: Any = m
    for p in path:
        if not isinstance(value, dict) or p not in value:
            return None
        value = value[p]
    return value


def _lat(m: dict[str, Any], key: str) -> tuple[str, Any]:
    lat = m.get(key)
    if not lat:
        return "—", None
    return f"{lat['p50_ms']:.1f} / {lat['p95_ms']:.1f}", {"p50_ms": lat["p50_ms"], "p95_ms": lat["p95_ms"]}


def _times(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


Check = Callable[[str, Any], bool | None]


def build_rows(measured: Measured) -> list[Row]:
    rows: list[Row] = []

    def add(name: str, cell: Callable[[dict[str, Any]], tuple[str, Any]], target: str = "",
            check: Check | None = None) -> None:
        row = Row(name, target)
        for backend, m in measured.backends.items():
            text, value = cell(m)
            row.cells[backend], row.values[backend] = text, value
            row.verdicts[backend] = None if check is None or value is None else check(backend, value)
        if any(v is not None for v in row.values.values()):
            rows.append(row)

    def rate(m: dict[str, Any], key: str) -> tuple[str, Any]:
        v = _get(m, "import", key)
        return ("—", None) if v is None else (f"{v:,.0f}", v)

    add("import, `catalog load` (rows/s)", lambda m: rate(m, "catalog_rows_per_s"))
    add("import, raw bulk load (rows/s)", lambda m: rate(m, "raw_rows_per_s"))

    def bulk(m: dict[str, Any]) -> tuple[str, Any]:
        v = m.get("bulk_import")
        if not v:
            return "—", None
        if "error" in v:
            return "failed", v
        return f"{v['rows_per_s']:,.0f}", v

    add("import, empty-catalog bulk load `catalog generate` (rows/s)", bulk)

    def import_ratio(m: dict[str, Any]) -> tuple[str, Any]:
        r = ratio(_get(m, "import", "catalog_s"), _get(m, "import", "raw_s"))
        return _times(r), r

    add("import, `catalog load` time ÷ raw time", import_ratio)
    add("search via GraphQL/HTTP p50 / p95 (ms)", lambda m: _lat(m, "search_graphql"),
        "embedded p95 < 30 ms", lambda b, v: v["p95_ms"] < 30 if b == "embedded" else None)
    add("search, index adapter call p50 / p95 (ms)", lambda m: _lat(m, "search_adapter"))
    add("search, raw index query p50 / p95 (ms)", lambda m: _lat(m, "search_raw"))

    def over(m: dict[str, Any], a: str, b: str) -> tuple[str, Any]:
        r50 = ratio(_get(m, a, "p50_ms"), _get(m, b, "p50_ms"))
        r95 = ratio(_get(m, a, "p95_ms"), _get(m, b, "p95_ms"))
        if r50 is None or r95 is None:
            return "—", None
        return f"{r50:.2f}× / {r95:.2f}×", {"p50": r50, "p95": r95}

    add("search, GraphQL ÷ raw p50 / p95", lambda m: over(m, "search_graphql", "search_raw"),
        "≤ 1.5× (p50)", lambda b, v: bool(v["p50"] <= 1.5))
    add("matchDemand, 20 items, p50 / p95 (ms)", lambda m: _lat(m, "match_demand"), "p95 < 200 ms",
        lambda b, v: bool(v["p95_ms"] < 200))
    add("lineage depth 5 via GraphQL/HTTP p50 / p95 (ms)", lambda m: _lat(m, "lineage_graphql"), "p95 < 50 ms",
        lambda b, v: bool(v["p95_ms"] < 50))
    add("lineage depth 5, store walks direct p50 / p95 (ms)", lambda m: _lat(m, "lineage_raw"))
    add("lineage, GraphQL ÷ store walks p50 / p95", lambda m: over(m, "lineage_graphql", "lineage_raw"),
        "≤ 1.5× (p50)", lambda b, v: bool(v["p50"] <= 1.5))

    def browse(key: str) -> Callable[[dict[str, Any]], tuple[str, Any]]:
        def cell(m: dict[str, Any]) -> tuple[str, Any]:
            v = _get(m, "browse", key)
            return ("—", None) if v is None else (f"{v:.1f}", v)
        return cell

    add("browse page of 50, catalog (requests/s)", browse("requests_per_s"))
    add("browse page of 50, in-memory strawberry ceiling (requests/s)", browse("ceiling_requests_per_s"))

    def browse_ratio(m: dict[str, Any]) -> tuple[str, Any]:
        r = ratio(_get(m, "browse", "requests_per_s"), _get(m, "browse", "ceiling_requests_per_s"))
        return _times(r), r

    add("browse, catalog ÷ ceiling", browse_ratio, "≥ 0.8", lambda b, v: bool(v >= 0.8))

    def page_ms(m: dict[str, Any]) -> tuple[str, Any]:
        v = m.get("memory_page_in_process_ms")
        return ("—", None) if v is None else (f"{v:.1f}", v)

    add("in-memory page executed in process, one core (ms)", page_ms)

    def calls(m: dict[str, Any]) -> tuple[str, Any]:
        c = m.get("store_calls")
        return ("—", None) if not c else (f"{c['page_5']} / {c['page_50']}", c)

    add("store calls per browse request, page 5 / 50", calls, "equal",
        lambda b, v: bool(v["page_5"] == v["page_50"]))

    def cached(m: dict[str, Any]) -> tuple[str, Any]:
        c = m.get("cache")
        if not c or "ratio" not in c:
            return "—", None
        return f"{c['cached_requests_per_s']:.0f} vs {c['uncached_requests_per_s']:.0f} ({c['ratio']:.1f}×)", c

    add("browse cached vs uncached (requests/s)", cached, "≥ 10×", lambda b, v: bool(v["ratio"] >= 10))

    def rss(m: dict[str, Any]) -> tuple[str, Any]:
        r = m.get("peak_rss_mib")
        return ("—", None) if not r else (f"{r['largest_process']:.0f} / {r['process_tree']:.0f}", r)

    add("server peak RSS, largest process / all processes (MiB)", rss)
    return rows


def _verdict(v: bool | None) -> str:
    return "" if v is None else (" ✅" if v else " ❌")


def _load(workload: dict[str, Any]) -> str:
    load = workload.get("load_average")
    return f", 1-minute load average {load[0]:.1f} at the start and {load[1]:.1f} at the end" if load else ""


def render_markdown(measured: Measured) -> str:
    names = list(measured.backends)
    c = measured.catalog
    lines = [
        f"### Benchmark: {measured.scale} scale (seed {measured.seed}), {measured.when:%Y-%m-%d %H:%M} UTC",
        "",
        f"Catalog: {c['agencies']:,} agencies, {c['resources']:,} resources, {c['fields']:,} fields, "
        f"{c['scenarios']:,} scenarios, {c['grants']:,} grants, {c['projects']:,} projects ({c['rows']:,} rows). "
        f"Workload: {measured.workload['search_texts']} search texts, {measured.workload['demands']} demands, "
        f"{len(measured.workload['lineage_roots'])} lineage roots, {measured.workload['rounds']} rounds; "
        f"{measured.workload['workers']} workers, {measured.workload['concurrency']} clients, "
        f"{measured.workload['cpus']} CPUs{_load(measured.workload)}.",
        "",
        "| row | " + " | ".join(BACKEND_TITLES.get(n, n) for n in names) + " | target |",
        "|---|" + "---:|" * len(names) + "---|",
    ]
    for row in build_rows(measured):
        cells = [row.cells.get(n, "—") + _verdict(row.verdicts.get(n)) for n in names]
        lines.append(f"| {row.name} | " + " | ".join(cells) + f" | {row.target} |")
    if all(m.get("cache") is None for m in measured.backends.values()):
        lines += ["", "No response cache in this tree (app/response_cache.py): the cached row is left out."]
    return "\n".join(lines) + "\n"


def render_json(measured: Measured) -> str:
    body = {
        "scale": measured.scale,
        "seed": measured.seed,
        "when": measured.when.isoformat(),
        "catalog": measured.catalog,
        "workload": measured.workload,
        "backends": measured.backends,
        "rows": [
            {"row": r.name, "target": r.target or None, "values": r.values, "pass": r.verdicts}
            for r in build_rows(measured)
        ],
    }
    return json.dumps(body, ensure_ascii=False, indent=2, default=str) + "\n"
