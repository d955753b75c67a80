"""The GraphQL the benchmark sends (基准查询): what a client of the catalog would send."""

from __future__ import annotations

SEARCH = """query Search($q: String!) {
  search(query: $q, first: 10) {
    totalCount
    edges { node { score highlight reasons kind
      entity { ... on Field { name resource { code name provider { name } } }
               ... on DataResource { code name provider { name } } } } }
    facets { sharingType { value label count } provider { value label count } }
  }
}"""

MATCH_DEMAND = """query Match($items: [String!]!) {
  matchDemand(input: { items: $items, requestDate: "2026-09-30" }) {
    itemCount coveredCount
    items { cleaned covered chosen { field { name } resource { code name } sharingType reasons } }
    plan { resourceCount expectedDate resources { resource { code name } provider { name } approvalPath
      expectedDate fields { field { name } items } } }
    uncovered { item reason likelyProvider { name } }
  }
}"""

LINEAGE = """query Lineage($id: ID!) {
  lineage(id: $id, direction: BOTH, depth: 5) {
    nodeCount edgeCount truncated { byDepth bySize }
    nodes { id kindLabel name hop side agency { name } hasMore }
    edges { type upstream downstream }
    paths { node path }
  }
}"""

# The browse page: resources with their provider, fields and services (the same text runs
# against the catalog and against the in-memory ceiling schema of bench/memory_page.py).
BROWSE = """query Browse($first: Int) {
  resources(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      code name sharingType
      provider { code name level }
      fields(first: 10) { name dataType }
      services { code kind status fields { name } }
    } }
  }
}"""
