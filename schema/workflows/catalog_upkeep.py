"""Catalog upkeep and supply lists in GraphQL (目录维护与供给清单), R3, R4, R6, R8, R9.

The inputs, payloads and the supply-list type; the root fields are in `catalog_upkeep_api`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from schema.enums import DataType, Level, ResourceFormat, ServiceKind, SharingType, UpdateCycle
from schema.workflows.step_errors import WorkflowStepError
from sharing.catalog_upkeep import ResourceStatus as ResourceStatus

if TYPE_CHECKING:
    from schema.agency import Agency
    from schema.field import Field
    from schema.resource import DataResource
    from schema.service import DataService


strawberry.enum(
    ResourceStatus, name="ResourceStatus",
    description="资源状态 / A resource's state. ACTIVE: 在用 in use; RETIRED: 已停用 retired",
)
ResourceStatus.__strawberry_definition__.values[0].description = "在用 / in use"  # type: ignore[attr-defined]
ResourceStatus.__strawberry_definition__.values[1].description = "已停用 / retired"  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- inputs


@strawberry.input(description="信息项 / A field (data item) of a resource.")
class FieldInput:
    name: str = strawberry.field(
        description="信息项名称（在资源内唯一，不可改名）/ Name, unique in the resource; fixed."
    )
    data_type: DataType = strawberry.field(default=DataType.STRING, description="数据类型 / Data type.")
    length: int | None = strawberry.field(default=None, description="长度 / Length.")
    description: str | None = strawberry.field(default=None, description="信息项描述 / Description.")
    sharing_type: SharingType | None = strawberry.field(
        default=None, description="本项共享类型（空为同资源）/ Own sharing attribute; null: the resource's."
    )


@strawberry.input(description="新编目的数据资源 / A resource to catalogue.")
class CreateResourceInput:
    code: str = strawberry.field(description="信息资源代码 / Catalog code.")
    name: str = strawberry.field(description="信息资源名称 / Name.")
    provider: str = strawberry.field(description="提供方机构代码 / Providing agency code.")
    sharing_type: SharingType = strawberry.field(description="共享类型（R3）/ Sharing attribute (R3).")
    fields: list[FieldInput] = strawberry.field(description="信息项 / Fields, in catalog order.")
    summary: str | None = strawberry.field(default=None, description="信息资源摘要 / Summary.")
    category: str | None = strawberry.field(default=None, description="资源分类 / Category (R2).")
    category_code: str | None = strawberry.field(default=None, description="分类代码 / Category code.")
    format: ResourceFormat = strawberry.field(
        default=ResourceFormat.DATABASE, description="信息资源格式 / Format."
    )
    sharing_condition: str | None = strawberry.field(
        default=None, description="共享条件（有条件共享）/ Sharing condition (conditional)."
    )
    legal_basis: str | None = strawberry.field(
        default=None, description="不予共享依据（不予共享时必填）/ Legal basis, required when NOT_SHARED."
    )
    open_to_public: bool = strawberry.field(default=False, description="是否向社会开放 / Open to the public.")
    update_cycle: UpdateCycle = strawberry.field(
        default=UpdateCycle.IRREGULAR, description="更新周期 / Update cycle."
    )
    updated_at: str | None = strawberry.field(default=None, description="最近更新日期 / Last data update (ISO).")
    aggregated: bool = strawberry.field(
        default=True, description="是否已汇聚（R6）/ Aggregated onto the platform (R6)."
    )
    not_aggregated_reason: str | None = strawberry.field(
        default=None,
        description="未汇聚的法律依据和说明（未汇聚时必填）/ Legal basis and explanation; required if not aggregated.",
    )
    related: list[str] = strawberry.field(default_factory=list, description="关联资源代码 / Related resource codes.")
    derived_from: list[str] = strawberry.field(
        default_factory=list, description="来源资源代码 / Codes of resources it derives from."
    )


@strawberry.input(description="修改数据资源（只改给出的属性）/ Changes to a resource; only the attributes given.")
class UpdateResourceInput:
    code: str = strawberry.field(description="信息资源代码 / Catalog code.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="名称 / Name.")
    summary: str | None = strawberry.field(default=strawberry.UNSET, description="摘要 / Summary.")
    category: str | None = strawberry.field(default=strawberry.UNSET, description="资源分类 / Category.")
    category_code: str | None = strawberry.field(default=strawberry.UNSET, description="分类代码 / Category code.")
    format: ResourceFormat | None = strawberry.field(default=strawberry.UNSET, description="格式 / Format.")
    sharing_type: SharingType | None = strawberry.field(
        default=strawberry.UNSET, description="共享类型 / Sharing type."
    )
    sharing_condition: str | None = strawberry.field(default=strawberry.UNSET, description="共享条件 / Condition.")
    legal_basis: str | None = strawberry.field(default=strawberry.UNSET, description="不予共享依据 / Legal basis.")
    open_to_public: bool | None = strawberry.field(default=strawberry.UNSET, description="向社会开放 / Public.")
    update_cycle: UpdateCycle | None = strawberry.field(default=strawberry.UNSET, description="更新周期 / Cycle.")
    published_at: str | None = strawberry.field(default=strawberry.UNSET, description="发布日期 / Published on.")
    updated_at: str | None = strawberry.field(default=strawberry.UNSET, description="最近更新日期 / Last update.")
    aggregated: bool | None = strawberry.field(default=strawberry.UNSET, description="是否已汇聚 / Aggregated.")
    not_aggregated_reason: str | None = strawberry.field(
        default=strawberry.UNSET, description="未汇聚说明 / Why not aggregated."
    )
    related: list[str] | None = strawberry.field(default=strawberry.UNSET, description="关联资源 / Related codes.")
    derived_from: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="来源资源 / Source resource codes."
    )


@strawberry.input(description="修改信息项（只改给出的属性）/ Changes to a field; only the attributes given.")
class UpdateFieldInput:
    resource: str = strawberry.field(description="信息资源代码 / Resource code.")
    name: str = strawberry.field(description="信息项名称 / Field name.")
    data_type: DataType | None = strawberry.field(default=strawberry.UNSET, description="数据类型 / Data type.")
    length: int | None = strawberry.field(default=strawberry.UNSET, description="长度 / Length.")
    description: str | None = strawberry.field(default=strawberry.UNSET, description="描述 / Description.")
    sharing_type: SharingType | None = strawberry.field(
        default=strawberry.UNSET, description="本项共享类型 / Own sharing attribute."
    )


@strawberry.input(description="发布数据服务 / A service to publish on a resource (R8).")
class PublishServiceInput:
    resource: str = strawberry.field(description="挂接的信息资源代码 / Code of the resource it is mounted on.")
    code: str = strawberry.field(description="服务代码 / Service code.")
    name: str = strawberry.field(description="服务名称 / Name.")
    kind: ServiceKind = strawberry.field(description="服务类型 / Kind (R8).")
    fields: list[str] = strawberry.field(
        description="开放的信息项（资源的信息项子集）/ Exposed fields, of the resource."
    )


@strawberry.input(description="变更数据服务（只改给出的属性）/ Changes to a service; only the attributes given.")
class ChangeServiceInput:
    code: str = strawberry.field(description="服务代码 / Service code.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="名称 / Name.")
    kind: ServiceKind | None = strawberry.field(default=strawberry.UNSET, description="服务类型 / Kind.")
    fields: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="开放的信息项 / Exposed fields."
    )


# --------------------------------------------------------------------------- payloads


@strawberry.type(description="目录维护结果 / Result of a resource or field step.")
class ResourceUpkeepPayload:
    resource: Annotated[DataResource, strawberry.lazy("schema.resource")] | None = strawberry.field(
        description="数据资源（变更后）/ The resource, as written."
    )
    field: Annotated[Field, strawberry.lazy("schema.field")] | None = strawberry.field(
        default=None, description="所涉信息项（信息项操作时；停用后为空）/ The field concerned (null once retired)."
    )
    errors: list[WorkflowStepError] = strawberry.field(
        description="错误（有错误时未写入）/ Errors; nothing written."
    )


@strawberry.type(description="数据服务维护结果 / Result of a service step.")
class ServiceUpkeepPayload:
    service: Annotated[DataService, strawberry.lazy("schema.service")] | None = strawberry.field(
        description="数据服务（变更后）/ The service, as written."
    )
    errors: list[WorkflowStepError] = strawberry.field(
        description="错误（有错误时未写入）/ Errors; nothing written."
    )


@strawberry.type(description="机构的供给清单（R4、R9）/ An agency's supply list (R4, R9).")
class SupplyList:
    agency: Annotated[Agency, strawberry.lazy("schema.agency")] = strawberry.field(description="提供方机构 / Agency.")
    level: Level = strawberry.field(description="层级 / Level of the agency.")
    entries: list[Annotated[DataResource, strawberry.lazy("schema.resource")]] = strawberry.field(
        description="清单中的资源（在用且非不予共享）/ Resources on it: in use, not NOT_SHARED."
    )
    entry_count: int = strawberry.field(description="条目数 / Number of entries.")
    updated_on: str | None = strawberry.field(
        description="最近维护日期（空：尚未维护，按资源推定）/ Last maintained (null: derived from resources)."
    )


@strawberry.type(description="一页供给清单 / A page of supply lists of one level.")
class SupplyListPage:
    lists: list[SupplyList] = strawberry.field(description="各机构的供给清单 / Each agency's list.")
    has_next_page: bool = strawberry.field(description="是否还有下一页 / Whether more follow.")
    end_cursor: str | None = strawberry.field(description="传给 after 取下一页 / Pass as `after`.")
