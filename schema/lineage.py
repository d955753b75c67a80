"""Lineage and planner queries (血缘与规划查询): their own root type, merged into `Query`.

`lineage` walks from any node upstream and/or downstream over the orientation table of
`sharing.lineage`; `fieldLineage` shows who uses one data item; `projectsDependingOn`,
`impact`, `projectAcceptance` and `projectsAtRisk` answer a planner's questions (R12).
"""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Annotated, Any

import strawberry

from graph.model import Label, Node, NodeRef, Rel
from resolvers import lineage as resolve
from resolvers.context import Info
from resolvers.permissions import SIGNED_IN, allowed
from schema.agency import Agency
from schema.enums import Level, ProjectStage, SharingType
from schema.errors import CatalogError, ErrorCode
from schema.field import Field
from schema.grant import Grant
from schema.node import NodeInterface, to_global_id, wrap
from schema.pagination import MAX_PAGE_SIZE, PageInfo, decode_cursor, encode_cursor, page_size
from schema.project import Project
from schema.resource import DataResource
from schema.scenario import Scenario
from schema.service import DataService
from sharing import acceptance as gate
from sharing import impact as outage
from sharing import lineage as domain
from sharing import terms
from sharing.lineage import FLOW_ZH, KIND_ZH, MAX_DEPTH, MAX_NODES, REL_ZH, SIDE_ZH, Flow, NodeKind, Side


def _enum(cls: type[Enum], name: str, zh: str, en: str, labels: dict[Any, str]) -> None:
    """Register a domain enum with GraphQL, each value described in Chinese and English."""
    listing = "; ".join(f"{m.name}: {labels.get(m, m.name)}" for m in cls)
    strawberry.enum(cls, name=name, description=f"{zh} / {en}. {listing}")
    for value in cls.__strawberry_definition__.values:  # type: ignore[attr-defined]
        english = value.name.replace("_", " ").lower()
        value.description = f"{labels.get(cls(value.value), value.name)} / {english}"


_enum(Flow, "LineageDirection", "血缘方向", "Which way to trace", FLOW_ZH)
_enum(Side, "LineageSide", "相对根节点的位置", "Where a node lies from the root", SIDE_ZH)
_enum(NodeKind, "NodeKind", "节点类型", "Kind of catalog node", KIND_ZH)
_enum(Rel, "RelationshipKind", "关系类型", "Kind of relationship", REL_ZH)
_enum(outage.ImpactReason, "ImpactReason", "项目受影响原因", "Why a project is hit",
      {m: m.label_zh for m in outage.ImpactReason})
_enum(outage.TargetKind, "DependencyTarget", "依赖对象", "What the dependants were asked for",
      {outage.TargetKind.RESOURCE: "数据资源", outage.TargetKind.AGENCY: "机构提供的全部资源",
       outage.TargetKind.SUPPLY_LIST: "机构的供给清单"})
_enum(gate.Verdict, "AcceptanceVerdict", "验收结论（R12）", "Acceptance verdict (R12)",
      {m: m.label_zh for m in gate.Verdict})
_enum(gate.Check, "AcceptanceCheck", "验收数据条件", "A data condition of acceptance",
      {m: m.label_zh for m in gate.Check})
_enum(gate.CheckStatus, "CheckStatus", "检查结果", "Outcome of a check", {m: m.label_zh for m in gate.CheckStatus})
_enum(gate.Problem, "AcceptanceProblem", "不予验收原因", "Why a project is not acceptable",
      {m: m.label_zh for m in gate.Problem})

_STATUS_TERMS: dict[Label, tuple[str, type[terms.Term]]] = {
    Label.SERVICE: ("status", terms.ServiceStatus),
    Label.GRANT: ("status", terms.GrantStatus),
    Label.PROJECT: ("stage", terms.ProjectStage),
}




def status_of(node: Node) -> tuple[str | None, str | None]:
    """A service's or grant's status, a project's stage: the code and its Chinese label."""
    prop, term = _STATUS_TERMS.get(node.label, ("", terms.Term))
    value = node.get(prop) if prop else None
    if not value:
        return None, None
    code = str(value)
    return code, term(code).label_zh if code in term.__members__ else None


# --------------------------------------------------------------------------- lineage


