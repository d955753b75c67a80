"""Where each node of a lineage picture goes (血缘图布局).

Swimlanes: one horizontal lane per agency (the provider's data, a consumer's use), one
column per hop, upstream to the left of the root and downstream to the right, so data
flows left to right. An agency of the lineage is drawn as the head of its own lane, at the
left: its links to the nodes in its lane (provider, consumer, owner) are the lane itself.
Within a lane and column nodes are ordered by the position of the node they were reached
from, which keeps edges short and mostly uncrossed. Beyond `collapse` hops nodes are
folded into a "+N" on the node they hang from.

`app/static/lineage/lineage.js` lays out the interactive page by the same rules (and the
same constants), so the picture and the page look alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from sharing.lineage import Lineage, LineageNode, NodeKind, Side

MARGIN = 16
TITLE_H = 56  # title and summary above the columns
HEADER_H = 28  # column headers
LABEL_W = 176  # lane labels (agency names)
COL_W = 252
NODE_W = 200
NODE_H = 26
ROW_H = 34
LANE_PAD = 8
LEGEND_H = 92

# Kinds in the order they are stacked within a lane and column.
KIND_ORDER = (
    NodeKind.AGENCY, NodeKind.PROJECT, NodeKind.SUPPLY_LIST, NodeKind.RESOURCE, NodeKind.FIELD,
    NodeKind.SERVICE, NodeKind.GRANT, NodeKind.DEMAND, NodeKind.APPLICATION, NodeKind.SCENARIO,
    NodeKind.QUALITY_ISSUE, NodeKind.PERSON,
)
NO_AGENCY = ""


def column(n: LineageNode) -> int:
    """The column of a node: negative hops upstream, positive downstream."""
    return -n.hop if n.side is Side.UPSTREAM else n.hop


def node_id(n: LineageNode) -> str:
    return n.node.ref.id


@dataclass(frozen=True, slots=True)
class Box:
    node: LineageNode
    x: float
    y: float
    width: float
    hidden: int  # descendants folded into this node
    lane_head: bool  # an agency drawn as the head of its lane


@dataclass(frozen=True, slots=True)
class Lane:
    code: str
    name: str
    y: float
    height: float
    head: str | None  # the id of the agency node heading it, if the agency is in the lineage


@dataclass(frozen=True, slots=True)
class Layout:
    boxes: dict[str, Box]
    lanes: list[Lane]
    columns: dict[int, float]  # column -> x of its nodes
    width: float
    height: float  # up to the legend
    hidden: int  # nodes folded away

    def lane_of(self, box: Box) -> str:
        """The lane a box sits in (its agency's code)."""
        n = box.node
        return n.group.code if n.group else NO_AGENCY


def lay_out(lineage: Lineage, collapse: int | None = None) -> Layout:
    parent = {node_id(n): n.path[-2].id for n in lineage.nodes if len(n.path) > 1}
    hidden_under: dict[str, int] = {}
    visible: list[LineageNode] = []
    for n in lineage.nodes:
        if collapse is not None and n.hop > collapse:
            ancestor = n.path[collapse].id if len(n.path) > collapse else None
            if ancestor is not None:
                hidden_under[ancestor] = hidden_under.get(ancestor, 0) + 1
            continue
        visible.append(n)

    def lane_code(n: LineageNode) -> str:
        return n.group.code if n.group else NO_AGENCY

    heads = {n.node.key: n for n in visible if n.kind is NodeKind.AGENCY and lane_code(n) == n.node.key}
    placed = [n for n in visible if node_id(n) not in {node_id(h) for h in heads.values()}]
    columns = sorted({column(n) for n in placed}) or [0]
    xs = {c: float(MARGIN + LABEL_W + i * COL_W) for i, c in enumerate(columns)}
    names = {lane_code(n): (n.group.name if n.group else "其他") for n in visible}
    first_seen: dict[str, tuple[int, int]] = {}
    for i, n in enumerate(visible):
        first_seen.setdefault(lane_code(n), (abs(column(n)), i))
    root_lane = lane_code(lineage.root)
    order = sorted(first_seen, key=lambda lane: (lane != root_lane, lane == NO_AGENCY, first_seen[lane]))

    cells: dict[tuple[str, int], list[LineageNode]] = {}
    for n in placed:
        cells.setdefault((lane_code(n), column(n)), []).append(n)
    rows_of: dict[str, int] = {}
    for (lane, _), members in cells.items():
        rows_of[lane] = max(rows_of.get(lane, 1), len(members))
    lanes: list[Lane] = []
    top = MARGIN + TITLE_H + HEADER_H
    lane_y: dict[str, float] = {}
    boxes: dict[str, Box] = {}
    for lane in order:
        height = rows_of.get(lane, 1) * ROW_H + 2 * LANE_PAD - (ROW_H - NODE_H)
        head = heads.get(lane)
        lanes.append(Lane(lane, names[lane], top, height, node_id(head) if head else None))
        lane_y[lane] = top
        if head is not None:
            boxes[node_id(head)] = Box(head, MARGIN + 6, top + LANE_PAD, LABEL_W - 22,
                                       hidden_under.get(node_id(head), 0), True)
        top += height

    kind_rank = {k: i for i, k in enumerate(KIND_ORDER)}
    for c in sorted(columns, key=abs):
        for (lane, col), members in cells.items():
            if col != c:
                continue

            def rank(n: LineageNode) -> tuple[float, int, str]:
                up = boxes.get(parent.get(node_id(n), ""))
                return (up.y if up else 0.0, kind_rank.get(n.kind, 99), n.title)

            for row, n in enumerate(sorted(members, key=rank)):
                y = lane_y[lane] + LANE_PAD + row * ROW_H
                boxes[node_id(n)] = Box(n, xs[c], y, NODE_W, hidden_under.get(node_id(n), 0), False)
    width = MARGIN * 2 + LABEL_W + len(columns) * COL_W  # room on the right for same-column curves
    return Layout(boxes, lanes, xs, width, top, sum(hidden_under.values()))
