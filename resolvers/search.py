"""The search query: validate the text, ask the index, load the hits (检索)."""

from __future__ import annotations

import asyncio
from typing import Any

from graph.model import Label, NodeRef
from resolvers.context import Info
from schema.enums import SearchKind
from schema.errors import CatalogError, ErrorCode
from schema.inputs import SearchFilter
from schema.node import wrap
from schema.pagination import PageInfo, decode_cursor, encode_cursor, page_size
from schema.search import (
    FacetValue,
    ScoreContribution,
    SearchConnection,
    SearchEdge,
    SearchFacets,
    SearchHit,
    Suggestion,
)
from search import index as idx
from sharing import terms

MAX_QUERY_LENGTH = 200
MAX_OFFSET = 10_000
DEFAULT_SUGGESTIONS = 10
MAX_SUGGESTIONS = 20
# What autocomplete offers by default: names of fields, resources and agencies.
SUGGEST_KINDS = (SearchKind.FIELD, SearchKind.RESOURCE, SearchKind.AGENCY)


def clean_query(text: str, field: str = "query") -> str:
    cleaned = text.strip()
    if not cleaned:
        raise CatalogError(
            ErrorCode.EMPTY_QUERY, "检索词不能为空", "the search text must not be empty",
            field=field,
        )
    if len(cleaned) > MAX_QUERY_LENGTH:
        raise CatalogError(
            ErrorCode.INPUT_TOO_LONG,
            f"检索词过长（最多 {MAX_QUERY_LENGTH} 个字符）",
            f"search text too long (at most {MAX_QUERY_LENGTH} characters)",
            field=field,
        )
    return cleaned


def _offset(after: str | None) -> int:
    value = decode_cursor("o", after)
    if value is None:
        return 0
    if not value.isdigit() or int(value) > MAX_OFFSET:
        raise CatalogError(ErrorCode.INVALID_CURSOR, "游标无效", "invalid cursor", field="after")
    return int(value) + 1


async def search(
    info: Info,
    query: str,
    types: list[SearchKind] | None,
    filter: SearchFilter | None,
    first: int | None,
    after: str | None,
    explain: bool,
) -> SearchConnection:
    text = clean_query(query)
    size = page_size(first)
    offset = _offset(after)
    f = filter or SearchFilter()
    q = idx.SearchQuery(
        text=text,
        filter=idx.SearchFilter(
            kinds=[idx.DocKind(t.value) for t in types or []],
            sharing_types=[s.value for s in f.sharing_types or []],
            categories=list(f.categories or []),
            provider_codes=list(f.providers or []),
            levels=[lv.value for lv in f.levels or []],
        ),
        offset=offset,
        limit=size,
        explain=explain,
    )
    ctx = info.context
    try:
        result = await ctx.index.search(q)
    except Exception as exc:
        raise CatalogError(
            ErrorCode.SEARCH_UNAVAILABLE,
            "检索服务暂不可用，请稍后再试；浏览查询不受影响",
            "search is unavailable right now; browsing still works",
        ) from exc

    refs = [NodeRef.parse(h.id) for h in result.hits]
    nodes = await asyncio.gather(*(ctx.loaders.nodes(r.label).load(r.key) for r in refs))
    edges: list[SearchEdge] = []
    for i, (hit, node) in enumerate(zip(result.hits, nodes, strict=True)):
        if node is None:  # index ahead of a delete: skip rather than fail
            continue
        edges.append(
            SearchEdge(
                cursor=encode_cursor("o", str(offset + i)),
                node=SearchHit(
                    score=round(hit.score, 4),
                    kind=SearchKind(hit.kind.value),
                    highlight=hit.highlight,
                    reasons=list(hit.reasons),
                    explanation=[ScoreContribution(rule=c.rule, score=round(c.score, 4))
                                 for c in hit.explanation] if explain else None,
                    entity=wrap(node),
                ),
            )
        )
    facets = await _facets(info, result.facets)
    pending = await ctx.store.count_nodes(Label.INDEX_OUTBOX)
    return SearchConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=offset + size < result.total,
            has_previous_page=offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=result.total,
        facets=facets,
        degraded=pending > 0,
    )


_TERM_LABELS: dict[str, type[terms.Term]] = {
    "sharingType": terms.SharingType,
    "level": terms.Level,
}
_KIND_LABELS = {"FIELD": "信息项", "RESOURCE": "数据资源", "AGENCY": "机构", "SCENARIO": "应用场景"}


async def _facets(info: Info, raw: dict[str, list[idx.FacetCount]]) -> SearchFacets:
    providers = [c.value for c in raw.get("provider", [])]
    agencies = await info.context.loaders.nodes(Label.AGENCY).load_many(providers)
    names = {code: a.get("name") for code, a in zip(providers, agencies, strict=True) if a}

    def values(key: str, label: Any) -> list[FacetValue]:
        return [FacetValue(value=c.value, label=label(c.value), count=c.count)
                for c in raw.get(key, [])]

    def term_label(key: str) -> Any:
        term = _TERM_LABELS[key]
        return lambda v: term(v).label_zh if v in term.__members__ else v

    return SearchFacets(
        kind=values("kind", lambda v: _KIND_LABELS.get(v, v)),
        sharing_type=values("sharingType", term_label("sharingType")),
        category=values("category", lambda v: v),
        provider=values("provider", lambda v: str(names.get(v, v))),
        level=values("level", term_label("level")),
    )


async def suggest(info: Info, prefix: str, first: int | None, types: list[SearchKind] | None) -> list[Suggestion]:
    """Names starting with the prefix, typed in characters, pinyin or initials (自动补全)."""
    text = clean_query(prefix, "prefix")
    limit = DEFAULT_SUGGESTIONS if first is None else first
    if limit < 0 or limit > MAX_SUGGESTIONS:
        raise CatalogError(
            ErrorCode.PAGE_SIZE_TOO_LARGE if limit > 0 else ErrorCode.INVALID_INPUT,
            f"first 须在 0 到 {MAX_SUGGESTIONS} 之间", f"`first` must be between 0 and {MAX_SUGGESTIONS}",
            field="first", max=MAX_SUGGESTIONS,
        )
    if limit == 0:
        return []
    wanted = {t.value for t in types or SUGGEST_KINDS}
    ctx = info.context
    try:
        raw = await ctx.index.suggest(text, 3 * limit + 10)
    except Exception as exc:
        raise CatalogError(
            ErrorCode.SEARCH_UNAVAILABLE, "检索服务暂不可用，请稍后再试", "search is unavailable right now",
        ) from exc
    kept = [s for s in raw if s.kind.value in wanted][:limit]
    refs = [NodeRef.parse(s.id) for s in kept]
    nodes = await asyncio.gather(*(ctx.loaders.nodes(r.label).load(r.key) for r in refs))
    return [
        Suggestion(text=s.text, kind=SearchKind(s.kind.value), entity=wrap(node) if node else None)
        for s, node in zip(kept, nodes, strict=True)
    ]