@strawberry.type(description="血缘节点所属机构 / The agency a lineage node is grouped with.")
class LineageGroup:
    code: str = strawberry.field(description="机构代码 / Agency code.")
    name: str = strawberry.field(description="机构名称 / Agency name.")


class GlobalIds:
    """Each node's global ID, encoded once per lineage (a node appears in its edges and paths)."""

    def __init__(self) -> None:
        self._ids: dict[NodeRef, strawberry.ID] = {}

    def __call__(self, ref: NodeRef) -> strawberry.ID:
        found = self._ids.get(ref)
        if found is None:
            found = self._ids[ref] = strawberry.ID(to_global_id(ref))
        return found


# A lineage answers hundreds of nodes and edges: their fields are plain values, set once when
# the object is built, so that GraphQL reads them as attributes instead of calling a resolver
# per field (which cost more than the walk itself).


@strawberry.type(description="血缘中的一个节点 / A node of a lineage.")
class LineageNode:
    _n: strawberry.Private[domain.LineageNode]
    id: strawberry.ID = strawberry.field(description="全局 ID / Global ID.")
    kind: NodeKind = strawberry.field(description="节点类型 / Kind.")
    kind_label: str = strawberry.field(description="类型的中文名 / Kind in Chinese.")
    code: str = strawberry.field(description="编码（键）/ Code (the node's key).")
    name: str = strawberry.field(description="名称 / Name to show.")
    hop: int = strawberry.field(description="距根节点的跳数 / Hops from the root.")
    side: Side = strawberry.field(description="在根节点上游或下游 / Upstream or downstream of the root.")
    sharing_type: SharingType | None = strawberry.field(
        description="共享类型（资源、信息项）/ Sharing attribute (resources, fields)."
    )
    status: str | None = strawberry.field(description="状态或阶段代码（服务、授权、项目）/ Status or stage code.")
    status_label: str | None = strawberry.field(description="状态或阶段的中文名 / Status or stage in Chinese.")
    agency: LineageGroup | None = strawberry.field(
        description="所属机构（提供方或使用方）/ The agency it is grouped with."
    )
    has_more: bool = strawberry.field(
        description="还有未展开的相邻节点（受层数或节点数限制）/ Has neighbours left out by the depth or the cap."
    )

    @classmethod
    def of(cls, n: domain.LineageNode, ids: GlobalIds) -> LineageNode:
        value = n.node.get("sharingType")
        status, status_label = status_of(n.node)
        g = n.group
        return cls(
            _n=n,
            id=ids(n.node.ref),
            kind=n.kind,
            kind_label=n.kind.label_zh,
            code=n.node.key,
            name=n.title,
            hop=n.hop,
            side=n.side,
            sharing_type=SharingType(value) if value in SharingType.__members__ else None,
            status=status,
            status_label=status_label,
            agency=LineageGroup(code=g.code, name=g.name) if g else None,
            has_more=n.has_more,
        )

    @strawberry.field(description="对应的目录对象（可查询的类型）/ The catalog object, where queryable.")
    def entity(self) -> NodeInterface | None:
        try:
            found: NodeInterface = wrap(self._n.node)
        except CatalogError:  # a kind the API does not serve as an object
            return None
        return found


@strawberry.type(description="血缘中的一条关系 / A relationship of a lineage.")
class LineageEdge:
    type: Rel = strawberry.field(description="关系类型 / Relationship kind.")
    source: strawberry.ID = strawberry.field(description="存储方向的起点 / Source as stored.")
    target: strawberry.ID = strawberry.field(description="存储方向的终点 / Target as stored.")
    upstream: strawberry.ID = strawberry.field(description="数据来源一端 / The end the data comes from.")
    downstream: strawberry.ID = strawberry.field(description="数据流向一端 / The end the data flows to.")

    @classmethod
    def of(cls, e: domain.LineageEdge, ids: GlobalIds) -> LineageEdge:
        return cls(type=e.edge.type, source=ids(e.edge.src), target=ids(e.edge.dst),
                   upstream=ids(e.upstream), downstream=ids(e.downstream))


@strawberry.type(description="到根节点的一条最短路径 / One shortest path between the root and a node.")
class LineagePath:
    node: strawberry.ID = strawberry.field(description="节点 ID / The node.")
    path: list[strawberry.ID] = strawberry.field(
        description="从根节点到该节点的节点 ID / Node IDs from the root to the node."
    )


