"""Coverage accuracy of demand matching (需求覆盖准确率), on labelled demands.

A labelled demand (`tests/search_eval/demands.tsv`) lists items as a consumer writes them and,
for each, the field name(s) the plan should use, or `-` when the catalog cannot cover it (it
holds no such item, or only as not shared). An item is right when it is covered by a field of
an expected name, or left uncovered when `-` is expected. Coverage accuracy is the share of
right items over all items of all demands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sharing.demand_items import parse_items
from sharing.demand_matching import DemandMatcher, DemandRequest

__all__ = [
    "COVERAGE_TARGET",
    "DEMANDS_PATH",
    "CoverageEvaluation",
    "ItemOutcome",
    "LabelledDemand",
    "evaluate_coverage",
    "read_demands",
]

DEMANDS_PATH = Path(__file__).resolve().parent.parent / "tests" / "search_eval" / "demands.tsv"
COVERAGE_TARGET = 0.90
# A fixed working day, so that dates (and holidays) do not depend on when the evaluation runs.
EVALUATION_DATE = date(2026, 9, 15)


class DemandLabelsError(ValueError):
    """The demands file has a bad row, or a demand's items do not split as labelled."""


@dataclass(frozen=True, slots=True)
class LabelledDemand:
    name: str
    items: tuple[tuple[str, tuple[str, ...]], ...]  # (item as written, expected names; () = uncovered)


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    demand: str
    item: str
    expected: tuple[str, ...]
    chosen: str | None  # the field name the plan uses, None when uncovered

    @property
    def right(self) -> bool:
        return self.chosen is None if not self.expected else self.chosen in self.expected


@dataclass(frozen=True, slots=True)
class CoverageEvaluation:
    outcomes: tuple[ItemOutcome, ...]

    @property
    def accuracy(self) -> float:
        return sum(o.right for o in self.outcomes) / len(self.outcomes) if self.outcomes else 0.0

    def failures(self) -> list[ItemOutcome]:
        return [o for o in self.outcomes if not o.right]


def read_demands(path: Path = DEMANDS_PATH) -> list[LabelledDemand]:
    rows: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 3 or not all(c.strip() for c in cells):
            raise DemandLabelsError(f"{path}:{number}: expected demand<TAB>item<TAB>expected|-")
        expected = () if cells[2].strip() == "-" else tuple(e.strip() for e in cells[2].split("|") if e.strip())
        rows.setdefault(cells[0].strip(), []).append((cells[1].strip(), expected))
    return [LabelledDemand(name, tuple(items)) for name, items in rows.items()]


async def evaluate_coverage(matcher: DemandMatcher, demands: Sequence[LabelledDemand]) -> CoverageEvaluation:
    outcomes: list[ItemOutcome] = []
    for demand in demands:
        parsed = parse_items([item for item, _ in demand.items], None)
        if len(parsed.items) != len(demand.items):
            raise DemandLabelsError(
                f"demand {demand.name!r}: {len(demand.items)} items labelled, {len(parsed.items)} after splitting"
            )
        match = await matcher.match(DemandRequest(parsed=parsed, requested_on=EVALUATION_DATE))
        for (written, expected), item_match in zip(demand.items, match.items, strict=True):
            chosen = item_match.chosen.name if item_match.chosen else None
            outcomes.append(ItemOutcome(demand.name, written, expected, chosen))
    return CoverageEvaluation(tuple(outcomes))
