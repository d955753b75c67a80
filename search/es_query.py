"""Elasticsearch queries that match and rank as the embedded index does (检索查询).

The query text is analysed in Python (`search.analysis`), synonyms are expanded in Python
(`search.synonyms`), and the result is one `bool` query over the pre-analysed fields of
`search.es_mapping`. Its parts mirror `search.embedded`:

- match (`bool.filter`): a name holding at least 60 % of the query's units (distinct
  bigrams, lone characters, Latin tokens as words, pinyin, initials or pinyin prefixes), an
  exact/synonym key, or a name containing a synonym phrase; two characters at most two
  apart for a two-character query (`span_near`); or a text holding every coarse word.
- tiers (`dis_max` of `constant_score`): EXACT 54 (a `terms` query on the key), PHRASE 40,
  WORD 30, PARTIAL 20, PINYIN 10; the non-exact tiers plus their relevance sit in one
  `bool` that excludes the exact keys, as the embedded index adds no relevance to EXACT;
  an exact key matched as a synonym that is its group's canonical name adds 1 (`canonical`,
  a `constant_score` `terms` on the key) when no indexed key is the query (or its resolved
  suffix-stripped form) itself.
- name relevance: one `term` query per query term and field, boosted so that BM25's sum
  lands in [0, 4) as the embedded index scales it. The boosts need document frequencies:
  a statistics request (`size: 0`, a `filters` aggregation: live counts, as the embedded
  index counts) and, in parallel, the term vectors of an artificial document of the query
  terms (Lucene's counts, which Elasticsearch scores with) are fetched first; the first also
  tells which suffix-stripped forms of the query name an indexed item.
- bonuses: pinyin prefix (`function_score`, weight 2·len(token) × 1/len(pinyin)),
  synonym phrase (+2), text BM25 scaled to [0, 1), authority (+0.5, `dis_max` over the
  departments of `search.authority`), level prior.

Every scoring clause is named (`_name`); with `include_named_queries_score` the hits say
which clauses matched and what each added, and `reasons`, `explanation` and the parts of
the highlight that depend on the tier are derived from that. Elasticsearch highlights the
query, its words, bigrams and Latin tokens on the original name and text (one-character
analyzer); the tags are turned into the embedded index's <em>…</em> format.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from search.analysis import Analyzer, QueryAnalysis
from search.authority import AUTHORITY_BOOST, AuthorityRegistry, Department
from search.embedded import (
    CANONICAL_BONUS,
    FACET_KEYS,
    FIELD_WEIGHTS,
    K1,
    LEVEL_PRIOR,
    MAX_PHRASES,
    MAX_TERMS,
    MAX_UNITS,
    MIN_COVERAGE,
    NAME_RELEVANCE,
    PINYIN_PREFIX_BONUS,
    PINYIN_PREFIX_MIN,
    SYNONYM_PHRASE_BONUS,
    TEXT_RELEVANCE,
    TIER_EXACT,
    TIER_PARTIAL,
    TIER_PHRASE,
    TIER_PINYIN,
    TIER_TEXT,
    TIER_WORD,
    UNIGRAM_GAP,
)
from search.es_mapping import NAME_FIELDS, PRESENT_TEXT
from search.highlight import mark_phrases, mark_pinyin
from search.index import (
    Contribution,
    DocKind,
    FacetCount,
    MatchReason,
    SearchFilter,
    SearchHit,
)
from search.synonyms import SynonymDictionary, suffix_candidates

__all__ = ["FACET_FIELDS", "QueryDraft", "QueryPlan", "QueryPlanner", "Stats"]

Query = dict[str, Any]

# Facet key of the API → keyword field.
FACET_FIELDS: dict[str, str] = dict(
    zip(FACET_KEYS, ("kind", "sharing_type", "category", "provider_code", "level"), strict=True)
)
FACET_SIZE = 10_000
# Highlight markers: private-use characters, never in a normalised name.
PRE, POST = "\ue000", "\ue001"
_TAGS = re.compile(f"[{PRE}{POST}]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")

_WORDS, _GRAMS, _CHARS, _PINYIN, _INITIALS = NAME_FIELDS
_WEIGHTS = dict(zip(NAME_FIELDS, FIELD_WEIGHTS, strict=True))
_RULES = {f: rule for f, (_, rule) in NAME_FIELDS.items()}
_REASON_ORDER = {reason: i for i, reason in enumerate(MatchReason)}
_TIER_RULES = (("t:phrase", TIER_PHRASE), ("t:word", TIER_WORD), ("t:partial", TIER_PARTIAL), ("t:pinyin", TIER_PINYIN))
_KINDS = {kind.value: kind for kind in DocKind}


@dataclass(frozen=True, slots=True)
class _Term:
    field: str
    term: str


@dataclass(frozen=True, slots=True)
class Stats:
    """Document counts the ranking needs: live ones (the statistics request) as the embedded
    index counts, and Lucene's own (term vectors of the query terms), which until segments
    merge also count replaced and deleted documents and are what Elasticsearch scores with."""

    docs: int
    field_docs: Mapping[str, int]  # ES field → documents where it is non-empty
    df: Mapping[_Term, int]
    keys: frozenset[str]  # which of the asked keys name an indexed document
    lucene_field_docs: Mapping[str, int] = field(default_factory=dict)
    lucene_df: Mapping[_Term, int] = field(default_factory=dict)


@dataclass(slots=True)
class QueryDraft:
    """What analysing the query gives before any statistics are known."""

    qa: QueryAnalysis
    latin: tuple[str, ...]  # Latin tokens, plus them joined when typed apart without Han
    name_terms: list[_Term]  # in the embedded index's order
    text_terms: list[_Term]
    candidates: list[str]  # suffix-stripped forms to check (empty: no check needed)


@dataclass(slots=True)
class _Scored:
    term: _Term
    boost: float


@dataclass(slots=True)
class QueryPlan:
    """A draft with statistics: everything the query and the hits are built from."""

    draft: QueryDraft
    relevance: list[_Scored]
    text_relevance: list[_Scored]
    exact: dict[str, tuple[str, MatchReason]]  # key → (rule, reason), first wins
    phrases: list[tuple[str, MatchReason | None]]
    word_terms: list[str]
    stats: Stats
    prefixes: list[tuple[str, str]] = field(default_factory=list)  # (token, keyword field)

    @property
    def qa(self) -> QueryAnalysis:
        return self.draft.qa


def _is_han(ch: str) -> bool:
    return bool(_HAN.match(ch))


def _term(f: str, value: str, name: str | None = None, boost: float | None = None) -> Query:
    body: dict[str, Any] = {"value": value}
    if boost is not None:
        body["boost"] = boost
    if name is not None:
        body["_name"] = name
    return {"term": {f: body}}


def _terms(f: str, values: Iterable[str]) -> Query:
    return {"terms": {f: list(dict.fromkeys(values))}}


def _any(clauses: Sequence[Query], name: str | None = None, minimum: int = 1) -> Query:
    body: dict[str, Any] = {"should": list(clauses), "minimum_should_match": minimum}
    if name is not None:
        body["_name"] = name
    return {"bool": body}


def _constant(q: Query, boost: float, name: str) -> Query:
    return {"constant_score": {"filter": q, "boost": boost, "_name": name}}


def _phrase(f: str, text: str) -> Query:
    return {"match_phrase": {f: {"query": text}}}


_NONE: Query = {"match_none": {}}


def _idf(docs: int, df: int) -> float:
    return math.log(1 + (docs - df + 0.5) / (df + 0.5))


class QueryPlanner:
    """Builds the statistics request, the search request and the hits of one query."""

    def __init__(self, analyzer: Analyzer, synonyms: SynonymDictionary, authorities: AuthorityRegistry) -> None:
        self.analyzer = analyzer
        self.synonyms = synonyms
        self.authorities = authorities
        self._authority_cache: tuple[tuple[int, int], list[Query]] | None = None

    # -- step 1: analysis and statistics ---------------------------------------------

    def draft(self, text: str) -> QueryDraft:
        qa = self.analyzer.analyse_query(text)
        latin = list(qa.latin)
        if len(latin) > 1 and not qa.han_runs:
            latin.append("".join(latin))  # "tong yi she hui" typed with spaces
        terms = [_Term(_WORDS, w) for w in qa.words[:MAX_TERMS]]
        terms += [_Term(_GRAMS, g) for g in qa.grams[:MAX_TERMS]]
        terms += [_Term(_CHARS, ch) for ch in _lone_chars(qa)]
        for token in latin:
            terms += [_Term(_PINYIN, token), _Term(_INITIALS, token)]
        text_terms = [_Term("text_words", w) for w in qa.words[:MAX_TERMS]]
        candidates = suffix_candidates(qa.key) if qa.key and not self.synonyms.contains(qa.key) else []
        return QueryDraft(qa, tuple(latin), terms, text_terms, candidates)

    @staticmethod
    def stats_request(draft: QueryDraft) -> Query:
        filters = {f"n{i}": _term(t.field, t.term) for i, t in enumerate(draft.name_terms)}
        filters |= {f"t{i}": _term(t.field, t.term) for i, t in enumerate(draft.text_terms)}
        aggs: dict[str, Any] = {"present": {"terms": {"field": "present", "size": 16}}}
        if filters:
            aggs["df"] = {"filters": {"filters": filters}}
        if draft.qa.key:  # which of the query and its suffix-stripped forms name an indexed item
            keys = [draft.qa.key, *draft.candidates]
            aggs["keys"] = {"terms": {"field": "key", "include": keys, "size": len(keys)}}
        return {"size": 0, "track_total_hits": True, "query": {"match_all": {}}, "aggs": aggs}

    @staticmethod
    def term_vectors_request(draft: QueryDraft) -> Query:
        """An artificial document of the query terms: its term vectors carry Lucene's
        statistics (document frequencies, field document counts)."""
        doc: dict[str, list[str]] = {}
        for t in [*draft.name_terms, *draft.text_terms]:
            doc.setdefault(t.field, []).append(t.term)
        return {
            "doc": {f: " ".join(dict.fromkeys(terms)) for f, terms in doc.items()},
            "fields": sorted(doc),
            "term_statistics": True,
            "field_statistics": True,
            "positions": False,
            "offsets": False,
            "payloads": False,
        }

    @staticmethod
    def parse_stats(
        draft: QueryDraft, response: Mapping[str, Any], term_vectors: Mapping[str, Any] | None = None
    ) -> Stats:
        aggs = response.get("aggregations", {})
        present = {b["key"]: int(b["doc_count"]) for b in aggs.get("present", {}).get("buckets", [])}
        field_docs = {f: present.get(code, 0) for f, (code, _) in NAME_FIELDS.items()}
        field_docs["text_words"] = present.get(PRESENT_TEXT, 0)
        buckets = aggs.get("df", {}).get("buckets", {})
        df: dict[_Term, int] = {}
        for prefix, terms in (("n", draft.name_terms), ("t", draft.text_terms)):
            for i, t in enumerate(terms):
                df[t] = int(buckets.get(f"{prefix}{i}", {}).get("doc_count", 0))
        keys = frozenset(str(b["key"]) for b in aggs.get("keys", {}).get("buckets", []))
        lucene_field_docs: dict[str, int] = {}
        lucene_df: dict[_Term, int] = {}
        for f, vectors in ((term_vectors or {}).get("term_vectors") or {}).items():
            lucene_field_docs[f] = int(vectors.get("field_statistics", {}).get("doc_count", 0))
            for term, counts in (vectors.get("terms") or {}).items():
                lucene_df[_Term(f, term)] = int(counts.get("doc_freq", 0))
        total = int(response["hits"]["total"]["value"])
        return Stats(total, field_docs, df, keys, lucene_field_docs, lucene_df)

    # -- step 2: the plan ------------------------------------------------------------

    def plan(self, draft: QueryDraft, stats: Stats) -> QueryPlan:
        qa, synonyms = draft.qa, self.synonyms
        relevance = self._relevance(draft.name_terms, stats, NAME_RELEVANCE, by_field=True)
        text_relevance = self._relevance(draft.text_terms, stats, TEXT_RELEVANCE, by_field=False)

        exact: dict[str, tuple[str, MatchReason]] = {qa.key: ("exact", MatchReason.EXACT)}
        phrases: list[tuple[str, MatchReason | None]] = []
        seen = {qa.key}

        def add_phrase(text: str, reason: MatchReason | None) -> None:
            if len(seen) < MAX_PHRASES and text not in seen:
                seen.add(text)
                phrases.append((text, reason))

        resolved = None
        if draft.candidates and qa.key not in stats.keys:
            resolved = next((c for c in draft.candidates if c in stats.keys or synonyms.contains(c)), None)
        targets = [qa.key] if resolved is None else [qa.key, resolved]
        if resolved is not None:
            exact.setdefault(resolved, (f"exact:{resolved}", MatchReason.EXACT))
            add_phrase(resolved, None)
        for target in targets:
            for term, _ in synonyms.expand(target):
                if term != target:
                    exact.setdefault(term, (f"synonym:{term}", MatchReason.SYNONYM))
                    add_phrase(term, MatchReason.SYNONYM)
        rewritten = synonyms.rewrite(resolved or qa.key)
        if rewritten is not None:
            exact.setdefault(rewritten, (f"synonym:{rewritten}", MatchReason.SYNONYM))
            add_phrase(rewritten, MatchReason.SYNONYM)

        word_terms = [w for w in qa.words[:MAX_TERMS] if len(w) >= 2 or len(qa.key) == 1]
        prefixes = [
            (token, which)
            for token in draft.latin
            if len(token) >= PINYIN_PREFIX_MIN
            for which in ("pinyin_full", "initials_full")
        ]
        return QueryPlan(draft, relevance, text_relevance, exact, phrases, word_terms, stats, prefixes)

    @staticmethod
    def _relevance(terms: list[_Term], stats: Stats, total: float, by_field: bool) -> list[_Scored]:
        """Boosts that make Elasticsearch's BM25 (boost · idf · (k1 + 1) · saturation: it keeps
        Lucene's legacy (k1 + 1) factor) equal the embedded index's share of `total`
        (weight · idf · saturation / Σ weight · idf)."""
        present = [t for t in terms if stats.df.get(t, 0) > 0]
        weights = {t: (_WEIGHTS[t.field] if by_field else 1.0) for t in present}
        # the embedded index counts every document in a name field's N, Lucene those having it
        idf = {t: _idf(stats.docs if by_field else stats.field_docs[t.field], stats.df[t]) for t in present}
        norm = sum(weights[t] * idf[t] for t in present)
        if not norm:
            return []
        out = []
        for t in present:
            df = max(stats.lucene_df.get(t, 0), stats.df[t])
            docs = max(stats.lucene_field_docs.get(t.field, 0), stats.field_docs.get(t.field, 0), df)
            lucene_idf = _idf(docs, df)
            out.append(_Scored(t, total * weights[t] * idf[t] / (lucene_idf * (K1 + 1) * norm)))
        return out

    # -- step 3: the search request --------------------------------------------------

    def search_request(self, plan: QueryPlan, flt: SearchFilter, offset: int, size: int, facets: bool) -> Query:
        body: Query = {
            "query": self.query(plan, flt),
            "from": offset,
            "size": size,
            "track_total_hits": True,
            "sort": [{"_score": "desc"}, {"name.keyword": {"order": "asc", "missing": "_last"}}, {"id": "asc"}],
            "_source": ["id", "kind", "name", "text", "key", "provider_key"],
        }
        if size:
            body["highlight"] = self._highlight(plan)
        if facets:
            body["aggs"] = {
                key: {"terms": {"field": f, "size": FACET_SIZE, "order": [{"_count": "desc"}, {"_key": "asc"}]}}
                for key, f in FACET_FIELDS.items()
            }
        return body

    def query(self, plan: QueryPlan, flt: SearchFilter) -> Query:
        exact = _terms("key", plan.exact)
        name_match = self._name_match(plan)
        text_match = self._text_match(plan)
        matched = _any([name_match, text_match])
        non_exact: Query = {
            "bool": {
                "filter": [name_match],
                "must_not": [exact],
                "should": [self._tiers(plan), *self._relevance_clauses(plan), *self._bonuses(plan)],
            }
        }
        should: list[Query] = [_constant(exact, TIER_EXACT + NAME_RELEVANCE, "x"), non_exact]
        canonical = self._canonical_keys(plan)
        if canonical:
            should.append(_constant(_terms("key", canonical), CANONICAL_BONUS, "c"))
        should += [_term(s.term.field, s.term.term, f"tx:{i}", s.boost) for i, s in enumerate(plan.text_relevance)]
        should += self.prior_clauses()
        return {"bool": {"filter": [*_filters(flt), matched], "should": should}}

    def _canonical_keys(self, plan: QueryPlan) -> list[str]:
        """Exact keys matched as a synonym that are their group's canonical name (as the
        embedded index's `_Plan.canonical`): none when an indexed key is the query itself or its
        resolved suffix-stripped form."""
        keys = plan.stats.keys
        if any(reason is MatchReason.EXACT and key in keys for key, (_, reason) in plan.exact.items()):
            return []
        return [
            key
            for key, (_, reason) in plan.exact.items()
            if reason is MatchReason.SYNONYM and self.synonyms.canonical_of(key) == key
        ]

    def _name_match(self, plan: QueryPlan) -> Query:
        """Name groups covering enough of the query, plus exact, phrase and synonym matches."""
        qa = plan.qa
        alternatives: list[Query] = []
        if len(qa.key) <= 2 and not qa.latin:
            if len(qa.key) == 1:
                alternatives.append(_term(_CHARS, qa.key))
            else:
                # 证号 also finds 证书号 and 证件号码: both characters in order, at most
                # UNIGRAM_GAP apart (adjacent is the bigram itself)
                alternatives.append(
                    {
                        "span_near": {
                            "clauses": [{"span_term": {_CHARS: ch}} for ch in qa.key],
                            "slop": UNIGRAM_GAP,
                            "in_order": True,
                        }
                    }
                )
        else:
            units: list[tuple[int, Query]] = []
            units += [(self._df(plan, _GRAMS, g), _term(_GRAMS, g)) for g in qa.grams]
            units += [(self._df(plan, _CHARS, r), _term(_CHARS, r)) for r in qa.han_runs if len(r) == 1]
            units += [(self._latin_size(plan, t), self._latin_unit(t)) for t in qa.latin]
            units.sort(key=lambda u: u[0])
            kept = [q for _, q in units[:MAX_UNITS]]
            if kept:
                required = max(1, math.ceil(MIN_COVERAGE * len(kept) - 1e-9))
                alternatives.append(_any(kept, minimum=required))
            if len(qa.latin) > 1 and not qa.han_runs:
                alternatives.append(self._latin_unit("".join(qa.latin)))
        alternatives.append(_terms("key", plan.exact))
        alternatives += [c for i, (text, _) in enumerate(plan.phrases) if (c := self._containing(text, f"h:{i}"))]
        return _any(alternatives, name="m:name")

    @staticmethod
    def _df(plan: QueryPlan, f: str, term: str) -> int:
        # documents, where the embedded index counts name groups; only > MAX_UNITS units differ
        return plan.stats.df.get(_Term(f, term), 0)

    def _latin_size(self, plan: QueryPlan, token: str) -> int:
        return sum(self._df(plan, f, token) for f in (_WORDS, _PINYIN, _INITIALS))

    @staticmethod
    def _latin_unit(token: str) -> Query:
        clauses = [_term(_WORDS, token), _term(_PINYIN, token), _term(_INITIALS, token)]
        if len(token) >= PINYIN_PREFIX_MIN:
            clauses += [{"prefix": {"pinyin_full": token}}, {"prefix": {"initials_full": token}}]
        return _any(clauses)

    @staticmethod
    def _containing(text: str, name: str) -> Query | None:
        """Names whose key contains `text`, as the embedded index finds them: through Han
        bigrams (a single Han character through the unigrams), a Latin term as a word."""
        if not any(_is_han(ch) for ch in text):
            return _term(_WORDS, text, name) if len(text) > 1 else None
        if len(text) == 1:
            return _term(_CHARS, text, name)
        if not all(_is_han(ch) for ch in text):
            return None  # a bigram across Han and Latin is never indexed
        return {"match_phrase": {"key.chars": {"query": text, "_name": name}}}

    def _text_match(self, plan: QueryPlan) -> Query:
        """Documents whose text holds every coarse query word, or all of that word's parts."""
        requirements: list[Query] = []
        for word in plan.qa.coarse[:MAX_TERMS]:
            parts = [p for p in dict.fromkeys(self.analyzer.segment(word)) if p != word and len(p) >= 2]
            options = [_term("text_words", word)]
            if parts:
                options.append({"bool": {"filter": [_term("text_words", p) for p in parts]}})
            requirements.append(_any(options))
        if not requirements:
            return _NONE
        return {"bool": {"filter": requirements, "_name": "m:text"}}

    def _tiers(self, plan: QueryPlan) -> Query:
        qa = plan.qa
        if len(qa.key) <= 2 and not qa.latin:
            contains_key = _term(_CHARS if len(qa.key) == 1 else _GRAMS, qa.key, "h:key")
        else:
            contains_key = {"match_phrase": {"key.chars": {"query": qa.key, "_name": "h:key"}}}
        phrase = _any(
            [contains_key, *(c for i, (t, _) in enumerate(plan.phrases) if (c := self._containing(t, f"h:{i}")))]
        )
        word = _terms(_WORDS, plan.word_terms) if plan.word_terms else _NONE
        gram = self._gram_flag(plan)
        pinyin = self._pinyin_flag(plan)
        partial: Query = _any([gram, {"bool": {"must_not": [pinyin]}}])
        pinyin_only: Query = {"bool": {"filter": [pinyin], "must_not": [gram]}}
        return {
            "dis_max": {
                "queries": [
                    _constant(phrase, TIER_PHRASE, "t:phrase"),
                    _constant(_named(word, "f:word"), TIER_WORD, "t:word"),
                    _constant(partial, TIER_PARTIAL, "t:partial"),
                    _constant(pinyin_only, TIER_PINYIN, "t:pinyin"),
                ],
                "tie_breaker": 0.0,
            }
        }

    def _gram_flag(self, plan: QueryPlan) -> Query:
        qa = plan.qa
        clauses = []
        if qa.grams:
            clauses.append(_terms(_GRAMS, qa.grams[:MAX_TERMS]))
        lone = _lone_chars(qa)
        if lone:
            clauses.append(_terms(_CHARS, lone))
        return _any(clauses, name="f:gram") if clauses else _NONE

    def _pinyin_flag(self, plan: QueryPlan) -> Query:
        latin = plan.draft.latin
        if not latin:
            return _NONE
        clauses: list[Query] = [_terms(_PINYIN, latin), _terms(_INITIALS, latin)]
        clauses += [{"prefix": {which: token}} for token, which in plan.prefixes]
        return _any(clauses, name="f:pinyin")

    @staticmethod
    def _relevance_clauses(plan: QueryPlan) -> list[Query]:
        return [_term(s.term.field, s.term.term, f"b:{i}", s.boost) for i, s in enumerate(plan.relevance)]

    def _bonuses(self, plan: QueryPlan) -> list[Query]:
        out: list[Query] = []
        if plan.prefixes:
            out.append(
                {
                    "dis_max": {
                        "queries": [
                            {
                                "function_score": {
                                    "query": {"prefix": {which: token}},
                                    "functions": [
                                        {
                                            "field_value_factor": {
                                                "field": which.replace("_full", "_len"),
                                                "modifier": "reciprocal",
                                                "missing": 1,
                                            },
                                            "weight": PINYIN_PREFIX_BONUS * len(token),
                                        }
                                    ],
                                    "boost_mode": "replace",
                                    "_name": f"p:{j}",
                                }
                            }
                            for j, (token, which) in enumerate(plan.prefixes)
                        ],
                        "tie_breaker": 0.0,
                    }
                }
            )
        synonym = [
            c
            for i, (text, reason) in enumerate(plan.phrases)
            if reason is MatchReason.SYNONYM and (c := self._containing(text, f"h:{i}"))
        ]
        if synonym:
            # +2 when the first phrase a name contains is a synonym and the name does not
            # contain the query itself; only the stripped form (first, if any) is not a synonym
            blockers: list[Query] = [self._contains_key(plan)]
            if plan.phrases and plan.phrases[0][1] is None:
                first = self._containing(plan.phrases[0][0], "h:0")
                if first:
                    blockers.append(first)
            out.append(
                _constant({"bool": {"filter": [_any(synonym)], "must_not": blockers}}, SYNONYM_PHRASE_BONUS, "s")
            )
        return out

    @staticmethod
    def _contains_key(plan: QueryPlan) -> Query:
        qa = plan.qa
        if len(qa.key) <= 2 and not qa.latin:
            return _term(_CHARS if len(qa.key) == 1 else _GRAMS, qa.key)
        return _phrase("key.chars", qa.key)

    def prior_clauses(self) -> list[Query]:
        out: list[Query] = []
        authority = self._authority_clauses()
        if authority:
            out.append({"dis_max": {"queries": authority, "tie_breaker": 0.0}})
        out += [_constant(_term("level", level), prior, f"l:{level}") for level, prior in LEVEL_PRIOR.items()]
        return out

    def _authority_clauses(self) -> list[Query]:
        """One clause per department: FIELDs named like one of its items (or a synonym of
        one) whose provider's name contains the department's name or an alias."""
        version = (self.synonyms.version, self.authorities.version)
        if self._authority_cache is not None and self._authority_cache[0] == version:
            return self._authority_cache[1]
        named_as: dict[str, set[str]] = {}  # canonical → every key whose canonical it is
        for group in self.synonyms.groups:
            for term in group.terms:
                canonical = self.synonyms.canonical_of(term)
                if canonical is not None:
                    named_as.setdefault(canonical, set()).add(term)
        keys_of: dict[Department, set[str]] = {}
        for item in sorted(self.authorities.items):
            for department in self.authorities.departments_for(item):
                keys_of.setdefault(department, set()).update({item} | named_as.get(item, set()))
        clauses = [
            _constant(
                {
                    "bool": {
                        "filter": [
                            _term("kind", DocKind.FIELD.value),
                            {"terms": {"key": sorted(keys)}},
                            _any([_phrase("provider_key.chars", p) for p in department.patterns]),
                        ]
                    }
                },
                AUTHORITY_BOOST,
                f"a:{i}",
            )
            for i, (department, keys) in enumerate(keys_of.items())
            if department.patterns
        ]
        self._authority_cache = (version, clauses)
        return clauses

    def _highlight(self, plan: QueryPlan) -> Query:
        """ES marks the query, its words, bigrams and Latin tokens in the original name and
        text; `hit` adds what depends on the hit's tier (see `_name_highlight`)."""
        qa = plan.qa
        common = _name_phrases(qa)

        def field_options(phrases: Iterable[str], f: str) -> Query:
            return {
                "type": "unified",
                "number_of_fragments": 0,
                "pre_tags": [PRE],
                "post_tags": [POST],
                "highlight_query": _any([_phrase(f, p) for p in dict.fromkeys(phrases)]),
            }

        return {
            "encoder": "default",
            "require_field_match": False,
            "fields": {
                "name": field_options(common, "name"),
                "text": field_options([*qa.coarse, *common], "text"),
            },
        }

    # -- step 4: hits ------------------------------------------------------------------

    def hit(self, plan: QueryPlan, raw: Mapping[str, Any], explain: bool) -> SearchHit:
        src = raw.get("_source", {})
        matched = _matched(raw)
        name, key = str(src.get("name", "")), str(src.get("key", ""))
        score = float(raw.get("_score") or 0.0)
        out: list[Contribution] = []
        reasons: set[MatchReason] = set()
        tier: float | None = None
        phrase: str | None = None
        if "x" in matched:
            rule, reason = plan.exact.get(key, ("exact", MatchReason.EXACT))
            tier = TIER_EXACT
            reasons.add(reason)
            out.append(Contribution(rule, matched["x"]))
            if "c" in matched:
                out.append(Contribution("canonical", matched["c"]))
        elif "m:name" in matched:
            tier, phrase = self._name_part(plan, matched, key, reasons, out)
        else:
            out.append(Contribution("tier:text", TIER_TEXT))
        text_hits = [(i, s) for i, s in enumerate(plan.text_relevance) if f"tx:{i}" in matched]
        out += [Contribution(f"bm25:text.word:{s.term.term}", matched[f"tx:{i}"]) for i, s in text_hits]
        if text_hits or tier is None:
            reasons.add(MatchReason.TEXT)
        authority = max((v for n, v in matched.items() if n.startswith("a:")), default=None)
        if authority is not None:
            out.append(Contribution(f"authority:{self._department(src, key) or ''}", authority))
        for n, v in matched.items():
            if n.startswith("l:"):
                out.append(Contribution(f"level:{n[2:]}", v))
        if plan.qa.traditional:
            reasons.add(MatchReason.TRADITIONAL)
        highlights = raw.get("highlight", {})
        if tier is None:
            highlight = self._text_highlight(str(src.get("text", "")), _first(highlights.get("text")), plan)
        else:
            highlight = self._name_highlight(name, _first(highlights.get("name")), plan, tier, phrase, reasons)
        return SearchHit(
            id=str(src.get("id", raw.get("_id"))),
            kind=_KINDS.get(str(src.get("kind")), DocKind.FIELD),
            score=score,
            name=name,
            highlight=highlight,
            reasons=tuple(sorted(reasons, key=_REASON_ORDER.__getitem__)),
            explanation=tuple(out) if explain else (),
        )

    def _name_part(
        self,
        plan: QueryPlan,
        matched: Mapping[str, float],
        key: str,
        reasons: set[MatchReason],
        out: list[Contribution],
    ) -> tuple[float, str | None]:
        """The tier, the contained phrase, reasons and contributions of a non-exact name match
        (the same rules as the embedded index's `_score_name`)."""
        word, gram, pinyin = "f:word" in matched, "f:gram" in matched, "f:pinyin" in matched
        first = next((i for i in range(len(plan.phrases)) if f"h:{i}" in matched), None)
        phrase = plan.phrases[first] if first is not None else None
        tier_name = next((n for n, _ in _TIER_RULES if n in matched), "t:partial")
        tier = dict(_TIER_RULES)[tier_name]
        details: list[Contribution] = []
        for i, s in enumerate(plan.relevance):
            if f"b:{i}" in matched:
                details.append(Contribution(f"bm25:{_RULES[s.term.field]}:{s.term.term}", matched[f"b:{i}"]))
        prefix = [(matched[f"p:{j}"], j) for j in range(len(plan.prefixes)) if f"p:{j}" in matched]
        if prefix:
            best, j = max(prefix, key=lambda p: (p[0], -p[1]))
            details.append(Contribution(f"pinyin-prefix:{plan.prefixes[j][0]}", best))
        if tier == TIER_PHRASE:
            if "h:key" in matched:
                rule = "tier:phrase"
            elif phrase is not None:
                rule = f"tier:phrase:{phrase[0]}"
                if phrase[1] is MatchReason.SYNONYM:
                    reasons.add(MatchReason.SYNONYM)
                    details.append(Contribution(f"synonym:{phrase[0]}", matched.get("s", SYNONYM_PHRASE_BONUS)))
            else:
                rule = "tier:phrase"
        else:
            rule = {TIER_WORD: "tier:word", TIER_PINYIN: "tier:pinyin"}.get(tier, "tier:partial")
        if word:
            reasons.add(MatchReason.WORD)
        elif MatchReason.SYNONYM not in reasons and (gram or not pinyin):
            reasons.add(MatchReason.PARTIAL)
        if pinyin:
            reasons.add(MatchReason.PINYIN)
        out.append(Contribution(rule, matched.get(tier_name, tier)))
        out.extend(details)
        return tier, (phrase[0] if phrase is not None else None)

    def _department(self, src: Mapping[str, Any], key: str) -> str | None:
        if src.get("kind") != DocKind.FIELD.value:
            return None
        canonical = self.synonyms.canonical_of(key)
        item_keys = (key,) if canonical is None or canonical == key else (key, canonical)
        found = self.authorities.authoritative(item_keys, str(src.get("provider_key") or ""))
        return found.name if found else None

    # -- highlighting --------------------------------------------------------------------

    def _name_highlight(
        self,
        raw: str,
        marked_by_es: str | None,
        plan: QueryPlan,
        tier: float,
        phrase: str | None,
        reasons: set[MatchReason],
    ) -> str:
        """The name with <em>…</em> as the embedded index marks it: ES's marks of the query,
        words, bigrams and Latin tokens, plus the whole name for EXACT, the contained synonym
        phrase, lone characters of a short query found apart, and pinyin matches.

        ES sees the name as written (lowercased); where normalisation changed it (traditional
        or full-width characters) the query's parts are marked on the normalised key instead."""
        qa = plan.qa
        key, owners = self.analyzer.key_map(raw)
        marked = [tier == TIER_EXACT] * len(key)
        es_flags: list[bool] = []
        if tier != TIER_EXACT:
            extra = [phrase] if phrase else []
            if len(qa.key) <= 2 and qa.key not in key:
                extra += list(qa.chars)
            if _as_written(raw, key, owners):
                es_flags = _es_flags(raw, marked_by_es, owners)
            else:
                extra = [*_name_phrases(qa), *extra]
            mark_phrases(key, marked, extra)
            if MatchReason.PINYIN in reasons:
                mark_pinyin(self.analyzer, key, marked, plan.qa.latin)
        flags = _flags(raw, owners, marked)
        if es_flags:
            flags = [a or b for a, b in zip(flags, es_flags, strict=True)]
        return _render(raw, flags)

    def _text_highlight(self, text: str, marked_by_es: str | None, plan: QueryPlan) -> str:
        """A window of the text around its first mark (20 characters before, 80 in all)."""
        key, owners = self.analyzer.key_map(text)
        if _as_written(text, key, owners):
            flags = _es_flags(text, marked_by_es, owners) or [False] * len(text)
        else:
            marked = [False] * len(key)
            mark_phrases(key, marked, [*plan.qa.coarse, *_name_phrases(plan.qa)])
            flags = _flags(text, owners, marked)
        hit = next((i for i, f in enumerate(flags) if f), 0)
        start = max(0, hit - 20)
        end = min(len(text), start + 80)
        body = _render(text[start:end], flags[start:end])
        return ("…" if start else "") + body + ("…" if end < len(text) else "")

    # -- facets ----------------------------------------------------------------------------

    @staticmethod
    def facets(response: Mapping[str, Any] | None) -> dict[str, list[FacetCount]]:
        aggs = (response or {}).get("aggregations", {})
        return {
            key: [FacetCount(str(b["key"]), int(b["doc_count"])) for b in aggs.get(key, {}).get("buckets", [])]
            for key in FACET_FIELDS
        }


