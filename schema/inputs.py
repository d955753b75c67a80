"""Filter inputs of the browse queries (浏览筛选条件)."""

from __future__ import annotations

import strawberry

from schema.enums import Level, SearchKind, ServiceKind, SharingType, UpdateCycle


@strawberry.input(description="机构筛选 / Agency filter.")
class AgencyFilter:
    level: Level | None = strawberry.field(default=None, description="层级 / Level.")
    region_code: str | None = strawberry.field(
        default=None, description="行政区划代码 / Region code."
    )
    parent: str | None = strawberry.field(
        default=None, description="上级机构代码 / Supervising agency code."
    )


@strawberry.input(description="数据资源筛选 / Resource filter.")
class ResourceFilter:
    provider: str | None = strawberry.field(
        default=None, description="提供方机构代码 / Provider agency code."
    )
    sharing_type: SharingType | None = strawberry.field(
        default=None, description="共享类型 / Sharing attribute."
    )
    category: str | None = strawberry.field(default=None, description="资源分类 / Category.")
    update_cycle: UpdateCycle | None = strawberry.field(
        default=None, description="更新周期 / Update cycle."
    )
    level: Level | None = strawberry.field(
        default=None, description="提供方层级 / Provider's level."
    )
    aggregated: bool | None = strawberry.field(
        default=None, description="是否已汇聚 / Aggregated or not."
    )


@strawberry.input(description="信息项筛选 / Field filter.")
class FieldFilter:
    resource: str | None = strawberry.field(
        default=None, description="信息资源代码 / Resource code."
    )
    name: str | None = strawberry.field(
        default=None, description="信息项名称（完全一致）/ Exact field name."
    )
    sharing_type: SharingType | None = strawberry.field(
        default=None, description="自身的共享类型 / The field's own sharing attribute."
    )


@strawberry.input(description="数据服务筛选 / Service filter.")
class ServiceFilter:
    kind: ServiceKind | None = strawberry.field(default=None, description="服务类型 / Kind.")
    resource: str | None = strawberry.field(
        default=None, description="信息资源代码 / Resource code."
    )


@strawberry.input(description="检索筛选（分面）/ Search filter by facets.")
class SearchFilter:
    sharing_types: list[SharingType] | None = strawberry.field(
        default=None, description="共享类型（任一）/ Any of these sharing attributes."
    )
    categories: list[str] | None = strawberry.field(
        default=None, description="资源分类（任一）/ Any of these categories."
    )
    providers: list[str] | None = strawberry.field(
        default=None, description="提供方机构代码（任一）/ Any of these provider codes."
    )
    levels: list[Level] | None = strawberry.field(
        default=None, description="层级（任一）/ Any of these levels."
    )


__all__ = [
    "AgencyFilter",
    "FieldFilter",
    "ResourceFilter",
    "SearchFilter",
    "SearchKind",
    "ServiceFilter",
]
