"""What depends on what: impact of an outage, projects depending on data (影响分析).

Both follow the downstream half of the orientation table in `sharing.lineage`:
- `impact`: if a resource or a service went offline, which services, grants, scenarios,
  consumer agencies and projects would lose data (R8, R12);
- `projects_depending_on`: which IT projects depend on a resource, on an agency's
  resources, or on an agency's supply list (供给清单), directly or through resources
  derived from them (R12).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from graph.model import Direction, Label, Node, NodeRef, Rel
from graph.store import GraphStore
from sharing.lineage import LEAVES, Flow, steps
from sharing.terms import GrantStatus, ServiceStatus, SharingType

# Longest chain an outage can travel: resource → derived resources … → service → grant →
# scenario → agency. Deeper derivation chains than this are reported as truncated.
IMPACT_DEPTH = 12
IMPACT_LIMIT = 20_000
DERIVATION_ROUNDS = 8  # for projects_depending_on, the same bound on derivation chains

# The relationships an outage travels along (a subset of the downstream orientation):
# a project going without data does not take the resources it declares offline.
_OUTAGE_RELS = (Rel.DERIVED_FROM, Rel.MOUNTED_ON, Rel.DEPENDS_ON, Rel.GRANTS_ACCESS_TO,
                Rel.FOR_SCENARIO, Rel.OWNED_BY)
_LIVE_SERVICE = frozenset({ServiceStatus.PUBLISHED.value, ServiceStatus.CHANGED.value})


def live(service: Node) -> bool:
    """A service that serves data now: published, or published and changed (在线)."""
    return service.get("status") in _LIVE_SERVICE


class ImpactReason(StrEnum):
    """Why a project is hit by an outage (项目受影响原因)."""

    DEPENDS_ON_RESOURCE = "DEPENDS_ON_RESOURCE"  # 依赖该资源
    DEPENDS_ON_DERIVED = "DEPENDS_ON_DERIVED"  # 依赖由该资源加工的资源
    HOLDS_GRANT = "HOLDS_GRANT"  # 建设单位持有该服务的授权
    NO_OTHER_SERVICE = "NO_OTHER_SERVICE"  # 所依赖资源再无其他在线服务

    @property
    def label_zh(self) -> str:
        return _REASON_ZH[self]


_REASON_ZH = {
    ImpactReason.DEPENDS_ON_RESOURCE: "依赖该资源",
    ImpactReason.DEPENDS_ON_DERIVED: "依赖由该资源加工的资源",
    ImpactReason.HOLDS_GRANT: "建设单位持有该服务的授权",
    ImpactReason.NO_OTHER_SERVICE: "所依赖资源再无其他在线服务",
}


@dataclass(frozen=True, slots=True)
class ScenarioImpact:
    scenario: Node
    lost: list[Node]  # its active grants that go dark
    remaining: int  # its active grants on services that stay online

    @property
    def dark(self) -> bool:
        """Left with no data at all (完全中断)."""
        return self.remaining == 0


@dataclass(frozen=True, slots=True)
class AgencyImpact:
    agency: Node
    scenarios: list[Node]
    projects: list[Node]


@dataclass(frozen=True, slots=True)
class ProjectImpact:
    project: Node
    reasons: list[ImpactReason]
    resources: list[Node]  # the dark resources it depends on


@dataclass(slots=True)
class Impact:
    """Everything that goes dark when `target` (a resource or a service) goes offline."""

    target: Node
    resources: list[Node] = field(default_factory=list)  # the target's derived resources
    services: list[Node] = field(default_factory=list)
    grants: list[Node] = field(default_factory=list)
    scenarios: list[ScenarioImpact] = field(default_factory=list)
    agencies: list[AgencyImpact] = field(default_factory=list)
    projects: list[ProjectImpact] = field(default_factory=list)
    declaring: list[Node] = field(default_factory=list)  # projects whose supply list names it
    truncated: bool = False

    @property
    def active_grants(self) -> list[Node]:
        return [g for g in self.grants if g.get("status") == GrantStatus.ACTIVE.value]


async def impact(store: GraphStore, target: NodeRef) -> Impact | None:
    """What goes dark if a resource or a service goes offline; None if there is no such node."""
    if target.label not in (Label.RESOURCE, Label.SERVICE):
        raise ValueError("impact is defined for resources and services")
    outage = steps(Flow.DOWNSTREAM, _OUTAGE_RELS)
    walk = await store.trace(target, outage, IMPACT_DEPTH, IMPACT_LIMIT, leaves=LEAVES, probe=False)
    if not walk.nodes:
        return None
    root = walk.nodes[target][0]
    reached: dict[Label, list[Node]] = {}
    for ref, (node, _) in walk.nodes.items():
        if ref != target:
            reached.setdefault(node.label, []).append(node)
    result = Impact(root, truncated=walk.truncated or walk.depth_cut)
    result.resources = _sorted(reached.get(Label.RESOURCE, []))
    result.services = _sorted(reached.get(Label.SERVICE, []))
    result.grants = _sorted(reached.get(Label.GRANT, []))
    dark_services = {s.key for s in result.services} | ({root.key} if root.label is Label.SERVICE else set())
    result.scenarios = await _scenario_impacts(store, reached.get(Label.SCENARIO, []), dark_services)

    if root.label is Label.RESOURCE:
        dark = {root.key} | {r.key for r in result.resources}
        depends: dict[str, list[Node]] = {}
        for e in walk.edges:
            if e.type is Rel.DEPENDS_ON and e.dst.key in dark:
                depends.setdefault(e.src.key, []).append(walk.nodes[e.dst][0])
        for project in _sorted(reached.get(Label.PROJECT, [])):
            used = _sorted(depends.get(project.key, []))
            why = [ImpactReason.DEPENDS_ON_RESOURCE] if any(r.key == root.key for r in used) else []
            if any(r.key != root.key for r in used):
                why.append(ImpactReason.DEPENDS_ON_DERIVED)
            result.projects.append(ProjectImpact(project, why, used))
        (declaring,) = await store.neighbors(Label.RESOURCE, [root.key], Rel.DECLARES, Direction.IN)
        result.declaring = _sorted(declaring)
    else:
        result.projects = await _service_projects(store, root, result.scenarios)

    consumers: dict[str, tuple[list[Node], list[Node]]] = {}
    for s in result.scenarios:
        consumers.setdefault(str(s.scenario.get("agencyCode")), ([], []))[0].append(s.scenario)
    for p in result.projects:
        consumers.setdefault(str(p.project.get("ownerCode")), ([], []))[1].append(p.project)
    agencies = await store.get_nodes(Label.AGENCY, sorted(consumers))
    result.agencies = [
        AgencyImpact(a, *consumers[a.key]) for a in agencies if a is not None
    ]
    return result


async def _scenario_impacts(
    store: GraphStore, scenarios: list[Node], dark_services: set[str]
) -> list[ScenarioImpact]:
    """Per scenario, the active grants lost and the active grants left on live services."""
    scenarios = _sorted(scenarios)
    held = await store.neighbors(Label.SCENARIO, [s.key for s in scenarios], Rel.FOR_SCENARIO, Direction.IN)
    active = [[g for g in gs if g.label is Label.GRANT and g.get("status") == GrantStatus.ACTIVE.value]
              for gs in held]
    others = sorted({str(g.get("serviceCode")) for gs in active for g in gs} - dark_services)
    live_others = {s.key for s in await store.get_nodes(Label.SERVICE, others) if s is not None and live(s)}
    impacts = []
    for scenario, grants in zip(scenarios, active, strict=True):
        lost = [g for g in grants if g.get("serviceCode") in dark_services]
        if lost:  # a scenario whose grants here were no longer active loses nothing
            remaining = sum(1 for g in grants if g.get("serviceCode") in live_others)
            impacts.append(ScenarioImpact(scenario, lost, remaining))
    return impacts


async def _service_projects(
    store: GraphStore, service: Node, scenarios: list[ScenarioImpact]
) -> list[ProjectImpact]:
    """Projects hit by one service going offline: those depending on its resource whose
    owner holds a grant on the service, and all of them if the resource has no other live
    service left."""
    code = str(service.get("resourceCode"))
    (resource,) = await store.get_nodes(Label.RESOURCE, [code])
    if resource is None:
        return []
    (mounted,) = await store.neighbors(Label.RESOURCE, [code], Rel.MOUNTED_ON, Direction.IN)
    alone = not any(live(s) for s in mounted if s.key != service.key)
    holders = {str(s.scenario.get("agencyCode")) for s in scenarios}
    (projects,) = await store.neighbors(Label.RESOURCE, [code], Rel.DEPENDS_ON, Direction.IN)
    hit = []
    for project in _sorted(projects):
        why = []
        if project.get("ownerCode") in holders:
            why.append(ImpactReason.HOLDS_GRANT)
        if alone:
            why.append(ImpactReason.NO_OTHER_SERVICE)
        if why:
            hit.append(ProjectImpact(project, why, [resource]))
    return hit


# --------------------------------------------------------------------------- dependents


class TargetKind(StrEnum):
    """What `projects_depending_on` was asked about (依赖对象)."""

    RESOURCE = "RESOURCE"  # 一个数据资源
    AGENCY = "AGENCY"  # 一个机构提供的全部资源
    SUPPLY_LIST = "SUPPLY_LIST"  # 一个机构的供给清单


@dataclass(frozen=True, slots=True)
class ProjectDependency:
    project: Node
    direct: list[Node]  # resources of the asked set it depends on
    derived: list[Node]  # resources derived from the set that it depends on


@dataclass(frozen=True, slots=True)
class Dependents:
    kind: TargetKind
    target: Node  # the resource or the agency
    resources: list[Node]  # the asked set of resources
    derived: list[Node]  # resources derived from them (when asked for)
    projects: list[ProjectDependency]
    truncated: bool


async def supply_list(store: GraphStore, agency: str) -> list[Node]:
    """An agency's supply list (供给清单, R4): the entries of its `SupplyList` nodes when the
    catalog holds them, else the resources it provides for sharing (all but 不予共享)."""
    lists: list[Node] = []
    after: str | None = None
    while True:
        page = await store.find_nodes(Label.SUPPLY_LIST, {"agencyCode": agency}, after=after, limit=500)
        lists += page.nodes
        if not page.has_next:
            break
        after = page.nodes[-1].key
    if lists:
        entries = await store.neighbors(Label.SUPPLY_LIST, [s.key for s in lists], Rel.SUPPLIES, Direction.OUT)
        return _sorted(n for ns in entries for n in ns)
    (provided,) = await store.neighbors(Label.AGENCY, [agency], Rel.PROVIDED_BY, Direction.IN)
    return _sorted(r for r in provided if r.get("sharingType") != SharingType.NOT_SHARED.value)


async def projects_depending_on(
    store: GraphStore, kind: TargetKind, target: Node, include_derived: bool = True
) -> Dependents:
    """The projects that DEPEND_ON the target's resources (and, if asked, on resources
    derived from them, through any number of DERIVED_FROM up to `DERIVATION_ROUNDS`)."""
    if kind is TargetKind.RESOURCE:
        resources = [target]
    elif kind is TargetKind.AGENCY:
        (provided,) = await store.neighbors(Label.AGENCY, [target.key], Rel.PROVIDED_BY, Direction.IN)
        resources = _sorted(provided)
    else:
        resources = await supply_list(store, target.key)
    asked = {r.key for r in resources}
    derived: dict[str, Node] = {}
    truncated = False
    if include_derived:
        frontier = sorted(asked)
        for _ in range(DERIVATION_ROUNDS):
            found = await store.neighbors(Label.RESOURCE, frontier, Rel.DERIVED_FROM, Direction.IN)
            fresh = {n.key: n for ns in found for n in ns if n.key not in asked and n.key not in derived}
            derived |= fresh
            frontier = sorted(fresh)
            if not frontier:
                break
        else:
            truncated = bool(frontier)
    everything = {r.key: r for r in resources} | derived
    codes = sorted(everything)
    users = await store.neighbors(Label.RESOURCE, codes, Rel.DEPENDS_ON, Direction.IN)
    projects: dict[str, Node] = {}
    direct: dict[str, list[Node]] = {}
    through: dict[str, list[Node]] = {}
    for code, users_of in zip(codes, users, strict=True):
        for project in users_of:
            projects[project.key] = project
            (direct if code in asked else through).setdefault(project.key, []).append(everything[code])
    return Dependents(
        kind, target, resources, _sorted(derived.values()),
        [ProjectDependency(projects[k], direct.get(k, []), through.get(k, [])) for k in sorted(projects)],
        truncated,
    )


def _sorted(nodes: Iterable[Node]) -> list[Node]:
    return sorted({n.ref: n for n in nodes}.values(), key=lambda n: n.key)
