"""The Elasticsearch search index (Elasticsearch 检索索引), with the official async client.

Documents are analysed in Python exactly as the embedded index analyses them
(`search.es_mapping`), and queries are planned in Python to match and rank as it does
(`search.es_query`); synonyms and authorities are applied at query time, so
`reload_synonyms()` needs no reindex.

Indices are versioned behind an alias: `<alias>-v<n>`, created from an index template
`<alias>-catalog` (patterns `<alias>-v*`). `open()` creates the first version and the alias
when the alias is missing. `rebuild()` loads a new version beside the serving one, then
moves the alias in one `_aliases` request and deletes the old version, so search never
stops; while it loads, the new version also carries the alias `<alias>-building` and every
write (from any process) goes to both, the rebuild only creating documents nobody wrote
meanwhile. `clear()` swaps in an empty version the same way (the node may lack
`_delete_by_query`). Writes are refreshed before they return: a search right after sees them.

Failures raise `SearchUnavailableError` (the node cannot be reached, or answers 429/5xx)
or `SearchIndexError` (it refused the request); the application turns search failures into
SEARCH_UNAVAILABLE and write failures into its catch-up queue (sharing.catalog_writer).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from elasticsearch import ApiError, AsyncElasticsearch, TransportError
from elasticsearch.helpers import BulkIndexError, async_bulk

from search.analysis import Analyzer, NameAnalysis, default_analyzer
from search.authority import AUTHORITIES_PATH, AuthorityRegistry
from search.es_mapping import MAPPING_VERSION, MAX_RESULT_WINDOW, document_source, index_mappings, index_settings
from search.es_query import FACET_FIELDS, QueryDraft, QueryPlanner, Stats
from search.index import (
    DocKind,
    FacetCount,
    SearchDoc,
    SearchIndex,
    SearchQuery,
    SearchResult,
    Suggestion,
    checked_doc,
)
from search.synonyms import SYNONYMS_PATH, SynonymDictionary

__all__ = ["ElasticsearchIndex", "SearchIndexError", "SearchUnavailableError"]

log = logging.getLogger(__name__)

BULK_CHUNK = 500  # documents per bulk request
REBUILD_REQUESTS = 2  # batches of a rebuild being sent at once
REBUILD_TIMEOUT = 120.0  # seconds a rebuild's bulk request may take
IDS_PAGE = 5000  # ids per page of all_ids
_ALIAS_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,200}$")
_UNAVAILABLE_STATUS = {429, 502, 503, 504}
_KINDS = {kind.value: kind for kind in DocKind}


class SearchUnavailableError(RuntimeError):
    """Elasticsearch cannot be reached or is overloaded (检索服务不可用)."""


class SearchIndexError(RuntimeError):
    """Elasticsearch refused a request (检索索引错误)."""


class ElasticsearchIndex(SearchIndex):
    """Chinese search over catalog documents in Elasticsearch 8."""

    def __init__(
        self,
        url: str,
        *,
        user: str | None = None,
        password: str | None = None,
        alias: str = "catalog",
        synonyms_path: Path | str = SYNONYMS_PATH,
        authorities_path: Path | str = AUTHORITIES_PATH,
        analyzer: Analyzer | None = None,
        request_timeout: float = 10.0,
        max_retries: int = 1,
        shards: int = 1,
        replicas: str = "0-1",  # auto_expand_replicas: one replica once a second node is there
    ) -> None:
        if not _ALIAS_RE.match(alias):
            raise ValueError(f"invalid index alias {alias!r}: lowercase letters, digits, '.', '_', '-'")
        self.url = url
        self.alias = alias
        self.building_alias = f"{alias}-building"
        self.template_name = f"{alias}-catalog"
        self._auth = (user, password or "") if user else None
        self._timeout = request_timeout
        self._retries = max_retries
        self._shards = shards
        self._replicas = replicas
        self._synonyms_path = Path(synonyms_path)
        self._authorities_path = Path(authorities_path)
        self._analyzer = analyzer or default_analyzer()
        self._client: AsyncElasticsearch | None = None
        self._planner: QueryPlanner | None = None
        self._analyses: dict[str, NameAnalysis] = {}  # normalised name → analysis, across batches
        self._deleted_while_building: set[str] | None = None
        self.stale = False
        """The serving index was built by other mappings or analysis: run `catalog reindex`."""

    # -- lifecycle -------------------------------------------------------------------

    async def open(self) -> None:
        if self._client is not None:
            return
        synonyms = SynonymDictionary(self._synonyms_path, self._analyzer.key)
        authorities = AuthorityRegistry(self._authorities_path, self._analyzer.key)
        client = AsyncElasticsearch(
            self.url,
            basic_auth=self._auth,
            request_timeout=self._timeout,
            max_retries=self._retries,
            retry_on_timeout=False,
        )
        try:
            with self._errors("open"):
                await client.options(max_retries=0).info()  # a node that is down fails open() at once
                await self._put_template(client)
                await self._ensure_alias(client)
        except BaseException:
            await client.close()
            raise
        self._client = client
        self._planner = QueryPlanner(self._analyzer, synonyms, authorities)

    async def close(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.close()
        self._planner = None
        self._analyses.clear()

    async def drop(self) -> None:
        """Delete every version, the alias and the template (tests, decommissioning)."""
        client = self._open_client()
        with self._errors("drop"):
            names = sorted(await self._versions(client))
            if names:
                await client.indices.delete(index=",".join(names), ignore_unavailable=True)
            await client.options(ignore_status=404).indices.delete_index_template(name=self.template_name)

    def _open_client(self) -> AsyncElasticsearch:
        if self._client is None:
            raise RuntimeError("the search index is not open; call open() first")
        return self._client

    def _open_planner(self) -> QueryPlanner:
        if self._planner is None:
            raise RuntimeError("the search index is not open; call open() first")
        return self._planner

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        """Elasticsearch and transport exceptions as the two errors of this module."""
        try:
            yield
        except BulkIndexError as exc:
            first = exc.errors[0] if exc.errors else {}
            raise SearchIndexError(
                f"Elasticsearch {self.url}: {action}: {len(exc.errors)} documents refused; first: {first}"
            ) from exc
        except ApiError as exc:
            message = f"Elasticsearch {self.url}: {action}: HTTP {exc.status_code}: {_reason(exc)}"
            if exc.status_code in _UNAVAILABLE_STATUS:
                raise SearchUnavailableError(message) from exc
            raise SearchIndexError(message) from exc
        except TransportError as exc:
            raise SearchUnavailableError(f"Elasticsearch {self.url} unreachable ({action}): {exc}") from exc

    # -- indices and the alias -------------------------------------------------------

    async def _put_template(self, client: AsyncElasticsearch) -> None:
        await client.indices.put_index_template(
            name=self.template_name,
            index_patterns=[f"{self.alias}-v*"],
            # longer aliases win: `a-v*` and `a-vx-v*` may overlap, equal lengths cannot
            priority=100 + len(self.alias),
            template={
                "settings": index_settings(self._shards, self._replicas),
                "mappings": index_mappings(self._analyzer.version),
            },
            meta={"description": "public-data catalog search (公共数据目录检索)"},
        )

    async def _versions(self, client: AsyncElasticsearch) -> dict[str, int]:
        """Every `<alias>-v<n>` index and its n."""
        found = await client.indices.get(index=f"{self.alias}-v*", expand_wildcards="open,closed")
        pattern = re.compile(re.escape(self.alias) + r"-v(\d+)$")
        return {name: int(m.group(1)) for name in found.body if (m := pattern.match(name))}

    async def _serving(self, client: AsyncElasticsearch) -> list[str]:
        """The indices behind the alias (one, unless someone changed it by hand)."""
        response = await client.options(ignore_status=404).indices.get_alias(name=self.alias)
        if response.meta.status == 404:
            return []
        return sorted(name for name, body in response.body.items() if self.alias in body.get("aliases", {}))

    async def _building(self, client: AsyncElasticsearch) -> list[str]:
        response = await client.options(ignore_status=404).indices.get_alias(name=self.building_alias)
        if response.meta.status == 404:
            return []
        return sorted(response.body)

    async def _create_version(
        self, client: AsyncElasticsearch, aliases: Mapping[str, Any], settings: Mapping[str, Any] | None = None
    ) -> str:
        """A new, empty `<alias>-v<n>` (n one above every existing version)."""
        for _ in range(5):
            versions = await self._versions(client)
            name = f"{self.alias}-v{max(versions.values(), default=0) + 1}"
            response = await client.options(ignore_status=400).indices.create(
                index=name, aliases=dict(aliases), settings=dict(settings or {})
            )
            if response.meta.status != 400:
                return name
            if _error_type(response.body) != "resource_already_exists_exception":
                raise SearchIndexError(f"Elasticsearch {self.url}: cannot create {name}: {response.body}")
        raise SearchIndexError(f"Elasticsearch {self.url}: cannot create a new version of {self.alias}")

    async def _ensure_alias(self, client: AsyncElasticsearch) -> None:
        serving = await self._serving(client)
        if not serving:
            if await client.indices.exists(index=self.alias):
                raise SearchIndexError(
                    f"Elasticsearch {self.url}: {self.alias} is an index; the catalog needs that name as an alias"
                )
            created = await self._create_version(client, {self.alias: {}})
            # a concurrent open may have created another version with the alias: the oldest stays
            serving = await self._serving(client)
            versions = await self._versions(client)
            if created in serving and min(serving, key=lambda n: versions.get(n, 0)) != created:
                await client.options(ignore_status=404).indices.delete(index=created)
            return
        mappings: dict[str, Any] = (await client.indices.get_mapping(index=serving[0])).body
        first: dict[str, Any] = next(iter(mappings.values()), {})
        meta: dict[str, Any] = first.get("mappings", {}).get("_meta", {})
        expected = {"mapping_version": MAPPING_VERSION, "analysis_version": self._analyzer.version}
        self.stale = any(meta.get(k) != v for k, v in expected.items())
        if self.stale:
            log.warning(
                "search index %s was built with %s, this version writes %s: run `catalog reindex`",
                serving[0],
                {k: meta.get(k) for k in expected},
                expected,
            )

    async def _swap(self, client: AsyncElasticsearch, new: str, old: Sequence[str], building: bool) -> None:
        """Move the alias to `new` in one request (searches see the old or the new version,
        never neither)."""
        actions: list[dict[str, Any]] = [{"remove": {"index": name, "alias": self.alias}} for name in old]
        actions.append({"add": {"index": new, "alias": self.alias}})
        if building:
            actions.append({"remove": {"index": new, "alias": self.building_alias}})
        await client.indices.update_aliases(actions=actions)

    @staticmethod
    async def _delete_indices(client: AsyncElasticsearch, names: Sequence[str]) -> None:
        if names:
            await client.options(ignore_status=404).indices.delete(index=",".join(names))

    # -- writes ----------------------------------------------------------------------

    async def upsert(self, docs: Sequence[SearchDoc]) -> None:
        client = self._open_client()
        latest: dict[str, SearchDoc] = {}
        for doc in docs:
            checked = checked_doc(doc)
            latest[checked.id] = checked
        if not latest:
            return
        sources = self._sources(latest.values())
        with self._errors("upsert"):
            targets = [self.alias, *await self._building(client)]
            actions = (
                {"_op_type": "index", "_index": target, "_id": doc_id, "_source": source}
                for target in targets
                for doc_id, source in sources
            )
            await async_bulk(client, actions, chunk_size=BULK_CHUNK)
            await client.indices.refresh(index=",".join(targets))

    async def delete(self, ids: Sequence[str]) -> None:
        client = self._open_client()
        wanted = list(dict.fromkeys(str(i) for i in ids if i))
        if not wanted:
            return
        if self._deleted_while_building is not None:
            self._deleted_while_building.update(wanted)
        with self._errors("delete"):
            targets = [self.alias, *await self._building(client)]
            actions = ({"_op_type": "delete", "_index": t, "_id": i} for t in targets for i in wanted)
            await async_bulk(client, actions, chunk_size=BULK_CHUNK, ignore_status=(404,))
            await client.indices.refresh(index=",".join(targets))

    async def clear(self) -> None:
        client = self._open_client()
        with self._errors("clear"):
            old = await self._serving(client)
            if old and not self.stale and (await client.count(index=self.alias))["count"] == 0:
                return
            new = await self._create_version(client, {})
            await self._swap(client, new, old, building=False)
            await self._delete_indices(client, old)
        self.stale = False

    async def rebuild(self, batches: AsyncIterator[list[SearchDoc]]) -> int:
        """Build a new version beside the serving one, then switch the alias (no downtime)."""
        client = self._open_client()
        with self._errors("rebuild"):
            old = await self._serving(client)
            # an unfinished version is thrown away, never served: it needs no refresh and no
            # fsync per request (the translog is synced every few seconds instead)
            new = await self._create_version(
                client, {self.building_alias: {}},
                {"index": {"refresh_interval": "-1", "translog": {"durability": "async"}}},
            )
        deleted: set[str] = set()
        self._deleted_while_building = deleted
        total = 0
        sending: set[asyncio.Task[Any]] = set()

        async def send(sources: list[tuple[str, dict[str, Any]]]) -> None:
            with self._errors("rebuild"):
                # `create`: a document written meanwhile (to both versions) is newer
                actions = (
                    {"_op_type": "create", "_index": new, "_id": doc_id, "_source": source}
                    for doc_id, source in sources
                )
                # a loaded node may take longer than a query's timeout to take a bulk request
                bulk = client.options(request_timeout=REBUILD_TIMEOUT)
                await async_bulk(bulk, actions, chunk_size=BULK_CHUNK, ignore_status=(409,))

        try:
            async for docs in batches:
                latest = {d.id: d for d in map(checked_doc, docs)}
                sources = self._sources(d for d in latest.values() if d.id not in deleted)
                total += len(docs)
                # a few bulk requests in flight, so the node indexes on several threads
                while len(sending) >= REBUILD_REQUESTS:
                    done, sending = await asyncio.wait(sending, return_when=asyncio.FIRST_COMPLETED)
                    for task in done:
                        task.result()
                sending.add(asyncio.create_task(send(sources)))
            for task in list(sending):
                await task
            with self._errors("rebuild"):
                await client.indices.put_settings(
                    index=new, settings={"index": {"refresh_interval": None, "translog.durability": None}}
                )
                await client.indices.refresh(index=new)
                await self._swap(client, new, old, building=True)
        except BaseException:
            for task in sending:
                task.cancel()
            try:
                await self._delete_indices(client, [new])
            except Exception:  # the original failure matters more
                log.warning("could not delete the unfinished index %s", new, exc_info=True)
            raise
        finally:
            self._deleted_while_building = None
        self.stale = False
        try:
            await self._delete_indices(client, old)
        except Exception:  # the new version serves; an old one left behind is only garbage
            log.warning("could not delete the replaced index %s", old, exc_info=True)
        return total

    def _sources(self, docs: Iterable[SearchDoc]) -> list[tuple[str, dict[str, Any]]]:
        """(id, _source) of documents, each distinct name and text analysed once."""
        analyzer, analyses = self._analyzer, self._analyses
        if len(analyses) > 100_000:
            analyses.clear()
        texts: dict[str, tuple[str, ...]] = {}
        out: list[tuple[str, dict[str, Any]]] = []
        for doc in docs:
            normalised = analyzer.normalise(doc.name)
            analysis = analyses.get(normalised)
            if analysis is None:
                analysis = analyses[normalised] = analyzer.analyse_normalised(normalised)
            words = texts.get(doc.text)
            if words is None:
                words = texts[doc.text] = analyzer.analyse_text(doc.text)
            out.append((doc.id, document_source(doc, analysis, words, analyzer)))
        return out

    # -- synonyms --------------------------------------------------------------------

    async def reload_synonyms(self) -> None:
        planner = self._open_planner()
        planner.synonyms.reload()
        planner.authorities.reload()

    # -- reads -----------------------------------------------------------------------

    async def count(self) -> int:
        client = self._open_client()
        with self._errors("count"):
            return int((await client.count(index=self.alias))["count"])

    async def all_ids(self) -> set[str]:
        client = self._open_client()
        ids: set[str] = set()
        after: list[Any] | None = None
        with self._errors("all_ids"):
            while True:
                page = await client.search(
                    index=self.alias,
                    size=IDS_PAGE,
                    sort=[{"id": "asc"}],
                    source=False,
                    track_total_hits=False,
                    search_after=after,
                )
                hits = page["hits"]["hits"]
                ids.update(str(h["_id"]) for h in hits)
                if len(hits) < IDS_PAGE:
                    return ids
                after = hits[-1]["sort"]

    async def search(self, query: SearchQuery) -> SearchResult:
        client, planner = self._open_client(), self._open_planner()
        draft = planner.draft(query.text)
        empty = SearchResult(0, [], _empty_facets() if query.facets else {})
        if not draft.qa.key:
            return empty
        with self._errors("search"):
            stats = await self._stats(client, planner, draft)
            if stats.docs == 0:
                return empty
            plan = planner.plan(draft, stats)
            offset = max(0, query.offset)
            size = max(0, min(query.limit, MAX_RESULT_WINDOW - offset))
            body = planner.search_request(plan, query.filter, offset if size else 0, size, query.facets)
            response = (await client.search(index=self.alias, body=body, include_named_queries_score=True)).body
        hits = [planner.hit(plan, h, query.explain) for h in response["hits"]["hits"]]
        total = int(response["hits"]["total"]["value"])
        return SearchResult(total, hits, planner.facets(response) if query.facets else {})

    async def _stats(self, client: AsyncElasticsearch, planner: QueryPlanner, draft: QueryDraft) -> Stats:
        """Live counts and Lucene's statistics of the query terms, in two parallel requests."""
        counts = client.search(index=self.alias, body=planner.stats_request(draft))
        vectors = planner.term_vectors_request(draft)
        if not vectors["fields"]:
            return planner.parse_stats(draft, (await counts).body)
        live, lucene = await asyncio.gather(counts, client.termvectors(index=self.alias, **vectors))
        return planner.parse_stats(draft, live.body, lucene.body)

    async def suggest(self, prefix: str, limit: int = 10) -> list[Suggestion]:
        """Names by prefix, pinyin prefix or initials prefix; the most frequent names first,
        each with its most common spelling and its document of highest prior."""
        client, planner = self._open_client(), self._open_planner()
        key = self._analyzer.key(prefix)
        if not key or limit <= 0:
            return []
        fields = ("key", "pinyin_full", "initials_full") if key.isascii() else ("key",)
        order = [{"_count": "desc"}, {"_key": "asc"}]
        body = {
            "size": 0,
            "query": {
                "bool": {
                    "filter": [{"bool": {"should": [{"prefix": {f: key}} for f in fields], "minimum_should_match": 1}}],
                    "should": planner.prior_clauses(),
                }
            },
            "aggs": {
                "names": {
                    "terms": {"field": "key", "size": limit, "order": order},
                    "aggs": {
                        "spelling": {"terms": {"field": "name.keyword", "size": 1, "order": order}},
                        "best": {
                            "top_hits": {
                                "size": 1,
                                "sort": [{"_score": "desc"}, {"name.keyword": "asc"}, {"id": "asc"}],
                                "_source": ["id", "kind", "name"],
                            }
                        },
                    },
                }
            },
        }
        with self._errors("suggest"):
            response = (await client.search(index=self.alias, body=body)).body
        out: list[Suggestion] = []
        for bucket in response["aggregations"]["names"]["buckets"]:
            best = bucket["best"]["hits"]["hits"][0]["_source"]
            spellings = bucket["spelling"]["buckets"]
            text = str(spellings[0]["key"]) if spellings else str(best["name"])
            out.append(Suggestion(text=text, kind=_KINDS.get(str(best["kind"]), DocKind.FIELD), id=str(best["id"])))
        return out


def _empty_facets() -> dict[str, list[FacetCount]]:
    return {key: [] for key in FACET_FIELDS}


def _error_type(body: Any) -> str | None:
    if isinstance(body, Mapping):
        error = body.get("error")
        if isinstance(error, Mapping):
            return str(error.get("type"))
    return None


def _reason(exc: ApiError) -> str:
    body = exc.body
    if isinstance(body, Mapping):
        error = body.get("error")
        if isinstance(error, Mapping):
            causes = error.get("root_cause") or []
            cause = causes[0] if causes and isinstance(causes[0], Mapping) else error
            return f"{cause.get('type')}: {cause.get('reason')}"
    if not body:
        return "no answer body (is this an Elasticsearch node?)"
    return str(body)[:300]
