"""Search quality is a measured property (检索质量): the evaluation set meets its targets.

Runs `scripts/search-eval`'s evaluation on each configured backend: P@1 and R@5 of field
search over tests/search_eval/queries.tsv, coverage accuracy of matchDemand over
tests/search_eval/demands.tsv, both on the demo catalog.
"""

from __future__ import annotations

import io

from app.backends import Backends
from app.search_eval import evaluate, load_demo, print_report
from interchange.demo import build_demo_catalog
from search.evaluation import P1_TARGET, R5_TARGET, read_queries
from sharing.demand_evaluation import COVERAGE_TARGET, read_demands


def test_the_evaluation_set_is_large_enough_and_labels_real_fields() -> None:
    names = {f.name for r in build_demo_catalog().resources for f in r.fields}
    queries = read_queries()
    assert len(queries) >= 150
    assert {q.category for q in queries} >= {
        "synonym", "abbreviation", "partial", "pinyin", "initials", "traditional", "extra", "messy",
    }
    assert all(set(q.expected) <= names for q in queries), [q.text for q in queries if not set(q.expected) <= names]
    demands = read_demands()
    labelled = [e for d in demands for _, expected in d.items for e in expected]
    assert len(demands) >= 8 and set(labelled) <= names


async def test_search_quality_meets_its_targets(backends: Backends) -> None:
    await load_demo(backends)
    report = await evaluate(backends)
    out = io.StringIO()
    print_report(report, out)
    assert report.search.p_at_1 >= P1_TARGET, out.getvalue()
    assert report.search.r_at_5 >= R5_TARGET, out.getvalue()
    assert report.coverage.accuracy >= COVERAGE_TARGET, out.getvalue()
