"""Editing the synonym dictionary file (同义词文件维护), for the administrator mutation.

The dictionary is the TSV file `search.synonyms` reads (`canonical<TAB>variant;variant…`).
`SynonymFile.edit` adds groups (or more variants to an existing group) and removes groups,
after checking the whole edit: every term must normalise to something searchable, hold none of
the file's separators, and stay within the length limits; a term belongs to one group only
(the rule the file states). A valid edit is written atomically (a temporary file renamed over
the old one), keeping comments and the order of the other lines; new groups go at the end,
under a comment that says they came from the mutation. An invalid edit writes nothing.

Search backends read the file themselves; after an edit the caller asks the index to
`reload_synonyms()`, and if that fails puts the previous text back with `restore`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from search.analysis import default_analyzer
from search.synonyms import SYNONYMS_PATH, SynonymDictionary

__all__ = [
    "MAX_TERM_CHARS",
    "MAX_VARIANTS",
    "GroupEdit",
    "SynonymEditError",
    "SynonymEditOutcome",
    "SynonymFile",
    "SynonymProblem",
    "SynonymProblemCode",
]

MAX_TERM_CHARS = 50
MAX_VARIANTS = 100
MAX_GROUPS_PER_EDIT = 100
ADDED_MARKER = "# 管理员维护 (groups maintained through the updateSynonyms mutation)"
_FORBIDDEN = ("\t", "\n", "\r", ";", "；")


class SynonymProblemCode(StrEnum):
    """Why an edit of the dictionary was refused (同义词维护错误代码)."""

    INVALID_TERM = "INVALID_TERM"  # 词条为空、只有符号或含分隔符
    TERM_TOO_LONG = "TERM_TOO_LONG"  # 词条过长
    TOO_MANY_VARIANTS = "TOO_MANY_VARIANTS"  # 同义写法过多
    CONFLICT = "CONFLICT"  # 词条已属于另一组
    NOT_FOUND = "NOT_FOUND"  # 要删除的组不存在
    EMPTY_EDIT = "EMPTY_EDIT"  # 没有要做的修改


@dataclass(frozen=True, slots=True)
class SynonymProblem:
    code: SynonymProblemCode
    field: str  # e.g. "add[0].variants[2]", "remove[1]"
    message_zh: str
    message_en: str


class SynonymEditError(ValueError):
    def __init__(self, problems: Sequence[SynonymProblem]) -> None:
        super().__init__("; ".join(p.message_en for p in problems))
        self.problems = tuple(problems)


@dataclass(frozen=True, slots=True)
class GroupEdit:
    """A group to add, or variants to add to the group of that canonical name."""

    canonical: str
    variants: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SynonymEditOutcome:
    added: tuple[str, ...]  # canonical names of new groups
    extended: tuple[str, ...]  # canonical names of groups that got new variants
    removed: tuple[str, ...]
    groups: int  # groups in the dictionary after the edit
    previous_text: str  # what the file held before (for `restore`)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.extended or self.removed)


@dataclass(slots=True)
class _Line:
    raw: str
    canonical: str | None = None  # raw canonical, for group lines
    variants: list[str] | None = None


class SynonymFile:
    """The synonym file on disk, with validated, atomic edits (one at a time per process)."""

    def __init__(self, path: Path = SYNONYMS_PATH, normalise: Callable[[str], str] | None = None) -> None:
        self.path = Path(path)
        self._key = normalise or default_analyzer().key
        self._lock = threading.Lock()
        self._dictionary: SynonymDictionary | None = None
        self._stamp: tuple[int, int] | None = None

    def dictionary(self) -> SynonymDictionary:
        """The file's dictionary, re-read when the file changed on disk."""
        stamp = self._file_stamp()
        if self._dictionary is None:
            self._dictionary = SynonymDictionary(self.path, self._key)
        elif stamp != self._stamp:
            self._dictionary.reload()
        self._stamp = stamp
        return self._dictionary

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def edit(self, add: Sequence[GroupEdit] = (), remove: Sequence[str] = ()) -> SynonymEditOutcome:
        """Apply an edit; raises SynonymEditError with every problem found (nothing written)."""
        with self._lock:
            text = self.path.read_text(encoding="utf-8")
            lines = _parse(text)
            outcome_parts = self._apply(lines, add, remove)
            added, extended, removed = outcome_parts
            groups = sum(1 for line in lines if line.canonical is not None)
            if added or extended or removed:
                _write_atomically(self.path, _render(lines))
                self._stamp = None  # re-read on next use
                if self._dictionary is not None:
                    self._dictionary.reload()
                    self._stamp = self._file_stamp()
            return SynonymEditOutcome(tuple(added), tuple(extended), tuple(removed), groups, text)

    def restore(self, previous_text: str) -> None:
        """Put back what the file held before an edit (the index could not take it)."""
        with self._lock:
            _write_atomically(self.path, previous_text)
            if self._dictionary is not None:
                self._dictionary.reload()
                self._stamp = self._file_stamp()

    def _apply(
        self, lines: list[_Line], add: Sequence[GroupEdit], remove: Sequence[str]
    ) -> tuple[list[str], list[str], list[str]]:
        problems: list[SynonymProblem] = []
        if not add and not remove:
            raise SynonymEditError([SynonymProblem(
                SynonymProblemCode.EMPTY_EDIT, "input", "没有要添加或删除的同义词组",
                "nothing to add or remove")])
        if len(add) + len(remove) > MAX_GROUPS_PER_EDIT:
            raise SynonymEditError([SynonymProblem(
                SynonymProblemCode.TOO_MANY_VARIANTS, "input",
                f"一次最多修改 {MAX_GROUPS_PER_EDIT} 组", f"at most {MAX_GROUPS_PER_EDIT} groups per edit")])
        key = self._key
        by_canonical: dict[str, _Line] = {}
        owner: dict[str, str] = {}  # term key → canonical key of its group
        for existing in lines:
            if existing.canonical is None:
                continue
            ck = key(existing.canonical)
            by_canonical[ck] = existing
            owner[ck] = ck
            for variant in existing.variants or []:
                owner.setdefault(key(variant), ck)

        removed: list[str] = []
        for i, name in enumerate(remove):
            ck = key(name)
            gone = by_canonical.get(ck)
            if gone is None:
                problems.append(SynonymProblem(
                    SynonymProblemCode.NOT_FOUND, f"remove[{i}]",
                    f"同义词组「{name[:MAX_TERM_CHARS]}」不存在（按标准名称删除）",
                    f"no synonym group with the canonical name {name[:MAX_TERM_CHARS]!r}"))
                continue
            removed.append(str(gone.canonical))
            for term, holder_key in list(owner.items()):
                if holder_key == ck:
                    del owner[term]
            del by_canonical[ck]
            lines.remove(gone)

        added: list[str] = []
        extended: list[str] = []
        for i, group in enumerate(add):
            where = f"add[{i}]"
            canonical = group.canonical.strip()
            problems.extend(self._check_term(canonical, f"{where}.canonical"))
            if len(group.variants) > MAX_VARIANTS:
                problems.append(SynonymProblem(
                    SynonymProblemCode.TOO_MANY_VARIANTS, f"{where}.variants",
                    f"每组最多 {MAX_VARIANTS} 个同义写法", f"at most {MAX_VARIANTS} variants per group"))
                continue
            variants = [v.strip() for v in group.variants]
            bad = [p for j, v in enumerate(variants) for p in self._check_term(v, f"{where}.variants[{j}]")]
            problems.extend(bad)
            if bad or not key(canonical):
                continue
            ck = key(canonical)
            holder = owner.get(ck)
            if holder is not None and holder != ck:
                problems.append(_conflict(f"{where}.canonical", canonical, by_canonical[holder].canonical))
                continue
            line = by_canonical.get(ck)
            known = {key(t) for t in [line.canonical or "", *(line.variants or [])]} if line else {ck}
            fresh: list[str] = []
            for j, variant in enumerate(variants):
                vk = key(variant)
                holder = owner.get(vk)
                if holder is not None and holder != ck:
                    problems.append(_conflict(f"{where}.variants[{j}]", variant, by_canonical[holder].canonical))
                elif vk not in known:
                    known.add(vk)
                    fresh.append(variant)
            for variant in fresh:
                owner[key(variant)] = ck
            if line is None:
                line = _Line("", canonical, fresh)
                _append(lines, line)
                by_canonical[ck] = line
                owner[ck] = ck
                added.append(canonical)
            elif fresh:
                (line.variants or []).extend(fresh)
                line.raw = ""
                extended.append(str(line.canonical))
        if problems:
            raise SynonymEditError(problems)
        return added, extended, removed

    def _check_term(self, term: str, field: str) -> list[SynonymProblem]:
        if len(term) > MAX_TERM_CHARS:
            return [SynonymProblem(
                SynonymProblemCode.TERM_TOO_LONG, field,
                f"词条过长（最多 {MAX_TERM_CHARS} 个字符）", f"term too long (at most {MAX_TERM_CHARS} characters)")]
        if not self._key(term) or any(sep in term for sep in _FORBIDDEN) or term.startswith("#"):
            return [SynonymProblem(
                SynonymProblemCode.INVALID_TERM, field,
                "词条须含文字，且不能含制表符、换行、分号或以 # 开头",
                "a term needs letters, digits or Chinese characters and no tab, new line, semicolon or leading #")]
        return []


