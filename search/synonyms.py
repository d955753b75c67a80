"""Synonyms of data-item names (同义词), applied at query time.

The dictionary is a TSV file, `canonical<TAB>variant;variant…` with `#` comments. Because it
is applied to queries only, editing the file and calling `reload()` takes effect at once,
without reindexing. Terms are compared in their normalised form (see `search.analysis`), with
spaces removed.

A variant written in Chinese characters is also known by its pinyin: its full pinyin (two or
more characters, 身份证 → shenfenzheng) and its initials (three or more characters, 信用代码 →
xydm) find its group, so a pinyin query reaches the synonyms as well as the names. Canonical
names are left out: they are the catalog's own names, whose pinyin the index already matches
(a PINYIN hit, not a synonym). These spellings only look groups up (`contains`, `expand`);
`rewrite` and `canonical_of` stay with the characters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from search.analysis import default_analyzer

Spell = Callable[[str], list[str]]  # one toneless pinyin syllable per character of a key

__all__ = [
    "SYNONYMS_PATH",
    "SynonymDictionary",
    "SynonymError",
    "SynonymGroup",
    "SynonymKind",
    "suffix_candidates",
]

SYNONYMS_PATH = Path(__file__).parent / "data" / "synonyms.tsv"


class SynonymKind(StrEnum):
    CANONICAL = "CANONICAL"  # 标准名称
    VARIANT = "VARIANT"  # 同义写法


@dataclass(frozen=True, slots=True)
class SynonymGroup:
    canonical: str
    variants: tuple[str, ...]

    @property
    def terms(self) -> tuple[str, ...]:
        return (self.canonical, *self.variants)


class SynonymError(ValueError):
    """The synonym file cannot be read; the previous dictionary stays in force."""


# Shortest terms whose full pinyin (2) and initials (3) also find their group: shorter initials
# ("xm") would collide with too many other names.
MIN_PINYIN_CHARS = 2
MIN_INITIALS_CHARS = 3

# Words that only say "this is data about…" (信息、数据…) and can be dropped from a query.
_GENERIC_SUFFIXES = ("信息项", "信息", "数据", "资料", "情况", "内容", "字段", "详情")
# Endings of identifier names that people use interchangeably.
_ID_ENDINGS = ("号码", "编号", "编码", "代码", "号", "码")
_ID_SWAPS = {
    "号码": ("号", "编号"),
    "编号": ("号", "号码"),
    "号": ("号码", "编号"),
    "编码": ("代码", "码"),
    "代码": ("编码", "码"),
    "码": ("代码", "编码"),
}
# Endings of date fields that people use interchangeably: 迁入时间 for 迁入日期.
_DATE_SWAPS = {"时间": ("日期",), "日期": ("时间",)}


def suffix_candidates(key: str) -> list[str]:
    """Shorter or re-worded forms of a query, best first: `统一社会信用代码信息` →
    `统一社会信用代码`; `身份证号码号` → `身份证号码`; `纳税人识别号码` → `纳税人识别号`;
    `入院时间` → `入院日期`.

    The index uses the first candidate that names a known item when the query itself does not.
    """
    seen: dict[str, None] = {}
    frontier = [key]
    for _ in range(2):
        found: list[str] = []
        for text in frontier:
            found.extend(_one_step(text))
        frontier = [c for c in found if c not in seen and c != key]
        seen.update(dict.fromkeys(frontier))
    return list(seen)


def _one_step(text: str) -> list[str]:
    out: list[str] = []
    for suffix in _GENERIC_SUFFIXES:
        if text.endswith(suffix) and len(text) - len(suffix) >= 2:
            out.append(text[: -len(suffix)])
    for ending in _ID_ENDINGS:
        if not text.endswith(ending):
            continue
        stem = text[: -len(ending)]
        # a doubled ending: 号码号, 编号号, 代码码
        if len(stem) >= 2 and any(stem.endswith(e) for e in _ID_ENDINGS):
            out.append(stem)
        if len(stem) >= 2:
            out.extend(stem + other for other in _ID_SWAPS[ending])
        break  # longest ending only: 号码 is not also treated as 码
    for ending, others in _DATE_SWAPS.items():
        stem = text[: -len(ending)]
        if text.endswith(ending) and len(stem) >= 2:
            out.extend(stem + other for other in others)
    return out


class SynonymDictionary:
    """Synonym groups loaded from a TSV file, reloadable without a restart."""

    def __init__(
        self, path: Path = SYNONYMS_PATH, normalise: Callable[[str], str] | None = None, spell: Spell | None = None
    ):
        self.path = Path(path)
        self._normalise = normalise or default_analyzer().key
        self._spell = spell or default_analyzer().key_syllables
        self._groups: tuple[SynonymGroup, ...] = ()
        self._by_term: dict[str, tuple[int, ...]] = {}
        self._canonical: dict[str, str] = {}
        self._longest = 0
        self.version = 0
        """Increments on every successful reload."""
        self.reload()

    @property
    def groups(self) -> tuple[SynonymGroup, ...]:
        return self._groups

    def __len__(self) -> int:
        return len(self._groups)

    def reload(self) -> None:
        """Re-read the file. On error the previous dictionary stays and SynonymError is raised."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise SynonymError(f"cannot read synonyms {self.path}: {exc}") from exc
        groups: list[SynonymGroup] = []
        for number, line in enumerate(lines, start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            canonical_text, sep, variants_text = line.partition("\t")
            canonical = self._normalise(canonical_text)
            if not sep or not canonical:
                raise SynonymError(f"{self.path}:{number}: expected canonical<TAB>variants")
            variants = tuple(dict.fromkeys(v for v in (self._normalise(t) for t in variants_text.split(";")) if v))
            groups.append(SynonymGroup(canonical, tuple(v for v in variants if v != canonical)))
        by_term: dict[str, list[int]] = {}
        canonical_of: dict[str, str] = {}
        for index, group in enumerate(groups):
            for term in group.terms:
                by_term.setdefault(term, []).append(index)
            canonical_of[group.canonical] = group.canonical
        for group in groups:
            for variant in group.variants:
                canonical_of.setdefault(variant, group.canonical)
        longest = max((len(t) for t in by_term), default=0)
        for index, group in enumerate(groups):
            for term in group.variants:
                for spelling in self._spellings(term):
                    ids = by_term.setdefault(spelling, [])
                    if index not in ids:
                        ids.append(index)
        self._groups = tuple(groups)
        self._by_term = {term: tuple(ids) for term, ids in by_term.items()}
        self._canonical = canonical_of
        self._longest = longest
        self.version += 1

    def _spellings(self, term: str) -> list[str]:
        """The pinyin spellings a Chinese term is also found by (none for other terms)."""
        if len(term) < MIN_PINYIN_CHARS or not all("\u4e00" <= ch <= "\u9fff" for ch in term):
            return []
        syllables = self._spell(term)
        if len(syllables) != len(term) or not all(s.isascii() and s.isalpha() for s in syllables):
            return []
        out = ["".join(syllables)]
        if len(term) >= MIN_INITIALS_CHARS:
            out.append("".join(s[0] for s in syllables))
        return out

    def contains(self, key: str) -> bool:
        return key in self._by_term

    def canonical_of(self, key: str) -> str | None:
        """The canonical name of a term, or None when the term is in no group."""
        return self._canonical.get(key)

    def expand(self, key: str) -> list[tuple[str, SynonymKind]]:
        """Every term of the groups the (normalised) text belongs to, canonical names first,
        the text itself included; empty when it is in no group."""
        out: dict[str, SynonymKind] = {}
        group_ids = self._by_term.get(key.replace(" ", ""), ())
        for index in group_ids:
            out.setdefault(self._groups[index].canonical, SynonymKind.CANONICAL)
        for index in group_ids:
            for variant in self._groups[index].variants:
                out.setdefault(variant, SynonymKind.VARIANT)
        return list(out.items())

    def rewrite(self, key: str) -> str | None:
        """The text with every variant inside it replaced by its canonical name (longest
        match first): `法人身份证号` → `法定代表人公民身份号码`. None when nothing changes."""
        out: list[str] = []
        i, changed = 0, False
        while i < len(key):
            for j in range(min(len(key), i + self._longest), i + 1, -1):
                canonical = self._canonical.get(key[i:j])
                if canonical is not None:
                    out.append(canonical)
                    changed = changed or canonical != key[i:j]
                    i = j
                    break
            else:
                out.append(key[i])
                i += 1
        result = "".join(out)
        return result if changed and result != key else None
