"""Demand items as consumers write them, split and cleaned (需求信息项的拆分与清洗).

A consumer agency lists what it needs in its own words: a list, or one text such as

    1、身份证号（申请人）；2、姓名
    「统一社会信用代码」，企业名称／法定代表人

`parse_items` turns that into items: split on 、，,；;／/ and line breaks (never inside brackets),
numbering such as `1.` `2、` `(3)` `①` `一、` removed, quotes (“”「」『』《》…) removed, and
bracketed text (（）()【】[]〔〕) kept as the item's note: 「身份证号（申请人）」 is the item 身份证号
with the note 申请人. What yields no item is reported as ignored, with the reason: fragments
without a letter, digit or Chinese character (punctuation, emoji), bare numbers, and repeats of
an earlier item.

Limits are part of the rules (最小必要: a demand names what it needs, not a whole database):
at most MAX_ITEMS items, MAX_ITEM_CHARS characters per item and MAX_TEXT_CHARS characters of
text. Breaking one is a `DemandInputError` with a stable code; nothing is silently cut.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "MAX_ITEMS",
    "MAX_ITEM_CHARS",
    "MAX_TEXT_CHARS",
    "DemandInputError",
    "DemandItem",
    "DemandProblem",
    "IgnoredPart",
    "IgnoredReason",
    "ParsedDemand",
    "parse_items",
]

MAX_ITEMS = 200
MAX_ITEM_CHARS = 100
# Room for MAX_ITEMS items of typical length with their separators, numbering and notes.
MAX_TEXT_CHARS = 20_000
# Fragments (before cleaning) looked at: a bound on the work a hostile text can cause.
MAX_FRAGMENTS = 2 * MAX_ITEMS


class DemandProblem(StrEnum):
    """Why a demand's items were refused (需求输入错误代码)."""

    EMPTY_DEMAND = "EMPTY_DEMAND"  # 未提供任何信息项
    TOO_MANY_ITEMS = "TOO_MANY_ITEMS"  # 信息项过多
    ITEM_TOO_LONG = "ITEM_TOO_LONG"  # 单个信息项过长
    TEXT_TOO_LONG = "TEXT_TOO_LONG"  # 文本过长
    UNKNOWN_REQUESTER = "UNKNOWN_REQUESTER"  # 需求方机构不存在
    INVALID_DATE = "INVALID_DATE"  # 日期格式错误
    NOTHING_TO_FILE = "NOTHING_TO_FILE"  # 没有需要登记的未覆盖信息项


