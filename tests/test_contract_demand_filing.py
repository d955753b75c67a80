"""Filing demands is all or nothing (需求登记：要么全部写入，要么都不写), on every backend."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest

from app.backends import Backends
from graph.errors import StoreError
from graph.model import Direction, Edge, Label, NodeRef, Rel
from interchange.load import load_document
from interchange.origins import Origins
from search.authority import AuthorityRegistry
from sharing.demand_filing import DemandFiling, demand_changes, file_demand
from sharing.demand_items import parse_items
from sharing.demand_matching import DemandMatch, DemandMatcher, DemandRequest
from tests.sample_catalog import DSJ, sample_document


@pytest.fixture
async def sample(backends: Backends) -> AsyncIterator[Backends]:
    await load_document(sample_document(), Origins(), "sample", backends.writer)
    yield backends


async def uncovered_match(b: Backends) -> DemandMatch:
    matcher = DemandMatcher(b.store, b.index, synonyms=b.synonyms.dictionary(), authorities=AuthorityRegistry())
    parsed = parse_items(None, "护照号码、宠物犬登记证号、姓名")
    return await matcher.match(DemandRequest(parsed, date(2026, 9, 29), requester=DSJ))


async def test_one_filing_writes_every_demand_in_one_change_set(sample: Backends) -> None:
    match = await uncovered_match(sample)
    assert match.requester is not None
    written = await file_demand(sample.writer, DemandFiling(match, match.requester, date(2026, 9, 29)))
    assert len(written) == 2  # one routed to the police, one for the bureau to route
    assert await sample.store.count_nodes(Label.DEMAND) == 2
    routed = await sample.store.neighbors(Label.DEMAND, [n.key for n in written], Rel.ROUTED_TO, Direction.OUT)
    assert [len(r) for r in routed] == [1, 0]


async def test_a_failing_write_leaves_no_demand_behind(sample: Backends) -> None:
    match = await uncovered_match(sample)
    assert match.requester is not None
    changes, _ = demand_changes(DemandFiling(match, match.requester, date(2026, 9, 29), token="broken"))
    second = [n for n in changes.upserts if n.label is Label.DEMAND][1]
    # the second entry is routed to an agency that does not exist: the store must refuse the lot
    missing = NodeRef(Label.AGENCY, "NO-SUCH-AGENCY")
    changes.edges[(second.ref, Rel.ROUTED_TO)] = [Edge(Rel.ROUTED_TO, second.ref, missing)]
    with pytest.raises(StoreError):
        await sample.writer.apply(changes)
    assert await sample.store.count_nodes(Label.DEMAND) == 0