@strawberry.type(description="遍历是否被截断 / Whether a limit cut the walk.")
class LineageTruncation:
    by_depth: bool = strawberry.field(description="层数限制截断 / Cut by the depth.")
    by_size: bool = strawberry.field(description="节点数限制截断 / Cut by the node cap.")
    any: bool = strawberry.field(description="是否有任一截断 / Cut by either.")


@strawberry.type(description="按类型计数 / A count per node kind.")
class KindCount:
    kind: NodeKind = strawberry.field(description="节点类型 / Kind.")
    label: str = strawberry.field(description="类型中文名 / Kind in Chinese.")
    count: int = strawberry.field(description="个数 / How many.")


@strawberry.type(description="一个节点的数据血缘 / The lineage of a node.")
class Lineage:
    _l: strawberry.Private[domain.Lineage]
    _ids: strawberry.Private[GlobalIds] = dataclasses.field(default_factory=GlobalIds)

    @strawberry.field(description="根节点 / The root.")
    def root(self) -> LineageNode:
        return LineageNode.of(self._l.root, self._ids)

    @strawberry.field(description="方向 / Direction.")
    def direction(self) -> Flow:
        return self._l.flow

    @strawberry.field(description="最大跳数 / Depth walked.")
    def depth(self) -> int:
        return self._l.depth

    @strawberry.field(description="节点上限 / Node cap.")
    def first(self) -> int:
        return self._l.limit

    @strawberry.field(description="遍历的关系类型 / Relationship kinds followed.")
    def types(self) -> list[Rel]:
        return list(self._l.rels)

    @strawberry.field(description="节点数 / Number of nodes.")
    def node_count(self) -> int:
        return len(self._l.nodes)

    @strawberry.field(description="关系数 / Number of relationships.")
    def edge_count(self) -> int:
        return len(self._l.edges)

    @strawberry.field(description="节点（根节点在前，按跳数）/ Nodes, the root first, by hop.")
    def nodes(self) -> list[LineageNode]:
        return [LineageNode.of(n, self._ids) for n in self._l.nodes]

    @strawberry.field(description="关系 / Relationships between the nodes.")
    def edges(self) -> list[LineageEdge]:
        return [LineageEdge.of(e, self._ids) for e in self._l.edges]

    @strawberry.field(description="每个节点到根节点的一条最短路径 / For each node, one shortest path to the root.")
    def paths(self) -> list[LineagePath]:
        return [
            LineagePath(node=self._ids(n.node.ref), path=[self._ids(r) for r in n.path])
            for n in self._l.nodes
        ]

    @strawberry.field(description="截断标志 / Where a limit cut the walk.")
    def truncated(self) -> LineageTruncation:
        return LineageTruncation(by_depth=self._l.truncated_by_depth, by_size=self._l.truncated_by_size,
                                 any=self._l.truncated)

    @strawberry.field(description="各类型节点数 / Nodes per kind.")
    def kinds(self) -> list[KindCount]:
        counts: dict[NodeKind, int] = {}
        for n in self._l.nodes:
            counts[n.kind] = counts.get(n.kind, 0) + 1
        return [KindCount(kind=k, label=k.label_zh, count=c) for k, c in counts.items()]


@strawberry.type(description="覆盖某信息项的授权 / A grant covering the field.")
class FieldGrant:
    _g: strawberry.Private[domain.FieldGrant]

    @strawberry.field(description="授权 / The grant.")
    def grant(self) -> Grant:
        return Grant(_node=self._g.grant)

    @strawberry.field(description="授权的数据服务 / The granted service.")
    def service(self) -> DataService | None:
        return DataService(_node=self._g.service) if self._g.service else None

    @strawberry.field(description="应用场景 / The scenario.")
    def scenario(self) -> Scenario | None:
        return Scenario(_node=self._g.scenario) if self._g.scenario else None

    @strawberry.field(description="使用机构 / The consumer agency.")
    def agency(self) -> Agency | None:
        return Agency(_node=self._g.agency) if self._g.agency else None


