"""The response cache (响应缓存): anonymous read-only answers, dropped precisely on writes.

The catalog is read mostly. An anonymous query's whole HTTP answer is kept, keyed by the
normalised document, the operation name, the variables and the caller's visibility class,
together with what its execution read (`app.read_recorder`: node ids, label scans,
neighbour lists, the search index). Every graph write appends what it changed to the change
log in its own transaction (`graph.change_log`); before each answer from the cache this
process reads the log entries it has not seen yet (one store call) and drops exactly the
entries that read something a write changed. Writes in another server worker, `catalog
load`, `demo`, `reindex` and `updateSynonyms` all reach the log, so no worker serves an
answer older than a write that finished before the request arrived.

Served from the cache: `query` operations of anonymous callers (no `Authorization` header,
`info.context.actor` anonymous). Never: mutations and subscriptions, batches, authenticated
callers (their reads of conditional data are audited), answers that read the clock
(deadlines, overdue views, `asOf` / request dates left to today), search answers while the
index has queued updates (`degraded`), answers with errors other than input errors (see
`CACHEABLE_ERRORS`: an internal error or an unavailable index is never kept), and answers
whose resolvers set a status or header of their own.

Settings: `CATALOG_RESPONSE_CACHE=0` disables it; `CATALOG_RESPONSE_CACHE_ENTRIES` (default
1000) and `CATALOG_RESPONSE_CACHE_MB` (default 64; answers plus their dependency lists) bound
it, least recently used first out.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from collections import OrderedDict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse, print_ast

from graph import change_log as cl
from graph.model import Label
from graph.store import GraphStore
from schema.errors import ErrorCode
from sharing.identity import Actor

HEADER = "X-Catalog-Cache"  # hit | miss | bypass

# Errors that follow from the request and the catalog alone: an answer carrying only these
# is as deterministic as a successful one.
CACHEABLE_ERRORS = frozenset(
    c.value for c in (
        ErrorCode.NOT_FOUND, ErrorCode.INVALID_ID, ErrorCode.INVALID_INPUT,
        ErrorCode.INVALID_CURSOR, ErrorCode.PAGE_SIZE_TOO_LARGE, ErrorCode.DEPTH_TOO_LARGE,
        ErrorCode.EMPTY_QUERY, ErrorCode.EMPTY_DEMAND, ErrorCode.TOO_MANY_ITEMS,
        ErrorCode.INPUT_TOO_LONG,
    )
)

DEFAULT_ENTRIES = 1000
DEFAULT_BYTES = 64 * 1024 * 1024
ANONYMOUS_CLASS = "anonymous"  # the visibility class of every cached answer
_TOKEN_BYTES = 96  # what one dependency costs in memory, roughly (string, set and index slots)
_LOG_PAGE = 200  # change-log entries read per store call
_RECENT = 512  # applied log entries remembered, to refuse answers a write overtook
_DOCUMENTS = 512  # parsed query texts remembered
_DOCUMENT_CHARS = 8192  # longer texts are parsed each time, not remembered


@dataclass(frozen=True, slots=True)
class CacheSettings:
    enabled: bool = True
    max_entries: int = DEFAULT_ENTRIES
    max_bytes: int = DEFAULT_BYTES

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> CacheSettings:
        e = os.environ if env is None else env
        flag = e.get("CATALOG_RESPONSE_CACHE", "1").strip().lower()
        entries = e.get("CATALOG_RESPONSE_CACHE_ENTRIES", "").strip()
        megabytes = e.get("CATALOG_RESPONSE_CACHE_MB", "").strip()
        return cls(
            enabled=flag not in ("0", "false", "no", "off"),
            max_entries=max(1, int(entries)) if entries else DEFAULT_ENTRIES,
            max_bytes=max(1, int(float(megabytes) * 1024 * 1024)) if megabytes else DEFAULT_BYTES,
        )


@dataclass(frozen=True, slots=True)
class Plan:
    """What to do with one request: look it up under `key`, or pass it by for `reason`."""

    key: str | None
    reason: str = ""


@dataclass(slots=True)
class _Entry:
    body: bytes
    tokens: frozenset[str]
    size: int


@dataclass(slots=True)
class CacheStats:
    hits: int = 0
    misses: int = 0
    bypasses: int = 0
    stored: int = 0
    not_stored: int = 0  # misses whose answer was unfit to keep (clock, degraded search, errors)
    invalidated: int = 0  # entries dropped because a write changed what they read
    evicted: int = 0  # entries dropped for room
    resets: int = 0  # whole-cache drops (a clear, a huge write, a log gap)
    log_entries: int = 0  # change-log entries applied
    bypass_reasons: dict[str, int] = field(default_factory=dict)


class ResponseCache:
    def __init__(self, settings: CacheSettings | None = None) -> None:
        self.settings = settings or CacheSettings.from_env()
        self.stats = CacheStats()
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._by_token: dict[str, set[str]] = {}
        self._bytes = 0
        self._documents: OrderedDict[str, tuple[str, dict[str | None, OperationType]] | None] = (
            OrderedDict()
        )
        self._store: GraphStore | None = None  # the store whose log `_seq` counts
        self._seq: int | None = None  # the last change-log entry applied
        self._uid = ""
        self._recent: deque[tuple[int, frozenset[str]]] = deque(maxlen=_RECENT)
        self._lock = asyncio.Lock()
        self._syncs_started = 0
        self._last_sync_started = 0  # the start number of the last finished sync

    @property
    def enabled(self) -> bool:
        return self.settings.enabled

    # --- which requests -------------------------------------------------------------

    def plan(
        self,
        query: str | None,
        operation_name: str | None,
        variables: Mapping[str, Any] | None,
        actor: Actor,
        authorization: str | None,
    ) -> Plan:
        if not self.enabled:
            return self._bypass("disabled")
        if authorization or not actor.is_anonymous:
            return self._bypass("authenticated")
        if not query:
            return self._bypass("no query")
        parsed = self._document(query)
        if parsed is None:
            return self._bypass("unparsable")
        normalised, operations = parsed
        kind = operations.get(operation_name) if operation_name or len(operations) != 1 else (
            next(iter(operations.values()))
        )
        if kind is None:
            return self._bypass("unknown operation")
        if kind is not OperationType.QUERY:
            return self._bypass(kind.value)
        try:
            args = json.dumps(variables or {}, sort_keys=True, ensure_ascii=False,
                              separators=(",", ":"))
        except (TypeError, ValueError):
            return self._bypass("variables")
        text = "\x00".join((ANONYMOUS_CLASS, operation_name or "", args, normalised))
        return Plan(hashlib.sha256(text.encode()).hexdigest())

    def bypass(self, reason: str) -> None:
        """Count a request passed by for a reason found outside `plan` (a batch)."""
        self._bypass(reason)

    def _bypass(self, reason: str) -> Plan:
        self.stats.bypasses += 1
        reasons = self.stats.bypass_reasons
        reasons[reason] = reasons.get(reason, 0) + 1
        return Plan(None, reason)

    def _document(self, query: str) -> tuple[str, dict[str | None, OperationType]] | None:
        """The printed form of a query text (layout and comments gone) and its operations."""
        if query in self._documents:
            self._documents.move_to_end(query)
            return self._documents[query]
        try:
            doc = parse(query)
        except GraphQLError:
            parsed = None
        else:
            ops = [d for d in doc.definitions if isinstance(d, OperationDefinitionNode)]
            kinds = {(op.name.value if op.name else None): op.operation for op in ops}
            parsed = (print_ast(doc), kinds)
        if len(query) <= _DOCUMENT_CHARS:
            self._documents[query] = parsed
            if len(self._documents) > _DOCUMENTS:
                self._documents.popitem(last=False)
        return parsed

    # --- hits and misses --------------------------------------------------------------

    async def lookup(self, key: str, store: GraphStore) -> bytes | None:
        """The cached answer, after applying every write logged before this call."""
        await self.sync(store)
        entry = self._entries.get(key)
        if entry is None:
            self.stats.misses += 1
            return None
        self._entries.move_to_end(key)
        self.stats.hits += 1
        return entry.body

    @property
    def stamp(self) -> int:
        """The change-log position the cache is level with; give it to `store` on a miss."""
        return self._seq or 0

    def store(self, key: str, body: bytes, tokens: Iterable[str], stamp: int) -> bool:
        """Keep an answer computed after `lookup` returned `stamp`, unless a write applied
        since then changed something it read (the answer may predate that write)."""
        deps = frozenset(tokens)
        if self._overtaken(deps, stamp):
            self.stats.not_stored += 1
            return False
        size = len(body) + len(key) + _TOKEN_BYTES * (len(deps) + 4)
        if size > self.settings.max_bytes:
            self.stats.not_stored += 1
            return False
        self._remove(key)
        self._entries[key] = _Entry(body, deps, size)
        self._bytes += size
        for token in deps:
            self._by_token.setdefault(token, set()).add(key)
        while (len(self._entries) > self.settings.max_entries
               or self._bytes > self.settings.max_bytes):
            oldest = next(iter(self._entries))
            self._remove(oldest)
            self.stats.evicted += 1
        self.stats.stored += 1
        return True

    def refuse(self) -> None:
        """Count a miss whose answer was unfit to keep."""
        self.stats.not_stored += 1

    def _overtaken(self, deps: frozenset[str], stamp: int) -> bool:
        if self._seq is None:
            return True
        if stamp < self._seq:
            if not self._recent or self._recent[0][0] > stamp + 1:
                return True  # applied writes since `stamp` are no longer all known
            for seq, tokens in self._recent:
                if seq > stamp and (cl.ALL in tokens or not tokens.isdisjoint(deps)):
                    return True
        return False

    def _remove(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        self._bytes -= entry.size
        for token in entry.tokens:
            keys = self._by_token.get(token)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._by_token[token]

    def clear(self) -> None:
        if self._entries:
            self.stats.resets += 1
        self._entries.clear()
        self._by_token.clear()
        self._bytes = 0

    def invalidate(self, tokens: Iterable[str]) -> int:
        """Drop every entry that read one of `tokens`; returns how many."""
        tokens = list(tokens)
        if cl.ALL in tokens:
            dropped = len(self._entries)
            self.clear()
            return dropped
        dropped = 0
        for token in tokens:
            for key in list(self._by_token.get(token, ())):
                self._remove(key)
                dropped += 1
        self.stats.invalidated += dropped
        return dropped

    # --- the change log ---------------------------------------------------------------

    async def sync(self, store: GraphStore) -> None:
        """Apply the change-log entries written since the last sync (one store call when
        nothing changed). Concurrent callers wait for one another: a sync that started after
        a caller arrived serves it too."""
        self._syncs_started += 1
        ticket = self._syncs_started
        async with self._lock:
            if self._last_sync_started > ticket and store is self._store:
                return
            self._syncs_started += 1
            started = self._syncs_started
            await self._sync(store)
            self._last_sync_started = started

    async def _sync(self, store: GraphStore) -> None:
        if store is not self._store:
            self.clear()
            self._store, self._seq, self._uid = store, None, ""
            self._recent.clear()
        if self._seq is None:
            await self._start(store)
            return
        after = cl.entry_key(self._seq - 1) if self._seq > 0 else cl.HEAD_KEY
        first = True
        while True:
            page = await store.find_nodes(Label.CHANGE_LOG, after=after, limit=_LOG_PAGE)
            entries = [cl.LogEntry.of(n) for n in page.nodes]
            if first and self._seq > 0:
                if not entries or entries[0].seq != self._seq or entries[0].uid != self._uid:
                    await self._start(store)  # the log was reset or pruned past us
                    return
                entries = entries[1:]
            first = False
            for entry in entries:
                if entry.seq != self._seq + 1:
                    await self._start(store)  # a gap: entries were pruned before we read them
                    return
                self._apply(entry)
            if not page.has_next:
                return
            after = page.nodes[-1].key

    async def _start(self, store: GraphStore) -> None:
        """Begin (again) at the log's head, with nothing cached."""
        self.clear()
        self._recent.clear()
        (head,) = await store.get_nodes(Label.CHANGE_LOG, [cl.HEAD_KEY])
        seq = int(head.get("seq", 0)) if head is not None else 0
        uid = ""
        if seq > 0:
            page = await store.find_nodes(Label.CHANGE_LOG, after=cl.entry_key(seq - 1), limit=1)
            latest = [cl.LogEntry.of(n) for n in page.nodes]
            if not latest or latest[0].seq != seq:
                self._seq = None  # the head moved on meanwhile: the next sync starts afresh
                return
            uid = latest[0].uid
        self._seq, self._uid = seq, uid
        self._recent.append((seq, frozenset({cl.ALL})))  # older answers are all suspect

    def _apply(self, entry: cl.LogEntry) -> None:
        self.invalidate(entry.tokens)
        self._seq, self._uid = entry.seq, entry.uid
        self._recent.append((entry.seq, entry.tokens))
        self.stats.log_entries += 1

    # --- reporting --------------------------------------------------------------------

    def describe(self) -> dict[str, Any]:
        """Counters for `/healthz`."""
        s = self.stats
        return {
            "enabled": self.enabled,
            "entries": len(self._entries),
            "bytes": self._bytes,
            "maxEntries": self.settings.max_entries,
            "maxBytes": self.settings.max_bytes,
            "hits": s.hits,
            "misses": s.misses,
            "bypasses": s.bypasses,
            "bypassReasons": dict(s.bypass_reasons),
            "stored": s.stored,
            "notStored": s.not_stored,
            "invalidated": s.invalidated,
            "evicted": s.evicted,
            "resets": s.resets,
            "changeLogSeq": self._seq,
            "changeLogEntriesApplied": s.log_entries,
        }
