"""When a search hit counts as a confident match (可信匹配): tiers, pinyin, strong partials."""

from __future__ import annotations

import pytest

from search.confidence import STRONG_PARTIAL, MatchTier, containment, is_confident, tier_of
from search.index import DocKind, SearchHit


def hit(name: str, score: float) -> SearchHit:
    return SearchHit(id=f"Field:R#{name}", kind=DocKind.FIELD, score=score, name=name, highlight=name)


@pytest.mark.parametrize(
    "score, tier",
    [(54.5, MatchTier.EXACT), (42.0, MatchTier.PHRASE), (31.0, MatchTier.WORD), (20.5, MatchTier.PARTIAL),
     (13.6, MatchTier.PINYIN), (0.4, MatchTier.TEXT)],
)
def test_score_bands(score: float, tier: MatchTier) -> None:
    assert tier_of(score) is tier


def test_the_exact_tier_is_confident_whatever_the_name() -> None:
    assert is_confident("身份证号", hit("公民身份号码", 54.6))  # a synonym


def test_exact_pinyin_or_initials_is_confident_a_pinyin_prefix_is_not() -> None:
    assert is_confident("tyshxydm", hit("统一社会信用代码", 14.1))
    assert is_confident("tongyishehuixinyongdaima", hit("统一社会信用代码", 14.1))
    assert not is_confident("tysh", hit("统一社会信用代码", 12.0))


@pytest.mark.parametrize(
    "query, name, confident",
    [
        ("统一社会信用代码", "企业统一社会信用代码", True),  # 8 of 10
        ("统一社会信用代码", "许可机关统一社会信用代码", False),  # 8 of 12: another agency's code
        ("姓名", "母亲姓名", False),
        ("就业登记日期", "失业登记日期", False),  # one character apart, opposite meaning
        ("身份证号", "母亲身份证件号码", False),
        ("户籍地址信息", "户籍地址", True),  # the generic ending is dropped
    ],
)
def test_a_strong_partial_is_a_near_whole_containment(query: str, name: str, confident: bool) -> None:
    assert is_confident(query, hit(name, 42.0)) is confident


def test_text_only_and_weak_tiers_never_count() -> None:
    assert not is_confident("户籍地址", hit("户籍地址", 0.9))  # a TEXT band score cannot be exact
    assert containment("社会保障", "社会保障号码") < STRONG_PARTIAL
