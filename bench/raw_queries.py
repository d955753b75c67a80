"""The raw index and graph queries behind `search` and `lineage` (原生查询), called directly."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from graph.model import NodeRef
from graph.store import GraphStore
from search.elasticsearch_index import ElasticsearchIndex
from search.index import SearchIndex, SearchQuery
from sharing.lineage import DEFAULT_NODES, LEAVES, Flow, lineage_rels, steps

SEARCH_PAGE = 10  # `first` of bench/queries.py SEARCH
LINEAGE_DEPTH = 5

Call = Callable[[], Awaitable[object]]


def index_search(index: SearchIndex, text: str) -> Call:
    """The index's own search call, as the resolver issues it."""
    query = SearchQuery(text=text, limit=SEARCH_PAGE)

    async def call() -> object:
        return await index.search(query)

    return call


async def elasticsearch_requests(index: ElasticsearchIndex, text: str) -> Call:
    """The Elasticsearch requests `ElasticsearchIndex.search` sends for `text` (the statistics
    request and term vectors in parallel, then the search body), built once and then sent
    with the client directly: what Elasticsearch costs without the adapter and the API."""
    client, planner = index._open_client(), index._open_planner()
    draft = planner.draft(text)
    stats_body = planner.stats_request(draft)
    vectors = planner.term_vectors_request(draft)
    stats = await index._stats(client, planner, draft)
    plan = planner.plan(draft, stats)
    body = planner.search_request(plan, SearchQuery(text).filter, 0, SEARCH_PAGE, True)
    alias = index.alias

    async def call() -> object:
        counts: Awaitable[Any] = client.search(index=alias, body=stats_body)
        if vectors["fields"]:
            await asyncio.gather(counts, client.termvectors(index=alias, **vectors))
        else:
            await counts
        return await client.search(index=alias, body=body, include_named_queries_score=True)

    return call


def store_trace(store: GraphStore, root: NodeRef) -> Call:
    """The store walks `lineage(id, direction: BOTH, depth: 5)` makes: one `trace` per side
    with the resolver's steps, node cap and leaves (sharing/lineage.py `trace_lineage`)."""
    rels = lineage_rels(root.label)
    sides = [steps(Flow.UPSTREAM, rels), steps(Flow.DOWNSTREAM, rels)]

    async def call() -> object:
        return [await store.trace(root, s, LINEAGE_DEPTH, DEFAULT_NODES, leaves=LEAVES) for s in sides]

    return call
