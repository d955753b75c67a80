"""Store calls per GraphQL request, counted in process (每个请求的存储调用次数)."""

from __future__ import annotations

from collections import Counter
from typing import Any, cast

from app.backends import Backends
from graph.store import GraphStore
from loaders.registry import Loaders
from resolvers.context import CatalogContext
from schema.build import build_schema


class CountingStore:
    """Forwards to a store, counting every method called (a stand-in for `GraphStore`)."""

    def __init__(self, inner: GraphStore) -> None:
        self._inner = inner
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if not callable(attr):
            return attr

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return attr(*args, **kwargs)

        return counted


async def execute_counted(backends: Backends, query: str, variables: dict[str, Any]
                          ) -> tuple[int, dict[str, Any]]:
    """(store calls, data) of one query run against the backends through the catalog schema."""
    counting = CountingStore(backends.store)
    store = cast(GraphStore, counting)
    context = CatalogContext(store=store, index=backends.index, writer=backends.writer, loaders=Loaders(store))
    result = await build_schema().execute(query, variable_values=variables, context_value=context)
    if result.errors or result.data is None:
        raise RuntimeError(f"query failed: {result.errors}")
    return sum(counting.calls.values()), dict(result.data)

