"""Lineage and planner queries: check the input, call the rules (血缘与规划查询).

Each function takes the store rather than the GraphQL `Info`, so that the pictures and the
report (`app/lineage_view.py`, `app/report_view.py`) answer exactly what GraphQL answers.
Bad input raises `CatalogError` with a stable code.
"""

from __future__ import annotations

import binascii
from base64 import b64decode
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from graph.model import Label, Node, NodeRef, Rel
from graph.store import GraphStore
from resolvers.browse import check_code
from resolvers.permissions import SIGNED_IN, forbidden
from schema.errors import CatalogError, ErrorCode, not_found
from sharing import acceptance as gate
from sharing import impact as outage
from sharing.disclosure import hidden_from, visible_lineage
from sharing.grant_visibility import SEES_EVERY_GRANT, sees_every_grant, sees_grant, unseen_usage
from sharing.identity import ANONYMOUS, Actor
from sharing.lineage import (
    DEFAULT_DEPTH,
    DEFAULT_NODES,
    MAX_DEPTH,
    MAX_NODES,
    FieldLineage,
    Flow,
    Lineage,
    trace_field,
    trace_lineage,
)
from sharing.terms import Level, ProjectStage

# A bare code is looked up as these kinds, in this order (codes of different kinds differ).
_CODE_KINDS = (Label.RESOURCE, Label.SERVICE, Label.PROJECT, Label.AGENCY, Label.SCENARIO,
               Label.FIELD, Label.GRANT, Label.SUPPLY_LIST)
_KIND_NAMES = {
    Label.RESOURCE: ("数据资源", "resource"),
    Label.SERVICE: ("数据服务", "service"),
    Label.PROJECT: ("项目", "project"),
    Label.AGENCY: ("机构", "agency"),
}


def _ref(text: str) -> NodeRef | None:
    """`Label:key`, or a global ID (base64 of it); None for anything else."""
    for candidate in (text, _unbase64(text)):
        if candidate is None:
            continue
        label, sep, key = candidate.partition(":")
        internal = (Label.INDEX_OUTBOX.value, Label.CHANGE_LOG.value)  # bookkeeping, not catalog
        if sep and key and label in Label.__members__.values() and label not in internal:
            return NodeRef(Label(label), key)
    return None


