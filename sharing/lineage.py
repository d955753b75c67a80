"""Data lineage: where data comes from and where it goes (数据血缘).

A lineage is a bounded walk over the catalog graph, upstream (towards where the data comes
from) or downstream (towards who uses it). Which way is "downstream" is not the direction a
relationship is stored in: a service is stored `DataService -MOUNTED_ON-> DataResource` but
lies downstream of its resource; a grant is stored `Grant -FOR_SCENARIO-> Scenario` and its
scenario lies downstream of it. `ORIENTATION` below says it once, per relationship; every
walk of this module (lineage, impact, field lineage) takes its steps from it.

Agencies are where lineages end: a walk reaching an agency (a provider upstream, a consumer
downstream) does not go on through it to everything else that agency holds or uses, or
every lineage would soon be the whole catalog. An agency is left only when it is the root.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from graph.model import Direction, Edge, Label, Node, NodeRef, Rel, Step, Walk
from graph.store import GraphStore

MAX_DEPTH = 6  # hops; deeper lineages are refused, not attempted
DEFAULT_DEPTH = 3
MAX_NODES = 1000  # node cap of one lineage (`first`)
DEFAULT_NODES = 300
LEAVES = frozenset({Label.AGENCY})  # reached, not left (unless the root)


class Flow(StrEnum):
    """Which way to trace (血缘方向)."""

    UPSTREAM = "UPSTREAM"  # 上游：数据从哪里来
    DOWNSTREAM = "DOWNSTREAM"  # 下游：数据到哪里去
    BOTH = "BOTH"  # 上下游


class Side(StrEnum):
    """Where a node of a lineage lies relative to its root (相对根节点的位置)."""

    ROOT = "ROOT"  # 根节点
    UPSTREAM = "UPSTREAM"  # 上游
    DOWNSTREAM = "DOWNSTREAM"  # 下游


class NodeKind(StrEnum):
    """The kinds of catalog node a lineage shows (节点类型), named after `Label`."""

    AGENCY = "AGENCY"
    RESOURCE = "RESOURCE"
    FIELD = "FIELD"
    SERVICE = "SERVICE"
    SCENARIO = "SCENARIO"
    GRANT = "GRANT"
    PROJECT = "PROJECT"
    SUPPLY_LIST = "SUPPLY_LIST"
    DEMAND = "DEMAND"
    APPLICATION = "APPLICATION"
    QUALITY_ISSUE = "QUALITY_ISSUE"
    PERSON = "PERSON"

    @classmethod
    def of(cls, label: Label) -> NodeKind:
        return cls[label.name]

    @property
    def label(self) -> Label:
        return Label[self.name]

    @property
    def label_zh(self) -> str:
        return KIND_ZH[self]


KIND_ZH: dict[NodeKind, str] = {
    NodeKind.AGENCY: "机构",
    NodeKind.RESOURCE: "数据资源",
    NodeKind.FIELD: "信息项",
    NodeKind.SERVICE: "数据服务",
    NodeKind.SCENARIO: "应用场景",
    NodeKind.GRANT: "授权",
    NodeKind.PROJECT: "信息化项目",
    NodeKind.SUPPLY_LIST: "供给清单",
    NodeKind.DEMAND: "需求",
    NodeKind.APPLICATION: "申请",
    NodeKind.QUALITY_ISSUE: "数据问题",
    NodeKind.PERSON: "人员",
}

REL_ZH: dict[Rel, str] = {
    Rel.PROVIDED_BY: "提供方",
    Rel.SUPERVISED_BY: "上级主管机构",
    Rel.HAS_FIELD: "信息项",
    Rel.MOUNTED_ON: "挂接",
    Rel.EXPOSES: "开放信息项",
    Rel.RELATED_TO: "关联资源",
    Rel.DERIVED_FROM: "来源资源",
    Rel.OWNED_BY: "使用机构/建设单位",
    Rel.GRANTS_ACCESS_TO: "授权服务",
    Rel.FOR_SCENARIO: "应用场景",
    Rel.COVERS_FIELD: "授权信息项",
    Rel.DECLARES: "供给清单申报",
    Rel.DEPENDS_ON: "依赖资源",
    Rel.SUPPLIES: "供给",
    Rel.REQUESTS: "需求",
    Rel.ROUTED_TO: "承办机构",
    Rel.APPLIES_FOR: "申请资源",
    Rel.ATTACHES: "承诺书",
    Rel.RESULTED_IN: "申请结果",
    Rel.CONCERNS: "问题所涉",
    Rel.ANSWERED_WITH: "应答资源",
    Rel.ISSUED_TO: "令牌所属机构",
}
FLOW_ZH = {Flow.UPSTREAM: "上游", Flow.DOWNSTREAM: "下游", Flow.BOTH: "上下游"}
SIDE_ZH = {Side.ROOT: "根节点", Side.UPSTREAM: "上游", Side.DOWNSTREAM: "下游"}


@dataclass(frozen=True, slots=True)
class Orientation:
    """One row of the orientation table: `upstream` kinds —rel— `downstream` kinds.

    `stored_downstream` is True when the relationship is stored from the upstream end to the
    downstream end (`Project -DECLARES-> DataResource`), False when stored the other way
    (`DataService -MOUNTED_ON-> DataResource`, the service being downstream).
    `field_level` rows belong to field lineage and are left out of an entity's lineage by
    default (they would add every field of every resource).
    """

    rel: Rel
    upstream: tuple[Label, ...]
    downstream: tuple[Label, ...]
    stored_downstream: bool
    zh: str
    field_level: bool = False


R, F, S, G = Label.RESOURCE, Label.FIELD, Label.SERVICE, Label.GRANT
SC, A, P = Label.SCENARIO, Label.AGENCY, Label.PROJECT
SL, D, AP = Label.SUPPLY_LIST, Label.DEMAND, Label.APPLICATION

# The orientation table (血缘方向表): data flows from the upstream end to the downstream end.
ORIENTATION: tuple[Orientation, ...] = (
    Orientation(Rel.PROVIDED_BY, (A,), (R,), False, "提供方机构 → 其提供的数据资源"),
    Orientation(Rel.DERIVED_FROM, (R,), (R,), False, "来源资源 → 由其加工的资源"),
    Orientation(Rel.SUPPLIES, (SL,), (R,), True, "供给清单 → 清单中的资源"),
    Orientation(Rel.DECLARES, (P,), (R,), True, "信息化项目 → 其供给清单申报的资源"),
    Orientation(Rel.MOUNTED_ON, (R,), (S,), False, "数据资源 → 挂接其上的数据服务"),
    Orientation(Rel.DEPENDS_ON, (R,), (P,), False, "数据资源 → 依赖它的信息化项目"),
    Orientation(Rel.REQUESTS, (R, F), (D, AP), False, "资源/信息项 → 申请或需求它的需求、申请"),
    Orientation(Rel.GRANTS_ACCESS_TO, (S,), (G,), False, "数据服务 → 基于它的授权"),
    Orientation(Rel.FOR_SCENARIO, (G, D, AP), (SC,), True, "授权/申请/需求 → 应用场景"),
    Orientation(Rel.OWNED_BY, (SC, P, D), (A,), True, "应用场景/项目/需求 → 使用机构/建设单位/需求方"),
    Orientation(Rel.HAS_FIELD, (R,), (F,), True, "数据资源 → 其信息项", field_level=True),
    Orientation(Rel.EXPOSES, (F,), (S,), False, "信息项 → 开放它的数据服务", field_level=True),
    Orientation(Rel.COVERS_FIELD, (F,), (G,), False, "信息项 → 授权它的授权", field_level=True),
)
# Relationships that associate but carry no data flow: followed both ways, only when asked.
ASSOCIATIONS: dict[Rel, tuple[Label, ...]] = {
    Rel.RELATED_TO: (R,),  # 关联资源
    Rel.SUPERVISED_BY: (A,),  # 上级主管机构
}
# In a field's lineage, grants are reached by the fields they cover, not by their service.
_NOT_IN_FIELD_LINEAGE = frozenset({Rel.MOUNTED_ON, Rel.GRANTS_ACCESS_TO})


def lineage_rels(root: Label) -> tuple[Rel, ...]:
    """The relationships a lineage of a node of this kind follows by default."""
    if root is Label.FIELD:
        return tuple(dict.fromkeys(o.rel for o in ORIENTATION if o.rel not in _NOT_IN_FIELD_LINEAGE))
    return tuple(dict.fromkeys(o.rel for o in ORIENTATION if not o.field_level))


def steps(flow: Flow, rels: Collection[Rel]) -> list[Step]:
    """The walk steps of one direction (UPSTREAM or DOWNSTREAM) over these relationships."""
    if flow is Flow.BOTH:
        raise ValueError("one direction at a time")
    found: list[Step] = []
    for o in ORIENTATION:
        if o.rel not in rels:
            continue
        out = o.stored_downstream == (flow is Flow.DOWNSTREAM)
        for label in o.upstream if flow is Flow.DOWNSTREAM else o.downstream:
            found.append(Step(label, o.rel, Direction.OUT if out else Direction.IN))
    for rel, labels in ASSOCIATIONS.items():
        if rel in rels:
            found += [Step(label, rel, way) for label in labels for way in (Direction.OUT, Direction.IN)]
    return list(dict.fromkeys(found))


def upstream_end(edge: Edge) -> NodeRef:
    """The end of an edge the data comes from (for an association, its source)."""
    for o in ORIENTATION:
        if o.rel is edge.type and edge.src.label in (o.upstream if o.stored_downstream else o.downstream):
            return edge.src if o.stored_downstream else edge.dst
    return edge.src


# --------------------------------------------------------------------------- lineage


@dataclass(frozen=True, slots=True)
class AgencyGroup:
    """The agency a node is drawn with (所属机构): a provider's data, a consumer's use."""

    code: str
    name: str


@dataclass(frozen=True, slots=True)
class LineageNode:
    node: Node
    hop: int  # hops from the root
    side: Side
    path: tuple[NodeRef, ...]  # one shortest path: the root … this node
    has_more: bool  # neighbours left out by the depth or the node cap
    group: AgencyGroup | None
    title: str  # what to call it in a picture

    @property
    def kind(self) -> NodeKind:
        return NodeKind.of(self.node.label)


@dataclass(frozen=True, slots=True)
class LineageEdge:
    edge: Edge
    upstream: NodeRef
    downstream: NodeRef


@dataclass(frozen=True, slots=True)
class Lineage:
    root: LineageNode
    flow: Flow
    depth: int
    limit: int
    rels: tuple[Rel, ...]
    nodes: list[LineageNode]  # the root first, then by hop
    edges: list[LineageEdge]
    truncated_by_size: bool
    truncated_by_depth: bool

    @property
    def truncated(self) -> bool:
        return self.truncated_by_size or self.truncated_by_depth


async def trace_lineage(
    store: GraphStore,
    root: NodeRef,
    flow: Flow,
    depth: int = DEFAULT_DEPTH,
    limit: int = DEFAULT_NODES,
    rels: Sequence[Rel] | None = None,
) -> Lineage | None:
    """The lineage of `root`, or None when there is no such node.

    One store walk per direction. `limit` caps the nodes (the root included) over both
    directions together: nearer nodes are kept first.
    """
    chosen = tuple(dict.fromkeys(rels)) if rels is not None else lineage_rels(root.label)
    sides = [Flow.UPSTREAM, Flow.DOWNSTREAM] if flow is Flow.BOTH else [flow]
    # both sides at once: on a server store their round trips overlap
    found = await asyncio.gather(
        *(store.trace(root, steps(one, chosen), depth, limit, leaves=LEAVES) for one in sides)
    )
    if any(not walk.nodes for walk in found):
        return None
    walks = {Side(one.value): walk for one, walk in zip(sides, found, strict=True)}

    # Each node on the side where it is nearest (downstream on a tie), nearest first.
    placed: dict[NodeRef, tuple[int, int, Side, Node]] = {}
    for side in sorted(walks, key=lambda s: s is not Side.DOWNSTREAM):
        for order, (ref, (node, hop)) in enumerate(walks[side].nodes.items()):
            if ref not in placed or hop < placed[ref][0]:
                placed[ref] = (hop, order, side if hop else Side.ROOT, node)
    # nearest first; at equal distance the two sides take turns, in the order they were found
    ordered = sorted(placed.items(), key=lambda kv: (kv[1][0], kv[1][1], kv[1][2] is Side.UPSTREAM))
    kept = dict(ordered[:limit])
    cut_by_size = len(ordered) > limit or any(w.truncated for w in walks.values())

    parents = {side: _parents(walk, steps(Flow(side.value), chosen)) for side, walk in walks.items()}
    more: set[NodeRef] = set()
    for walk in walks.values():
        more |= walk.cut
        for e in walk.edges:
            if (e.src in kept) != (e.dst in kept):
                more.add(e.src if e.src in kept else e.dst)
    groups, titles = await _groups_and_titles(store, [v[3] for v in kept.values()])

    def path(ref: NodeRef, side: Side) -> tuple[NodeRef, ...]:
        trail = [ref]
        up = parents.get(side, {})
        while trail[-1] in up:
            trail.append(up[trail[-1]])
        return tuple(reversed(trail))

    nodes = [
        LineageNode(node, hop, side, path(ref, side) if side is not Side.ROOT else (ref,),
                    ref in more, groups.get(ref), titles[ref])
        for ref, (hop, _, side, node) in kept.items()
    ]
    edges: dict[tuple[Rel, NodeRef, NodeRef], LineageEdge] = {}
    for walk in walks.values():
        for e in walk.edges:
            if e.src in kept and e.dst in kept:
                up = upstream_end(e)
                edges.setdefault((e.type, e.src, e.dst), LineageEdge(e, up, e.dst if up == e.src else e.src))
    return Lineage(
        root=nodes[0],
        flow=flow,
        depth=depth,
        limit=limit,
        rels=chosen,
        nodes=nodes,
        edges=list(edges.values()),
        truncated_by_size=cut_by_size,
        truncated_by_depth=any(w.depth_cut for w in walks.values()),
    )


def _parents(walk: Walk, walked: Sequence[Step]) -> dict[NodeRef, NodeRef]:
    """Each node's parent on one shortest path back to the start: the first node one hop
    nearer that reached it by a step of the walk."""
    allowed = set(walked)
    hops = {ref: hop for ref, (_, hop) in walk.nodes.items()}
    parents: dict[NodeRef, NodeRef] = {}
    for e in walk.edges:
        for here, there, way in ((e.src, e.dst, Direction.OUT), (e.dst, e.src, Direction.IN)):
            if (
                there not in parents
                and hops.get(there) == hops.get(here, -2) + 1
                and Step(here.label, e.type, way) in allowed
            ):
                parents[there] = here
    return parents


# Which property of a node names the agency it is drawn with, directly or through another node.
_AGENCY_PROP: dict[Label, str] = {
    Label.RESOURCE: "providerCode",
    Label.SCENARIO: "agencyCode",
    Label.PROJECT: "ownerCode",
    Label.SUPPLY_LIST: "agencyCode",
    Label.DEMAND: "requesterCode",
    Label.APPLICATION: "agencyCode",
}


async def _groups_and_titles(
    store: GraphStore, nodes: Iterable[Node]
) -> tuple[dict[NodeRef, AgencyGroup], dict[NodeRef, str]]:
    """The agency each node is grouped with, and its display title (3 batched reads)."""
    nodes = list(nodes)
    resources = {n.key: n for n in nodes if n.label is Label.RESOURCE}
    scenarios = {n.key: n for n in nodes if n.label is Label.SCENARIO}
    wanted_resources = {
        str(n.get("resourceCode")) for n in nodes
        if n.label in (Label.FIELD, Label.SERVICE, Label.QUALITY_ISSUE) and n.get("resourceCode")
    } - resources.keys()
    wanted_scenarios = {
        str(n.get("scenarioCode")) for n in nodes if n.label is Label.GRANT and n.get("scenarioCode")
    } - scenarios.keys()
    more_resources, more_scenarios = await asyncio.gather(
        _by_key(store, Label.RESOURCE, wanted_resources), _by_key(store, Label.SCENARIO, wanted_scenarios)
    )
    resources |= more_resources
    scenarios |= more_scenarios

    def agency_of(n: Node) -> str | None:
        if n.label is Label.AGENCY:
            return n.key
        if n.label in (Label.FIELD, Label.SERVICE, Label.QUALITY_ISSUE):
            owner = resources.get(str(n.get("resourceCode")))
            return str(owner.get("providerCode")) if owner else None
        if n.label is Label.GRANT:
            scenario = scenarios.get(str(n.get("scenarioCode")))
            return str(scenario.get("agencyCode")) if scenario else None
        prop = _AGENCY_PROP.get(n.label)
        value = n.get(prop) if prop else None
        return str(value) if value else None

    codes = {n.ref: agency_of(n) for n in nodes}
    agencies = {n.key: n for n in nodes if n.label is Label.AGENCY}
    agencies |= await _by_key(store, Label.AGENCY, {c for c in codes.values() if c} - agencies.keys())
    groups = {
        ref: AgencyGroup(code, str(agencies[code].get("name") or code))
        for ref, code in codes.items() if code and code in agencies
    }

    def title(n: Node) -> str:
        if n.label is Label.AGENCY:
            return str(n.get("shortName") or n.get("name") or n.key)
        if n.label is Label.GRANT:
            scenario = scenarios.get(str(n.get("scenarioCode")))
            return f"授权：{scenario.get('name')}" if scenario else f"授权 {n.key}"
        return str(n.get("name") or n.key)

    return groups, {n.ref: title(n) for n in nodes}


async def _by_key(store: GraphStore, label: Label, keys: Collection[str]) -> dict[str, Node]:
    if not keys:
        return {}
    found = await store.get_nodes(label, sorted(keys))
    return {n.key: n for n in found if n is not None}


# --------------------------------------------------------------------------- field lineage


@dataclass(frozen=True, slots=True)
class FieldGrant:
    """A grant covering a field, with the service, scenario and consumer agency it serves."""

    grant: Node
    service: Node | None
    scenario: Node | None
    agency: Node | None


@dataclass(frozen=True, slots=True)
class FieldLineage:
    field: Node
    resource: Node | None
    services: list[Node]  # the services exposing it
    grants: list[FieldGrant]  # the grants covering it

    @property
    def scenarios(self) -> list[Node]:
        return _unique(g.scenario for g in self.grants)

    @property
    def agencies(self) -> list[Node]:
        return _unique(g.agency for g in self.grants)


async def trace_field(store: GraphStore, field: NodeRef) -> FieldLineage | None:
    """Which services expose a field, which grants cover it, for which scenarios and agencies.

    The field's downstream lineage (three hops: field → grant → scenario → agency, and
    field → service), arranged per grant.
    """
    found = await trace_lineage(store, field, Flow.DOWNSTREAM, depth=3, limit=MAX_NODES * 10)
    if found is None:
        return None
    by_ref = {n.node.ref: n.node for n in found.nodes}
    services = [n.node for n in found.nodes if n.node.label is Label.SERVICE]
    scenario_of: dict[NodeRef, Node] = {}
    agency_of: dict[NodeRef, Node] = {}
    for e in found.edges:
        if e.edge.type is Rel.FOR_SCENARIO:
            scenario_of[e.upstream] = by_ref[e.downstream]
        elif e.edge.type is Rel.OWNED_BY:
            agency_of[e.upstream] = by_ref[e.downstream]
    grants = [n.node for n in found.nodes if n.node.label is Label.GRANT]
    grant_services = await _by_key(store, Label.SERVICE, {str(g.get("serviceCode")) for g in grants})
    resource = await _by_key(store, Label.RESOURCE, {str(found.root.node.get("resourceCode"))})
    rows = []
    for g in grants:
        scenario = scenario_of.get(g.ref)
        rows.append(FieldGrant(
            g, grant_services.get(str(g.get("serviceCode"))), scenario,
            agency_of.get(scenario.ref) if scenario else None,
        ))
    return FieldLineage(found.root.node, next(iter(resource.values()), None), services, rows)


def _unique(nodes: Iterable[Node | None]) -> list[Node]:
    return list({n.ref: n for n in nodes if n is not None}.values())
