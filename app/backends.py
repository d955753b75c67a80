"""Open the configured graph store and search index (按配置打开后端)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from app.config import Settings
from graph.store import GraphStore
from search.index import SearchIndex
from search.synonym_file import SynonymFile
from search.synonyms import SYNONYMS_PATH
from sharing.catalog_writer import CatalogWriter
from sharing.clock import Clock, SystemClock


@dataclass(slots=True)
class Backends:
    store: GraphStore
    index: SearchIndex
    writer: CatalogWriter
    synonyms: SynonymFile = field(default_factory=SynonymFile)  # the file the index reads
    clock: Clock = field(default_factory=SystemClock)  # workflow time; tests pass a FixedClock


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
            synonyms_path=settings.synonyms_path or SYNONYMS_PATH,
        )
        return index
    from search.embedded import EmbeddedSearchIndex

    embedded: SearchIndex = EmbeddedSearchIndex(
        settings.data_dir, synonyms_path=settings.synonyms_path or SYNONYMS_PATH
    )
    return embedded


@asynccontextmanager
async def open_backends(settings: Settings) -> AsyncIterator[Backends]:
    store = make_store(settings)
    index = make_index(settings)
    await store.open()
    try:
        await index.open()
        try:
            synonyms = SynonymFile(settings.synonyms_path or SYNONYMS_PATH)
            yield Backends(store, index, CatalogWriter(store, index), synonyms)
        finally:
            await index.close()
    finally:
        await store.close()