def _lone_chars(qa: QueryAnalysis) -> tuple[str, ...]:
    return qa.chars if len(qa.key) == 1 else tuple(r for r in qa.han_runs if len(r) == 1)


def _name_phrases(qa: QueryAnalysis) -> list[str]:
    """What a highlight marks of the query: itself, its words, bigrams and Latin tokens."""
    short = len(qa.key) <= 2
    return [qa.key, *(w for w in qa.words if len(w) >= 2 or short), *qa.grams, *qa.latin]


def _as_written(raw: str, key: str, owners: list[int]) -> bool:
    """Whether the key is the raw text's letters and digits, lowercased, one for one (then ES,
    which analyses the raw text, marks exactly what the key holds)."""
    return len(owners) == len(key) and all(raw[o].lower() == ch for o, ch in zip(owners, key, strict=True))


def _named(q: Query, name: str) -> Query:
    """A copy of a query with `_name` set (bool/terms/match_none bodies)."""
    ((kind, body),) = q.items()
    if kind == "match_none":
        return {"bool": {"filter": [q], "_name": name}}
    return {kind: {**body, "_name": name}}


def _filters(flt: SearchFilter) -> list[Query]:
    wanted = (
        ("kind", [DocKind(k).value for k in flt.kinds]),
        ("sharing_type", list(flt.sharing_types)),
        ("category", list(flt.categories)),
        ("provider_code", list(flt.provider_codes)),
        ("level", list(flt.levels)),
    )
    return [_terms(f, values) for f, values in wanted if values]


