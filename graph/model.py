"""Nodes, relationships and change sets of the catalog graph (目录图的节点、关系与变更集)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# Property values a node may carry on every backend: scalars and lists of scalars.
# Richer values (contacts, review history) are stored as JSON strings by the layer above.
PropValue = str | int | float | bool | None | list[str] | list[int] | list[float]
Props = Mapping[str, PropValue]


class Label(StrEnum):
    """Node labels (节点标签). The whitelist: no other label ever reaches a query."""

    AGENCY = "Agency"  # 机构
    RESOURCE = "DataResource"  # 数据资源
    FIELD = "Field"  # 信息项
    SERVICE = "DataService"  # 数据服务
    SCENARIO = "Scenario"  # 应用场景
    GRANT = "Grant"  # 授权
    PROJECT = "Project"  # 信息化项目
    SUPPLY_LIST = "SupplyList"  # 供给清单
    DEMAND = "Demand"  # 需求
    APPLICATION = "Application"  # 申请
    QUALITY_ISSUE = "QualityIssue"  # 数据问题
    PERSON = "Person"  # 人员
    INDEX_OUTBOX = "IndexOutbox"  # 待索引队列: graph writes whose index update is pending
    ACCESS_TOKEN = "AccessToken"  # 访问令牌 (stored hashed)
    AUDIT_ENTRY = "AuditEntry"  # 审计记录 (append-only; the target is a property, not an edge)
    COMMITMENT_LETTER = "CommitmentLetter"  # 数据使用承诺书 (file stored by its SHA-256)
    CHANGE_LOG = "ChangeLog"  # 变更日志: what each write changed, in commit order (graph/change_log.py)
    BULK_LOAD = "BulkLoad"  # 批量导入进行中: present while a bulk load is unfinished (catalog incomplete)


class Rel(StrEnum):
    """Relationship types (关系类型). The whitelist, like `Label`."""

    PROVIDED_BY = "PROVIDED_BY"  # DataResource -> Agency 提供方
    SUPERVISED_BY = "SUPERVISED_BY"  # Agency -> Agency 上级/主管机构
    HAS_FIELD = "HAS_FIELD"  # DataResource -> Field 信息项
    MOUNTED_ON = "MOUNTED_ON"  # DataService -> DataResource 挂接
    EXPOSES = "EXPOSES"  # DataService -> Field 开放信息项
    RELATED_TO = "RELATED_TO"  # DataResource -> DataResource 关联资源
    DERIVED_FROM = "DERIVED_FROM"  # DataResource -> DataResource 来源资源
    OWNED_BY = "OWNED_BY"  # Scenario/Project/Demand -> Agency 使用机构/建设单位/需求方
    GRANTS_ACCESS_TO = "GRANTS_ACCESS_TO"  # Grant -> DataService 授权服务
    FOR_SCENARIO = "FOR_SCENARIO"  # Grant/Application/Demand -> Scenario 应用场景
    COVERS_FIELD = "COVERS_FIELD"  # Grant -> Field 授权信息项
    DECLARES = "DECLARES"  # Project -> DataResource 供给清单（立项申报）
    DEPENDS_ON = "DEPENDS_ON"  # Project -> DataResource 依赖资源
    SUPPLIES = "SUPPLIES"  # SupplyList -> DataResource 供给
    REQUESTS = "REQUESTS"  # Demand/Application -> Field/DataResource 需求
    ROUTED_TO = "ROUTED_TO"  # Demand -> Agency 承办（应答）机构, R9
    APPLIES_FOR = "APPLIES_FOR"  # Application -> DataResource 申请的资源
    ATTACHES = "ATTACHES"  # Application -> CommitmentLetter 承诺书
    RESULTED_IN = "RESULTED_IN"  # Application -> Grant 申请结果
    CONCERNS = "CONCERNS"  # QualityIssue -> DataResource/Field 问题所涉
    ANSWERED_WITH = "ANSWERED_WITH"  # Demand -> DataResource 需求应答资源
    ISSUED_TO = "ISSUED_TO"  # AccessToken -> Agency 令牌所属机构


class Direction(StrEnum):
    """Which way to follow relationships from a node (遍历方向)."""

    OUT = "OUT"
    IN = "IN"
    BOTH = "BOTH"


@dataclass(frozen=True, slots=True)
class NodeRef:
    """A node's identity: its label and its key (unique per label; 编码)."""

    label: Label
    key: str

    @property
    def id(self) -> str:
        return f"{self.label.value}:{self.key}"

    @classmethod
    def parse(cls, node_id: str) -> NodeRef:
        """Parse `Label:key`; raises ValueError on an unknown label or a missing key."""
        label, sep, key = node_id.partition(":")
        if not sep or not key:
            raise ValueError(f"not a node id: {node_id!r}")
        return cls(Label(label), key)


