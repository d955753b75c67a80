"""The embedded search index (内嵌检索索引): documents in SQLite, postings in memory.

Documents and their analysed tokens are persisted in `<data_dir>/search.sqlite3`, so `open()`
rebuilds the in-memory inverted index without segmenting again. Catalog names repeat a lot
(every resource has its 统一社会信用代码), so the name fields are indexed once per distinct
normalised name (a "name group"); statistics (df, average lengths) are still counted per
document, as Elasticsearch counts them.

Matching: a name group matches when it holds at least 60 % of the query's units (distinct
character bigrams, Latin tokens matched as words, pinyin, initials or a pinyin prefix), or is
an exact, synonym or phrase match; a two-character query also matches its two characters at
most two apart (证号 → 证书号). A document also matches when its text holds every coarse query
word. Totals and facets count every matching document.

Ranking:

    score = tier base + name relevance + bonuses + text relevance + authority + level prior

- tier base: EXACT 50 (name equals the query, a member of its synonym group, the query with
  its variants replaced, or the query without a generic suffix), PHRASE 40 (name contains the
  query or a synonym), WORD 30 (a query word among the name's words), PARTIAL 20 (character
  n-grams only), PINYIN 10, TEXT 0 (only the text matched). Everything added within a tier
  stays below 10, so tiers never mix.
- name relevance: BM25 (k1 1.2, b 0.75) per name field (words ×3, bigrams ×1.5, unigrams ×0.5,
  pinyin ×1, initials ×1), scaled to [0, 4) by the query's own maximum; a fixed 4 in EXACT.
- bonuses: 2 for a name containing a synonym rather than the query; up to 2 for a pinyin or
  initials prefix (the share of the name's pinyin typed); 1 in EXACT for a name matched as a
  synonym that is its group's canonical name when no name is the query itself (nor its
  suffix-stripped form), so the canonical outranks the other variants.
- text relevance: BM25 over the text words, scaled to [0, 1).
- authority: 0.5 when a FIELD's provider is the authoritative department of its item
  (`search.authority`), so among equal names the source of record comes first.
- level prior: PROVINCE 0.03, CITY 0.02, COUNTY 0.01.

Ties: score descending, then name, then id. Search only reads the structures; writes change
SQLite first, in one transaction per call, then memory.
"""

from __future__ import annotations

import bisect
import heapq
import html
import math
import sqlite3
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from search.analysis import Analyzer, NameAnalysis, QueryAnalysis, default_analyzer
from search.authority import AUTHORITIES_PATH, AUTHORITY_BOOST, AuthorityRegistry
from search.highlight import mark_phrases, mark_pinyin
from search.index import (
    Contribution,
    DocKind,
    FacetCount,
    MatchReason,
    SearchDoc,
    SearchFilter,
    SearchHit,
    SearchIndex,
    SearchQuery,
    SearchResult,
    Suggestion,
    checked_doc,
)
from search.synonyms import SYNONYMS_PATH, SynonymDictionary, suffix_candidates

__all__ = ["EmbeddedSearchIndex"]

DB_FILE = "search.sqlite3"

# Name fields; each has postings term → name group id → term frequency.
WORDS, GRAMS, CHARS, PINYIN, INITIALS = range(5)
FIELD_NAMES = ("name.word", "name.gram", "name.char", "name.pinyin", "name.initials")
FIELD_WEIGHTS = (3.0, 1.5, 0.5, 1.0, 1.0)
K1, B = 1.2, 0.75

TIER_EXACT, TIER_PHRASE, TIER_WORD, TIER_PARTIAL, TIER_PINYIN, TIER_TEXT = (
    50.0,
    40.0,
    30.0,
    20.0,
    10.0,
    0.0,
)
NAME_RELEVANCE = 4.0
TEXT_RELEVANCE = 1.0
SYNONYM_PHRASE_BONUS = 2.0
# EXACT only: a name matched as a synonym that is the canonical name of its group, when no name
# is the query (or its suffix-stripped form) itself, so 公民身份号码 outranks 证件号码 for
# 身份证号 while 工作单位 still finds 工作单位 first. Below the tier gap with every other bonus.
CANONICAL_BONUS = 1.0
PINYIN_PREFIX_BONUS = 2.0
LEVEL_PRIOR = {"PROVINCE": 0.03, "CITY": 0.02, "COUNTY": 0.01}

# A name matches when it contains this share of the query's units (bigrams, Latin tokens).
MIN_COVERAGE = 0.6
# Caps that keep a pathological query (hundreds of distinct bigrams) cheap.
MAX_UNITS = 24
MAX_TERMS = 64
MAX_PHRASES = 16
# Most characters allowed between the two characters of a two-character query.
UNIGRAM_GAP = 2
# Shortest Latin token also matched as a prefix of a name's pinyin or initials in search.
PINYIN_PREFIX_MIN = 2

