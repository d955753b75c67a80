"""Open the configured graph store and search index (按配置打开后端)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from app.config import Settings
from graph.store import GraphStore
from search.index import SearchIndex
from sharing.catalog_writer import CatalogWriter


@dataclass(slots=True)
class Backends:
    store: GraphStore
    index: SearchIndex
    writer: CatalogWriter


def make_store(settings: Settings) -> GraphStore:
    if settings.graph_url:
        from graph.neo4j_store import Neo4jGraphStore

        store: GraphStore = Neo4jGraphStore(
            settings.graph_url,
            user=settings.graph_user,
            password=settings.graph_password,
            database=settings.graph_database,
        )
        return store
    from graph.embedded import EmbeddedGraphStore

    return EmbeddedGraphStore(settings.data_dir)


def make_index(settings: Settings) -> SearchIndex:
    if settings.search_url:
        from search.elasticsearch_index import ElasticsearchIndex

        index: SearchIndex = ElasticsearchIndex(
            settings.search_url,
            user=settings.search_user,
            password=settings.search_password,
            alias=settings.search_index,
        )
        return index
    from search.embedded import EmbeddedSearchIndex

    embedded: SearchIndex = EmbeddedSearchIndex(settings.data_dir)
    return embedded


@asynccontextmanager
async def open_backends(settings: Settings) -> AsyncIterator[Backends]:
    store = make_store(settings)
    index = make_index(settings)
    await store.open()
    try:
        await index.open()
        try:
            yield Backends(store, index, CatalogWriter(store, index))
        finally:
            await index.close()
    finally:
        await store.close()
