"""Where the time of a lineage goes, layer by layer (血缘查询分层计时).

For the same roots, interleaved round by round so that a noisy machine hits every layer
alike: the raw store walks (`GraphStore.trace`, one per side, what `lineage(direction:
BOTH)` asks of the store), the domain call (`resolvers.lineage.lineage`: the walks plus
agency groups, titles, paths and what the caller may see) and the GraphQL query over the
in-process ASGI app with the response cache off. Wall time and this process's CPU time
(the server's share of a Neo4j walk is in the wall time only). The planner's per-level
"projects at risk", `impact` and `projectAcceptance` are timed too.

    scripts/lineage-timing --help
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import httpx

from app.backends import open_backends
from app.config import Settings
from bench.queries import LINEAGE
from bench.stats import percentile, ratio
from bench.workload import evenly
from graph.model import Label, NodeRef
from graph.store import GraphStore
from resolvers import lineage as ask
from sharing.identity import Actor, Role
from sharing.lineage import DEFAULT_NODES, LEAVES, Flow, lineage_rels, steps
from sharing.terms import Level

PLANNER = Actor(Role.PLANNER, person="bench")

DEPTH = 5  # what bench/queries.py LINEAGE asks for

Call = Callable[[], Awaitable[object]]


@dataclass(frozen=True, slots=True)
class LayerTimes:
    """Milliseconds of one layer over every root and round: wall and client CPU."""

    samples: int
    wall_p50: float
    wall_p95: float
    cpu_p50: float
    cpu_p95: float


@dataclass(frozen=True, slots=True)
class LineageTimes:
    backend: str
    roots: int
    rounds: int
    nodes_mean: float  # nodes per lineage (the root included)
    raw: LayerTimes
    domain: LayerTimes
    graphql: LayerTimes
    planner_ms: dict[str, float]  # one call each, wall

    @property
    def graphql_over_raw(self) -> float | None:
        return ratio(self.graphql.wall_p95, self.raw.wall_p95)

    def markdown(self) -> str:
        rows = [("store walks (raw)", self.raw), ("domain lineage()", self.domain),
                ("GraphQL lineage", self.graphql)]
        lines = [
            f"**{self.backend}** — {self.roots} roots × {self.rounds} rounds, depth {DEPTH}, "
            f"first {DEFAULT_NODES}, {self.nodes_mean:.0f} nodes per lineage on average",
            "",
            "| layer | wall p50 | wall p95 | CPU p50 | CPU p95 |",
            "|---|---:|---:|---:|---:|",
        ]
        lines += [f"| {name} | {t.wall_p50:.1f} | {t.wall_p95:.1f} | {t.cpu_p50:.1f} | {t.cpu_p95:.1f} |"
                  for name, t in rows]
        over = self.graphql_over_raw
        lines += ["", f"GraphQL ÷ raw (wall p95): {over:.2f}" if over else "", "",
                  "| planner query (one call) | ms |", "|---|---:|"]
        lines += [f"| {name} | {ms:.1f} |" for name, ms in self.planner_ms.items()]
        return "\n".join(lines)


def _layer(wall: Sequence[float], cpu: Sequence[float]) -> LayerTimes:
    w = [s * 1000 for s in wall]
    c = [s * 1000 for s in cpu]
    return LayerTimes(len(w), percentile(w, 50), percentile(w, 95), percentile(c, 50), percentile(c, 95))


async def lineage_roots(store: GraphStore, count: int) -> list[NodeRef]:
    """Resources and projects evenly spaced in code order, half each (as bench/workload.py)."""
    roots: list[NodeRef] = []
    for label, share in ((Label.RESOURCE, count - count // 2), (Label.PROJECT, count // 2)):
        keys = [n.key async for batch in store.iter_nodes(label, 5000) for n in batch]
        roots += [NodeRef(label, k) for k in evenly(keys, share)]
    return roots


async def measure(
    store: GraphStore, client: httpx.AsyncClient, roots: Sequence[NodeRef], rounds: int, backend: str
) -> LineageTimes:
    """Time the three layers for `roots` (after one untimed round), then the planner queries."""
    layers: dict[str, list[Call]] = {"raw": [], "domain": [], "graphql": []}
    sizes: list[int] = []
    for root in roots:
        rels = lineage_rels(root.label)
        sides = [steps(Flow.UPSTREAM, rels), steps(Flow.DOWNSTREAM, rels)]

        async def raw(root: NodeRef = root, sides: list[Any] = sides) -> object:
            return [await store.trace(root, s, DEPTH, DEFAULT_NODES, leaves=LEAVES) for s in sides]

        async def domain(root: NodeRef = root) -> object:
            return await ask.lineage(store, root.key, Flow.BOTH, DEPTH, None, None)

        async def graphql(root: NodeRef = root) -> object:
            response = await client.post("/graphql", json={"query": LINEAGE, "variables": {"id": root.key}})
            body = response.json()
            if response.status_code != 200 or body.get("errors"):
                raise RuntimeError(f"lineage of {root.id} failed: {response.text[:300]}")
            return body

        layers["raw"].append(raw)
        layers["domain"].append(domain)
        layers["graphql"].append(graphql)
        sizes.append(len((await ask.lineage(store, root.key, Flow.BOTH, DEPTH, None, None)).nodes))
    for calls in layers.values():  # warm-up: query plans, caches, connections
        for call in calls:
            await call()
    wall: dict[str, list[float]] = {name: [] for name in layers}
    cpu: dict[str, list[float]] = {name: [] for name in layers}
    for _ in range(rounds):
        for i in range(len(roots)):
            for name, calls in layers.items():
                began, used = time.perf_counter(), time.process_time()
                await calls[i]()
                wall[name].append(time.perf_counter() - began)
                cpu[name].append(time.process_time() - used)
    return LineageTimes(
        backend=backend,
        roots=len(roots),
        rounds=rounds,
        nodes_mean=sum(sizes) / max(len(sizes), 1),
        raw=_layer(wall["raw"], cpu["raw"]),
        domain=_layer(wall["domain"], cpu["domain"]),
        graphql=_layer(wall["graphql"], cpu["graphql"]),
        planner_ms=await planner_times(store, roots),
    )


async def planner_times(store: GraphStore, roots: Sequence[NodeRef]) -> dict[str, float]:
    """One call each (after one untimed call) of the planner's queries, in milliseconds."""
    resource = next((r for r in roots if r.label is Label.RESOURCE), None)
    project = next((r for r in roots if r.label is Label.PROJECT), None)
    calls: dict[str, Call] = {}
    levels: list[Level | None] = [None, *Level]
    for level in levels:

        async def at_risk(level: Level | None = level) -> object:
            return await ask.projects_at_risk(store, level, None, None)

        calls[f"projectsAtRisk(level: {level.name if level else 'all'})"] = at_risk
    if resource is not None:
        calls[f"impact(resource: {resource.key})"] = lambda: ask.impact(store, resource.key, None, PLANNER)
    if project is not None:
        calls[f"projectAcceptance({project.key})"] = lambda: ask.project_acceptance(store, project.key, None)
    times: dict[str, float] = {}
    for name, call in calls.items():
        await call()
        began = time.perf_counter()
        await call()
        times[name] = (time.perf_counter() - began) * 1000
    return times


