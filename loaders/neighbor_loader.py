"""Nodes one relationship away, batched per (label, type, direction) (批量取相邻节点)."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from graph.model import Direction, Label, Node, Rel
from graph.store import GraphStore


class NeighborLoader(DataLoader[str, list[Node]]):
    def __init__(self, store: GraphStore, label: Label, rel: Rel, direction: Direction) -> None:
        async def load(keys: Sequence[str]) -> list[list[Node]]:
            return await store.neighbors(label, list(keys), rel, direction)

        super().__init__(load_fn=load)