@strawberry.type(description="信息项级血缘：谁开放、谁使用 / Field lineage: who serves and who uses a field.")
class FieldLineage:
    _f: strawberry.Private[domain.FieldLineage]

    @strawberry.field(description="信息项 / The field.")
    def field(self) -> Field:
        return Field(_node=self._f.field)

    @strawberry.field(description="开放该信息项的数据服务 / Services exposing it.")
    def services(self) -> list[DataService]:
        return [DataService(_node=n) for n in self._f.services]

    @strawberry.field(description="覆盖该信息项的授权 / Grants covering it.")
    def grants(self) -> list[FieldGrant]:
        return [FieldGrant(_g=g) for g in self._f.grants]

    @strawberry.field(description="使用该信息项的应用场景 / Scenarios using it.")
    def scenarios(self) -> list[Scenario]:
        return [Scenario(_node=n) for n in self._f.scenarios]

    @strawberry.field(description="使用该信息项的机构 / Agencies using it.")
    def agencies(self) -> list[Agency]:
        return [Agency(_node=n) for n in self._f.agencies]


# --------------------------------------------------------------------------- dependants


@strawberry.type(description="一个依赖项目 / A project that depends on the asked data.")
class ProjectDependency:
    _d: strawberry.Private[outage.ProjectDependency]

    @strawberry.field(description="项目 / The project.")
    def project(self) -> Project:
        return Project(_node=self._d.project)

    @strawberry.field(description="直接依赖的资源 / Resources of the asked set it depends on.")
    def direct(self) -> list[DataResource]:
        return [DataResource(_node=n) for n in self._d.direct]

    @strawberry.field(description="通过加工资源间接依赖 / Derived resources it depends on.")
    def via_derived(self) -> list[DataResource]:
        return [DataResource(_node=n) for n in self._d.derived]


@strawberry.type(
    description="依赖某资源、机构或供给清单的项目 / Projects depending on a resource, agency or supply list."
)
class ProjectDependents:
    _d: strawberry.Private[outage.Dependents]

    @strawberry.field(description="依赖对象类型 / What was asked.")
    def kind(self) -> outage.TargetKind:
        return self._d.kind

    @strawberry.field(description="所问机构 / The agency asked about.")
    def agency(self) -> Agency | None:
        return Agency(_node=self._d.target) if self._d.target.label is Label.AGENCY else None

    @strawberry.field(description="所问资源 / The resource asked about.")
    def resource(self) -> DataResource | None:
        return DataResource(_node=self._d.target) if self._d.target.label is Label.RESOURCE else None

    @strawberry.field(description="所问的资源集合 / The set of resources asked about.")
    def resources(self) -> list[DataResource]:
        return [DataResource(_node=n) for n in self._d.resources]

    @strawberry.field(description="由其加工的资源 / Resources derived from them.")
    def derived_resources(self) -> list[DataResource]:
        return [DataResource(_node=n) for n in self._d.derived]

    @strawberry.field(description="依赖项目数 / Number of projects.")
    def total_count(self) -> int:
        return len(self._d.projects)

    @strawberry.field(description="依赖项目（按项目代码）/ The projects, by code.")
    def projects(self) -> list[ProjectDependency]:
        return [ProjectDependency(_d=p) for p in self._d.projects]

    @strawberry.field(description="加工链超过上限而截断 / Derivation chains cut at their bound.")
    def truncated(self) -> bool:
        return self._d.truncated


# --------------------------------------------------------------------------- impact


@strawberry.type(description="受影响的应用场景 / A scenario that loses data.")
class ImpactedScenario:
    _s: strawberry.Private[outage.ScenarioImpact]

    @strawberry.field(description="应用场景 / The scenario.")
    def scenario(self) -> Scenario:
        return Scenario(_node=self._s.scenario)

    @strawberry.field(description="失效的有效授权 / Its active grants that go dark.")
    def lost_grants(self) -> list[Grant]:
        return [Grant(_node=g) for g in self._s.lost]

    @strawberry.field(description="仍可用的有效授权数 / Active grants left on live services.")
    def remaining_grants(self) -> int:
        return self._s.remaining

    @strawberry.field(description="是否完全中断（无其他可用授权）/ Left with no data at all.")
    def dark(self) -> bool:
        return self._s.dark


