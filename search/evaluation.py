"""Search quality as a measured property (检索质量评测): P@1 and R@5 on labelled queries.

A labelled query (`tests/search_eval/queries.tsv`) names the field(s) a person typing it means,
and sometimes the provider whose field must come first (the source of record). Each query is
searched for fields (kind FIELD, the first RANK_DEPTH hits):

- P@1 (precision at 1): the share of queries whose first hit has an expected name — and, where a
  provider is labelled, whose provider agency's name contains it;
- R@5 (recall at 5): the share of queries with a hit of an expected name among the first five
  (each query has one labelled answer, possibly spelled several ways, so recall of that answer
  at 5 is whether it is there).

The file format: `query<TAB>category<TAB>expected|alternative<TAB>provider`, `#` comments.
The runner (`app.search_eval`, `scripts/search-eval`) loads the demo catalog and prints these
numbers with every failure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.model import Label, NodeRef
from graph.store import GraphStore
from search.index import DocKind, SearchFilter, SearchIndex, SearchQuery

__all__ = [
    "P1_TARGET",
    "QUERIES_PATH",
    "R5_TARGET",
    "LabelledQuery",
    "QueryOutcome",
    "SearchEvaluation",
    "evaluate_search",
    "read_queries",
]

QUERIES_PATH = Path(__file__).resolve().parent.parent / "tests" / "search_eval" / "queries.tsv"
P1_TARGET = 0.90
R5_TARGET = 0.97
RANK_DEPTH = 5


class EvaluationFileError(ValueError):
    """A labels file has a bad row (评测文件有误)."""


@dataclass(frozen=True, slots=True)
class LabelledQuery:
    text: str
    category: str
    expected: tuple[str, ...]  # equally right field names
    provider: str | None  # a part of the first hit's provider name, when labelled
    line: int


@dataclass(frozen=True, slots=True)
class QueryOutcome:
    query: LabelledQuery
    searched: str  # the text sent to the index (cleaned for `messy` queries)
    top: tuple[tuple[str, str], ...]  # (field name, provider name) of the first hits
    rank: int | None  # 1-based rank of the first right hit within RANK_DEPTH, None if absent
    provider_ok: bool

    @property
    def at_1(self) -> bool:
        return self.rank == 1 and self.provider_ok

    @property
    def at_5(self) -> bool:
        return self.rank is not None


@dataclass(frozen=True, slots=True)
class SearchEvaluation:
    outcomes: tuple[QueryOutcome, ...]

    @property
    def p_at_1(self) -> float:
        return _share(o.at_1 for o in self.outcomes)

    @property
    def r_at_5(self) -> float:
        return _share(o.at_5 for o in self.outcomes)

    def by_category(self) -> dict[str, tuple[int, float, float]]:
        """category → (queries, P@1, R@5)."""
        out: dict[str, tuple[int, float, float]] = {}
        for category in dict.fromkeys(o.query.category for o in self.outcomes):
            group = [o for o in self.outcomes if o.query.category == category]
            out[category] = (len(group), _share(o.at_1 for o in group), _share(o.at_5 for o in group))
        return out

    def failures(self) -> list[QueryOutcome]:
        return [o for o in self.outcomes if not (o.at_1 and o.at_5)]


def _share(flags: Iterable[bool]) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else 0.0


def read_queries(path: Path = QUERIES_PATH) -> list[LabelledQuery]:
    queries: list[LabelledQuery] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 3 or not cells[0].strip() or not cells[2].strip():
            raise EvaluationFileError(f"{path}:{number}: expected query<TAB>category<TAB>expected[<TAB>provider]")
        expected = tuple(e.strip() for e in cells[2].split("|") if e.strip())
        provider = cells[3].strip() if len(cells) > 3 and cells[3].strip() else None
        queries.append(LabelledQuery(cells[0].strip(), cells[1].strip(), expected, provider, number))
    return queries


async def evaluate_search(
    index: SearchIndex,
    store: GraphStore,
    queries: Sequence[LabelledQuery],
    clean: Callable[[str], str] | None = None,
) -> SearchEvaluation:
    """Run every query; `clean` prepares `messy` queries the way demand matching does."""
    outcomes: list[QueryOutcome] = []
    fields_only = SearchFilter(kinds=[DocKind.FIELD])
    for q in queries:
        text = clean(q.text) if clean is not None and q.category == "messy" else q.text
        result = await index.search(SearchQuery(text=text, filter=fields_only, limit=RANK_DEPTH, facets=False))
        providers = await _providers(store, [h.id for h in result.hits])
        top = tuple((h.name, p) for h, p in zip(result.hits, providers, strict=True))
        rank = next((i for i, (name, _) in enumerate(top, start=1) if name in q.expected), None)
        provider_ok = q.provider is None or bool(top and q.provider in top[0][1])
        outcomes.append(QueryOutcome(q, text, top, rank, provider_ok))
    return SearchEvaluation(tuple(outcomes))


async def _providers(store: GraphStore, hit_ids: Sequence[str]) -> list[str]:
    """The provider agency name of each field hit ("" when unknown)."""
    keys = [NodeRef.parse(i).key for i in hit_ids]
    fields = await store.get_nodes(Label.FIELD, keys) if keys else []
    codes = [str(f.get("resourceCode")) if f else "" for f in fields]
    resources = await store.get_nodes(Label.RESOURCE, codes) if codes else []
    agency_codes = [str(r.get("providerCode")) if r else "" for r in resources]
    agencies = await store.get_nodes(Label.AGENCY, agency_codes) if agency_codes else []
    return [str(a.get("name")) if a else "" for a in agencies]
