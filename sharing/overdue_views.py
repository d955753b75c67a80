"""Who owes an answer, and who is late (待办与逾期视图), over the deadline-clock convention.

Reads only `status`, `dueOn` and `dueAgency` (`sharing.deadline_clock`), so one view serves
every kind of node with a clock: demands (R9), quality issues (R7) and applications pending
review (R10). Filters: the agency that must act, the level of that agency, overdue only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from graph.model import Label, Node
from graph.store import GraphStore, Where
from sharing.deadline_clock import awaiting, iso, overdue
from sharing.working_days import WorkingCalendar, default_calendar

# Every kind of node whose steps run on a clock (applications: the provider's review, R10).
CLOCKED_LABELS: tuple[Label, ...] = (Label.DEMAND, Label.QUALITY_ISSUE, Label.APPLICATION)
_PAGE = 500


@dataclass(frozen=True, slots=True)
class Awaited:
    """A node someone must act on, and how it stands today."""

    node: Node
    overdue: bool
    working_days_late: int  # working days past `dueOn` (0 when not overdue)


def working_days_between(calendar: WorkingCalendar, after: date, until: date) -> int:
    """Working days in (after, until]."""
    count, day = 0, after
    while day < until:
        day = date.fromordinal(day.toordinal() + 1)
        count += calendar.is_working_day(day)
    return count


async def _all(store: GraphStore, label: Label, where: Where | None) -> list[Node]:
    found: list[Node] = []
    after: str | None = None
    while True:
        page = await store.find_nodes(label, where, after=after, limit=_PAGE)
        found += page.nodes
        if not page.has_next:
            return found
        after = page.nodes[-1].key


async def awaited(
    store: GraphStore,
    label: Label,
    today: date,
    *,
    agency: str | None = None,
    level: str | None = None,
    overdue_only: bool = False,
    include_final: bool = False,
    calendar: WorkingCalendar | None = None,
) -> list[Awaited]:
    """The nodes of `label` awaiting a step (with `include_final`, every one), in `dueOn` then
    key order."""
    calendar = calendar or default_calendar()
    found = await _all(store, label, {"dueAgency": agency} if agency else None)
    nodes = [n for n in found if include_final or awaiting(n)]
    if level is not None:
        levels = await agency_levels(store, (str(n.get("dueAgency")) for n in nodes))
        nodes = [n for n in nodes if levels.get(str(n.get("dueAgency"))) == level]
    result = []
    for n in sorted(nodes, key=lambda n: (str(n.get("dueOn")), n.key)):
        late = overdue(n, today)
        if overdue_only and not late:
            continue
        due = iso(n.get("dueOn"))
        days = working_days_between(calendar, due, today) if late and due else 0
        result.append(Awaited(n, late, days))
    return result


async def agency_levels(store: GraphStore, codes: Iterable[str]) -> dict[str, str]:
    wanted = sorted(set(codes))
    found = await store.get_nodes(Label.AGENCY, wanted) if wanted else []
    return {n.key: str(n.get("level")) for n in found if n is not None}


@dataclass(frozen=True, slots=True)
class KindCount:
    label: Label
    awaiting: int
    overdue: int


async def overdue_summary(store: GraphStore, today: date, level: str | None) -> list[KindCount]:
    """Per kind of clocked node: how many await a step, how many of them are overdue."""
    counts = []
    for label in CLOCKED_LABELS:
        items = await awaited(store, label, today, level=level)
        counts.append(KindCount(label, len(items), sum(i.overdue for i in items)))
    return counts