@strawberry.type(description="受影响的机构 / An agency that loses data.")
class ImpactedAgency:
    _a: strawberry.Private[outage.AgencyImpact]

    @strawberry.field(description="机构 / The agency.")
    def agency(self) -> Agency:
        return Agency(_node=self._a.agency)

    @strawberry.field(description="其受影响的应用场景 / Its scenarios hit.")
    def scenarios(self) -> list[Scenario]:
        return [Scenario(_node=n) for n in self._a.scenarios]

    @strawberry.field(description="其受影响的项目 / Its projects hit.")
    def projects(self) -> list[Project]:
        return [Project(_node=n) for n in self._a.projects]


@strawberry.type(description="受影响的项目 / A project that loses data.")
class ImpactedProject:
    _p: strawberry.Private[outage.ProjectImpact]

    @strawberry.field(description="项目 / The project.")
    def project(self) -> Project:
        return Project(_node=self._p.project)

    @strawberry.field(description="受影响原因 / Why it is hit.")
    def reasons(self) -> list[outage.ImpactReason]:
        return list(self._p.reasons)

    @strawberry.field(description="受影响原因（中文）/ Why, in Chinese.")
    def reason_labels(self) -> list[str]:
        return [r.label_zh for r in self._p.reasons]

    @strawberry.field(description="其依赖的失效资源 / The dark resources it depends on.")
    def resources(self) -> list[DataResource]:
        return [DataResource(_node=n) for n in self._p.resources]


@strawberry.type(description="影响计数 / How much goes dark.")
class ImpactCounts:
    services: int = strawberry.field(description="数据服务 / Services.")
    derived_resources: int = strawberry.field(description="加工资源 / Derived resources.")
    grants: int = strawberry.field(description="授权（全部）/ Grants, all.")
    active_grants: int = strawberry.field(description="有效授权 / Active grants.")
    scenarios: int = strawberry.field(description="受影响场景 / Scenarios hit.")
    dark_scenarios: int = strawberry.field(description="完全中断的场景 / Scenarios left with no data.")
    agencies: int = strawberry.field(description="受影响机构 / Agencies hit.")
    projects: int = strawberry.field(description="受影响项目 / Projects hit.")
    declaring_projects: int = strawberry.field(description="申报该资源的项目 / Projects declaring it.")


@strawberry.type(description="资源或服务下线的影响 / What goes dark if a resource or service goes offline.")
class Impact:
    _i: strawberry.Private[outage.Impact]

    @strawberry.field(description="下线的对象 / What goes offline.")
    def target(self) -> NodeInterface:
        return wrap(self._i.target)  # type: ignore[no-any-return]

    @strawberry.field(description="计数 / Counts.")
    def counts(self) -> ImpactCounts:
        i = self._i
        return ImpactCounts(
            services=len(i.services), derived_resources=len(i.resources), grants=len(i.grants),
            active_grants=len(i.active_grants), scenarios=len(i.scenarios),
            dark_scenarios=sum(1 for s in i.scenarios if s.dark), agencies=len(i.agencies),
            projects=len(i.projects), declaring_projects=len(i.declaring),
        )

    @strawberry.field(description="随之中断的数据服务 / Services that go dark.")
    def services(self) -> list[DataService]:
        return [DataService(_node=n) for n in self._i.services]

    @strawberry.field(description="由其加工、随之失效的资源 / Derived resources that go dark.")
    def derived_resources(self) -> list[DataResource]:
        return [DataResource(_node=n) for n in self._i.resources]

    @strawberry.field(description="失效的授权 / Grants that go dark.")
    def grants(self) -> list[Grant]:
        return [Grant(_node=n) for n in self._i.grants]

    @strawberry.field(description="受影响的应用场景 / Scenarios that lose data.")
    def scenarios(self) -> list[ImpactedScenario]:
        return [ImpactedScenario(_s=s) for s in self._i.scenarios]

    @strawberry.field(description="受影响的使用机构 / Consumer agencies that lose data.")
    def agencies(self) -> list[ImpactedAgency]:
        return [ImpactedAgency(_a=a) for a in self._i.agencies]

    @strawberry.field(description="受影响的项目 / Projects that lose data.")
    def projects(self) -> list[ImpactedProject]:
        return [ImpactedProject(_p=p) for p in self._i.projects]

    @strawberry.field(
        description=(
            "供给清单申报该资源的项目（其验收受影响）/ Projects whose supply list names it "
            "(acceptance at stake)."
        )
    )
    def declaring_projects(self) -> list[Project]:
        return [Project(_node=n) for n in self._i.declaring]

    @strawberry.field(description="是否因上限截断 / Cut by a bound.")
    def truncated(self) -> bool:
        return self._i.truncated


