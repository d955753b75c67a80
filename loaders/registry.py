"""The loaders of one request, created on first use (请求内的加载器集合)."""

from __future__ import annotations

from graph.model import Direction, Label, Rel
from graph.store import GraphStore
from loaders.neighbor_loader import NeighborLoader
from loaders.node_loader import NodeLoader


class Loaders:
    """Memoised per request: the same key asked twice in one query is fetched once."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self._nodes: dict[Label, NodeLoader] = {}
        self._neighbors: dict[tuple[Label, Rel, Direction], NeighborLoader] = {}

    def nodes(self, label: Label) -> NodeLoader:
        if label not in self._nodes:
            self._nodes[label] = NodeLoader(self._store, label)
        return self._nodes[label]

    def neighbors(self, label: Label, rel: Rel, direction: Direction) -> NeighborLoader:
        key = (label, rel, direction)
        if key not in self._neighbors:
            self._neighbors[key] = NeighborLoader(self._store, label, rel, direction)
        return self._neighbors[key]
