"""Filing what the catalog cannot cover as demand-list entries (需求登记), R4 and R9.

The items a match left uncovered because the catalog has no entry for them (目录中暂无) become
entries of the demand list (需求清单), one `Demand` node per likely provider so that each
provider answers for its own items: status OPEN, routed to that provider (`ROUTED_TO`), owned by
the requesting agency (`OWNED_BY`), for the scenario when it is a catalogued one
(`FOR_SCENARIO`), due within RESPONSE_DAYS (3) working days of the day it is filed (R9; the
big-data bureau chases late answers). Items nobody seems to hold are filed unrouted, for the
big-data bureau to route.

Each entry follows the deadline-clock convention (`sharing.deadline_clock`): `receivedOn`,
`dueOn` (equal to `deadline`) and `dueAgency` (the routed provider; while unrouted, the big-data
bureau of the requester's level and region, which must route it: `demand_answer.bureau_for`). The
items keep the justification the requester gave for each (最小必要, `sharing.demand_justification`).

Items catalogued only as not shared (不予共享) are not filed: the catalog already answers them
with the provider's legal basis, and a rejection with insufficient reasons goes to the bureau's
negotiation (R10), not to the demand list.

Every entry of one filing is written in one change set through `CatalogWriter.apply`: all of
them, or (on any error) none. `REQUESTS` is not used: it points at catalogued fields or
resources, and these items have none yet; the closest fields found are kept as leads.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from graph.model import ChangeSet, Label, Node, NodeRef, Rel
from sharing.audit import audit_entry
from sharing.catalog_writer import CatalogWriter
from sharing.demand_items import DemandInputError, DemandProblem
from sharing.demand_matching import DemandMatch, UncoveredItem
from sharing.identity import Actor
from sharing.terms import DemandStatus, ServiceKind, UncoveredReason
from sharing.working_days import Deadline, WorkingCalendar, default_calendar

__all__ = ["MAX_LEADS_KEPT", "RESPONSE_DAYS", "DemandFiling", "demand_changes", "file_demand"]

RESPONSE_DAYS = 3  # R9: the provider responds within 3 working days
MAX_LEADS_KEPT = 5  # closest fields kept per filed item, for the provider to look at


@dataclass(frozen=True, slots=True)
class DemandFiling:
    """What to file (需求登记请求): a match and who files it, for which scenario."""

    match: DemandMatch
    requester: Node
    filed_on: date
    scenario: Node | None = None  # a catalogued scenario
    scenario_name: str | None = None  # or the scenario as the requester names it
    service_kind: ServiceKind | None = None
    token: str = ""  # distinguishes filings of the same day; random when empty
    justifications: Mapping[str, str] = field(default_factory=dict)  # item name -> why the scenario needs it
    purpose: str | None = None  # what the data is for (用途)
    bureau: Node | None = None  # the big-data bureau that routes what nobody seems to hold
    actor: Actor | None = None  # who files it; each entry is then audited
    at: datetime | None = None  # when (for the audit entry)


def demand_changes(filing: DemandFiling, calendar: WorkingCalendar | None = None) -> tuple[ChangeSet, Deadline]:
    """The change set filing the uncovered items, and their deadline; DemandInputError when
    nothing is left to file."""
    calendar = calendar or default_calendar()
    items = [u for u in filing.match.uncovered if u.reason is UncoveredReason.NOT_IN_CATALOG]
    if not items:
        raise DemandInputError(
            DemandProblem.NOTHING_TO_FILE, "items",
            "没有需要登记的信息项：目录已覆盖全部信息项，或未覆盖项为不予共享",
            "nothing to file: the catalog covers every item, or the uncovered ones are not shared",
        )
    groups: dict[str | None, list[UncoveredItem]] = {}
    for u in items:
        routed = u.likely_provider.agency.key if u.likely_provider else None
        groups.setdefault(routed, []).append(u)
    ordered = sorted(groups.items(), key=lambda kv: kv[0] is None)  # unrouted last, else as given
    deadline = calendar.deadline(filing.filed_on, RESPONSE_DAYS)
    token = filing.token or uuid.uuid4().hex[:8]
    changes = ChangeSet()
    for number, (routed, group) in enumerate(ordered, start=1):
        key = f"DM-{filing.filed_on:%Y%m%d}-{token}-{number:02d}"
        basis = group[0].likely_provider.basis.value if group[0].likely_provider else None
        node = Node(
            Label.DEMAND,
            key,
            {
                "code": key,
                "items": [u.item.name for u in group],
                "itemDetails": json.dumps([_detail(u, filing) for u in group], ensure_ascii=False),
                "status": DemandStatus.OPEN.value,
                "requesterCode": filing.requester.key,
                "routedToCode": routed,
                "routingBasis": basis,
                "scenarioCode": filing.scenario.key if filing.scenario else None,
                "scenarioName": _scenario_name(filing),
                "serviceKind": filing.service_kind.value if filing.service_kind else None,
                "filedOn": filing.filed_on.isoformat(),
                "receivedOn": deadline.received_on.isoformat(),
                "deadline": deadline.due_on.isoformat(),
                "deadlineEstimated": deadline.estimated,
                "dueOn": deadline.due_on.isoformat(),
                "dueAgency": routed or (filing.bureau.key if filing.bureau is not None else None),
                "purpose": filing.purpose,
                "rule": "R9",
                "filing": token,
            },
        )
        changes.upserts.append(node)
        if filing.actor is not None and filing.at is not None:
            changes.upserts.append(audit_entry(filing.actor, "demand.file", node.ref, filing.at, None, node.props))
        changes.set_edges(node.ref, Rel.OWNED_BY, [filing.requester.ref])
        if routed is not None:
            changes.set_edges(node.ref, Rel.ROUTED_TO, [NodeRef(Label.AGENCY, routed)])
        if filing.scenario is not None:
            changes.set_edges(node.ref, Rel.FOR_SCENARIO, [filing.scenario.ref])
    return changes, deadline


async def file_demand(
    writer: CatalogWriter, filing: DemandFiling, calendar: WorkingCalendar | None = None
) -> list[Node]:
    """File the uncovered items in one transaction; returns the demand nodes written."""
    changes, _ = demand_changes(filing, calendar)
    written = [n for n in changes.upserts if n.label is Label.DEMAND]
    await writer.apply(changes)
    return written


def _scenario_name(filing: DemandFiling) -> str | None:
    if filing.scenario is not None:
        return str(filing.scenario.get("name"))
    return filing.scenario_name


def _detail(u: UncoveredItem, filing: DemandFiling) -> dict[str, object]:
    return {
        "name": u.item.name,
        "original": u.item.original,
        "note": u.item.note,
        "justification": filing.justifications.get(u.item.original) or filing.justifications.get(u.item.name),
        "leads": [c.field.key for c in u.leads[:MAX_LEADS_KEPT]],
    }