# --------------------------------------------------------------------------- acceptance


@strawberry.type(description="一项验收数据条件的检查 / One data condition checked.")
class AcceptanceCheckResult:
    _c: strawberry.Private[gate.CheckResult]

    @strawberry.field(description="检查项 / The condition.")
    def check(self) -> gate.Check:
        return self._c.check

    @strawberry.field(description="检查项中文名 / The condition in Chinese.")
    def label(self) -> str:
        return self._c.check.label_zh

    @strawberry.field(description="结果 / Outcome.")
    def status(self) -> gate.CheckStatus:
        return self._c.status

    @strawberry.field(description="说明（中文）/ Detail in Chinese.")
    def message_zh(self) -> str:
        return self._c.zh

    @strawberry.field(description="说明（英文）/ Detail in English.")
    def message_en(self) -> str:
        return self._c.en


@strawberry.type(description="供给清单中一项资源的验收检查 / The checks of one declared supply entry.")
class SupplyEntryCheck:
    _e: strawberry.Private[gate.EntryResult]

    @strawberry.field(description="申报的资源 / The declared resource.")
    def resource(self) -> DataResource:
        return DataResource(_node=self._e.resource)

    @strawberry.field(description="是否全部通过 / Whether every check passed.")
    def passed(self) -> bool:
        return self._e.passed

    @strawberry.field(description="各项检查 / Each check.")
    def checks(self) -> list[AcceptanceCheckResult]:
        return [AcceptanceCheckResult(_c=c) for c in self._e.checks]

    @strawberry.field(description="已编目 / Catalogued.")
    def catalogued(self) -> bool:
        return self._e.status(gate.Check.CATALOGUED) is gate.CheckStatus.PASSED

    @strawberry.field(description="已汇聚 / Aggregated.")
    def aggregated(self) -> bool:
        return self._e.status(gate.Check.AGGREGATED) is gate.CheckStatus.PASSED

    @strawberry.field(description="在线的数据服务 / Data services online.")
    def published_services(self) -> list[DataService]:
        return [DataService(_node=n) for n in self._e.live_services]

    @strawberry.field(description="未解决的数据问题数 / Open quality issues.")
    def open_quality_issues(self) -> int:
        return len(self._e.facts.open_issues)

    @strawberry.field(description="最近更新日期（ISO）/ Last update (ISO date).")
    def last_updated(self) -> str | None:
        return self._e.last_updated.isoformat() if self._e.last_updated else None

    @strawberry.field(description="应更新日期（ISO）/ Next update due by (ISO date).")
    def update_due(self) -> str | None:
        return self._e.due.isoformat() if self._e.due else None

    @strawberry.field(description="按周期更新 / Updated per its cycle.")
    def updated_on_cycle(self) -> bool:
        return self._e.status(gate.Check.UPDATED_ON_CYCLE) is not gate.CheckStatus.FAILED


@strawberry.type(description="不予验收的一条原因 / One reason a project is not acceptable.")
class AcceptanceReason:
    _r: strawberry.Private[gate.Reason]

    @strawberry.field(description="原因代码 / Reason code.")
    def code(self) -> gate.Problem:
        return self._r.problem

    @strawberry.field(description="涉及的资源 / The resource concerned.")
    def resource(self) -> DataResource | None:
        return DataResource(_node=self._r.resource) if self._r.resource else None

    @strawberry.field(description="原因（中文）/ Reason in Chinese.")
    def message_zh(self) -> str:
        return self._r.zh

    @strawberry.field(description="原因（英文）/ Reason in English.")
    def message_en(self) -> str:
        return self._r.en


