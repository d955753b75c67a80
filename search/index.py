"""The one interface the service needs from a search index (检索索引接口).

Documents are derived from the graph (the source of truth) and can always be rebuilt from
it. Both backends (embedded, Elasticsearch) take the same `SearchQuery` and must give the
same answers; the contract tests check that.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum


class DocKind(StrEnum):
    """What a search hit is (检索对象类型)."""

    FIELD = "FIELD"  # 信息项
    RESOURCE = "RESOURCE"  # 数据资源
    AGENCY = "AGENCY"  # 机构
    SCENARIO = "SCENARIO"  # 应用场景


class MatchReason(StrEnum):
    """Why a hit matched (命中原因), strongest first."""

    EXACT = "EXACT"  # 名称完全一致
    SYNONYM = "SYNONYM"  # 同义词
    WORD = "WORD"  # 分词命中
    PARTIAL = "PARTIAL"  # 部分词（字 n-gram）
    PINYIN = "PINYIN"  # 拼音或首字母
    TRADITIONAL = "TRADITIONAL"  # 繁体转简体后命中
    TEXT = "TEXT"  # 描述/摘要中命中


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """One searchable thing. `id` is the graph node id (`Label:key`)."""

    id: str
    kind: DocKind
    name: str
    text: str = ""  # summary / description: searched with less weight
    # facets and display context (分面)
    sharing_type: str | None = None
    category: str | None = None
    provider_code: str | None = None
    provider_name: str | None = None
    level: str | None = None
    resource_code: str | None = None
    resource_name: str | None = None


_KINDS = {kind.value: kind for kind in DocKind}


def checked_doc(doc: SearchDoc) -> SearchDoc:
    """The document, its kind as a DocKind; ValueError or TypeError when it cannot be indexed."""
    if not isinstance(doc, SearchDoc):
        raise TypeError(f"expected SearchDoc, got {type(doc).__name__}")
    if not isinstance(doc.id, str) or not doc.id:
        raise ValueError("a search document needs a non-empty id")
    if not isinstance(doc.name, str) or not isinstance(doc.text, str):
        raise TypeError(f"search document {doc.id}: name and text must be strings")
    if not isinstance(doc.kind, DocKind):
        kind = _KINDS.get(str(doc.kind))
        if kind is None:
            raise ValueError(f"search document {doc.id}: unknown kind {doc.kind!r}")
        doc = replace(doc, kind=kind)
    return doc


@dataclass(frozen=True, slots=True)
class SearchFilter:
    """Facet filters; each list means "any of" (筛选条件)."""

    kinds: Sequence[DocKind] = ()
    sharing_types: Sequence[str] = ()
    categories: Sequence[str] = ()
    provider_codes: Sequence[str] = ()
    levels: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class SearchQuery:
    text: str
    filter: SearchFilter = field(default_factory=SearchFilter)
    offset: int = 0
    limit: int = 20
    explain: bool = False
    facets: bool = True
    highlight: bool = True  # False: hits carry the plain name (callers that never show it)


@dataclass(frozen=True, slots=True)
class Contribution:
    """One term or rule that added to a hit's score (评分明细)."""

    rule: str  # e.g. "exact", "synonym:统一社会信用代码", "bm25:信用", "authority"
    score: float


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    kind: DocKind
    score: float
    name: str
    highlight: str  # the name (or text) with <em>…</em> around matched parts
    reasons: tuple[MatchReason, ...] = ()
    explanation: tuple[Contribution, ...] = ()


@dataclass(frozen=True, slots=True)
class FacetCount:
    value: str
    count: int


@dataclass(frozen=True, slots=True)
class SearchResult:
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetCount]]  # keys: kind, sharingType, category, provider, level


@dataclass(frozen=True, slots=True)
class Suggestion:
    text: str
    kind: DocKind
    id: str


class SearchIndex(ABC):
    """A Chinese full-text index of catalog documents."""

    @abstractmethod
    async def open(self) -> None:
        """Connect / load, creating the index if missing (idempotent)."""

    @abstractmethod
    async def close(self) -> None: ...

    @abstractmethod
    async def upsert(self, docs: Sequence[SearchDoc]) -> None:
        """Add or replace documents by id."""

    @abstractmethod
    async def delete(self, ids: Sequence[str]) -> None:
        """Remove documents by id (missing ids are ignored)."""

    @abstractmethod
    async def search(self, query: SearchQuery) -> SearchResult: ...

    @abstractmethod
    async def suggest(self, prefix: str, limit: int = 10) -> list[Suggestion]:
        """Names starting with a prefix, also typed as pinyin or initials (自动补全)."""

    @abstractmethod
    async def count(self) -> int: ...

    @abstractmethod
    async def all_ids(self) -> set[str]:
        """Every document id (consistency checks against the graph)."""

    @abstractmethod
    async def clear(self) -> None: ...

    async def reload_synonyms(self) -> None:  # noqa: B027 - optional hook, deliberately empty
        """Re-read the synonym dictionary without a restart (同义词热加载)."""

    async def rebuild(self, batches: AsyncIterator[list[SearchDoc]]) -> int:
        """Replace the whole index with these documents (重建索引); returns how many.

        This default empties the index first; a backend that can build a new index beside
        the old one and switch over (Elasticsearch aliases) overrides it to avoid downtime.
        """
        await self.clear()
        total = 0
        async for docs in batches:
            await self.upsert(docs)
            total += len(docs)
        return total