FACET_KEYS = ("kind", "sharingType", "category", "provider", "level")
_REASON_ORDER = {reason: i for i, reason in enumerate(MatchReason)}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS names (
    normalised TEXT PRIMARY KEY,
    words TEXT NOT NULL, grams TEXT NOT NULL, chars TEXT NOT NULL,
    pinyin TEXT NOT NULL, initials TEXT NOT NULL,
    pinyin_full TEXT NOT NULL, initials_full TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS docs (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, text TEXT NOT NULL,
    sharing_type TEXT, category TEXT, provider_code TEXT, provider_name TEXT, level TEXT,
    resource_code TEXT, resource_name TEXT,
    normalised TEXT NOT NULL, text_words TEXT NOT NULL
);
"""
_DOC_COLUMNS = (
    "id, kind, name, text, sharing_type, category, provider_code, provider_name, level, "
    "resource_code, resource_name, normalised, text_words"
)


def _field_tokens(analysis: NameAnalysis, f: int) -> tuple[str, ...]:
    if f == WORDS:
        return analysis.words
    if f == GRAMS:
        return analysis.grams
    if f == CHARS:
        return analysis.chars
    if f == PINYIN:
        return analysis.pinyin
    return analysis.initials


@dataclass(slots=True, eq=False)
class _Name:
    """Documents sharing one normalised name, and that name's analysis."""

    nid: int
    analysis: NameAnalysis
    lengths: tuple[int, ...]
    docs: set[int] = field(default_factory=set)
    spellings: dict[str, int] = field(default_factory=dict)  # raw spellings → documents
    # documents by static prior (authority + level) desc, then name, then id
    ranked: list[int] = field(default_factory=list)
    max_prior: float = 0.0
    # the facet combination of every document, and its parts, for counting facets
    doc_combos: tuple[int, ...] = ()
    doc_smalls: tuple[int, ...] = ()
    doc_providers: tuple[int, ...] = ()
    item_keys: tuple[str, ...] = ()  # the name and its canonical synonym (for authority)


@dataclass(slots=True, eq=False)
class _Doc:
    num: int
    doc: SearchDoc
    nid: int
    combo: int
    text_words: tuple[str, ...]
    provider_key: str
    authority: str | None = None
    prior: float = 0.0


@dataclass(slots=True)
class _Term:
    field: int
    term: str
    posting: dict[int, int]
    coef: float


@dataclass(slots=True)
class _Plan:
    """Everything a query needs, computed once before any name is scored."""

    qa: QueryAnalysis
    terms: list[_Term]
    norm_a: float  # BM25 length normalisation: tf / (tf + norm_a + norm_c[field] * length)
    norm_c: tuple[float, ...]
    scale: float
    word_terms: frozenset[str]  # query words whose match in a name's words makes a WORD hit
    word_postings: list[dict[int, int]]
    gram_postings: list[dict[int, int]]
    pinyin_postings: list[dict[int, int]]
    exact: dict[int, tuple[str, MatchReason]]
    canonical: frozenset[int]  # EXACT groups matched as a synonym whose name is the canonical
    phrases: dict[int, tuple[str, MatchReason | None]]  # contained phrase → reason
    prefix: dict[int, tuple[str, float]]  # pinyin prefix token and bonus
    text_terms: list[_Term]
    text_a: float
    text_c: float
    text_scale: float
    text_bound: float  # no document's text relevance exceeds this


@dataclass(slots=True)
class _Scored:
    score: float
    tier: float
    rule: str
    reasons: frozenset[MatchReason]


class EmbeddedSearchIndex(SearchIndex):
    """In-process Chinese search over catalog documents, persisted in SQLite."""

    def __init__(
        self,
        data_dir: Path | str,
        *,
        synonyms_path: Path | str = SYNONYMS_PATH,
        authorities_path: Path | str = AUTHORITIES_PATH,
        analyzer: Analyzer | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self._synonyms_path = Path(synonyms_path)
        self._authorities_path = Path(authorities_path)
        self._analyzer = analyzer or default_analyzer()
        self._conn: sqlite3.Connection | None = None
        self._synonyms: SynonymDictionary | None = None
        self._authorities: AuthorityRegistry | None = None
        self._reset_memory()

    def _reset_memory(self) -> None:
        self._docs: dict[int, _Doc] = {}
        self._num_by_id: dict[str, int] = {}
        self._next_num = 0
        self._names: dict[int, _Name] = {}
        self._nid_by_norm: dict[str, int] = {}
        self._nids_by_key: dict[str, set[int]] = {}
        self._next_nid = 0
        self._post: tuple[dict[str, dict[int, int]], ...] = tuple({} for _ in FIELD_NAMES)
        self._df: tuple[dict[str, int], ...] = tuple({} for _ in FIELD_NAMES)
        self._len_sum = [0] * len(FIELD_NAMES)
        self._text_post: dict[str, dict[int, int]] = {}
        self._text_len_sum = 0
        self._text_docs = 0  # documents with a non-empty text, as Elasticsearch counts them
        # per text term: the largest tf and the shortest text seen, for an upper bound on its
        # BM25 share (kept on delete: the bound only gets looser)
        self._text_extremes: dict[str, tuple[int, int]] = {}
        # Facet combinations (kind, sharingType, category, provider, level), interned; each is
        # also split into a "small" combination without the provider, and the provider, so
        # facets are counted over a few hundred values rather than thousands of combinations.
        self._combo_ids: dict[tuple[str | None, ...], int] = {}
        self._combos: list[tuple[str | None, ...]] = []
        self._combo_small: list[int] = []
        self._combo_provider: list[int] = []
        self._small_ids: dict[tuple[str | None, ...], int] = {}
        self._smalls: list[tuple[str | None, ...]] = []
        self._provider_ids: dict[str | None, int] = {}
        self._providers: list[str | None] = []
        # per facet dimension: value → the combinations having it (filters are set operations)
        self._combos_by_value: tuple[dict[str | None, set[int]], ...] = tuple({} for _ in FACET_KEYS)
        # sorted (key, name id) lists for prefix lookups: name key, full pinyin, initials
        self._prefix_keys: tuple[list[str], list[str], list[str]] = ([], [], [])
        self._prefix_nids: tuple[list[int], list[int], list[int]] = ([], [], [])
        self._provider_keys: dict[str, str] = {}
        self._norm_cache: dict[str, str] = {}  # raw name → normalised, across batches
        # indexed by document number / name group id, for the hot loops of search
        self._nid_of: list[int] = []
        self._combo_of: list[int] = []
        self._key_of: list[str] = []
        self._lengths: list[tuple[int, ...]] = []

    # -- lifecycle -------------------------------------------------------------------

    async def open(self) -> None:
        if self._conn is not None:
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._synonyms = SynonymDictionary(self._synonyms_path, self._analyzer.key)
        self._authorities = AuthorityRegistry(self._authorities_path, self._analyzer.key)
        conn = sqlite3.connect(self.data_dir / DB_FILE, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(_SCHEMA)
            self._conn = conn
            self._load()
        except BaseException:
            self._conn = None
            conn.close()
            raise

    async def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._reset_memory()

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("the search index is not open; call open() first")
        return self._conn

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self._db()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _load(self) -> None:
        conn = self._db()
        self._reset_memory()
        row = conn.execute("SELECT value FROM meta WHERE key = 'analysis'").fetchone()
        if row is None or row[0] != self._analyzer.version:
            self._reanalyse_stored()
            return
        analyses: dict[str, NameAnalysis] = {}
        for norm, words, grams, chars, pinyin, initials, py_full, ini_full in conn.execute(
            "SELECT normalised, words, grams, chars, pinyin, initials, pinyin_full, initials_full FROM names"
        ):
            analyses[norm] = NameAnalysis(
                normalised=norm,
                key=norm.replace(" ", ""),
                words=_tokens(words),
                grams=_tokens(grams),
                chars=_tokens(chars),
                pinyin=_tokens(pinyin),
                initials=_tokens(initials),
                pinyin_full=py_full,
                initials_full=ini_full,
            )
        entries: list[tuple[SearchDoc, NameAnalysis, tuple[str, ...]]] = []
        missing = False
        for r in conn.execute(f"SELECT {_DOC_COLUMNS} FROM docs"):
            analysis = analyses.get(r[11])
            if analysis is None:
                missing = True
                break
            entries.append((_row_doc(r), analysis, _tokens(r[12])))
        if missing:
            self._reanalyse_stored()
            return
        self._apply([], entries)
        self._collect_orphan_names()

    def _reanalyse_stored(self) -> None:
        """Analyse every stored document again (the analyzer or its dictionary changed)."""
        conn = self._db()
        docs = [_row_doc(r) for r in conn.execute(f"SELECT {_DOC_COLUMNS} FROM docs")]
        entries = self._prepare(docs)
        with self._transaction() as tx:
            tx.execute("DELETE FROM names")
            tx.execute("DELETE FROM docs")
            self._write(tx, entries)
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('analysis', ?)",
                (self._analyzer.version,),
            )
        self._apply([], entries)

    def _collect_orphan_names(self) -> None:
        conn = self._db()
        stored = {r[0] for r in conn.execute("SELECT normalised FROM names")}
        orphans = stored - self._nid_by_norm.keys()
        if orphans:
            with self._transaction() as tx:
                tx.executemany("DELETE FROM names WHERE normalised = ?", [(o,) for o in orphans])

    # -- writes ----------------------------------------------------------------------

    async def upsert(self, docs: Sequence[SearchDoc]) -> None:
        self._db()
        latest: dict[str, SearchDoc] = {}
        for doc in docs:
            checked = checked_doc(doc)
            latest[checked.id] = checked
        changed = [d for d in latest.values() if (num := self._num_by_id.get(d.id)) is None or self._docs[num].doc != d]
        if not changed:
            return
        entries = self._prepare(changed)
        with self._transaction() as tx:
            self._write(tx, entries)
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('analysis', ?)",
                (self._analyzer.version,),
            )
        removals = [self._num_by_id[d.id] for d in changed if d.id in self._num_by_id]
        self._apply(removals, entries)

    async def delete(self, ids: Sequence[str]) -> None:
        self._db()
        present = list(dict.fromkeys(i for i in ids if i in self._num_by_id))
        if not present:
            return
        with self._transaction() as tx:
            tx.executemany("DELETE FROM docs WHERE id = ?", [(i,) for i in present])
        self._apply([self._num_by_id[i] for i in present], [])

    async def clear(self) -> None:
        with self._transaction() as tx:
            tx.execute("DELETE FROM docs")
            tx.execute("DELETE FROM names")
        self._reset_memory()

    def _prepare(self, docs: Iterable[SearchDoc]) -> list[tuple[SearchDoc, NameAnalysis, tuple[str, ...]]]:
        """Analyse documents, each distinct name and text once."""
        norms = self._norm_cache
        if len(norms) > 100_000:
            norms.clear()
        analyses: dict[str, NameAnalysis] = {}
        texts: dict[str, tuple[str, ...]] = {}
        entries: list[tuple[SearchDoc, NameAnalysis, tuple[str, ...]]] = []
        for doc in docs:
            norm = norms.get(doc.name)
            if norm is None:
                norm = norms[doc.name] = self._analyzer.normalise(doc.name)
            analysis = analyses.get(norm)
            if analysis is None:
                nid = self._nid_by_norm.get(norm)
                analysis = self._names[nid].analysis if nid is not None else self._analyzer.analyse_normalised(norm)
                analyses[norm] = analysis
            words = texts.get(doc.text)
            if words is None:
                words = texts[doc.text] = self._analyzer.analyse_text(doc.text)
            entries.append((doc, analysis, words))
        return entries

    def _write(
        self, tx: sqlite3.Connection, entries: Sequence[tuple[SearchDoc, NameAnalysis, tuple[str, ...]]]
    ) -> None:
        names = {a.normalised: a for _, a, _ in entries if a.normalised not in self._nid_by_norm}
        tx.executemany(
            "INSERT OR REPLACE INTO names (normalised, words, grams, chars, pinyin, initials, "
            "pinyin_full, initials_full) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    a.normalised,
                    " ".join(a.words),
                    " ".join(a.grams),
                    " ".join(a.chars),
                    " ".join(a.pinyin),
                    " ".join(a.initials),
                    a.pinyin_full,
                    a.initials_full,
                )
                for a in names.values()
            ],
        )
        tx.executemany(
            f"INSERT OR REPLACE INTO docs ({_DOC_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    d.id,
                    d.kind.value,
                    d.name,
                    d.text,
                    d.sharing_type,
                    d.category,
                    d.provider_code,
                    d.provider_name,
                    d.level,
                    d.resource_code,
                    d.resource_name,
                    a.normalised,
                    " ".join(words),
                )
                for d, a, words in entries
            ],
        )

    def _apply(
        self,
        removals: Sequence[int],
        entries: Sequence[tuple[SearchDoc, NameAnalysis, tuple[str, ...]]],
    ) -> None:
        """Bring the in-memory index in line with what was just committed."""
        delta: Counter[int] = Counter()
        created: list[int] = []
        gone: dict[int, list[_Doc]] = {}
        added: dict[int, list[_Doc]] = {}
        for num in removals:
            rec = self._docs.pop(num)
            del self._num_by_id[rec.doc.id]
            name = self._names[rec.nid]
            name.docs.discard(num)
            left = name.spellings[rec.doc.name] - 1
            if left > 0:
                name.spellings[rec.doc.name] = left
            else:
                del name.spellings[rec.doc.name]
            delta[rec.nid] -= 1
            gone.setdefault(rec.nid, []).append(rec)
            self._text_remove(num, rec.text_words)
        for doc, analysis, words in entries:
            nid = self._nid_by_norm.get(analysis.normalised)
            if nid is None:
                nid = self._create_name(analysis)
                created.append(nid)
            num = self._next_num
            self._next_num += 1
            self._nid_of.append(nid)
            provider = doc.provider_name or ""
            rec = _Doc(
                num=num,
                doc=doc,
                nid=nid,
                combo=self._combo(doc),
                text_words=words,
                provider_key=self._provider_key(provider),
            )
            self._docs[num] = rec
            self._combo_of.append(rec.combo)
            self._num_by_id[doc.id] = num
            name = self._names[nid]
            name.docs.add(num)
            name.spellings[doc.name] = name.spellings.get(doc.name, 0) + 1
            delta[nid] += 1
            group_added = added.get(nid)
            if group_added is None:
                added[nid] = [rec]
            else:
                group_added.append(rec)
            self._text_add(num, words)
        dropped: list[tuple[int, NameAnalysis]] = []
        for nid, change in delta.items():
            name = self._names[nid]
            if change:
                for f in range(len(FIELD_NAMES)):
                    df = self._df[f]
                    for term in set(_field_tokens(name.analysis, f)):
                        count = df.get(term, 0) + change
                        if count > 0:
                            df[term] = count
                        else:
                            df.pop(term, None)
                    self._len_sum[f] += change * name.lengths[f]
            if name.docs:
                self._rerank(name, gone.get(nid, []), added.get(nid, []))
            else:
                dropped.append((nid, name.analysis))
        for nid, _ in dropped:
            self._drop_name(nid)
        self._update_prefixes([n for n in created if n in self._names], dropped)

    def _provider_key(self, provider: str) -> str:
        key = self._provider_keys.get(provider)
        if key is None:
            key = self._provider_keys[provider] = self._analyzer.key(provider)
        return key

    def _create_name(self, analysis: NameAnalysis) -> int:
        nid = self._next_nid
        self._next_nid += 1
        lengths = tuple(len(_field_tokens(analysis, f)) for f in range(len(FIELD_NAMES)))
        name = _Name(nid=nid, analysis=analysis, lengths=lengths)
        self._key_of.append(analysis.key)
        self._lengths.append(lengths)
        name.item_keys = self._item_keys(analysis.key)
        self._names[nid] = name
        self._nid_by_norm[analysis.normalised] = nid
        self._nids_by_key.setdefault(analysis.key, set()).add(nid)
        for f in range(len(FIELD_NAMES)):
            post = self._post[f]
            for term, tf in _term_frequencies(_field_tokens(analysis, f)).items():
                entries = post.get(term)
                if entries is None:
                    post[term] = {nid: tf}
                else:
                    entries[nid] = tf
        return nid

    def _drop_name(self, nid: int) -> None:
        name = self._names.pop(nid)
        del self._nid_by_norm[name.analysis.normalised]
        same_key = self._nids_by_key[name.analysis.key]
        same_key.discard(nid)
        if not same_key:
            del self._nids_by_key[name.analysis.key]
        for f in range(len(FIELD_NAMES)):
            post = self._post[f]
            for term in set(_field_tokens(name.analysis, f)):
                entries = post.get(term)
                if entries is not None:
                    entries.pop(nid, None)
                    if not entries:
                        del post[term]

    def _text_add(self, num: int, words: tuple[str, ...]) -> None:
        if not words:
            return
        extremes = self._text_extremes
        post = self._text_post
        for term, tf in _term_frequencies(words).items():
            entries = post.get(term)
            if entries is None:
                post[term] = {num: tf}
            else:
                entries[num] = tf
            seen = extremes.get(term)
            if seen is None or tf > seen[0] or len(words) < seen[1]:
                extremes[term] = (tf, len(words)) if seen is None else (max(tf, seen[0]), min(len(words), seen[1]))
        self._text_len_sum += len(words)
        self._text_docs += 1

    def _text_remove(self, num: int, words: tuple[str, ...]) -> None:
        for term in set(words):
            entries = self._text_post.get(term)
            if entries is not None:
                entries.pop(num, None)
                if not entries:
                    del self._text_post[term]
        self._text_len_sum -= len(words)
        self._text_docs -= 1 if words else 0

    def _combo(self, doc: SearchDoc) -> int:
        combo = (doc.kind.value, doc.sharing_type, doc.category, doc.provider_code, doc.level)
        cid = self._combo_ids.get(combo)
        if cid is None:
            cid = self._combo_ids[combo] = len(self._combos)
            self._combos.append(combo)
            small = (doc.kind.value, doc.sharing_type, doc.category, doc.level)
            sid = self._small_ids.get(small)
            if sid is None:
                sid = self._small_ids[small] = len(self._smalls)
                self._smalls.append(small)
            pid = self._provider_ids.get(doc.provider_code)
            if pid is None:
                pid = self._provider_ids[doc.provider_code] = len(self._providers)
                self._providers.append(doc.provider_code)
            self._combo_small.append(sid)
            self._combo_provider.append(pid)
            for by_value, value in zip(self._combos_by_value, combo, strict=True):
                by_value.setdefault(value, set()).add(cid)
        return cid

    def _item_keys(self, key: str) -> tuple[str, ...]:
        assert self._synonyms is not None
        canonical = self._synonyms.canonical_of(key)
        return (key,) if canonical is None or canonical == key else (key, canonical)

    def _set_prior(self, rec: _Doc, name: _Name) -> None:
        """A document's static prior: authority boost (FIELDs only) plus level prior."""
        assert self._authorities is not None
        department = None
        if rec.doc.kind is DocKind.FIELD:
            department = self._authorities.authoritative(name.item_keys, rec.provider_key)
        rec.authority = department.name if department else None
        rec.prior = (AUTHORITY_BOOST if department else 0.0) + LEVEL_PRIOR.get(rec.doc.level or "", 0.0)

    def _rank_key(self, num: int) -> tuple[float, str, str]:
        rec = self._docs[num]
        return (-rec.prior, rec.doc.name, rec.doc.id)

    def _rank(self, name: _Name) -> None:
        """Recompute the priors of all a group's documents and their order."""
        for num in name.docs:
            self._set_prior(self._docs[num], name)
        name.ranked = sorted(name.docs, key=self._rank_key)
        self._finish_rank(name)

    def _rerank(self, name: _Name, gone: list[_Doc], added: list[_Doc]) -> None:
        """Update a group's order for a few removed and added documents."""
        if len(gone) + len(added) > len(name.ranked) // 4:
            self._rank(name)
            return
        for rec in gone:
            name.ranked.remove(rec.num)
        for rec in added:
            self._set_prior(rec, name)
            bisect.insort(name.ranked, rec.num, key=self._rank_key)
        self._finish_rank(name)

    def _finish_rank(self, name: _Name) -> None:
        docs = self._docs
        name.max_prior = docs[name.ranked[0]].prior if name.ranked else 0.0
        name.doc_combos = tuple(docs[n].combo for n in name.ranked)
        name.doc_smalls = tuple(map(self._combo_small.__getitem__, name.doc_combos))
        name.doc_providers = tuple(map(self._combo_provider.__getitem__, name.doc_combos))

    def _update_prefixes(self, created: list[int], dropped: list[tuple[int, NameAnalysis]]) -> None:
        if len(created) + len(dropped) > 256:
            self._merge_prefixes(created, {nid for nid, _ in dropped})
            return
        for nid, analysis in dropped:
            for which in range(3):
                keys, nids = self._prefix_keys[which], self._prefix_nids[which]
                value = self._prefix_value(analysis, which)
                i = bisect.bisect_left(keys, value)
                while i < len(keys) and keys[i] == value and nids[i] != nid:
                    i += 1
                if i < len(keys) and nids[i] == nid:
                    del keys[i]
                    del nids[i]
        for nid in created:
            analysis = self._names[nid].analysis
            for which in range(3):
                keys, nids = self._prefix_keys[which], self._prefix_nids[which]
                value = self._prefix_value(analysis, which)
                i = bisect.bisect_right(keys, value)
                keys.insert(i, value)
                nids.insert(i, nid)

    def _merge_prefixes(self, created: list[int], dropped: set[int]) -> None:
        """Many changes at once: one merge instead of many list insertions."""
        for which in range(3):
            keys, nids = self._prefix_keys[which], self._prefix_nids[which]
            kept = [(k, n) for k, n in zip(keys, nids, strict=True) if n not in dropped]
            new = [(self._prefix_value(self._names[nid].analysis, which), nid) for nid in created]
            # sorted() on a sorted run followed by another merges in linear time
            pairs = sorted(chain(kept, sorted(new)))
            keys[:] = [p[0] for p in pairs]
            nids[:] = [p[1] for p in pairs]

    @staticmethod
    def _prefix_value(analysis: NameAnalysis, which: int) -> str:
        return (analysis.key, analysis.pinyin_full, analysis.initials_full)[which]

    # -- synonyms --------------------------------------------------------------------

    async def reload_synonyms(self) -> None:
        if self._synonyms is None or self._authorities is None:
            raise RuntimeError("the search index is not open; call open() first")
        self._synonyms.reload()
        self._authorities.reload()
        for name in self._names.values():
            name.item_keys = self._item_keys(name.analysis.key)
            self._rank(name)

    # -- reads -----------------------------------------------------------------------

    async def count(self) -> int:
        self._db()
        return len(self._docs)

    async def all_ids(self) -> set[str]:
        self._db()
        return set(self._num_by_id)

    async def search(self, query: SearchQuery) -> SearchResult:
        self._db()
        return self.search_text(query)

    async def suggest(self, prefix: str, limit: int = 10) -> list[Suggestion]:
        self._db()
        return self.suggest_prefix(prefix, limit)

    # -- search ----------------------------------------------------------------------

    def search_text(self, query: SearchQuery) -> SearchResult:
        """The body of `search`, synchronous (nothing in it awaits).

        Order of work: match name groups and texts; count totals and facets over every match
        from the groups' precomputed facet tuples (C-level counting); sort the groups into
        tiers by set operations; BM25-score only the tiers needed to fill the page.
        """
        qa = self._analyzer.analyse_query(query.text)
        offset, limit = max(0, query.offset), max(0, query.limit)
        if not qa.key or not self._docs:
            return SearchResult(0, [], self._facets(Counter(), Counter()) if query.facets else {})
        allowed = self._allowed(query.filter)
        plan = self._plan(qa)
        matched = self._match_names(plan)
        names, nid_of, combo_of = self._names, self._nid_of, self._combo_of
        text_only = [num for num in self._match_text(plan) if nid_of[num] not in matched]
        smalls: Counter[int] = Counter()
        providers: Counter[int] = Counter()
        to_small, to_provider = self._combo_small.__getitem__, self._combo_provider.__getitem__
        if allowed is None:
            total = sum(len(names[nid].docs) for nid in matched) + len(text_only)
            if query.facets:
                smalls = Counter(chain.from_iterable(names[nid].doc_smalls for nid in matched))
                providers = Counter(chain.from_iterable(names[nid].doc_providers for nid in matched))
                text_combos = list(map(combo_of.__getitem__, text_only))
                smalls.update(map(to_small, text_combos))
                providers.update(map(to_provider, text_combos))
        else:
            combos = Counter(chain.from_iterable(names[nid].doc_combos for nid in matched))
            combos.update(map(combo_of.__getitem__, text_only))
            total = 0
            for cid, n in combos.items():
                if cid in allowed:
                    total += n
                    smalls[to_small(cid)] += n
                    providers[to_provider(cid)] += n
            text_only = [num for num in text_only if combo_of[num] in allowed]

        ranked, scores = self._top(self._tiers(matched, plan), text_only, plan, allowed, offset + limit)
        hits = [
            self._hit(score, num, nid_of[num] in scores, plan, query.explain, query.highlight)
            for score, _, _, num in ranked[offset : offset + limit]
        ]
        return SearchResult(total, hits, self._facets(smalls, providers) if query.facets else {})

    def _allowed(self, flt: SearchFilter) -> set[int] | None:
        """The facet combinations a filter lets through, or None for no filter."""
        wanted = (
            {DocKind(k).value for k in flt.kinds},
            set(flt.sharing_types),
            set(flt.categories),
            set(flt.provider_codes),
            set(flt.levels),
        )
        if not any(wanted):
            return None
        allowed: set[int] | None = None
        for values, by_value in zip(wanted, self._combos_by_value, strict=True):
            if values:
                having = set().union(*(by_value.get(v, _NO_DOCS) for v in values))
                allowed = having if allowed is None else allowed & having
        return allowed

    def _plan(self, qa: QueryAnalysis) -> _Plan:
        assert self._synonyms is not None
        n_docs = len(self._docs)
        latin = list(qa.latin)
        if len(latin) > 1 and not qa.han_runs:
            latin.append("".join(latin))  # "tong yi she hui" typed with spaces

        terms: list[_Term] = []

        def add(f: int, term: str) -> None:
            posting = self._post[f].get(term)
            if posting:
                df = self._df[f].get(term, 0)
                idf = math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
                terms.append(_Term(f, term, posting, FIELD_WEIGHTS[f] * idf * (K1 + 1)))

        for word in qa.words[:MAX_TERMS]:
            add(WORDS, word)
        for gram in qa.grams[:MAX_TERMS]:
            add(GRAMS, gram)
        lone_chars = qa.chars if len(qa.key) == 1 else tuple(r for r in qa.han_runs if len(r) == 1)
        for ch in lone_chars:
            add(CHARS, ch)
        for token in latin:
            add(PINYIN, token)
            add(INITIALS, token)
        raw_max = sum(t.coef for t in terms)
        avg = [total / n_docs for total in self._len_sum]

        exact: dict[int, tuple[str, MatchReason]] = {}
        phrases: dict[int, tuple[str, MatchReason | None]] = {}

        def add_exact(key: str, rule: str, reason: MatchReason) -> None:
            for nid in self._nids_by_key.get(key, ()):
                exact.setdefault(nid, (rule, reason))

        def add_phrase(text: str, reason: MatchReason | None) -> None:
            if len(phrases_seen) < MAX_PHRASES and text not in phrases_seen:
                phrases_seen.add(text)
                for nid in self._containing(text):
                    phrases.setdefault(nid, (text, reason))

        phrases_seen: set[str] = {qa.key}
        synonyms = self._synonyms
        add_exact(qa.key, "exact", MatchReason.EXACT)
        resolved = None
        if qa.key not in self._nids_by_key and not synonyms.contains(qa.key):
            for candidate in suffix_candidates(qa.key):
                if candidate in self._nids_by_key or synonyms.contains(candidate):
                    resolved = candidate
                    break
        targets = [qa.key] if resolved is None else [qa.key, resolved]
        if resolved is not None:
            add_exact(resolved, f"exact:{resolved}", MatchReason.EXACT)
            add_phrase(resolved, None)
        for target in targets:
            for term, _ in synonyms.expand(target):
                if term != target:
                    add_exact(term, f"synonym:{term}", MatchReason.SYNONYM)
                    add_phrase(term, MatchReason.SYNONYM)
        rewritten = synonyms.rewrite(resolved or qa.key)
        if rewritten is not None:
            add_exact(rewritten, f"synonym:{rewritten}", MatchReason.SYNONYM)
            add_phrase(rewritten, MatchReason.SYNONYM)

        key_of = self._key_of
        canonical: frozenset[int] = frozenset()
        if not any(reason is MatchReason.EXACT for _, reason in exact.values()):  # no name is the query
            canonical = frozenset(
                nid
                for nid, (_, reason) in exact.items()
                if reason is MatchReason.SYNONYM and synonyms.canonical_of(key_of[nid]) == key_of[nid]
            )

        prefix: dict[int, tuple[str, float]] = {}
        for token in latin:
            if len(token) < PINYIN_PREFIX_MIN:
                continue
            for which in (1, 2):
                for nid, value in self._prefix_range(which, token):
                    bonus = PINYIN_PREFIX_BONUS * len(token) / len(value)
                    if bonus > prefix.get(nid, ("", 0.0))[1]:
                        prefix[nid] = (token, bonus)

        text_terms: list[_Term] = []
        n_texts = self._text_docs
        for word in qa.words[:MAX_TERMS]:
            posting = self._text_post.get(word)
            if posting:
                df = len(posting)
                idf = math.log(1 + (n_texts - df + 0.5) / (df + 0.5))
                text_terms.append(_Term(-1, word, posting, idf * (K1 + 1)))
        text_max = sum(t.coef for t in text_terms)
        text_avg = self._text_len_sum / n_texts if n_texts else 0.0
        text_a, text_c = K1 * (1 - B), K1 * B / text_avg if text_avg else 0.0
        text_scale = TEXT_RELEVANCE / text_max if text_max else 0.0
        text_bound = 0.0
        for t in text_terms:
            tf, shortest = self._text_extremes[t.term]
            text_bound += t.coef * tf / (tf + text_a + text_c * shortest) * text_scale
        word_terms = frozenset(w for w in qa.words if len(w) >= 2 or len(qa.key) == 1)
        return _Plan(
            qa=qa,
            terms=terms,
            norm_a=K1 * (1 - B),
            norm_c=tuple(K1 * B / a if a else 0.0 for a in avg),
            scale=NAME_RELEVANCE / raw_max if raw_max else 0.0,
            word_terms=word_terms,
            word_postings=[t.posting for t in terms if t.field == WORDS and t.term in word_terms],
            gram_postings=[t.posting for t in terms if t.field in (GRAMS, CHARS)],
            pinyin_postings=[t.posting for t in terms if t.field in (PINYIN, INITIALS)],
            exact=exact,
            canonical=canonical,
            phrases=phrases,
            prefix=prefix,
            text_terms=text_terms,
            text_a=text_a,
            text_c=text_c,
            text_scale=text_scale,
            text_bound=text_bound + 1e-9,
        )

    def _prefix_range(self, which: int, prefix: str) -> Iterator[tuple[int, str]]:
        keys, nids = self._prefix_keys[which], self._prefix_nids[which]
        i = bisect.bisect_left(keys, prefix)
        while i < len(keys) and keys[i].startswith(prefix):
            yield nids[i], keys[i]
            i += 1

    def _containing(self, text: str) -> set[int]:
        """Name groups whose key contains `text` (via its rarest n-grams, then verified)."""
        if len(text) == 1:
            return set(self._post[CHARS].get(text, {}))
        postings = []
        for i in range(len(text) - 1):
            posting = self._post[GRAMS].get(text[i : i + 2])
            if posting is None:
                # not a Han bigram (Latin, digits): fall back to the word postings
                posting = self._post[WORDS].get(text, {}) if not _has_han(text) else {}
                postings = [posting]
                break
            postings.append(posting)
        postings.sort(key=len)
        if not postings or not postings[0]:
            return set()
        found = set(postings[0])
        for posting in postings[1:4]:
            found = {nid for nid in found if nid in posting}
        names = self._names
        return {nid for nid in found if text in names[nid].analysis.key}

    def _latin_unit(self, token: str) -> set[int]:
        unit: set[int] = set()
        for f in (WORDS, PINYIN, INITIALS):
            unit.update(self._post[f].get(token, ()))
        if len(token) >= PINYIN_PREFIX_MIN:
            for which in (1, 2):
                unit.update(nid for nid, _ in self._prefix_range(which, token))
        return unit

    def _match_names(self, plan: _Plan) -> set[int]:
        """Name groups covering enough of the query, plus exact, phrase and synonym matches."""
        qa = plan.qa
        grams, chars = self._post[GRAMS], self._post[CHARS]
        units: list[AbstractSet[int]] = []
        extra: set[int] = set()
        if len(qa.key) <= 2 and not qa.latin:
            if len(qa.key) == 1:
                units.append(chars.get(qa.key, {}).keys())
            else:
                # 证号 also finds 证书号 and 证件号码: both characters, in order, at most
                # UNIGRAM_GAP apart
                first, second = qa.key[0], qa.key[1]
                adjacent = grams.get(qa.key, {}).keys()
                both = (chars.get(first, {}).keys() & chars.get(second, {}).keys()) - adjacent
                key_of = self._key_of
                units.append({nid for nid in both if _near(key_of[nid], first, second)} | adjacent)
        else:
            units.extend(grams.get(g, {}).keys() for g in qa.grams)
            units.extend(chars.get(r, {}).keys() for r in qa.han_runs if len(r) == 1)
            units.extend(self._latin_unit(t) for t in qa.latin)
            if len(qa.latin) > 1 and not qa.han_runs:
                extra = self._latin_unit("".join(qa.latin))
        units.sort(key=len)
        matched = _coverage(units[:MAX_UNITS]) | extra
        matched.update(plan.exact)
        matched.update(plan.phrases)
        return matched

    def _tiers(self, matched: set[int], plan: _Plan) -> list[tuple[float, set[int]]]:
        """Matched name groups by tier, best tier first (the same rules as `_score_name`)."""
        key, key_of = plan.qa.key, self._key_of
        exact = set(plan.exact)
        rest = matched - exact
        if len(key) <= 2 and not plan.qa.latin:
            # the names holding a one- or two-character key are exactly its n-gram posting
            posting = self._post[CHARS if len(key) == 1 else GRAMS].get(key, {})
            phrase = posting.keys() & rest
        else:
            phrase = {nid for nid in rest if key in key_of[nid]}
        phrase.update(nid for nid in plan.phrases if nid in rest)
        rest -= phrase
        word: set[int] = set()
        for posting in plan.word_postings:
            word |= posting.keys() & rest
        rest -= word
        pinyin = plan.prefix.keys() & rest
        for posting in plan.pinyin_postings:
            pinyin |= posting.keys() & rest
        for posting in plan.gram_postings:
            pinyin -= posting.keys() & pinyin
        rest -= pinyin
        tiers = [
            (TIER_EXACT, exact),
            (TIER_PHRASE, phrase),
            (TIER_WORD, word),
            (TIER_PARTIAL, rest),
            (TIER_PINYIN, pinyin),
        ]
        return [(tier, members) for tier, members in tiers if members]

    def _tier_scores(self, tier: float, members: set[int], plan: _Plan) -> dict[int, float]:
        """Name scores of one tier's groups, BM25 term at a time (as `_score_name` computes)."""
        if tier == TIER_EXACT:
            base = TIER_EXACT + NAME_RELEVANCE
            return {nid: base + CANONICAL_BONUS if nid in plan.canonical else base for nid in members}
        raw = dict.fromkeys(members, 0.0)
        a, lengths = plan.norm_a, self._lengths
        for t in plan.terms:
            posting, coef, f = t.posting, t.coef, t.field
            c = plan.norm_c[f]
            if len(posting) < len(raw):
                for nid, tf in posting.items():
                    if nid in raw:
                        raw[nid] += coef * tf / (tf + a + c * lengths[nid][f])
            else:
                for nid in members:
                    found = posting.get(nid)
                    if found:
                        raw[nid] += coef * found / (found + a + c * lengths[nid][f])
        scale, prefix, phrases = plan.scale, plan.prefix, plan.phrases
        if not prefix and (tier != TIER_PHRASE or not phrases):
            return {nid: tier + value * scale for nid, value in raw.items()}
        key, key_of = plan.qa.key, self._key_of
        scores: dict[int, float] = {}
        for nid, value in raw.items():
            relevance = value * scale
            bonus = prefix.get(nid)
            if bonus is not None:
                relevance += bonus[1]
            if tier == TIER_PHRASE:
                phrase = phrases.get(nid)
                if phrase is not None and phrase[1] is MatchReason.SYNONYM and key not in key_of[nid]:
                    relevance += SYNONYM_PHRASE_BONUS
            scores[nid] = tier + relevance
        return scores

    def _score_name(self, nid: int, plan: _Plan, out: list[Contribution] | None = None) -> _Scored:
        """One name group's score, tier and reasons; with `out`, the contributions too.

        Used for the hits of a page; `_tiers` and `_tier_scores` compute the same for many
        groups at once, and the two must agree."""
        exact = plan.exact.get(nid)
        if exact is not None:
            rule, reason = exact
            score = TIER_EXACT + NAME_RELEVANCE
            if out is not None:
                out.append(Contribution(rule, score))
            if nid in plan.canonical:
                score += CANONICAL_BONUS
                if out is not None:
                    out.append(Contribution("canonical", CANONICAL_BONUS))
            return _Scored(score, TIER_EXACT, rule, frozenset((reason,)))
        lengths = self._lengths[nid]
        a, norm_c, scale = plan.norm_a, plan.norm_c, plan.scale
        details: list[Contribution] = []
        raw = 0.0
        word = gram = pinyin = False
        for t in plan.terms:
            tf = t.posting.get(nid)
            if tf:
                s = t.coef * tf / (tf + a + norm_c[t.field] * lengths[t.field])
                raw += s
                if t.field == WORDS:
                    word = word or t.term in plan.word_terms
                elif t.field == GRAMS or t.field == CHARS:
                    gram = True
                else:
                    pinyin = True
                if out is not None:
                    details.append(Contribution(f"bm25:{FIELD_NAMES[t.field]}:{t.term}", s * scale))
        relevance = raw * scale
        prefix = plan.prefix.get(nid)
        if prefix is not None:
            pinyin = True
            relevance += prefix[1]
            if out is not None:
                details.append(Contribution(f"pinyin-prefix:{prefix[0]}", prefix[1]))
        phrase = plan.phrases.get(nid)
        reasons: set[MatchReason] = set()
        if plan.qa.key in self._key_of[nid]:
            tier, rule = TIER_PHRASE, "tier:phrase"
        elif phrase is not None:
            tier, rule = TIER_PHRASE, f"tier:phrase:{phrase[0]}"
            if phrase[1] is MatchReason.SYNONYM:
                reasons.add(MatchReason.SYNONYM)
                relevance += SYNONYM_PHRASE_BONUS
                if out is not None:
                    details.append(Contribution(f"synonym:{phrase[0]}", SYNONYM_PHRASE_BONUS))
        elif word:
            tier, rule = TIER_WORD, "tier:word"
        elif pinyin and not gram:
            tier, rule = TIER_PINYIN, "tier:pinyin"
        else:
            tier, rule = TIER_PARTIAL, "tier:partial"
        if word:
            reasons.add(MatchReason.WORD)
        elif MatchReason.SYNONYM not in reasons and (gram or not pinyin):
            reasons.add(MatchReason.PARTIAL)
        if pinyin:
            reasons.add(MatchReason.PINYIN)
        if out is not None:
            out.append(Contribution(rule, tier))
            out.extend(details)
        return _Scored(tier + relevance, tier, rule, frozenset(reasons))

    def _match_text(self, plan: _Plan) -> set[int]:
        """Documents whose text holds every coarse query word (or all of that word's parts)."""
        requirements: list[tuple[dict[int, int], list[dict[int, int]]]] = []
        empty: dict[int, int] = {}
        for word in plan.qa.coarse[:MAX_TERMS]:
            posting = self._text_post.get(word, empty)
            parts = [
                self._text_post.get(p, empty)
                for p in dict.fromkeys(self._analyzer.segment(word))
                if p != word and len(p) >= 2
            ]
            if not posting and (not parts or not all(parts)):
                return set()
            requirements.append((posting, parts if parts and all(parts) else []))
        if not requirements:
            return set()

        def size(req: tuple[dict[int, int], list[dict[int, int]]]) -> int:
            return len(req[0]) + (min(len(p) for p in req[1]) if req[1] else 0)

        requirements.sort(key=size)
        posting, parts = requirements[0]
        found = set(posting)
        if parts:
            parts = sorted(parts, key=len)
            found.update(d for d in parts[0] if all(d in p for p in parts[1:]))
        for posting, parts in requirements[1:]:
            found = {d for d in found if d in posting or (parts and all(d in p for p in parts))}
            if not found:
                break
        return found

    def _text_score(self, num: int, plan: _Plan, out: list[Contribution] | None = None) -> float:
        length = len(self._docs[num].text_words)
        total = 0.0
        for t in plan.text_terms:
            tf = t.posting.get(num)
            if tf:
                s = t.coef * tf / (tf + plan.text_a + plan.text_c * length) * plan.text_scale
                total += s
                if out is not None:
                    out.append(Contribution(f"bm25:text.word:{t.term}", s))
        return total

    def _top(
        self,
        tiers: list[tuple[float, set[int]]],
        text_only: list[int],
        plan: _Plan,
        allowed: set[int] | None,
        k: int,
    ) -> tuple[list[tuple[float, str, str, int]], dict[int, float]]:
        """The best k documents as (score, name, id, num), best first, and the scores of the
        name groups that were scored.

        Tiers are scored best first and only until k documents are found; within a tier the
        groups are visited by score, a group is skipped when even its best document (highest
        prior, plus text relevance if any of its texts matched) cannot reach the k-th score,
        and a group's documents are already in prior order, so only those whose text matched
        are scored one by one."""
        scores: dict[int, float] = {}
        if k <= 0:
            return [], scores
        heap: list[float] = []
        found: list[tuple[float, str, str, int]] = []
        docs, names = self._docs, self._names

        def offer(score: float, rec: _Doc) -> bool:
            if len(heap) < k:
                heapq.heappush(heap, score)
            elif score >= heap[0]:
                heapq.heapreplace(heap, score)
            else:
                return False
            found.append((score, rec.doc.name, rec.doc.id, rec.num))
            return True

        text_postings = [t.posting for t in plan.text_terms]
        text_bound = plan.text_bound
        for tier, members in tiers:
            if len(heap) >= k:
                break  # every later tier scores below the whole heap
            tier_scores = self._tier_scores(tier, members, plan)
            scores.update(tier_scores)
            # the best score any document of a group can reach, whether or not its text matched
            bounds = {nid: score + names[nid].max_prior + text_bound for nid, score in tier_scores.items()}
            for nid in sorted(bounds, key=bounds.__getitem__, reverse=True):
                if len(heap) >= k and round(bounds[nid], 6) < heap[0]:
                    break
                name, score = names[nid], tier_scores[nid]
                with_text: AbstractSet[int] = _NO_DOCS
                if text_postings:
                    with_text = set().union(*(posting.keys() & name.docs for posting in text_postings))
                slack = text_bound if with_text else 0.0
                taken = 0  # documents without text taken: k of them is all this group can give
                for num in name.ranked:  # by prior, descending
                    rec = docs[num]
                    if len(heap) >= k and round(score + rec.prior + slack, 6) < heap[0]:
                        break
                    if allowed is not None and rec.combo not in allowed:
                        continue
                    if num in with_text:
                        offer(round(score + rec.prior + self._text_score(num, plan), 6), rec)
                    elif taken < k:
                        if offer(round(score + rec.prior, 6), rec):
                            taken += 1
                        elif not with_text:
                            break
                        else:
                            taken = k  # the rest without text scores lower still
        if len(heap) < k:
            for num in text_only:
                rec = docs[num]
                offer(round(TIER_TEXT + rec.prior + self._text_score(num, plan), 6), rec)
        found.sort(key=lambda item: (-item[0], item[1], item[2]))
        return found[:k], scores

    def _hit(
        self, score: float, num: int, by_name: bool, plan: _Plan, explain: bool, highlighted: bool = True
    ) -> SearchHit:
        rec = self._docs[num]
        out: list[Contribution] | None = [] if explain else None
        reasons: set[MatchReason] = set()
        group: _Scored | None = None
        if by_name:
            group = self._score_name(rec.nid, plan, out)
            reasons.update(group.reasons)
        elif out is not None:
            out.append(Contribution("tier:text", TIER_TEXT))
        if self._text_score(num, plan, out) > 0 or group is None:
            reasons.add(MatchReason.TEXT)
        if out is not None:
            if rec.authority:
                out.append(Contribution(f"authority:{rec.authority}", AUTHORITY_BOOST))
            level = LEVEL_PRIOR.get(rec.doc.level or "")
            if level:
                out.append(Contribution(f"level:{rec.doc.level}", level))
        if plan.qa.traditional:
            reasons.add(MatchReason.TRADITIONAL)
        if not highlighted:
            highlight = rec.doc.name
        elif group is None:
            highlight = self._highlight_text(rec.doc.text, plan)
        else:
            highlight = self._highlight_name(rec, group, plan)
        return SearchHit(
            id=rec.doc.id,
            kind=rec.doc.kind,
            score=score,
            name=rec.doc.name,
            highlight=highlight,
            reasons=tuple(sorted(reasons, key=_REASON_ORDER.__getitem__)),
            explanation=tuple(out) if out is not None else (),
        )

    # -- highlighting ----------------------------------------------------------------

    @staticmethod
    def _phrases(plan: _Plan, extra: Iterable[str] = (), chars: bool = False) -> list[str]:
        qa = plan.qa
        short = len(qa.key) <= 2
        words = [w for w in qa.words if len(w) >= 2 or short]
        return [qa.key, *extra, *words, *qa.grams, *(qa.chars if chars else ()), *qa.latin]

    def _highlight_name(self, rec: _Doc, group: _Scored, plan: _Plan) -> str:
        raw = rec.doc.name
        key, owners = self._analyzer.key_map(raw)
        marked = [group.tier == TIER_EXACT] * len(key)
        if group.tier != TIER_EXACT:
            phrase = plan.phrases.get(rec.nid)
            # single characters only where a short query matched them apart (证号 → 证书号)
            chars = len(plan.qa.key) <= 2 and plan.qa.key not in key
            mark_phrases(key, marked, self._phrases(plan, [phrase[0]] if phrase else [], chars))
            if MatchReason.PINYIN in group.reasons:
                mark_pinyin(self._analyzer, key, marked, plan.qa.latin)
        return _render(raw, owners, marked)

    def _highlight_text(self, text: str, plan: _Plan) -> str:
        key, owners = self._analyzer.key_map(text)
        marked = [False] * len(key)
        mark_phrases(key, marked, [*plan.qa.coarse, *self._phrases(plan)])
        hit = next((owners[i] for i, m in enumerate(marked) if m), 0)
        start = max(0, hit - 20)
        end = min(len(text), start + 80)
        body = _render(
            text[start:end],
            [o - start for o in owners if start <= o < end],
            [m for m, o in zip(marked, owners, strict=True) if start <= o < end],
        )
        return ("…" if start else "") + body + ("…" if end < len(text) else "")

    # -- facets and suggestions ------------------------------------------------------

    def _facets(self, smalls: Counter[int], providers: Counter[int]) -> dict[str, list[FacetCount]]:
        counts: list[dict[str | None, int]] = [{}, {}, {}, {}, {}]
        kinds, sharing, categories, provider_counts, levels = counts
        for sid, n in smalls.items():
            kind, sharing_type, category, level = self._smalls[sid]
            kinds[kind] = kinds.get(kind, 0) + n
            sharing[sharing_type] = sharing.get(sharing_type, 0) + n
            categories[category] = categories.get(category, 0) + n
            levels[level] = levels.get(level, 0) + n
        for pid, n in providers.items():
            provider_counts[self._providers[pid]] = n
        return {
            key: sorted(
                (FacetCount(v, c) for v, c in values.items() if v is not None and c > 0),
                key=lambda f: (-f.count, f.value),
            )
            for key, values in zip(FACET_KEYS, counts, strict=True)
        }

    def suggest_prefix(self, prefix: str, limit: int = 10) -> list[Suggestion]:
        """The body of `suggest`: names by prefix, pinyin prefix or initials prefix."""
        key = self._analyzer.key(prefix)
        if not key or limit <= 0:
            return []
        nids: set[int] = set()
        for which in (0, 1, 2) if key.isascii() else (0,):
            nids.update(nid for nid, _ in self._prefix_range(which, key))
        names, key_of = self._names, self._key_of
        # most documents first; a few extra candidates for groups differing only in spaces
        ordered = heapq.nsmallest(2 * limit + 8, nids, key=lambda n: (-len(names[n].docs), key_of[n], n))
        out: list[Suggestion] = []
        seen: set[str] = set()
        for nid in ordered:
            if key_of[nid] in seen:
                continue
            seen.add(key_of[nid])
            text = _display(names[nid])
            doc = self._docs[names[nid].ranked[0]].doc
            out.append(Suggestion(text=text, kind=doc.kind, id=doc.id))
            if len(out) >= limit:
                break
        return out


