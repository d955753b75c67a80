"""Deadline clocks on workflow nodes (流程时限), one convention for every kind of node.

A node whose step someone must take in time carries:

- `status`: where the workflow stands;
- `receivedOn`: ISO date the clock started (the day received, or the next working day when it
  arrived on a day off, `WorkingCalendar.received_on`);
- `dueOn`: ISO date, the last working day allowed for the step now awaited; null once nobody
  has to act (a node with two clocks keeps each under its own name, e.g. `feedbackDueOn` and
  `verificationDueOn`, and `dueOn` follows the one running);
- `dueAgency`: code of the agency that must act.

A node is overdue on a day after its `dueOn` while its status is not a final one. The overdue
views of demands and quality issues, and `overdueSummary`, read only these properties.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from graph.model import Node, PropValue
from sharing.working_days import CalendarWarning, Deadline, WorkingCalendar, default_calendar

# Statuses after which no clock runs, whatever the kind of node (applications included).
FINAL_STATUSES = frozenset({
    "RESPONDED", "CLOSED", "VERIFIED", "RESOLVED", "DISMISSED", "WITHDRAWN", "APPROVED",
    "REJECTED", "GRANTED", "REFUSED", "CANCELLED", "TERMINATED", "EXPIRED", "DECIDED",
})


def clock_props(deadline: Deadline, agency: str | None, due_name: str = "dueOn") -> dict[str, PropValue]:
    """The convention's properties for a clock counted by `deadline`, due from `agency`."""
    return {
        "receivedOn": deadline.received_on.isoformat(),
        due_name: deadline.due_on.isoformat(),
        "dueAgency": agency,
    }


def iso(value: PropValue) -> date | None:
    """An ISO date property as a date (None when absent or malformed)."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def awaiting(node: Node | Mapping[str, PropValue]) -> bool:
    """Whether someone still has to act on the node."""
    props = node.props if isinstance(node, Node) else node
    return iso(props.get("dueOn")) is not None and str(props.get("status")) not in FINAL_STATUSES


def overdue(node: Node | Mapping[str, PropValue], today: date, due_name: str = "dueOn") -> bool:
    """Whether the step awaited (or the named clock) is past its last allowed day."""
    props = node.props if isinstance(node, Node) else node
    due = iso(props.get(due_name))
    return awaiting(props) and due is not None and today > due


def late(done_on: date, due_on: PropValue) -> bool:
    """Whether a step taken on `done_on` was after its last allowed day."""
    due = iso(due_on)
    return due is not None and done_on > due


def calendar_warnings(
    node: Node, names: tuple[str, ...] = ("receivedOn", "dueOn"), calendar: WorkingCalendar | None = None
) -> list[CalendarWarning]:
    """Warnings for the years of the node's clock dates that no calendar covers (dates estimated)."""
    calendar = calendar or default_calendar()
    days = [d for d in (iso(node.get(n)) for n in names) if d is not None]
    if not days:
        return []
    found = (calendar.warning_for(y) for y in range(min(days).year, max(days).year + 1))
    return [w for w in found if w is not None]
