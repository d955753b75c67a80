"""Elasticsearch index layout (索引结构): settings, mappings and the document source.

Every token is computed in Python by `search.analysis` and indexed into fields with a plain
`whitespace` analyzer, so Elasticsearch matches on exactly the terms the embedded index
holds (jieba words, character bigrams and unigrams, pinyin, initials, text words). Keyword
fields carry facets, the normalised key (exact matching, suggestions) and the pinyin keys
(prefixes). The original name and text are indexed a second time with a one-character
analyzer, for highlighting on the original spelling and for "contains" (phrase) matching
on the key.
"""

from __future__ import annotations

from typing import Any

from search.analysis import Analyzer, NameAnalysis
from search.index import SearchDoc

__all__ = [
    "MAPPING_VERSION",
    "MAX_RESULT_WINDOW",
    "NAME_FIELDS",
    "PRESENT_TEXT",
    "document_source",
    "index_mappings",
    "index_settings",
]

# Bump when the mappings or the source layout change: older indices need `catalog reindex`.
MAPPING_VERSION = 1
# Deepest page (offset + limit) a search can reach.
MAX_RESULT_WINDOW = 100_000

# The analysed name fields: ES field → (short code in `present`, rule label used in explain).
NAME_FIELDS: dict[str, tuple[str, str]] = {
    "name_words": ("w", "name.word"),
    "name_grams": ("g", "name.gram"),
    "name_chars": ("c", "name.char"),
    "name_pinyin": ("p", "name.pinyin"),
    "name_initials": ("i", "name.initials"),
}
PRESENT_TEXT = "t"  # `present` code of a non-empty text_words

_TOKENS = "catalog_tokens"  # whitespace: the tokens computed in Python
_CHARS = "catalog_chars"  # one token per letter or digit, lowercased: highlighting, phrases

_KEYWORD = {"type": "keyword"}
_STORED_ONLY = {"type": "keyword", "index": False, "doc_values": False}
_CHAR_TEXT = {"type": "text", "analyzer": _CHARS, "norms": False}


def index_settings(shards: int = 1, replicas: str = "0-1") -> dict[str, Any]:
    """Index settings: the two analyzers and BM25 with the embedded index's parameters."""
    return {
        "index": {
            "number_of_shards": shards,
            "auto_expand_replicas": replicas,
            "max_result_window": MAX_RESULT_WINDOW,
            "similarity": {"default": {"type": "BM25", "k1": 1.2, "b": 0.75}},
        },
        "analysis": {
            "tokenizer": {
                _TOKENS: {"type": "whitespace", "max_token_length": 4096},
                _CHARS: {"type": "ngram", "min_gram": 1, "max_gram": 1, "token_chars": ["letter", "digit"]},
            },
            "analyzer": {
                _TOKENS: {"type": "custom", "tokenizer": _TOKENS},
                _CHARS: {"type": "custom", "tokenizer": _CHARS, "filter": ["lowercase"]},
            },
        },
    }


def index_mappings(analysis_version: str) -> dict[str, Any]:
    tokens_freqs = {"type": "text", "analyzer": _TOKENS, "index_options": "freqs"}
    return {
        "dynamic": "strict",
        "_meta": {"mapping_version": MAPPING_VERSION, "analysis_version": analysis_version},
        "properties": {
            "id": _KEYWORD,
            # facets (分面)
            "kind": _KEYWORD,
            "sharing_type": _KEYWORD,
            "category": _KEYWORD,
            "provider_code": _KEYWORD,
            "level": _KEYWORD,
            # display context, kept in the source only
            "provider_name": _STORED_ONLY,
            "resource_code": _STORED_ONLY,
            "resource_name": _STORED_ONLY,
            "normalised": _STORED_ONLY,
            # the original spelling, for highlighting; name.keyword orders ties
            "name": {
                "type": "text",
                "analyzer": _CHARS,
                "index_options": "offsets",
                "norms": False,
                "fields": {"keyword": {"type": "keyword", "ignore_above": 8000}},
            },
            "text": {"type": "text", "analyzer": _CHARS, "index_options": "offsets", "norms": False},
            # the normalised name without spaces: exact matching, "contains", suggestions
            "key": {"type": "keyword", "fields": {"chars": _CHAR_TEXT}},
            # analysed name tokens (see search.analysis.NameAnalysis)
            "name_words": tokens_freqs,
            "name_grams": tokens_freqs,
            "name_chars": {"type": "text", "analyzer": _TOKENS},  # positions: characters apart
            "name_pinyin": tokens_freqs,
            "name_initials": tokens_freqs,
            "pinyin_full": _KEYWORD,
            "initials_full": _KEYWORD,
            "pinyin_len": {"type": "integer", "index": False},
            "initials_len": {"type": "integer", "index": False},
            "text_words": tokens_freqs,
            # the normalised provider name: the authority boost looks for departments in it
            "provider_key": {"type": "keyword", "fields": {"chars": _CHAR_TEXT}},
            # which analysed fields are non-empty (their document counts enter BM25's idf)
            "present": _KEYWORD,
        },
    }


def document_source(
    doc: SearchDoc, analysis: NameAnalysis, text_words: tuple[str, ...], analyzer: Analyzer
) -> dict[str, Any]:
    """The `_source` of one document."""
    fields = analysis.as_fields()
    present = [code for field, (code, _) in NAME_FIELDS.items() if fields[field]]
    if text_words:
        present.append(PRESENT_TEXT)
    return {
        "id": doc.id,
        "kind": doc.kind.value,
        "sharing_type": doc.sharing_type,
        "category": doc.category,
        "provider_code": doc.provider_code,
        "level": doc.level,
        "provider_name": doc.provider_name,
        "resource_code": doc.resource_code,
        "resource_name": doc.resource_name,
        "normalised": analysis.normalised,
        "name": doc.name,
        "text": doc.text,
        "key": analysis.key,
        **fields,
        "pinyin_full": analysis.pinyin_full,
        "initials_full": analysis.initials_full,
        "pinyin_len": len(analysis.pinyin_full),
        "initials_len": len(analysis.initials_full),
        "text_words": " ".join(text_words),
        "provider_key": analyzer.key(doc.provider_name or ""),
        "present": present,
    }
