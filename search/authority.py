"""Authoritative source departments of data items (权威来源部门).

A data item such as 统一社会信用代码 is catalogued by many agencies, but one department is
its source of record (市场监督管理局). Search gives such fields a modest boost so that,
among fields of the same name, the authoritative source is listed first.

The file is a TSV, `department[;alias…]<TAB>item;item…` with `#` comments; items are
canonical names (see `search.synonyms`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from search.analysis import default_analyzer

__all__ = ["AUTHORITIES_PATH", "AUTHORITY_BOOST", "AuthorityError", "AuthorityRegistry", "Department"]

AUTHORITIES_PATH = Path(__file__).parent / "data" / "authorities.tsv"

# Enough to order fields of equal name, well below the gap between match tiers.
AUTHORITY_BOOST = 0.5


@dataclass(frozen=True, slots=True)
class Department:
    name: str  # as written in the file, e.g. 市场监督管理局
    patterns: tuple[str, ...]  # normalised name and aliases, looked for in provider names


class AuthorityError(ValueError):
    """The authorities file cannot be read; the previous registry stays in force."""


class AuthorityRegistry:
    def __init__(self, path: Path = AUTHORITIES_PATH, normalise: Callable[[str], str] | None = None) -> None:
        self.path = Path(path)
        self._normalise = normalise or default_analyzer().key
        self._by_item: dict[str, tuple[Department, ...]] = {}
        self.version = 0
        self.reload()

    def reload(self) -> None:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise AuthorityError(f"cannot read authorities {self.path}: {exc}") from exc
        by_item: dict[str, list[Department]] = {}
        for number, line in enumerate(lines, start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            names_text, sep, items_text = line.partition("\t")
            names = [n.strip() for n in names_text.split(";") if n.strip()]
            if not sep or not names:
                raise AuthorityError(f"{self.path}:{number}: expected department<TAB>items")
            patterns = tuple(dict.fromkeys(p for p in map(self._normalise, names) if p))
            department = Department(names[0], patterns)
            for item in items_text.split(";"):
                key = self._normalise(item)
                if key:
                    by_item.setdefault(key, []).append(department)
        self._by_item = {k: tuple(v) for k, v in by_item.items()}
        self.version += 1

    @property
    def items(self) -> frozenset[str]:
        return frozenset(self._by_item)

    def departments_for(self, item_key: str) -> tuple[Department, ...]:
        return self._by_item.get(item_key, ())

    def authoritative(self, item_keys: tuple[str, ...], provider_key: str) -> Department | None:
        """The department, among those authoritative for any of the item keys, whose name
        occurs in the (normalised) provider name."""
        if not provider_key:
            return None
        for item_key in item_keys:
            for department in self._by_item.get(item_key, ()):
                if any(p in provider_key for p in department.patterns):
                    return department
        return None