@strawberry.type(
    description="项目验收数据条件评估（R12）/ Whether a project meets the data conditions of acceptance (R12)."
)
class ProjectAcceptance:
    _a: strawberry.Private[gate.Acceptance]

    @strawberry.field(description="项目 / The project.")
    def project(self) -> Project:
        return Project(_node=self._a.project)

    @strawberry.field(description="评估日期（ISO）/ Day assessed (ISO date).")
    def as_of(self) -> str:
        return self._a.as_of.isoformat()

    @strawberry.field(description="结论 / Verdict.")
    def verdict(self) -> gate.Verdict:
        return self._a.verdict

    @strawberry.field(description="结论（中文）/ Verdict in Chinese.")
    def verdict_label(self) -> str:
        return self._a.verdict.label_zh

    @strawberry.field(description="供给清单各项 / Each declared supply entry.")
    def entries(self) -> list[SupplyEntryCheck]:
        return [SupplyEntryCheck(_e=e) for e in self._a.entries]

    @strawberry.field(description="不予验收的原因 / Reasons it is not acceptable.")
    def reasons(self) -> list[AcceptanceReason]:
        return [AcceptanceReason(_r=r) for r in self._a.reasons]


@strawberry.type(description="验收存在风险的项目 / A page of projects whose acceptance is at risk.")
class ProjectsAtRisk:
    as_of: str = strawberry.field(description="评估日期（ISO）/ Day assessed (ISO date).")
    checked_count: int = strawberry.field(description="检查的项目数 / Projects checked.")
    total_count: int = strawberry.field(description="存在风险的项目数 / Projects at risk.")
    projects: list[ProjectAcceptance] = strawberry.field(description="本页项目 / This page.")
    page_info: PageInfo = strawberry.field(description="分页信息 / Page information.")


# --------------------------------------------------------------------------- the queries

NodeId = Annotated[
    strawberry.ID,
    strawberry.argument(
        description="全局 ID、Label:编码，或资源/服务/项目/机构/场景编码 / A global ID, `Label:key`, or a bare code."
    ),
]