_NO_DOCS: frozenset[int] = frozenset()
_KINDS = {kind.value: kind for kind in DocKind}


def _tokens(joined: str) -> tuple[str, ...]:
    # stored tokens recur across thousands of names and texts: share one object each
    return tuple(map(sys.intern, joined.split()))


def _term_frequencies(tokens: tuple[str, ...]) -> dict[str, int]:
    distinct = dict.fromkeys(tokens, 1)
    return distinct if len(distinct) == len(tokens) else dict(Counter(tokens))


def _coverage(units: list[AbstractSet[int]]) -> set[int]:
    """Ids present in at least MIN_COVERAGE of the units (sorted smallest first)."""
    n = len(units)
    if n == 0:
        return set()
    required = max(1, math.ceil(MIN_COVERAGE * n - 1e-9))
    if required == 1:
        found: set[int] = set()
        for unit in units:
            found.update(unit)
        return found
    if required >= n:
        found = set(units[0])
        for unit in units[1:]:
            found = {x for x in found if x in unit}
        return found
    # an id in `required` units is in at least one of the n - required + 1 smallest
    candidates: set[int] = set()
    for unit in units[: n - required + 1]:
        candidates.update(unit)
    counts: Counter[int] = Counter()
    for unit in units:
        counts.update(x for x in candidates if x in unit)
    return {x for x, c in counts.items() if c >= required}


