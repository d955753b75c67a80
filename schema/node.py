"""The Relay `Node` interface and global IDs (全局 ID).

A global ID is the base64 of `Label:key`, e.g. `DataResource:370800-SCJG-0001`: stable for
as long as the code is, opaque to clients.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

import strawberry

from graph.model import Label, Node, NodeRef
from schema.errors import CatalogError, ErrorCode


def to_global_id(ref: NodeRef) -> str:
    return base64.b64encode(ref.id.encode()).decode()


def from_global_id(global_id: str) -> NodeRef:
    try:
        raw = base64.b64decode(global_id.encode(), validate=True).decode()
        return NodeRef.parse(raw)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise CatalogError(
            ErrorCode.INVALID_ID,
            f"ID「{global_id[:80]}」格式错误",
            f"{global_id[:80]!r} is not a valid ID",
            field="id",
        ) from None


@strawberry.interface(description="可按全局 ID 取回的对象 / An object fetchable by its global ID.")
class NodeInterface:
    _node: strawberry.Private[Node]

    @strawberry.field(description="全局唯一、稳定的 ID / Globally unique, stable ID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id(self._node.ref))

    def prop(self, name: str) -> Any:
        return self._node.props.get(name)

    def text(self, name: str) -> str | None:
        value = self._node.props.get(name)
        return None if value is None else str(value)

    def number(self, name: str) -> int | None:
        value = self._node.props.get(name)
        return None if value is None else int(value)  # type: ignore[arg-type]


def wrap(node: Node) -> Any:
    """The GraphQL object for a graph node."""
    from schema.agency import Agency
    from schema.demand import Demand
    from schema.field import Field
    from schema.grant import Grant
    from schema.project import Project
    from schema.resource import DataResource
    from schema.scenario import Scenario
    from schema.service import DataService

    types: dict[Label, type[NodeInterface]] = {
        Label.AGENCY: Agency,
        Label.RESOURCE: DataResource,
        Label.FIELD: Field,
        Label.SERVICE: DataService,
        Label.SCENARIO: Scenario,
        Label.GRANT: Grant,
        Label.PROJECT: Project,
        Label.DEMAND: Demand,
    }
    cls = types.get(node.label)
    if cls is None:
        raise CatalogError(
            ErrorCode.NOT_FOUND, "该类型对象不可查询", f"{node.label.value} is not queryable"
        )
    return cls(_node=node)
