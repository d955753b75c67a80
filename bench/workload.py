"""What the benchmark asks, picked deterministically so that runs compare (基准负载).

Search texts and demand items come from the labelled evaluation sets
(`tests/search_eval/queries.tsv`, `demands.tsv`) when the source tree is there, else from the
catalog's own field names; lineage roots are resources and projects evenly spaced in code order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.model import Label, NodeRef
from interchange.records import CatalogDocument

EVAL_DIR = Path(__file__).resolve().parents[1] / "tests" / "search_eval"
DEMAND_ITEMS = 20


@dataclass(frozen=True, slots=True)
class Workload:
    search_texts: list[str]
    demands: list[list[str]]  # each DEMAND_ITEMS items
    lineage_roots: list[NodeRef]


def evenly(items: Sequence[str], count: int) -> list[str]:
    """`count` items spread evenly over `items` (all of them when there are fewer)."""
    if count <= 0 or not items:
        return []
    if len(items) <= count:
        return list(items)
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def _column(path: Path, column: int) -> list[str]:
    if not path.is_file():
        return []
    values: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) > column and cells[column].strip():
            values.append(cells[column].strip())
    return list(dict.fromkeys(values))


def build_workload(doc: CatalogDocument, searches: int = 30, demands: int = 5, roots: int = 12) -> Workload:
    field_names = sorted({f.name for r in doc.resources for f in r.fields})
    texts = _column(EVAL_DIR / "queries.tsv", 0) or field_names
    items = _column(EVAL_DIR / "demands.tsv", 1) or field_names
    demand_lists: list[list[str]] = []
    for d in range(demands):
        start = d * DEMAND_ITEMS
        demand_lists.append([items[(start + i) % len(items)] for i in range(DEMAND_ITEMS)])
    resources = evenly(sorted(r.code for r in doc.resources), roots - roots // 3)
    projects = evenly(sorted(p.code for p in doc.projects), roots // 3)
    picked = [NodeRef(Label.RESOURCE, c) for c in resources] + [NodeRef(Label.PROJECT, c) for c in projects]
    return Workload(evenly(texts, searches), demand_lists if items else [], picked)