def _conflict(field: str, term: str, other: str | None) -> SynonymProblem:
    return SynonymProblem(
        SynonymProblemCode.CONFLICT, field,
        f"「{term}」已属于同义词组「{other}」，一个词只能属于一组",
        f"{term!r} already belongs to the group {other!r}; a term belongs to one group only")


def _parse(text: str) -> list[_Line]:
    lines: list[_Line] = []
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            lines.append(_Line(raw))
            continue
        canonical, sep, variants = raw.partition("\t")
        if not sep:
            lines.append(_Line(raw))  # the dictionary reports it; keep it as it is
            continue
        lines.append(_Line(raw, canonical.strip(), [v.strip() for v in variants.split(";") if v.strip()]))
    return lines


def _append(lines: list[_Line], line: _Line) -> None:
    if not any(existing.raw == ADDED_MARKER for existing in lines):
        if lines and lines[-1].raw.strip():
            lines.append(_Line(""))
        lines.append(_Line(ADDED_MARKER))
    lines.append(line)


def _render(lines: list[_Line]) -> str:
    out: list[str] = []
    for line in lines:
        if line.canonical is not None and not line.raw:
            out.append(f"{line.canonical}\t{';'.join(line.variants or [])}")
        else:
            out.append(line.raw)
    return "\n".join(out) + "\n"


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with contextlib.suppress(OSError):  # a new file keeps mkstemp's mode
            os.chmod(tmp, path.stat().st_mode & 0o777)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