@dataclass(frozen=True, slots=True)
class Node:
    """A node with its properties."""

    label: Label
    key: str
    props: Mapping[str, PropValue] = field(default_factory=dict)

    @property
    def ref(self) -> NodeRef:
        return NodeRef(self.label, self.key)

    @property
    def id(self) -> str:
        return self.ref.id

    def get(self, name: str, default: Any = None) -> Any:
        return self.props.get(name, default)


@dataclass(frozen=True, slots=True)
class Edge:
    """A directed relationship `src -[type]-> dst` with properties."""

    type: Rel
    src: NodeRef
    dst: NodeRef
    props: Mapping[str, PropValue] = field(default_factory=dict)


@dataclass(slots=True)
class ChangeSet:
    """Everything one write does, applied in one transaction (一次写入，一个事务).

    - `upserts`: nodes created or whose properties are replaced whole;
    - `deletes`: nodes removed with all their relationships;
    - `edges`: for a (source, type) pair, the complete new list of outgoing edges of
      that type (replacing the old ones), so that re-applying a change is a no-op;
    - `new`: upserted nodes that must not exist yet (create-if-absent). If any does, the
      whole write fails with `graph.errors.AlreadyExists`; two concurrent writes creating the
      same node cannot both succeed (the store's write lock / unique key constraint).
    """

    upserts: list[Node] = field(default_factory=list)
    deletes: list[NodeRef] = field(default_factory=list)
    edges: dict[tuple[NodeRef, Rel], list[Edge]] = field(default_factory=dict)
    # change-log tokens for changes outside the graph this write announces (the search index)
    notes: list[str] = field(default_factory=list)
    new: set[NodeRef] = field(default_factory=set)

    def set_edges(self, src: NodeRef, rel: Rel, dsts: Sequence[NodeRef | Edge]) -> None:
        self.edges[(src, rel)] = [
            d if isinstance(d, Edge) else Edge(rel, src, d) for d in dsts
        ]

    def is_empty(self) -> bool:
        return not (self.upserts or self.deletes or self.edges or self.notes)

    def size(self) -> int:
        return len(self.upserts) + len(self.deletes) + sum(len(v) for v in self.edges.values())


@dataclass(frozen=True, slots=True)
class Page:
    """A page of nodes in key order, and whether more follow (分页结果)."""

    nodes: list[Node]
    has_next: bool


@dataclass(frozen=True, slots=True)
class Step:
    """One way a walk may leave a node (遍历步): from a node of `label`, over `rel`, `direction`.

    A lineage is not one direction for every relationship: downstream of a resource are the
    services mounted on it (`MOUNTED_ON` in) and then the scenarios its grants are for
    (`FOR_SCENARIO` out). A list of steps says exactly which edges a walk follows, per kind.
    """

    label: Label
    rel: Rel
    direction: Direction  # OUT or IN; BOTH is two steps

    def __post_init__(self) -> None:
        if self.direction is Direction.BOTH:
            raise ValueError("a step goes OUT or IN; use two steps for both")


def walk_steps(rels: Sequence[Rel], direction: Direction) -> list[Step]:
    """The steps of a plain `walk`: from every label, each relationship, OUT before IN."""
    ways = [w for w in (Direction.OUT, Direction.IN) if direction in (w, Direction.BOTH)]
    unique = list(dict.fromkeys(rels))
    return [Step(label, rel, way) for label in Label for rel in unique for way in ways]


@dataclass(frozen=True, slots=True)
class Walk:
    """The result of a bounded walk (有界遍历): nodes with their hop count and edges.

    `truncated`: the node limit left some reachable node out. `cut`: the nodes whose
    neighbours were not all taken in, because of the limit or because they sit at the last
    hop and more lies beyond (known only when the walk probed one hop further);
    `depth_cut`: some node at the last hop has more beyond it.
    """

    nodes: dict[NodeRef, tuple[Node, int]]
    edges: list[Edge]
    truncated: bool
    cut: frozenset[NodeRef] = frozenset()
    depth_cut: bool = False
