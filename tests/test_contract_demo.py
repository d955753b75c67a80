"""The demo catalog answers the questions the README promises (示例目录验收)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from app.backends import Backends
from graph.model import Label, NodeRef
from interchange.demo import build_demo_catalog
from interchange.load import load_document
from interchange.origins import Origins
from search.index import DocKind, SearchFilter, SearchQuery

SCJG_NAME = "济宁市市场监督管理局"


@pytest.fixture
async def demo(backends: Backends) -> AsyncIterator[Backends]:
    report = await load_document(build_demo_catalog(), Origins(), "demo", backends.writer)
    assert report.search_pending == 0
    yield backends


async def provider_name(b: Backends, field_id: str) -> str:
    ref = NodeRef.parse(field_id)
    (field,) = await b.store.get_nodes(ref.label, [ref.key])
    assert field is not None
    (resource,) = await b.store.get_nodes(Label.RESOURCE, [str(field.get("resourceCode"))])
    assert resource is not None
    (agency,) = await b.store.get_nodes(Label.AGENCY, [str(resource.get("providerCode"))])
    assert agency is not None
    return str(agency.get("name"))


async def test_credit_code_search_lists_market_regulation_first(demo: Backends) -> None:
    result = await demo.index.search(
        SearchQuery(text="信用代码", filter=SearchFilter(kinds=[DocKind.FIELD]), limit=3)
    )
    assert result.total >= 3
    for hit in result.hits:
        assert hit.name == "统一社会信用代码"
        assert await provider_name(demo, hit.id) == SCJG_NAME


async def test_demo_load_is_idempotent(demo: Backends) -> None:
    again = await load_document(build_demo_catalog(), Origins(), "demo", demo.writer)
    assert again.unchanged
