"""Reading the audit trail (审计查询): filters and pages over the append-only entries.

Entries are keyed by the time they record (`sharing/audit.py`), so key order is chronological:
pages come oldest first, a time range is a key range, and a cursor is the last key seen. A
bureau administrator's trail is its level's (`AuditFilter.level`); the command line, run by the
operator of the machine, may read every level.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, time

from graph.model import Label, Node
from graph.store import GraphStore, Where
from sharing.clock import CHINA
from sharing.terms import Level

MAX_FILTER_CHARS = 200
_SCAN_BATCH = 500


class AuditFilterError(ValueError):
    """A filter that cannot be applied (审计筛选条件不合法)."""

    def __init__(self, field: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.field = field
        self.message_zh = zh
        self.message_en = en


def _moment(text: str | None, field: str) -> datetime | None:
    """ISO 8601 date or date-time; a date means its midnight, a naive time is China time."""
    if text is None or not text.strip():
        return None
    cleaned = text.strip()
    try:
        if len(cleaned) == 10:
            return datetime.combine(date.fromisoformat(cleaned), time(), CHINA)
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise AuditFilterError(
            field, f"「{cleaned[:40]}」不是日期或时间（ISO 8601，如 2026-10-08 或 2026-10-08T09:00:00+08:00）",
            f"{cleaned[:40]!r} is not an ISO 8601 date or date-time (e.g. 2026-10-08T09:00:00+08:00)",
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=CHINA)


def _text(value: str | None, field: str) -> str | None:
    if value is None or not value.strip():
        return None
    if len(value) > MAX_FILTER_CHARS:
        raise AuditFilterError(field, f"{field} 过长（最多 {MAX_FILTER_CHARS} 个字符）",
                               f"`{field}` is too long (at most {MAX_FILTER_CHARS} characters)")
    return value.strip()


def _key_prefix(moment: datetime) -> str:
    """The key prefix of entries recorded at `moment` (keys carry China time)."""
    return moment.astimezone(CHINA).strftime("%Y%m%dT%H%M%S%f")


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which entries: by level, acting agency, action, target id, and [since, until)."""

    level: Level | None = None
    agency: str | None = None
    action: str | None = None
    target: str | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive

    @classmethod
    def parse(cls, *, level: Level | None = None, agency: str | None = None, action: str | None = None,
              target: str | None = None, since: str | None = None, until: str | None = None) -> AuditFilter:
        wanted = cls(level, _text(agency, "agency"), _text(action, "action"), _text(target, "target"),
                     _moment(since, "since"), _moment(until, "until"))
        if wanted.since and wanted.until and wanted.since >= wanted.until:
            raise AuditFilterError("until", "until 必须晚于 since", "`until` must be later than `since`")
        return wanted

    def where(self) -> Where:
        found = {"level": self.level.value if self.level else None, "agency": self.agency,
                 "action": self.action, "target": self.target}
        return {k: v for k, v in found.items() if v is not None}

    def start_after(self, cursor_key: str | None) -> str | None:
        """The key to read after: the cursor, or just before `since`, whichever is later."""
        floor = _key_prefix(self.since) if self.since else None
        if cursor_key is None:
            return floor
        return max(cursor_key, floor) if floor else cursor_key

    def admits(self, entry: Node) -> bool:
        if self.until is None and self.since is None:
            return True
        at = datetime.fromisoformat(str(entry.get("at")))
        return (self.since is None or at >= self.since) and (self.until is None or at < self.until)

    def past_end(self, entry: Node) -> bool:
        return self.until is not None and entry.key >= _key_prefix(self.until)


async def audit_page(
    store: GraphStore, wanted: AuditFilter, after: str | None, limit: int
) -> tuple[list[Node], bool]:
    """Up to `limit` entries after the key `after`, oldest first, and whether more follow."""
    found: list[Node] = []
    start = wanted.start_after(after)
    while True:
        page = await store.find_nodes(Label.AUDIT_ENTRY, wanted.where(), after=start,
                                      limit=max(limit + 1 - len(found), 1))
        for node in page.nodes:
            if wanted.past_end(node):
                return found[:limit], len(found) > limit
            if wanted.admits(node):
                found.append(node)
        if len(found) > limit or not page.has_next or not page.nodes:
            return found[:limit], len(found) > limit
        start = page.nodes[-1].key


async def iter_audit(store: GraphStore, wanted: AuditFilter) -> AsyncIterator[Node]:
    """Every matching entry, oldest first."""
    after: str | None = None
    while True:
        nodes, more = await audit_page(store, wanted, after, _SCAN_BATCH)
        for node in nodes:
            yield node
        if not more or not nodes:
            return
        after = nodes[-1].key


async def count_audit(store: GraphStore, wanted: AuditFilter) -> int:
    if wanted.since is None and wanted.until is None:
        return await store.count_nodes(Label.AUDIT_ENTRY, wanted.where())
    return sum([1 async for _ in iter_audit(store, wanted)])