async def run(
    settings: Settings, roots: int, rounds: int, load: str | None, extra: Sequence[str] = ()
) -> LineageTimes:
    from app.web import create_app

    os.environ["CATALOG_RESPONSE_CACHE"] = "0"  # time the work, not the cache
    async with open_backends(settings) as b:
        if load == "demo":
            from interchange.demo import build_demo_catalog
            from interchange.load import load_document
            from interchange.origins import Origins

            await b.store.clear()
            await b.index.clear()
            await load_document(build_demo_catalog(), Origins(), "demo", b.writer)
        chosen = [(await ask.find_node(b.store, text)).ref for text in extra]
        chosen += await lineage_roots(b.store, roots)
    if not chosen:
        raise SystemExit("the catalog is empty: load one first (--load demo, or catalog generate)")
    app = create_app(settings)
    async with app.router.lifespan_context(app), open_backends(settings) as b:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return await measure(b.store, client, chosen, rounds, settings.describe())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--data-dir", type=Path, default=None, help="embedded data dir (CATALOG_DATA_DIR)")
    parser.add_argument("--graph-url", default=None, help="Neo4j Bolt URL (CATALOG_GRAPH_URL); unset: embedded")
    parser.add_argument("--load", choices=["demo"], default=None, help="clear and load the demo catalog first")
    parser.add_argument("--roots", type=int, default=20, help="lineage roots (resources and projects)")
    parser.add_argument("--root", action="append", default=[], help="also this root (a code or global ID)")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds over every root")
    parser.add_argument("--json", type=Path, default=None, help="also write the numbers here")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.data_dir is not None:
        settings = replace(settings, data_dir=args.data_dir)
    if args.graph_url is not None:
        settings = replace(settings, graph_url=args.graph_url or None)
    times = asyncio.run(run(settings, args.roots, args.rounds, args.load, args.root))
    print(times.markdown())
    if args.json is not None:
        args.json.write_text(json.dumps({**asdict(times), "graphql_over_raw": times.graphql_over_raw},
                                        ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