def _matched(raw: Mapping[str, Any]) -> dict[str, float]:
    found = raw.get("matched_queries") or {}
    if isinstance(found, Mapping):
        return {str(k): float(v) for k, v in found.items()}
    return {str(k): 0.0 for k in found}


def _first(fragments: Sequence[str] | None) -> str | None:
    return fragments[0] if fragments else None






def _flags(raw: str, owners: list[int], marked: list[bool]) -> list[bool]:
    flags = [False] * len(raw)
    for owner, m in zip(owners, marked, strict=True):
        if m:
            flags[owner] = True
    return flags


def _es_flags(raw: str, highlighted: str | None, owners: list[int]) -> list[bool]:
    """Which characters of `raw` Elasticsearch marked; only within the analysed part (the
    characters behind the first MAX_ANALYSED_CHARS key characters), as in the embedded index.
    Empty when there is no highlight or it does not spell `raw`."""
    if not highlighted or _TAGS.sub("", highlighted) != raw:
        return []
    flags: list[bool] = []
    inside = False
    for ch in highlighted:
        if ch == PRE:
            inside = True
        elif ch == POST:
            inside = False
        else:
            flags.append(inside)
    limit = owners[-1] + 1 if owners else 0
    return [f and i < limit for i, f in enumerate(flags)]


def _render(raw: str, flags: list[bool]) -> str:
    """`raw`, HTML-escaped, with <em>…</em> around runs of flagged characters."""
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