def _unbase64(text: str) -> str | None:
    try:
        return b64decode(text.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


async def find_node(store: GraphStore, text: str, field: str = "id") -> Node:
    """The node a lineage starts from: a global ID, `Label:key`, or a bare code."""
    text = check_code(text, field)
    ref = _ref(text)
    if ref is not None:
        (node,) = await store.get_nodes(ref.label, [ref.key])
        if node is None:
            raise not_found("对象", "node", text)
        return node
    for label in _CODE_KINDS:
        (node,) = await store.get_nodes(label, [text])
        if node is not None:
            return node
    raise not_found("对象", "node", text)


async def find(store: GraphStore, label: Label, code: str, field: str) -> Node:
    code = check_code(code, field)
    (node,) = await store.get_nodes(label, [code])
    if node is None:
        zh, en = _KIND_NAMES[label]
        raise not_found(zh, en, code)
    return node


async def find_agency(store: GraphStore, text: str, field: str) -> Node:
    """An agency by its code or, failing that, by its exact full name (机构代码或全称)."""
    text = check_code(text, field)
    (node,) = await store.get_nodes(Label.AGENCY, [text])
    if node is not None:
        return node
    page = await store.find_nodes(Label.AGENCY, {"name": text}, limit=2)
    if len(page.nodes) > 1:
        raise CatalogError(ErrorCode.INVALID_INPUT, f"有多个机构名为「{text}」，请使用机构代码",
                           f"several agencies are named {text!r}: use the agency code", field=field)
    if not page.nodes:
        raise not_found("机构", "agency", text)
    return page.nodes[0]


def check_depth(depth: int | None) -> int:
    if depth is None:
        return DEFAULT_DEPTH
    if depth < 0:
        raise CatalogError(ErrorCode.INVALID_INPUT, "depth 不能为负数", "`depth` must not be negative",
                           field="depth")
    if depth > MAX_DEPTH:
        raise CatalogError(
            ErrorCode.DEPTH_TOO_LARGE,
            f"血缘最多追溯 {MAX_DEPTH} 层（请求了 {depth} 层）；请从更近的节点开始",
            f"`depth` is capped at {MAX_DEPTH} (asked for {depth}); start from a nearer node",
            field="depth", max=MAX_DEPTH,
        )
    return depth


def check_first(first: int | None) -> int:
    if first is None:
        return DEFAULT_NODES
    if first < 1:
        raise CatalogError(ErrorCode.INVALID_INPUT, "first 至少为 1", "`first` must be at least 1",
                           field="first")
    if first > MAX_NODES:
        raise CatalogError(
            ErrorCode.PAGE_SIZE_TOO_LARGE,
            f"血缘最多返回 {MAX_NODES} 个节点（请求了 {first} 个）",
            f"a lineage is capped at {MAX_NODES} nodes (asked for {first})",
            field="first", max=MAX_NODES,
        )
    return first


def check_day(text: str | None, field: str = "asOf") -> date:
    if text is None:
        return gate.today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CatalogError(ErrorCode.INVALID_INPUT, f"日期「{text[:40]}」格式错误，应为 YYYY-MM-DD",
                           f"{text[:40]!r} is not a date (YYYY-MM-DD)", field=field) from None


async def lineage(
    store: GraphStore,
    id: str,
    direction: Flow = Flow.BOTH,
    depth: int | None = None,
    types: Sequence[Rel] | None = None,
    first: int | None = None,
    viewer: Actor = ANONYMOUS,
) -> Lineage:
    """The lineage as `viewer` may see it: for anonymous callers without grants, applications
    and what lies only beyond them (`sharing/disclosure.py`); a root of such a kind is refused."""
    hops = check_depth(depth)
    cap = check_first(first)
    if types is not None and not types:
        raise CatalogError(ErrorCode.INVALID_INPUT, "types 不能为空列表", "`types` must not be empty",
                           field="types")
    root = await find_node(store, id)
    if hidden_from(viewer, root.label):
        raise forbidden(SIGNED_IN, "匿名调用不能查看授权、申请等使用情况",
                        "anonymous callers do not see grants or applications")
    found = await trace_lineage(store, root.ref, direction, hops, cap, types)
    if found is None:  # deleted in between
        raise not_found("对象", "node", id)
    unseen = await unseen_usage(store, viewer, (n.node for n in found.nodes))
    if root.ref in unseen:
        raise forbidden(SEES_EVERY_GRANT, "机构人员只能查看本机构作为当事方的授权、申请",
                        "agency staff see only the grants and applications their agency is a party to")
    return visible_lineage(viewer, found, unseen)


async def field_lineage(store: GraphStore, resource: str, name: str, viewer: Actor) -> FieldLineage:
    """A field's lineage; an agency's people see only the grants their agency is a party to."""
    code = check_code(resource, "resource")
    item = check_code(name, "field")
    found = await trace_field(store, NodeRef(Label.FIELD, f"{code}#{item}"))
    if found is None:
        raise not_found("信息项", "field", f"{code}#{item}")
    if sees_every_grant(viewer):
        return found
    return replace(found, grants=[g for g in found.grants
                                  if sees_grant(viewer, g.grant, g.scenario, found.resource)])


async def impact(store: GraphStore, resource: str | None, service: str | None, viewer: Actor) -> outage.Impact:
    """What goes dark with a resource or service: asked by the bureau, planners, or the people
    of the agency providing it (who hold every grant on it as its provider)."""
    if (resource is None) == (service is None):
        raise CatalogError(ErrorCode.INVALID_INPUT, "请给出 resource 或 service 之一",
                           "give exactly one of `resource` and `service`")
    target = (await find(store, Label.RESOURCE, resource, "resource") if resource is not None
              else await find(store, Label.SERVICE, service or "", "service"))
    if not sees_every_grant(viewer):
        owner = target if target.label is Label.RESOURCE else await find(
            store, Label.RESOURCE, str(target.get("resourceCode")), "service")
        if not viewer.acts_for(owner.get("providerCode")):
            raise forbidden(SEES_EVERY_GRANT, "机构人员只能分析本机构资源或服务下线的影响",
                            "agency staff may assess only their own agency's resources and services")
    found = await outage.impact(store, target.ref)
    if found is None:
        raise not_found("对象", "node", target.key)
    return found


async def projects_depending_on(
    store: GraphStore,
    resource: str | None,
    agency: str | None,
    supply_list_of: str | None,
    include_derived: bool,
) -> outage.Dependents:
    given = [v for v in (resource, agency, supply_list_of) if v is not None]
    if len(given) != 1:
        raise CatalogError(ErrorCode.INVALID_INPUT, "请给出 resource、agency、supplyListOf 之一",
                           "give exactly one of `resource`, `agency` and `supplyListOf`")
    if resource is not None:
        kind, target = outage.TargetKind.RESOURCE, await find(store, Label.RESOURCE, resource, "resource")
    elif agency is not None:
        kind, target = outage.TargetKind.AGENCY, await find_agency(store, agency, "agency")
    else:
        kind = outage.TargetKind.SUPPLY_LIST
        target = await find_agency(store, supply_list_of or "", "supplyListOf")
    return await outage.projects_depending_on(store, kind, target, include_derived)


async def project_acceptance(store: GraphStore, code: str, as_of: str | None) -> gate.Acceptance:
    day = check_day(as_of)
    project = await find(store, Label.PROJECT, code, "code")
    (result,) = await gate.assess(store, [project], day)
    return result


async def projects_at_risk(
    store: GraphStore, level: Level | None, stages: Sequence[ProjectStage] | None, as_of: str | None
) -> tuple[list[gate.Acceptance], int, date]:
    day = check_day(as_of)
    if stages is not None and not stages:
        raise CatalogError(ErrorCode.INVALID_INPUT, "stages 不能为空列表", "`stages` must not be empty",
                           field="stages")
    risky, checked = await gate.at_risk(store, day, level, tuple(stages or gate.AT_RISK_STAGES))
    return risky, checked, day
