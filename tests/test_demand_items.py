"""Splitting and cleaning demanded items as consumers write them (需求信息项的拆分与清洗)."""

from __future__ import annotations

import pytest

from sharing.demand_items import (
    MAX_ITEM_CHARS,
    MAX_ITEMS,
    MAX_TEXT_CHARS,
    DemandInputError,
    DemandProblem,
    IgnoredReason,
    parse_items,
)


def names(text: str) -> list[str]:
    return [i.name for i in parse_items(None, text).items]


@pytest.mark.parametrize("separator", ["、", "，", ",", "；", ";", "／", "/", "\n", "\r\n"])
def test_every_separator_splits(separator: str) -> None:
    assert names(f"身份证号{separator}姓名{separator}联系电话") == ["身份证号", "姓名", "联系电话"]


def test_brackets_become_the_note_and_quotes_go() -> None:
    item = parse_items(None, "「身份证号（申请人）」").items[0]
    assert (item.name, item.note) == ("身份证号", "申请人")
    assert item.original == "「身份证号（申请人）」"
    (second,) = parse_items(["“不动产权证号”【必填】"], None).items
    assert (second.name, second.note) == ("不动产权证号", "必填")


def test_separators_inside_brackets_do_not_split() -> None:
    items = parse_items(None, "身份证号（申请人、共同申请人）、姓名").items
    assert [(i.name, i.note) for i in items] == [("身份证号", "申请人、共同申请人"), ("姓名", None)]


def test_an_unclosed_bracket_runs_to_the_end_and_a_bracket_alone_is_the_item() -> None:
    assert [(i.name, i.note) for i in parse_items(None, "出生日期（年月日").items] == [("出生日期", "年月日")]
    assert names("（身份证号）") == ["身份证号"]


@pytest.mark.parametrize(
    "text",
    [
        "1、身份证号 2、姓名 3、电话",
        "1. 身份证号\n2. 姓名\n3. 电话",
        "(1)身份证号（2）姓名（3）电话",
        "①身份证号②姓名③电话",
        "一、身份证号 二、姓名 三、电话",
        "第1项：身份证号；第2项：姓名；第3项：电话",
    ],
)
def test_numbering_is_removed(text: str) -> None:
    assert names(text) == ["身份证号", "姓名", "电话"]


def test_decimals_and_words_that_look_like_numbering_are_kept() -> None:
    assert names("PM2.5浓度；PM10浓度；统一社会信用代码") == ["PM2.5浓度", "PM10浓度", "统一社会信用代码"]


def test_what_yields_no_item_is_reported_with_its_reason() -> None:
    parsed = parse_items(None, "姓名、😀😀、！！？、姓名、 、12")
    assert [i.name for i in parsed.items] == ["姓名"]
    assert [(g.text, g.reason) for g in parsed.ignored] == [
        ("😀😀", IgnoredReason.NO_TEXT),
        ("！！？", IgnoredReason.NO_TEXT),
        ("姓名", IgnoredReason.DUPLICATE),
        ("12", IgnoredReason.NUMBER_ONLY),
    ]
    assert parsed.ignored[2].duplicate_of == "姓名"


def test_list_and_text_combine_in_order_and_etc_endings_go() -> None:
    parsed = parse_items(["姓名", "性别"], "“户籍地址”等信息；出生日期")
    assert [i.name for i in parsed.items] == ["姓名", "性别", "户籍地址", "出生日期"]
    assert [i.position for i in parsed.items] == [0, 1, 2, 3]


def test_emoji_and_punctuation_only_is_an_honest_empty_result() -> None:
    parsed = parse_items(["🙂", "……", "？？"], None)
    assert parsed.items == () and len(parsed.ignored) == 3


@pytest.mark.parametrize("items, text", [(None, None), ([], None), (["", "  "], "   \n ")])
def test_no_items_at_all_is_a_typed_error(items: list[str] | None, text: str | None) -> None:
    with pytest.raises(DemandInputError) as caught:
        parse_items(items, text)
    assert caught.value.code is DemandProblem.EMPTY_DEMAND


def test_more_than_the_cap_is_refused_in_a_list_or_in_a_text() -> None:
    with pytest.raises(DemandInputError) as caught:
        parse_items([f"信息项{i}" for i in range(MAX_ITEMS + 1)], None)
    assert caught.value.code is DemandProblem.TOO_MANY_ITEMS and caught.value.field == "items"
    with pytest.raises(DemandInputError) as caught:
        parse_items(None, "、".join(f"信息项{i}" for i in range(500)))
    assert caught.value.code is DemandProblem.TOO_MANY_ITEMS
    assert len(parse_items(None, "、".join(f"信息项{i}" for i in range(MAX_ITEMS))).items) == MAX_ITEMS


def test_a_long_item_or_text_is_refused_not_cut() -> None:
    with pytest.raises(DemandInputError) as caught:
        parse_items(["身份证号", "号" * (MAX_ITEM_CHARS + 1)], None)
    assert caught.value.code is DemandProblem.ITEM_TOO_LONG and caught.value.field == "items[1]"
    with pytest.raises(DemandInputError) as caught:
        parse_items(None, "码" * (MAX_TEXT_CHARS + 1))
    assert caught.value.code is DemandProblem.TEXT_TOO_LONG
    assert caught.value.message_zh and caught.value.message_en
