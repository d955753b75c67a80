"""The content of a catalog file, as typed records (目录文件内容).

Both formats of FORMAT.md parse into a `CatalogDocument` and are written from one; the
graph mapping turns a document into graph changes and back. Enumerated values are held as
their English codes (validated on parse).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Contact:
    """A person an agency names (联系人): chief representative, leader or liaison (R5)."""

    role: str  # ContactRole
    name: str
    phone: str | None = None
    email: str | None = None


@dataclass(slots=True)
class AgencyRecord:
    """机构."""

    code: str
    name: str
    level: str  # Level
    short_name: str | None = None
    region_code: str | None = None
    region_name: str | None = None
    parent: str | None = None  # code of the supervising agency 上级机构
    contacts: list[Contact] = field(default_factory=list)


@dataclass(slots=True)
class FieldRecord:
    """信息项. `sharing_type` None means the resource's."""

    name: str
    data_type: str = "STRING"  # DataType
    length: int | None = None
    description: str | None = None
    sharing_type: str | None = None  # SharingType


@dataclass(slots=True)
class ServiceRecord:
    """数据服务, mounted on the resource that lists it."""

    code: str
    name: str
    kind: str  # ServiceKind
    fields: list[str] = field(default_factory=list)  # names of the resource's fields
    status: str = "PUBLISHED"  # ServiceStatus


@dataclass(slots=True)
class ResourceRecord:
    """数据资源 (a catalog entry 目录条目)."""

    code: str
    name: str
    provider: str  # agency code 提供方代码
    sharing_type: str  # SharingType
    summary: str | None = None
    category: str | None = None
    category_code: str | None = None
    format: str = "DATABASE"  # ResourceFormat
    sharing_condition: str | None = None
    legal_basis: str | None = None  # required when NOT_SHARED 不予共享依据
    open_to_public: bool = False
    update_cycle: str = "IRREGULAR"  # UpdateCycle
    published_at: str | None = None  # ISO date
    updated_at: str | None = None  # ISO date of the last data update (最近更新日期)
    aggregated: bool = True
    not_aggregated_reason: str | None = None  # required when not aggregated 未汇聚说明
    related: list[str] = field(default_factory=list)  # resource codes 关联资源
    derived_from: list[str] = field(default_factory=list)  # resource codes 来源资源
    fields: list[FieldRecord] = field(default_factory=list)
    services: list[ServiceRecord] = field(default_factory=list)


@dataclass(slots=True)
class ScenarioRecord:
    """应用场景 of a consumer agency."""

    code: str
    name: str
    agency: str  # agency code 使用机构代码
    description: str | None = None


@dataclass(slots=True)
class GrantRecord:
    """授权: a service granted to a scenario, for some of its fields."""

    scenario: str
    service: str
    fields: list[str] = field(default_factory=list)
    status: str = "ACTIVE"  # GrantStatus


@dataclass(slots=True)
class ProjectRecord:
    """信息化项目 with its declared supply list and the resources it depends on (R12)."""

    code: str
    name: str
    owner: str  # agency code 建设单位代码
    stage: str = "PLANNED"  # ProjectStage
    supplies: list[str] = field(default_factory=list)  # resource codes 供给清单
    uses: list[str] = field(default_factory=list)  # resource codes 依赖资源


@dataclass(slots=True)
class CatalogDocument:
    """A whole catalog file (`jining-catalog/1`)."""

    agencies: list[AgencyRecord] = field(default_factory=list)
    resources: list[ResourceRecord] = field(default_factory=list)
    scenarios: list[ScenarioRecord] = field(default_factory=list)
    grants: list[GrantRecord] = field(default_factory=list)
    projects: list[ProjectRecord] = field(default_factory=list)

    def row_count(self) -> int:
        return (
            len(self.agencies)
            + len(self.resources)
            + sum(len(r.fields) + len(r.services) for r in self.resources)
            + len(self.scenarios)
            + len(self.grants)
            + len(self.projects)
        )


FORMAT_ID = "jining-catalog/1"