@strawberry.type(description="血缘与规划查询 / Lineage and planner queries.")
class LineageQuery:
    @strawberry.field(
        description=(
            f"数据血缘：自任一节点向上游、下游追溯，最多 {MAX_DEPTH} 层、{MAX_NODES} 个节点，被截断时给出标志 / "
            f"The lineage of any node, upstream and/or downstream, bounded to {MAX_DEPTH} hops and "
            f"{MAX_NODES} nodes, with flags where a bound cut it. 匿名调用不含授权、申请及仅经由它们到达的节点；"
            "机构人员不含本机构非当事方的授权、申请 / For anonymous callers grants, applications and what is "
            "reached only through them are left out; for an agency's people, those its agency is no party to."
        )
    )
    async def lineage(
        self,
        info: Info,
        id: NodeId,
        direction: Annotated[
            Flow, strawberry.argument(description="方向（默认上下游）/ Direction (default both).")
        ] = Flow.BOTH,
        depth: Annotated[
            int | None,
            strawberry.argument(
                description=f"最大跳数（默认 3，最多 {MAX_DEPTH}）/ Hops (default 3, max {MAX_DEPTH})."
            ),
        ] = None,
        types: Annotated[
            list[Rel] | None,
            strawberry.argument(description="只沿这些关系（默认按根节点类型）/ Only these relationships."),
        ] = None,
        first: Annotated[
            int | None,
            strawberry.argument(description=f"节点上限（默认 300，最多 {MAX_NODES}）/ Node cap (default 300)."),
        ] = None,
    ) -> Lineage:
        found = await resolve.lineage(info.context.store, str(id), direction, depth, types, first,
                                      viewer=info.context.actor)
        return Lineage(_l=found)

    @strawberry.field(
        description=(
            "信息项级血缘：开放它的服务、覆盖它的授权及其场景和机构（需登录；机构人员只见本机构为使用方或提供方的授权）"
            " / Field lineage: the services exposing a field, the grants covering it, their scenarios and "
            "agencies (signed-in callers only; an agency's people see the grants their agency is a party to)."
        ),
        extensions=[allowed(*SIGNED_IN)],
    )
    async def field_lineage(
        self,
        info: Info,
        resource: Annotated[str, strawberry.argument(description="信息资源代码 / Resource code.")],
        field: Annotated[str, strawberry.argument(description="信息项名称 / Field name.")],
    ) -> FieldLineage:
        return FieldLineage(_f=await resolve.field_lineage(info.context.store, resource, field,
                                                           info.context.actor))

    @strawberry.field(
        description=(
            "依赖某资源、某机构的资源或某机构供给清单的项目（含经加工资源的间接依赖）/ Projects depending on a "
            "resource, on an agency's resources, or on an agency's supply list (also through derived resources)."
        )
    )
    async def projects_depending_on(
        self,
        info: Info,
        resource: Annotated[str | None, strawberry.argument(description="信息资源代码 / Resource code.")] = None,
        agency: Annotated[
            str | None, strawberry.argument(description="机构代码或全称：其提供的全部资源 / Agency code or full name.")
        ] = None,
        supply_list_of: Annotated[
            str | None,
            strawberry.argument(description="机构代码或全称：其供给清单 / Agency code or name: its supply list."),
        ] = None,
        include_derived: Annotated[
            bool, strawberry.argument(description="含经加工资源的间接依赖 / Include derived resources.")
        ] = True,
    ) -> ProjectDependents:
        found = await resolve.projects_depending_on(info.context.store, resource, agency, supply_list_of,
                                                    include_derived)
        return ProjectDependents(_d=found)

    @strawberry.field(
        description=(
            "资源或服务下线的影响：服务、授权、场景、使用机构、项目（大数据局管理员、规划人员，或提供方本机构人员）/ "
            "What goes dark if a resource or a service goes offline: services, grants, scenarios, consumer "
            "agencies, projects (bureau administrators, planners, or the providing agency's own people)."
        ),
        extensions=[allowed(*SIGNED_IN)],
    )
    async def impact(
        self,
        info: Info,
        resource: Annotated[str | None, strawberry.argument(description="信息资源代码 / Resource code.")] = None,
        service: Annotated[str | None, strawberry.argument(description="服务代码 / Service code.")] = None,
    ) -> Impact:
        return Impact(_i=await resolve.impact(info.context.store, resource, service, info.context.actor))

    @strawberry.field(
        description=(
            "项目是否符合验收数据条件及原因（R12）/ Whether a project passes the data conditions of "
            "acceptance, and why not (R12)."
        )
    )
    async def project_acceptance(
        self,
        info: Info,
        code: Annotated[str, strawberry.argument(description="项目代码 / Project code.")],
        as_of: Annotated[
            str | None, strawberry.argument(description="评估日期 YYYY-MM-DD（默认今天）/ Day to assess.")
        ] = None,
    ) -> ProjectAcceptance:
        return ProjectAcceptance(_a=await resolve.project_acceptance(info.context.store, code, as_of))

    @strawberry.field(
        description=(
            "验收存在风险的项目：在建、验收中且不符合验收数据条件（验收中优先）/ Projects building or in acceptance "
            "whose acceptance would fail (those in acceptance first)."
        )
    )
    async def projects_at_risk(
        self,
        info: Info,
        level: Annotated[
            Level | None, strawberry.argument(description="建设单位层级 / Owner agency's level.")
        ] = None,
        stages: Annotated[
            list[ProjectStage] | None,
            strawberry.argument(description="项目阶段（默认验收中、建设）/ Stages (default ACCEPTANCE, BUILDING)."),
        ] = None,
        as_of: Annotated[
            str | None, strawberry.argument(description="评估日期 YYYY-MM-DD（默认今天）/ Day to assess.")
        ] = None,
        first: Annotated[
            int | None,
            strawberry.argument(description=f"每页条数（默认 20，最多 {MAX_PAGE_SIZE}）/ Page size."),
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="从该游标之后开始 / Start after this cursor.")
        ] = None,
    ) -> ProjectsAtRisk:
        size = page_size(first)
        start = decode_cursor("r", after)
        if start is not None and not start.isdigit():
            raise CatalogError(ErrorCode.INVALID_CURSOR, "游标无效", "invalid cursor", field="after")
        offset = int(start) + 1 if start is not None else 0
        risky, checked, day = await resolve.projects_at_risk(info.context.store, level, stages, as_of)
        page = risky[offset : offset + size]
        cursors = [encode_cursor("r", str(offset + i)) for i in range(len(page))]
        return ProjectsAtRisk(
            as_of=day.isoformat(),
            checked_count=checked,
            total_count=len(risky),
            projects=[ProjectAcceptance(_a=a) for a in page],
            page_info=PageInfo(
                has_next_page=offset + size < len(risky), has_previous_page=offset > 0,
                start_cursor=cursors[0] if cursors else None, end_cursor=cursors[-1] if cursors else None,
            ),
        )
