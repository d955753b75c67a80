"""`catalog bench`: the catalog side by side with its raw backends, one table (性能基准).

For each backend (the embedded default; Neo4j + Elasticsearch when their URLs are given) it
imports the catalog of a scale, times the same rows loaded raw, starts `catalog serve` with
the workers asked for, and measures over real HTTP on 127.0.0.1 against the raw queries in
the same run; then writes `<out>/<scale>-<date>.md` and `.json`. Raw and catalog calls
alternate, so the machine's noise hits both sides of a ratio alike.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from app.backends import Backends, open_backends
from app.cli import graph_documents
from app.config import Settings
from bench import queries, raw_load, raw_queries
from bench.catalogs import build_catalog
from bench.http_load import post, throughput
from bench.memory_page import PAGE_FILE_ENV, memory_catalog, memory_schema
from bench.report import Measured, render_json, render_markdown
from bench.servers import Server, free_port
from bench.stats import Latency, timed
from bench.store_calls import execute_counted
from bench.workload import Workload, build_workload
from graph.model import Label
from interchange.graph_mapping import document_changes
from interchange.load import load_document
from interchange.origins import Origins
from interchange.records import CatalogDocument
from search.elasticsearch_index import BULK_CHUNK, ElasticsearchIndex
from search.es_mapping import index_mappings, index_settings
from search.index import SearchDoc

Call = Callable[[], Awaitable[object]]
RESULTS_DIR = Path(__file__).resolve().parent / "results"
EMBEDDED = "embedded"
SERVERS = "neo4j+elasticsearch"
BENCH_ALIAS = "bench"
RESPONSE_CACHE = Path(__file__).resolve().parents[1] / "app" / "response_cache.py"
CACHE_ENV = "CATALOG_RESPONSE_CACHE"  # 0 turns the response cache off (app/response_cache.py)
CACHE_HEADER = "X-Catalog-Cache"  # hit | miss | bypass


@dataclass(frozen=True, slots=True)
class Options:
    scale: str = "demo"
    seed: int = 2026
    rounds: int = 5  # timed rounds over every search text, demand and lineage root
    seconds: float = 10.0  # per throughput measurement
    concurrency: int = 4
    workers: int = 2
    graph_url: str | None = None
    search_url: str | None = None
    wipe: bool = False  # allowed to empty the Neo4j database and the bench alias first
    out_dir: Path = RESULTS_DIR
    embedded: bool = True
    searches: int = 30
    demands: int = 5
    roots: int = 12


def log(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


async def paired(a: Sequence[Call], b: Sequence[Call], rounds: int) -> tuple[Latency, Latency]:
    """Latencies of two call lists run alternately (a[i] then b[i]), after one warm-up round."""
    first: list[float] = []
    second: list[float] = []
    for round_no in range(rounds + 1):
        for call_a, call_b in zip(a, b, strict=True):
            for call, samples in ((call_a, first), (call_b, second)):
                start = time.perf_counter()
                await call()
                if round_no:
                    samples.append(time.perf_counter() - start)
    return Latency.of(first), Latency.of(second)


def _http_call(client: httpx.AsyncClient, url: str, query: str, variables: dict[str, Any]) -> Call:
    async def call() -> object:
        return await post(client, url, query, variables)

    return call


class BackendRun:
    """Everything measured on one backend."""

    def __init__(self, name: str, settings: Settings, opts: Options, workdir: Path) -> None:
        self.name = name
        self.settings = settings
        self.opts = opts
        self.workdir = workdir
        self.m: dict[str, Any] = {"backend": name, "describe": settings.describe()}

    # -- import ----------------------------------------------------------------------

    async def _prepare(self, b: Backends) -> None:
        present = await b.store.count_nodes(Label.RESOURCE) + await b.store.count_nodes(Label.AGENCY)
        if present and not self.opts.wipe:
            raise RuntimeError(f"{self.name}: the graph is not empty ({present} agencies and resources); "
                               "pass --wipe to let the benchmark empty it")
        await b.store.clear()
        await b.index.clear()

    async def load(self, doc: CatalogDocument) -> None:
        changes = document_changes(doc)
        rows = doc.row_count()
        self.m["rows"] = rows
        self.m["graph_rows"] = {"nodes": len(changes.upserts),
                                "edges": sum(len(v) for v in changes.edges.values())}
        async with open_backends(self.settings) as b:
            await self._prepare(b)
            raw_graph = 0.0
            if self.settings.graph_url:
                log(f"{self.name}: raw UNWIND load of {len(changes.upserts)} nodes")
                raw_graph = await raw_load.neo4j_load(self.settings.graph_url, changes,
                                                      database=self.settings.graph_database)
                await b.store.clear()
            await self._bulk_load(b, doc)
            log(f"{self.name}: catalog import of {rows} rows")
            start = time.perf_counter()
            report = await load_document(doc, Origins(), f"{self.opts.scale} catalog", b.writer)
            catalog_s = time.perf_counter() - start
            if report.search_pending:
                raise RuntimeError(f"{self.name}: {report.search_pending} documents not indexed")
            docs: list[SearchDoc] = [d async for batch in graph_documents(b) for d in batch]
            self.m["documents"] = len(docs)
            if isinstance(b.index, ElasticsearchIndex):
                sources = b.index._sources(docs)
                log(f"{self.name}: raw async_bulk of {len(sources)} documents")
                raw_index = await raw_load.elasticsearch_bulk(
                    b.index._open_client(), f"{BENCH_ALIAS}-raw", sources,
                    index_settings(), index_mappings(b.index._analyzer.version), BULK_CHUNK,
                )
                raw_s = raw_graph + raw_index
                self.m["raw_import_parts_s"] = {"neo4j_unwind": raw_graph, "es_async_bulk": raw_index}
            else:
                raw_s = raw_load.sqlite_load(changes, docs, self.workdir / "raw.sqlite3")
        self.m["import"] = {"catalog_s": catalog_s, "raw_s": raw_s,
                            "catalog_rows_per_s": rows / catalog_s, "raw_rows_per_s": rows / raw_s}
        log(f"{self.name}: import {rows / catalog_s:.0f} rows/s, raw {rows / raw_s:.0f} rows/s")

    async def _bulk_load(self, b: Backends, doc: CatalogDocument) -> None:
        """The empty-catalog bulk load (`catalog generate`), where the tree has it; the catalog
        is emptied again afterwards, so the measured catalog is the one `catalog load` wrote."""
        try:
            bulk: Any = importlib.import_module("interchange.bulk_load")
        except ModuleNotFoundError:
            return
        log(f"{self.name}: bulk load (empty catalog) of {doc.row_count()} rows")
        start = time.perf_counter()
        try:
            await bulk.bulk_load(doc, f"{self.opts.scale} catalog", b.store, b.index)
        except Exception as exc:  # a broken optional path must not sink the whole run
            self.m["bulk_import"] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
        else:
            seconds = time.perf_counter() - start
            self.m["bulk_import"] = {"s": seconds, "rows_per_s": doc.row_count() / seconds}
        await b.store.clear()
        await b.index.clear()

    # -- in-process measurements ----------------------------------------------------------

    async def in_process(self, b: Backends) -> dict[str, Any]:
        calls = {}
        page: dict[str, Any] = {}
        for first in (5, 50):
            calls[first], page = await execute_counted(b, queries.BROWSE, {"first": first})
        self.m["store_calls"] = {"page_5": calls[5], "page_50": calls[50],
                                 "page_50_resources": len(page["resources"]["edges"])}
        schema = memory_schema(memory_catalog(page))
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < min(5.0, self.opts.seconds):
            result = await schema.execute(queries.BROWSE, variable_values={"first": 50})
            if result.errors:
                raise RuntimeError(f"in-memory page failed: {result.errors}")
            n += 1
        self.m["memory_page_in_process_ms"] = (time.perf_counter() - start) / n * 1000
        return page

    # -- over HTTP ---------------------------------------------------------------------

    def _env(self, cache: bool = False) -> dict[str, str]:
        """The served catalog's environment; the response cache is off unless asked for, so
        that repeated requests measure the work and not the cache."""
        st = self.settings
        return {"CATALOG_DATA_DIR": str(st.data_dir), "CATALOG_SEARCH_INDEX": st.search_index,
                "CATALOG_GRAPH_URL": st.graph_url or "", "CATALOG_SEARCH_URL": st.search_url or "",
                CACHE_ENV: "1" if cache else "0"}

    def _catalog_server(self, name: str, cache: bool) -> Server:
        port = free_port()
        return Server(name, [sys.executable, "-m", "app.cli", "serve", "--port", str(port),
                             "--workers", str(self.opts.workers)],
                      self._env(cache), port, self.workdir / f"{name}-server.log")

    async def served(self, b: Backends, work: Workload, page: dict[str, Any]) -> None:
        opts = self.opts
        page_file = self.workdir / "page.json"
        page_file.write_text(json.dumps(page, ensure_ascii=False), encoding="utf-8")
        memory_port = free_port()
        catalog = self._catalog_server("catalog", cache=False)
        memory = Server("in-memory", [sys.executable, "-m", "uvicorn", "bench.memory_page:create_app", "--factory",
                                      "--port", str(memory_port), "--workers", str(opts.workers)],
                        {PAGE_FILE_ENV: str(page_file)}, memory_port, self.workdir / "memory-server.log")
        try:
            catalog.wait_ready(workers=opts.workers)
            try:
                memory.wait_ready(workers=opts.workers)
                async with httpx.AsyncClient(timeout=60) as client:
                    await self._latencies(b, work, client, catalog)
                await self._browse(catalog, memory)
            finally:
                memory.stop()
            await self._cached(catalog)
        finally:
            catalog.stop()

    async def _browse(self, catalog: Server, memory: Server) -> None:
        opts = self.opts
        log(f"{self.name}: browse throughput, {opts.concurrency} clients, {opts.workers} workers")
        browse, ceiling = 0.0, 0.0
        for _ in range(2):  # alternate, so both see the same noise
            browse += await throughput(catalog.url, queries.BROWSE, {"first": 50}, concurrency=opts.concurrency,
                                       seconds=opts.seconds / 2, on_tick=catalog.sample_memory)
            ceiling += await throughput(memory.url, queries.BROWSE, {"first": 50},
                                        concurrency=opts.concurrency, seconds=opts.seconds / 2)
        self.m["browse"] = {"requests_per_s": browse / 2, "ceiling_requests_per_s": ceiling / 2,
                            "workers": opts.workers, "concurrency": opts.concurrency}
        largest, total = catalog.peak_rss()
        self.m["peak_rss_mib"] = {"largest_process": largest, "process_tree": total}

    async def _latencies(self, b: Backends, work: Workload, client: httpx.AsyncClient, catalog: Server) -> None:
        rounds = self.opts.rounds
        url = catalog.url
        gql = [_http_call(client, url, queries.SEARCH, {"q": t}) for t in work.search_texts]
        raw: list[Call]
        if isinstance(b.index, ElasticsearchIndex):
            es = b.index
            raw = [await raw_queries.elasticsearch_requests(es, t) for t in work.search_texts]
            adapter = [raw_queries.index_search(es, t) for t in work.search_texts]
            _, self.m["search_adapter"] = _ms(*await paired(gql, adapter, max(1, rounds // 2)))
        else:
            raw = [raw_queries.index_search(b.index, t) for t in work.search_texts]
        log(f"{self.name}: search, {len(gql)} texts × {rounds}")
        self.m["search_graphql"], self.m["search_raw"] = _ms(*await paired(gql, raw, rounds))
        catalog.sample_memory()

        demand = [_http_call(client, url, queries.MATCH_DEMAND, {"items": items}) for items in work.demands]
        log(f"{self.name}: matchDemand, {len(demand)} demands × {rounds}")
        self.m["match_demand"] = _ms(await timed(demand, rounds))
        catalog.sample_memory()

        gql = [_http_call(client, url, queries.LINEAGE, {"id": r.id}) for r in work.lineage_roots]
        walks = [raw_queries.store_trace(b.store, r) for r in work.lineage_roots]
        log(f"{self.name}: lineage depth 5, {len(gql)} roots × {rounds}")
        self.m["lineage_graphql"], self.m["lineage_raw"] = _ms(*await paired(gql, walks, rounds))
        sizes = [len((await post(client, url, queries.LINEAGE, {"id": r.id}))["lineage"]["nodes"])
                 for r in work.lineage_roots]
        self.m["lineage_nodes"] = {"min": min(sizes), "max": max(sizes), "mean": sum(sizes) / len(sizes)}
        catalog.sample_memory()

    async def _cached(self, uncached: Server) -> None:
        """Repeated browse pages from a server with the response cache against one without."""
        if not RESPONSE_CACHE.is_file():
            self.m["cache"] = None
            return
        opts = self.opts
        cached = self._catalog_server("catalog-cached", cache=True)
        try:
            cached.wait_ready(workers=opts.workers)
            async with httpx.AsyncClient(timeout=60) as client:
                states = []
                for _ in range(3):
                    r = await client.post(cached.url, json={"query": queries.BROWSE, "variables": {"first": 50}})
                    states.append(r.headers.get(CACHE_HEADER, "absent"))
                r = await client.post(uncached.url, json={"query": queries.BROWSE, "variables": {"first": 50}})
                if r.headers.get(CACHE_HEADER) == "hit":
                    raise RuntimeError(f"{uncached.name} answers from its response cache; {CACHE_ENV}=0 is ignored")
            log(f"{self.name}: cached against uncached browse pages ({CACHE_HEADER}: {', '.join(states)})")
            if states[-1] != "hit":
                self.m["cache"] = {"note": f"the cached server did not answer from its cache ({states})"}
                return
            hot, cold = 0.0, 0.0
            for _ in range(2):
                cold += await throughput(uncached.url, queries.BROWSE, {"first": 50},
                                         concurrency=opts.concurrency, seconds=opts.seconds / 4)
                hot += await throughput(cached.url, queries.BROWSE, {"first": 50},
                                        concurrency=opts.concurrency, seconds=opts.seconds / 4)
            self.m["cache"] = {"cached_requests_per_s": hot / 2, "uncached_requests_per_s": cold / 2,
                               "ratio": hot / cold}
        finally:
            cached.stop()


def _ms(*latencies: Latency) -> Any:
    out = [{"p50_ms": lat.p50, "p95_ms": lat.p95, "samples": lat.samples} for lat in latencies]
    return out[0] if len(out) == 1 else tuple(out)


async def run_backend(name: str, settings: Settings, doc: CatalogDocument, work: Workload, opts: Options,
                      workdir: Path) -> dict[str, Any]:
    backend = BackendRun(name, settings, opts, workdir)
    await backend.load(doc)
    async with open_backends(settings) as b:
        page = await backend.in_process(b)
        await backend.served(b, work, page)
    return backend.m


async def run(opts: Options) -> Measured:
    load_before = os.getloadavg()[0]
    log(f"building the {opts.scale} catalog (seed {opts.seed})")
    doc = build_catalog(opts.scale, opts.seed)
    work = build_workload(doc, opts.searches, opts.demands, opts.roots)
    results: dict[str, dict[str, Any]] = {}
    workdir = Path(tempfile.mkdtemp(prefix="catalog-bench-"))
    try:
        if opts.embedded:
            data = workdir / "embedded"
            settings = Settings(data_dir=data)
            results[EMBEDDED] = await run_backend(EMBEDDED, settings, doc, work, opts, workdir)
        if opts.graph_url and opts.search_url:
            settings = Settings(data_dir=workdir / "servers", graph_url=opts.graph_url, search_url=opts.search_url,
                                search_index=BENCH_ALIAS)
            results[SERVERS] = await run_backend(SERVERS, settings, doc, work, opts, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return Measured(
        scale=opts.scale, seed=opts.seed, when=datetime.now(UTC), backends=results,
        catalog={"rows": doc.row_count(), "agencies": len(doc.agencies), "resources": len(doc.resources),
                 "fields": sum(len(r.fields) for r in doc.resources), "scenarios": len(doc.scenarios),
                 "grants": len(doc.grants), "projects": len(doc.projects)},
        workload={"search_texts": len(work.search_texts), "demands": len(work.demands),
                  "lineage_roots": [r.id for r in work.lineage_roots], "rounds": opts.rounds,
                  "seconds": opts.seconds, "concurrency": opts.concurrency, "workers": opts.workers,
                  "cpus": os.cpu_count(), "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)]},
    )


def write_results(measured: Measured, out_dir: Path) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"{measured.scale}-{measured.when:%Y-%m-%d}"
    md, js = stem.with_suffix(".md"), stem.with_suffix(".json")
    md.write_text(render_markdown(measured), encoding="utf-8")
    js.write_text(render_json(measured), encoding="utf-8")
    return md, js


def main(opts: Options) -> int:
    measured = asyncio.run(run(opts))
    md, js = write_results(measured, opts.out_dir)
    print(render_markdown(measured))
    print(render_json(measured))
    log(f"wrote {md} and {js}")
    return 0



