"""How sure a search hit is (命中置信度): the score bands and the "confident match" rule.

Every backend scores a hit as `tier base + relevance` (see `search.embedded`; the Elasticsearch
adapter reproduces the same tiers), and everything added within a tier stays below the gap to
the next one, so the band a score falls in says how the name matched:

    EXACT ≥ 50   the name is the query, a synonym of it, or the query without 信息/号码-style words
    PHRASE ≥ 40  the name contains the query or a synonym (姓名 → 母亲姓名)
    WORD ≥ 30    a word of the query is a word of the name
    PARTIAL ≥ 20 character n-grams only
    PINYIN ≥ 10  pinyin or initials only
    TEXT ≥ 0     only the description matched

A hit is a **confident match** (可信匹配) for a query when

1. its tier is EXACT (exact, synonym, suffix-variant or traditional-form match); or
2. the query is Latin letters and equals the name's full pinyin or its initials
   (`tyshxydm` → 统一社会信用代码); or
3. it is a **strong partial**: tier PHRASE, WORD or PARTIAL, one of the two (normalised, a
   generic ending such as 信息 or 数据 dropped) contains the other whole, and the shorter is at
   least STRONG_PARTIAL (0.8) of the longer: 企业统一社会信用代码 for 统一社会信用代码 (8 of 10).
   Not 母亲姓名 for 姓名 (2 of 4), 许可机关统一社会信用代码 for 统一社会信用代码 (8 of 12), nor
   失业登记日期 for 就业登记日期 (near in characters, opposite in meaning: neither contains the other).

Anything else is a lead worth showing, never evidence that the catalog holds the item: demand
matching counts only confident matches as coverage, so noise does not hide a missing item.
"""

from __future__ import annotations

from enum import StrEnum

from search.analysis import Analyzer, default_analyzer
from search.embedded import TIER_EXACT, TIER_PARTIAL, TIER_PHRASE, TIER_PINYIN, TIER_WORD
from search.index import SearchHit

__all__ = [
    "GENERIC_ENDINGS",
    "STRONG_PARTIAL",
    "MatchTier",
    "containment",
    "is_confident",
    "name_similarity",
    "tier_of",
]

STRONG_PARTIAL = 0.8
# Endings that only say "data about…"; dropped before comparing names.
GENERIC_ENDINGS = ("信息项", "信息", "数据", "资料", "情况", "内容", "字段", "详情")


class MatchTier(StrEnum):
    """The band of a score (匹配层级), strongest first."""

    EXACT = "EXACT"  # 完全一致或同义
    PHRASE = "PHRASE"  # 名称包含检索词
    WORD = "WORD"  # 分词命中
    PARTIAL = "PARTIAL"  # 部分字词
    PINYIN = "PINYIN"  # 拼音或首字母
    TEXT = "TEXT"  # 仅描述命中


_BANDS = (
    (TIER_EXACT, MatchTier.EXACT),
    (TIER_PHRASE, MatchTier.PHRASE),
    (TIER_WORD, MatchTier.WORD),
    (TIER_PARTIAL, MatchTier.PARTIAL),
    (TIER_PINYIN, MatchTier.PINYIN),
)


def tier_of(score: float) -> MatchTier:
    for base, tier in _BANDS:
        if score >= base:
            return tier
    return MatchTier.TEXT


def _strip_generic(key: str) -> str:
    for ending in GENERIC_ENDINGS:
        if key.endswith(ending) and len(key) - len(ending) >= 2:
            return key[: -len(ending)]
    return key


def _bigrams(key: str) -> set[str]:
    return {key[i : i + 2] for i in range(len(key) - 1)} if len(key) > 1 else {key}


def containment(a: str, b: str, analyzer: Analyzer | None = None) -> float:
    """How much of the longer name the shorter covers when one contains the other whole
    (normalised, generic endings off); 0 when neither contains the other."""
    analyzer = analyzer or default_analyzer()
    ka, kb = _strip_generic(analyzer.key(a)), _strip_generic(analyzer.key(b))
    if not ka or not kb:
        return 0.0
    short, long = (ka, kb) if len(ka) <= len(kb) else (kb, ka)
    return len(short) / len(long) if short in long else 0.0


def name_similarity(a: str, b: str, analyzer: Analyzer | None = None) -> float:
    """Dice coefficient of the character bigrams of two names (normalised, generic endings off)."""
    analyzer = analyzer or default_analyzer()
    ka, kb = _strip_generic(analyzer.key(a)), _strip_generic(analyzer.key(b))
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    ga, gb = _bigrams(ka), _bigrams(kb)
    return 2 * len(ga & gb) / (len(ga) + len(gb))


def is_confident(query: str, hit: SearchHit, analyzer: Analyzer | None = None) -> bool:
    """Whether `hit` is a confident match for `query` (see the module docstring)."""
    analyzer = analyzer or default_analyzer()
    tier = tier_of(hit.score)
    if tier is MatchTier.EXACT:
        return True
    key = analyzer.key(query)
    if key.isascii() and key.isalpha():
        name = analyzer.analyse_name(hit.name)
        if key in (name.pinyin_full, name.initials_full):
            return True
    if tier in (MatchTier.PHRASE, MatchTier.WORD, MatchTier.PARTIAL):
        return containment(query, hit.name, analyzer) >= STRONG_PARTIAL
    return False
