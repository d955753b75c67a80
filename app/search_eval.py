"""The search evaluation (检索评测): demo catalog in, P@1, R@5 and coverage accuracy out.

    scripts/search-eval [--search-url http://127.0.0.1:9200] [--search-index catalog-eval]
                        [--data-dir DIR] [--check] [--all]

Loads the demo catalog (`interchange.demo`, seed 2026) into an embedded graph store in a fresh
temporary directory (or `--data-dir`) and into the search index: the embedded one there, or
Elasticsearch when `--search-url` or `CATALOG_SEARCH_URL` is set, under its own alias
(`--search-index`, default `catalog-eval`, emptied before and after; never the alias the service
uses unless you pass it). Then it runs the labelled queries (`search.evaluation`) and demands
(`sharing.demand_evaluation`) and prints the numbers with every failure. With `--check` the exit
status is 1 when a target is missed (P@1 ≥ 0.90, R@5 ≥ 0.97, coverage ≥ 0.90).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from app.backends import Backends, open_backends
from app.config import Settings
from interchange.demo import build_demo_catalog
from interchange.load import load_document
from interchange.origins import Origins
from search.authority import AuthorityRegistry
from search.evaluation import P1_TARGET, QUERIES_PATH, R5_TARGET, SearchEvaluation, evaluate_search, read_queries
from sharing.demand_evaluation import (
    COVERAGE_TARGET,
    DEMANDS_PATH,
    CoverageEvaluation,
    evaluate_coverage,
    read_demands,
)
from sharing.demand_items import parse_items
from sharing.demand_matching import DemandMatcher

DEFAULT_EVAL_INDEX = "catalog-eval"


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    search: SearchEvaluation
    coverage: CoverageEvaluation

    def meets_targets(self) -> bool:
        return (
            self.search.p_at_1 >= P1_TARGET
            and self.search.r_at_5 >= R5_TARGET
            and self.coverage.accuracy >= COVERAGE_TARGET
        )


def clean_item(text: str) -> str:
    """A query as demand matching cleans an item (the first item of the text)."""
    parsed = parse_items([text], None)
    return parsed.items[0].name if parsed.items else text


async def evaluate(b: Backends, queries: Path = QUERIES_PATH, demands: Path = DEMANDS_PATH) -> EvaluationReport:
    """Run both evaluations on backends that hold the demo catalog."""
    search = await evaluate_search(b.index, b.store, read_queries(queries), clean=clean_item)
    matcher = DemandMatcher(b.store, b.index, synonyms=b.synonyms.dictionary(), authorities=AuthorityRegistry())
    coverage = await evaluate_coverage(matcher, read_demands(demands))
    return EvaluationReport(search, coverage)


async def load_demo(b: Backends) -> None:
    await b.store.clear()
    await b.index.clear()
    await load_document(build_demo_catalog(), Origins(), "demo", b.writer)


def print_report(report: EvaluationReport, out: TextIO, show_all: bool = False) -> None:
    s, c = report.search, report.coverage
    mark = {True: "ok", False: "MISSED"}
    print(f"field search: {len(s.outcomes)} queries", file=out)
    print(f"  P@1 {s.p_at_1:.3f}  (target {P1_TARGET:.2f}, {mark[s.p_at_1 >= P1_TARGET]})", file=out)
    print(f"  R@5 {s.r_at_5:.3f}  (target {R5_TARGET:.2f}, {mark[s.r_at_5 >= R5_TARGET]})", file=out)
    for category, (n, p1, r5) in s.by_category().items():
        print(f"    {category:<13} {n:>4}  P@1 {p1:.2f}  R@5 {r5:.2f}", file=out)
    print(f"matchDemand coverage: {len(c.outcomes)} items", file=out)
    print(f"  accuracy {c.accuracy:.3f}  (target {COVERAGE_TARGET:.2f}, {mark[c.accuracy >= COVERAGE_TARGET]})",
          file=out)
    outcomes = s.outcomes if show_all else tuple(s.failures())
    if outcomes:
        print("search failures:" if not show_all else "search results:", file=out)
    for o in outcomes:
        top = "; ".join(f"{name} ({provider})" for name, provider in o.top[:3]) or "(no hit)"
        want = "|".join(o.query.expected) + (f" @ {o.query.provider}" if o.query.provider else "")
        rank = f"rank {o.rank}" if o.rank else "not in top 5"
        print(f"  [{o.query.category}] {o.query.text!r} → want {want}; {rank}; got {top}", file=out)
    failures = c.failures()
    if failures:
        print("coverage failures:", file=out)
    for f in failures:
        want = "|".join(f.expected) or "uncovered"
        print(f"  [{f.demand}] {f.item!r} → want {want}; got {f.chosen or 'uncovered'}", file=out)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="search-eval", description="检索评测 / search evaluation on the demo catalog")
    p.add_argument("--search-url", default=os.environ.get("CATALOG_SEARCH_URL") or None,
                   help="Elasticsearch URL (default $CATALOG_SEARCH_URL; unset: the embedded index)")
    p.add_argument("--search-index", default=DEFAULT_EVAL_INDEX,
                   help=f"Elasticsearch alias for the evaluation (default {DEFAULT_EVAL_INDEX}; it is emptied)")
    p.add_argument("--data-dir", type=Path, default=None,
                   help="embedded graph/index directory (default: a fresh temporary directory)")
    p.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    p.add_argument("--all", action="store_true", help="print every query's result, not only failures")
    return p


async def _run(args: argparse.Namespace, data_dir: Path) -> EvaluationReport:
    env = Settings.from_env()
    settings = Settings(
        data_dir=data_dir,
        search_url=args.search_url,
        search_user=env.search_user,
        search_password=env.search_password,
        search_index=args.search_index,
        synonyms_path=env.synonyms_path,
    )
    async with open_backends(settings) as b:
        await load_demo(b)
        try:
            return await evaluate(b)
        finally:
            if args.search_url:
                await b.index.clear()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.data_dir is not None:
        report = asyncio.run(_run(args, args.data_dir))
    else:
        with tempfile.TemporaryDirectory(prefix="search-eval-") as tmp:
            report = asyncio.run(_run(args, Path(tmp)))
    print_report(report, sys.stdout, show_all=args.all)
    return 1 if args.check and not report.meets_targets() else 0


if __name__ == "__main__":
    raise SystemExit(main())
