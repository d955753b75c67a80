"""Nodes by key, one store call per label per tick (按编码批量取节点)."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from graph.model import Label, Node
from graph.store import GraphStore


class NodeLoader(DataLoader[str, Node | None]):
    def __init__(self, store: GraphStore, label: Label) -> None:
        async def load(keys: Sequence[str]) -> list[Node | None]:
            return await store.get_nodes(label, list(keys))

        super().__init__(load_fn=load)