def _near(key: str, first: str, second: str) -> bool:
    at = key.find(first)
    while at >= 0:
        after = key.find(second, at + 1)
        if after < 0:
            return False
        if after - at - 1 <= UNIGRAM_GAP:
            return True
        at = key.find(first, at + 1)
    return False


def _has_han(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000" for ch in text)






def _render(raw: str, owners: list[int], marked: list[bool]) -> str:
    """`raw`, HTML-escaped, with <em>…</em> around the characters behind marked key chars."""
    flags = [False] * len(raw)
    for owner, m in zip(owners, marked, strict=True):
        if m:
            flags[owner] = True
    out: list[str] = []
    i = 0
    while i < len(raw):
        j = i
        while j < len(raw) and flags[j] == flags[i]:
            j += 1
        segment = html.escape(raw[i:j])
        out.append(f"<em>{segment}</em>" if flags[i] else segment)
        i = j
    return "".join(out)


def _display(name: _Name) -> str:
    """The most common spelling of a name group (alphabetical among equals)."""
    return min(name.spellings.items(), key=lambda item: (-item[1], item[0]))[0]


def _row_doc(r: Sequence[str | None]) -> SearchDoc:
    # facet and context columns repeat across thousands of rows: share one string each
    def shared(value: str | None) -> str | None:
        return None if value is None else sys.intern(value)

    return SearchDoc(
        id=str(r[0]),
        kind=_KINDS[str(r[1])],
        name=str(r[2]),
        text=str(r[3] or ""),
        sharing_type=shared(r[4]),
        category=shared(r[5]),
        provider_code=shared(r[6]),
        provider_name=shared(r[7]),
        level=shared(r[8]),
        resource_code=shared(r[9]),
        resource_name=shared(r[10]),
    )
