"""What every resolver gets: the store, the index, the request's loaders (请求上下文)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strawberry.types import Info as _Info

from graph.store import GraphStore
from loaders.registry import Loaders
from search.index import SearchIndex
from search.synonym_file import SynonymFile
from sharing.catalog_writer import CatalogWriter
from sharing.clock import Clock, SystemClock
from sharing.detail_reads import DetailReads
from sharing.identity import ANONYMOUS, Actor


@dataclass
class CatalogContext:
    store: GraphStore
    index: SearchIndex
    writer: CatalogWriter
    loaders: Loaders
    request: Any = None
    response: Any = None
    synonyms: SynonymFile = field(default_factory=SynonymFile)  # the dictionary file the index reads
    actor: Actor = ANONYMOUS  # who the request acts as (from its bearer token)
    clock: Clock = field(default_factory=SystemClock)  # workflow time (China Standard Time)
    reads: DetailReads = field(default_factory=DetailReads)  # conditional details read; audited at the end
    extra: dict[str, Any] = field(default_factory=dict)


Info = _Info[CatalogContext, None]