class DemandInputError(ValueError):
    """The items cannot be accepted as they are (需求输入不合法)."""

    def __init__(self, code: DemandProblem, field: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.code = code
        self.field = field
        self.message_zh = zh
        self.message_en = en


class IgnoredReason(StrEnum):
    """Why a fragment became no item (忽略原因)."""

    NO_TEXT = "NO_TEXT"  # 只有标点、符号或表情
    NUMBER_ONLY = "NUMBER_ONLY"  # 只有编号或数字
    DUPLICATE = "DUPLICATE"  # 与前面的信息项重复


@dataclass(frozen=True, slots=True)
class DemandItem:
    """One needed data item (需求信息项)."""

    position: int  # 0-based, in the order given
    original: str  # the fragment as written (after splitting)
    name: str  # cleaned: what is matched against the catalog
    note: str | None  # bracketed remarks, e.g. 申请人


@dataclass(frozen=True, slots=True)
class IgnoredPart:
    """A fragment that yielded no item (被忽略的片段)."""

    text: str
    reason: IgnoredReason
    duplicate_of: str | None = None  # the item it repeats


@dataclass(frozen=True, slots=True)
class ParsedDemand:
    items: tuple[DemandItem, ...]
    ignored: tuple[IgnoredPart, ...]


_SEPARATORS = frozenset("、，,；;／/\n\r\t\u2028\u2029")
_OPEN_TO_CLOSE = {"（": "）", "(": ")", "【": "】", "[": "]", "〔": "〕", "｛": "｝", "{": "}"}
_CLOSERS = frozenset(_OPEN_TO_CLOSE.values())
_QUOTES = re.compile(r"[\"'“”‘’「」『』《》〈〉«»‹›〝〞〟＂＇`´]")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑㉒㉓㉔㉕㉖㉗㉘㉙㉚"
# Numbering: 1. 2、 3) 一、 a. 第4项 at the start of a line or after a separator or a space;
# (5) （6） ① anywhere (a bracketed bare number is never a note).
_NUMBERING = re.compile(
    rf"(?:^|(?<=[\s、，,；;／/]))\s*(?:"
    rf"(?:\d{{1,3}}|[一二三四五六七八九十]{{1,3}}|[a-zA-Z])\s*[、.．)）:：](?![\d.．])"
    rf"|第\s*\d{{1,3}}\s*[项条个]\s*[、.．:：]?"
    rf")"
    rf"|[(（]\s*(?:\d{{1,3}}|[一二三四五六七八九十]{{1,3}})\s*[)）]"
    rf"|[{_CIRCLED}]"
)
_TRAILING = re.compile(r"[\s。．.!！?？:：~～…·•\-—_]+$")
_LEADING = re.compile(r"^[\s。．.!！?？:：~～…·•\-—_*#]+")
_SPACES = re.compile(r"\s+")
# "…等", "…等信息": the item is what comes before (户籍地址等信息 → 户籍地址)
_ETC = re.compile(r"等(?:信息|数据|内容|材料|情况|资料)?$")
_SEARCHABLE = re.compile(r"[^\W_]")  # a letter, digit or Chinese character


def parse_items(items: Sequence[str] | None, text: str | None) -> ParsedDemand:
    """The demand's items from a list and/or one text; raises DemandInputError."""
    raw_items = list(items or [])
    if len(raw_items) > MAX_ITEMS:
        raise DemandInputError(
            DemandProblem.TOO_MANY_ITEMS, "items",
            f"信息项过多：{len(raw_items)} 项，每次最多 {MAX_ITEMS} 项（最小必要原则）",
            f"too many items: {len(raw_items)}; at most {MAX_ITEMS} per demand (minimum necessary)",
        )
    if text is not None and len(text) > MAX_TEXT_CHARS:
        raise DemandInputError(
            DemandProblem.TEXT_TOO_LONG, "text",
            f"文本过长：{len(text)} 个字符，最多 {MAX_TEXT_CHARS} 个",
            f"text too long: {len(text)} characters, at most {MAX_TEXT_CHARS}",
        )
    fragments: list[tuple[str, str]] = []  # (field, fragment)
    for i, entry in enumerate(raw_items):
        if len(entry) > MAX_TEXT_CHARS:
            raise _too_long(f"items[{i}]", entry)
        fragments.extend((f"items[{i}]", part) for part in _split(entry))
    if text:
        fragments.extend(("text", part) for part in _split(text))
    if not any(part.strip() for _, part in fragments):
        raise DemandInputError(
            DemandProblem.EMPTY_DEMAND, "items",
            "未提供信息项：请在 items 中列出，或在 text 中用顿号、逗号、分号或换行分隔",
            "no items given: list them in `items`, or separate them in `text` by 、，； or new lines",
        )
    found: list[DemandItem] = []
    ignored: list[IgnoredPart] = []
    seen: dict[str, str] = {}
    for field, fragment in fragments:
        original = fragment.strip()
        if not original:
            continue
        name, note = _clean(original)
        if not _SEARCHABLE.search(name):
            if note and _SEARCHABLE.search(note):
                name, note = _clean(note)  # 「（身份证号）」: the bracket is all there is
            else:
                ignored.append(IgnoredPart(original, IgnoredReason.NO_TEXT))
                continue
        if name.isdigit():
            ignored.append(IgnoredPart(original, IgnoredReason.NUMBER_ONLY))
            continue
        if len(name) > MAX_ITEM_CHARS:
            raise _too_long(field, name)
        key = _key(name)
        if key in seen:
            ignored.append(IgnoredPart(original, IgnoredReason.DUPLICATE, seen[key]))
            continue
        if len(found) >= MAX_ITEMS:
            raise DemandInputError(
                DemandProblem.TOO_MANY_ITEMS, field,
                f"信息项过多：超过 {MAX_ITEMS} 项（最小必要原则）",
                f"too many items: more than {MAX_ITEMS} per demand (minimum necessary)",
            )
        seen[key] = name
        found.append(DemandItem(len(found), original, name, note))
    return ParsedDemand(tuple(found), tuple(ignored))


def _too_long(field: str, text: str) -> DemandInputError:
    return DemandInputError(
        DemandProblem.ITEM_TOO_LONG, field,
        f"信息项过长：「{text[:20]}…」共 {len(text)} 个字符，每项最多 {MAX_ITEM_CHARS} 个",
        f"item too long: {text[:20]!r}… has {len(text)} characters, at most {MAX_ITEM_CHARS}",
    )


def _split(text: str) -> list[str]:
    """Fragments of a text: split at separators outside brackets, numbering removed."""
    marked = _NUMBERING.sub("\n", text)
    parts: list[str] = []
    current: list[str] = []
    closers: list[str] = []
    for ch in marked:
        if ch in _OPEN_TO_CLOSE:
            closers.append(_OPEN_TO_CLOSE[ch])
        elif closers and ch == closers[-1]:
            closers.pop()
        elif ch in _CLOSERS and closers:
            closers.clear()  # a mismatched closer ends every open bracket
        if ch in _SEPARATORS and not closers:
            parts.append("".join(current))
            current = []
            if len(parts) > MAX_FRAGMENTS + MAX_ITEMS:
                break
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _clean(fragment: str) -> tuple[str, str | None]:
    """The item name and its note (bracketed text) of one fragment."""
    text = _QUOTES.sub("", fragment)
    name: list[str] = []
    notes: list[str] = []
    depth_closers: list[str] = []
    note: list[str] = []
    for ch in text:
        if ch in _OPEN_TO_CLOSE:
            if depth_closers:
                note.append(ch)
            depth_closers.append(_OPEN_TO_CLOSE[ch])
        elif depth_closers and (ch == depth_closers[-1] or ch in _CLOSERS):
            depth_closers.pop()
            if depth_closers:
                note.append(ch)
            else:
                notes.append("".join(note))
                note = []
        elif ch in _CLOSERS:
            continue  # a stray closer
        elif depth_closers:
            note.append(ch)
        else:
            name.append(ch)
    if note:
        notes.append("".join(note))  # an unclosed bracket runs to the end
    cleaned = _tidy("".join(name))
    shorter = _ETC.sub("", cleaned)
    if len(shorter) >= 2:
        cleaned = _tidy(shorter)
    remarks = [n for n in (_tidy(n) for n in notes) if n]
    return cleaned, "；".join(remarks) or None


def _tidy(text: str) -> str:
    text = _SPACES.sub(" ", text).strip()
    text = _LEADING.sub("", text)
    text = _TRAILING.sub("", text)
    return text.strip()


def _key(name: str) -> str:
    """What makes two items the same: width, case and spaces folded."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", name).lower())
