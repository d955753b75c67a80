"""The `catalog` command (命令行): serve, load, demo, export, export-schema, reindex."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from tqdm import tqdm

from app.admin_commands import COMMANDS as ADMIN_COMMANDS
from app.admin_commands import add_commands as add_admin_commands
from app.backends import Backends, open_backends
from app.config import Settings
from graph.model import Label, NodeRef
from interchange.problems import InvalidCatalogFile
from search.index import SearchDoc
from search.projection import INDEXED_LABELS, project

SCHEMA_FILE = "schema.graphql"
MAX_PROBLEMS_SHOWN = 200


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="catalog",
        description="济宁市公共数据共享目录服务 / Public-data sharing catalog service",
    )
    p.add_argument("--data-dir", type=Path, default=None,
                   help="嵌入式存储目录 / embedded data directory (default $CATALOG_DATA_DIR or ./.data)")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("serve", help="启动 GraphQL 服务 / serve GraphQL and GraphiQL")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--workers", type=int, default=1)

    ld = sub.add_parser("load", help="导入目录文件 / load a catalog file (.json or .xlsx)")
    ld.add_argument("file", type=Path)

    d = sub.add_parser("demo", help="生成并导入济宁示例目录 / build and load the demo catalog")
    d.add_argument("--seed", type=int, default=2026)
    d.add_argument("--fresh", action="store_true", help="先清空 / empty the catalog first")

    e = sub.add_parser("export", help="导出整个目录 / export the catalog (JSON and XLSX)")
    e.add_argument("--out", type=Path, default=Path("export"))
    e.add_argument("--format", choices=["json", "xlsx", "both"], default="both")

    es = sub.add_parser("export-schema", help="写出 GraphQL SDL / write the schema SDL")
    es.add_argument("--out", type=Path, default=Path(SCHEMA_FILE))

    pr = sub.add_parser("project-report", help="导出项目数据依赖报告 / write a project's dependency report (XLSX)")
    pr.add_argument("code", help="项目代码 / project code")
    pr.add_argument("--out", type=Path, default=None, help="输出文件 / output file (default CODE.xlsx)")
    pr.add_argument("--as-of", default=None, help="评估日期 YYYY-MM-DD / day to assess (default today)")

    r = sub.add_parser("reindex", help="由图重建检索索引 / rebuild the search index from the graph")
    r.add_argument("--pending", action="store_true",
                   help="只补齐待索引的变更 / only catch up on pending changes")

    g = sub.add_parser("generate", help="生成规模化目录 / generate a city- or province-scale catalog")
    g.add_argument("--scale", choices=["test", "city", "province"], default="city",
                   help="规模 / size (city ≈ 10,000 resources, province ≈ 100,000)")
    g.add_argument("--seed", type=int, default=2026)
    g.add_argument("--out", type=Path, default=None,
                   help="写入文件 FILE.json|.xlsx 而不导入 / write a file instead of loading the (empty) catalog")

    bn = sub.add_parser("bench", help="性能基准：目录与原生后端对比 / benchmark against the raw backends")
    bn.add_argument("--scale", choices=["demo", "test", "city", "province"], default="demo")
    bn.add_argument("--seed", type=int, default=2026)
    bn.add_argument("--rounds", type=int, default=5, help="每项计时轮数 / timed rounds per query set")
    bn.add_argument("--seconds", type=float, default=10.0, help="吞吐测量时长 / seconds per throughput run")
    bn.add_argument("--concurrency", type=int, default=4, help="并发客户端 / concurrent HTTP clients")
    bn.add_argument("--workers", type=int, default=2, help="uvicorn 进程数 / server workers")
    bn.add_argument("--graph-url", default=None, help="Neo4j Bolt URL (default $CATALOG_GRAPH_URL)")
    bn.add_argument("--search-url", default=None, help="Elasticsearch URL (default $CATALOG_SEARCH_URL)")
    bn.add_argument("--no-embedded", action="store_true", help="跳过嵌入式后端 / skip the embedded default")
    bn.add_argument("--wipe", action="store_true",
                    help="允许清空 Neo4j 库 / allow emptying the Neo4j database first")
    bn.add_argument("--out", type=Path, default=None, help="结果目录 / results directory (default bench/results)")
    add_admin_commands(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings.from_env().with_data_dir(args.data_dir)
    if args.command == "serve":
        return _serve(settings, args.host, args.port, args.workers)
    if args.command == "bench":
        return _bench(settings, args)
    if args.command == "export-schema":
        from schema.build import build_schema

        args.out.write_text(sdl(build_schema()), encoding="utf-8")
        print(f"wrote {args.out}")
        return 0
    try:
        return asyncio.run(_COMMANDS[args.command](settings, args))
    except InvalidCatalogFile as exc:
        print(f"文件被拒绝，未写入任何内容 / file rejected, nothing written "
              f"({len(exc.problems)} problem(s)):", file=sys.stderr)
        for problem in exc.problems[:MAX_PROBLEMS_SHOWN]:
            print(f"  {problem}", file=sys.stderr)
        hidden = len(exc.problems) - MAX_PROBLEMS_SHOWN
        if hidden > 0:
            print(f"  …另有 {hidden} 个问题未列出 / {hidden} more not shown", file=sys.stderr)
        return 2


def sdl(schema: object) -> str:
    return str(schema).rstrip() + "\n"


def _serve(settings: Settings, host: str, port: int, workers: int) -> int:
    import os

    import uvicorn

    # Workers are separate processes: hand them the settings through the environment.
    os.environ["CATALOG_DATA_DIR"] = str(settings.data_dir)
    print(f"serving on http://{host}:{port}/graphql — {settings.describe()}")
    uvicorn.run("app.web:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="info")
    return 0


def _bench(settings: Settings, args: argparse.Namespace) -> int:
    from bench.run import RESULTS_DIR, Options
    from bench.run import main as bench_main

    return bench_main(Options(
        scale=args.scale, seed=args.seed, rounds=args.rounds, seconds=args.seconds,
        concurrency=args.concurrency, workers=args.workers,
        graph_url=args.graph_url or settings.graph_url, search_url=args.search_url or settings.search_url,
        wipe=args.wipe, out_dir=args.out or RESULTS_DIR, embedded=not args.no_embedded,
    ))


class _Bars:
    """tqdm bars per phase of a load (reading rows, indexing documents)."""

    def __init__(self) -> None:
        self.bars: dict[str, tqdm[Any]] = {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase not in self.bars:
            desc = {"read": "读取 read", "index": "索引 index", "graph": "图 graph"}.get(phase, phase)
            self.bars[phase] = tqdm(total=total or None, desc=desc, unit="行", disable=None, leave=True)
        self.bars[phase].update(done)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


async def _load(settings: Settings, args: argparse.Namespace) -> int:
    from interchange.load import load_file

    bars = _Bars()
    async with open_backends(settings) as b:
        try:
            report = await load_file(args.file, b.writer, bars)
        finally:
            bars.close()
    _print_report(report)
    return 0


def _print_report(report: object) -> None:
    from interchange.load import LoadReport

    assert isinstance(report, LoadReport)
    if report.unchanged:
        print(f"{report.file}: {report.rows} 行，与目录一致，无变更 / unchanged, nothing written")
    else:
        print(f"{report.file}: {report.rows} 行 rows; 写入 written {report.nodes_written} nodes, "
              f"{report.edge_lists_written} edge lists; 删除 deleted {report.nodes_deleted}")
    if report.search_pending:
        print(f"检索索引暂未更新 {report.search_pending} 条，将自动补齐 / search index behind by "
              f"{report.search_pending} documents; run `catalog reindex --pending`",
              file=sys.stderr)


async def _demo(settings: Settings, args: argparse.Namespace) -> int:
    from interchange.demo import build_demo_catalog
    from interchange.load import load_document
    from interchange.origins import Origins

    doc = build_demo_catalog(args.seed)
    bars = _Bars()
    async with open_backends(settings) as b:
        if args.fresh:
            await b.store.clear()
            await b.index.clear()
        try:
            report = await load_document(doc, Origins(), f"demo (seed {args.seed})", b.writer, bars)
        finally:
            bars.close()
    _print_report(report)
    return 0


async def _export(settings: Settings, args: argparse.Namespace) -> int:
    from interchange.catalog_reader import read_catalog
    from interchange.json_format import write_json
    from interchange.xlsx_format import write_xlsx

    async with open_backends(settings) as b:
        doc = await read_catalog(b.store)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.format in ("json", "both"):
        write_json(doc, args.out / "catalog.json")
        print(f"wrote {args.out / 'catalog.json'}")
    if args.format in ("xlsx", "both"):
        write_xlsx(doc, args.out / "catalog.xlsx")
        print(f"wrote {args.out / 'catalog.xlsx'}")
    return 0


async def graph_documents(b: Backends, progress: Callable[[int], None] | None = None
                          ) -> AsyncIterator[list[SearchDoc]]:
    """Every search document, projected from the graph in batches."""
    for label in INDEXED_LABELS:
        async for nodes in b.store.iter_nodes(label):
            docs, _ = await project(b.store, [NodeRef(label, n.key) for n in nodes])
            if progress:
                progress(len(docs))
            yield docs


async def _reindex(settings: Settings, args: argparse.Namespace) -> int:
    async with open_backends(settings) as b:
        if args.pending:
            left = await b.writer.catch_up()
            print(f"补齐完成，剩余 {left} / caught up, {left} pending")
            return 0 if left == 0 else 1
        total = sum([await b.store.count_nodes(label) for label in INDEXED_LABELS])
        with tqdm(total=total, desc="重建索引 reindex", unit="doc", disable=None) as bar:

            def advance(n: int) -> None:
                bar.update(n)

            count = await b.index.rebuild(graph_documents(b, advance))
        await b.writer.announce_search_change()
        await _drop_outbox(b)
    print(f"重建索引 {count} 条 / reindexed {count} documents")
    return 0


async def _drop_outbox(b: Backends) -> None:
    """A full rebuild supersedes every pending outbox entry."""
    from graph.model import ChangeSet

    refs: list[NodeRef] = []
    async for batch in b.store.iter_nodes(Label.INDEX_OUTBOX):
        refs.extend(n.ref for n in batch)
    if refs:
        await b.store.write(ChangeSet(deletes=refs))


async def _project_report(settings: Settings, args: argparse.Namespace) -> int:
    from interchange.project_report import build_report, write_report
    from resolvers.lineage import check_day
    from schema.errors import CatalogError

    try:
        day = check_day(args.as_of, "--as-of")
    except CatalogError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    async with open_backends(settings) as b:
        report = await build_report(b.store, args.code, day)
    if report is None:
        print(f"项目「{args.code}」不存在 / project {args.code!r} does not exist", file=sys.stderr)
        return 1
    out = args.out or Path(f"{args.code}.xlsx")
    write_report(report, out)
    print(f"wrote {out}: {report.acceptance.verdict.label_zh} / {report.acceptance.verdict.value}")
    return 0


async def _generate(settings: Settings, args: argparse.Namespace) -> int:
    from interchange.generator import generate_catalog

    began = time.perf_counter()
    doc = generate_catalog(args.scale, args.seed)
    generated = time.perf_counter() - began
    if args.out is not None:
        return _write_generated(doc, args.out, generated)
    from interchange.bulk_load import BulkLoadRefused, bulk_load

    bars = _Bars()
    async with open_backends(settings) as b:
        try:
            report = await bulk_load(doc, f"generated {args.scale} (seed {args.seed})", b.store, b.index, bars)
        except BulkLoadRefused as exc:
            print(f"{exc.code}: {exc.message_zh}\n{exc.message_en}", file=sys.stderr)
            return 2
        finally:
            bars.close()
    report.seconds = {"generate": generated, **report.seconds}
    print(f"{report.file} → {settings.describe()}")
    if report.recovered:
        print("已清除上次中断的批量导入 / cleared an interrupted earlier bulk load")
    print("  " + ", ".join(f"{k} {v:,}" for k, v in report.counts.items()))
    print(f"  {report.rows:,} 行 rows; {report.nodes:,} nodes, {report.edges:,} edges, "
          f"{report.documents:,} search documents")
    print("  " + ", ".join(f"{k} {v:.1f} s" for k, v in report.seconds.items())
          + f"; {report.rows_per_second:,.0f} rows/s")
    return 0


def _write_generated(doc: object, out: Path, generated: float) -> int:
    from interchange.json_format import write_json
    from interchange.records import CatalogDocument
    from interchange.xlsx_format import write_xlsx

    assert isinstance(doc, CatalogDocument)
    suffix = out.suffix.lower()
    if suffix not in (".json", ".xlsx"):
        print(f"不支持的文件类型「{suffix}」，请使用 .json 或 .xlsx / unsupported file type {suffix!r}: "
              "use .json or .xlsx", file=sys.stderr)
        return 2
    began = time.perf_counter()
    (write_json if suffix == ".json" else write_xlsx)(doc, out)
    print(f"wrote {out}: {doc.row_count():,} rows (generate {generated:.1f} s, "
          f"write {time.perf_counter() - began:.1f} s)")
    return 0


_COMMANDS = {"load": _load, "demo": _demo, "export": _export, "reindex": _reindex,
             "project-report": _project_report, "generate": _generate, **ADMIN_COMMANDS}


if __name__ == "__main__":
    raise SystemExit(main())
