"""The in-memory ceiling of the browse page (内存上限): strawberry over plain objects, no store.

`create_app` serves the page a catalog server answered (saved as JSON in the file named by
`BENCH_MEMORY_PAGE`) from a schema whose resolvers only return objects already in memory,
so the same query over the same HTTP stack measures what strawberry and graphql-core cost
by themselves.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import strawberry
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.asgi import GraphQL

PAGE_FILE_ENV = "BENCH_MEMORY_PAGE"


@strawberry.type(description="机构 / Agency.")
class MemoryAgency:
    code: str | None = strawberry.field(description="代码 / Code.")
    name: str | None = strawberry.field(description="名称 / Name.")
    level: str | None = strawberry.field(description="层级 / Level.")


@strawberry.type(description="信息项 / Field.")
class MemoryField:
    name: str = strawberry.field(description="名称 / Name.")
    data_type: str | None = strawberry.field(description="数据类型 / Data type.")


@strawberry.type(description="服务信息项 / Field of a service.")
class MemoryServiceField:
    name: str = strawberry.field(description="名称 / Name.")


@strawberry.type(description="数据服务 / Service.")
class MemoryService:
    code: str = strawberry.field(description="代码 / Code.")
    kind: str | None = strawberry.field(description="方式 / Kind.")
    status: str | None = strawberry.field(description="状态 / Status.")
    fields: list[MemoryServiceField] = strawberry.field(description="信息项 / Fields.")


@strawberry.type(description="数据资源 / Resource.")
class MemoryResource:
    code: str = strawberry.field(description="代码 / Code.")
    name: str = strawberry.field(description="名称 / Name.")
    sharing_type: str | None = strawberry.field(description="共享属性 / Sharing type.")
    provider: MemoryAgency | None = strawberry.field(description="提供方 / Provider.")
    services: list[MemoryService] = strawberry.field(description="服务 / Services.")
    all_fields: strawberry.Private[list[MemoryField]]

    @strawberry.field(description="信息项 / Fields.")
    def fields(self, first: int | None = None) -> list[MemoryField]:
        return self.all_fields[:first] if first is not None else self.all_fields


@strawberry.type(description="分页 / Page info.")
class MemoryPageInfo:
    has_next_page: bool = strawberry.field(description="有下一页 / More pages.")
    end_cursor: str | None = strawberry.field(description="末游标 / Last cursor.")


@strawberry.type(description="边 / Edge.")
class MemoryEdge:
    cursor: str = strawberry.field(description="游标 / Cursor.")
    node: MemoryResource = strawberry.field(description="资源 / Resource.")


@strawberry.type(description="资源分页 / Resources page.")
class MemoryConnection:
    total_count: int = strawberry.field(description="总数 / Total.")
    page_info: MemoryPageInfo = strawberry.field(description="分页 / Page info.")
    edges: list[MemoryEdge] = strawberry.field(description="边 / Edges.")


@dataclass(slots=True)
class MemoryCatalog:
    total: int
    edges: list[MemoryEdge]


def _edge(raw: dict[str, Any]) -> MemoryEdge:
    node = raw["node"]
    provider = node.get("provider")
    return MemoryEdge(
        cursor=raw["cursor"],
        node=MemoryResource(
            code=node["code"],
            name=node["name"],
            sharing_type=node.get("sharingType"),
            provider=MemoryAgency(code=provider.get("code"), name=provider.get("name"), level=provider.get("level"))
            if provider else None,
            services=[
                MemoryService(code=s["code"], kind=s.get("kind"), status=s.get("status"),
                              fields=[MemoryServiceField(name=f["name"]) for f in s.get("fields") or []])
                for s in node.get("services") or []
            ],
            all_fields=[MemoryField(name=f["name"], data_type=f.get("dataType")) for f in node.get("fields") or []],
        ),
    )


def memory_catalog(page: dict[str, Any]) -> MemoryCatalog:
    """The objects of a browse page's `data` (as the catalog answered it)."""
    resources = page["resources"]
    return MemoryCatalog(int(resources["totalCount"]), [_edge(e) for e in resources["edges"]])


def memory_schema(catalog: MemoryCatalog) -> strawberry.Schema:
    @strawberry.type(description="查询 / Query.")
    class Query:
        @strawberry.field(description="资源 / Resources.")
        def resources(self, first: int | None = None) -> MemoryConnection:
            edges = catalog.edges[:first] if first is not None else catalog.edges
            return MemoryConnection(
                total_count=catalog.total,
                page_info=MemoryPageInfo(has_next_page=len(edges) < catalog.total,
                                         end_cursor=edges[-1].cursor if edges else None),
                edges=edges,
            )

    return strawberry.Schema(query=Query)


def create_app() -> Starlette:
    page = json.loads(Path(os.environ[PAGE_FILE_ENV]).read_text(encoding="utf-8"))
    view: GraphQL[None, None] = GraphQL(memory_schema(memory_catalog(page)), graphql_ide=None)
    return Starlette(routes=[Route("/graphql", view, methods=["GET", "POST"])])
