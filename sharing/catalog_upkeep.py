"""Catalog upkeep by the providing agency (目录维护), R3, R4, R6 and R8.

A provider creates, updates and retires its resources (数据资源) and their fields (信息项), and
publishes, changes and takes offline the services (数据服务) mounted on them. Every step:

- reads the resource as a whole record (`interchange.records.ResourceRecord`), applies the
  change, and checks the record with the import rules (`interchange.validation`): a NOT_SHARED
  resource needs its legal basis (R3), a resource not aggregated its legal basis and written
  explanation (R6), a service exposes only fields of its resource (R8), codes, enumerations
  and lengths as on import;
- writes the record through the import's graph mapping (`interchange.graph_mapping`), so the
  change reads in browse and search exactly like a loaded file (the writer updates the index);
- keeps the provider's supply list (供给清单, R4/R9) equal to its resources open to sharing:
  every resource not retired and not NOT_SHARED (`SupplyList` node `SL-<agency code>`);
- appends an audit entry per node it changes, with the properties before and after (R11).

A retired resource (停用) stays in the catalog with `status: RETIRED`, its services offline and
off the supply list; it can no longer be changed. A field is retired by removing it, which is
refused while a service that is not offline exposes it. A field's name is its identity (grants
and services name it), so a field is never renamed: retire it and add the new one.
Nothing here writes: each step returns the change set for `CatalogWriter.apply`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from graph.model import ChangeSet, Direction, Edge, Label, Node, NodeRef, PropValue, Rel
from graph.store import GraphStore
from interchange.graph_mapping import document_changes, field_key, resource_record
from interchange.origins import Origins
from interchange.records import CatalogDocument, FieldRecord, ResourceRecord, ServiceRecord
from interchange.validation import KnownCodes, validate
from sharing.audit import audit_entry
from sharing.clock import CHINA
from sharing.identity import Actor, Role
from sharing.refusal import Refusal, RefusalCode, not_found
from sharing.terms import ServiceStatus, SharingType


class ResourceStatus(StrEnum):
    """A resource's state (资源状态); a resource loaded from a file without one is ACTIVE."""

    ACTIVE = "ACTIVE"  # 在用
    RETIRED = "RETIRED"  # 已停用


RETIRED = ResourceStatus.RETIRED.value
ACTIVE = ResourceStatus.ACTIVE.value
MAX_REASON = 4000

Authorize = Callable[[Node], None]  # raises when the actor may not maintain the agency's entries


def may_maintain(actor: Actor, agency: Node) -> bool:
    """Whether the actor may maintain the agency's catalog entries: its staff or chief
    representative, or a big-data bureau administrator of the agency's level (R4)."""
    if actor.role in (Role.AGENCY_STAFF, Role.CHIEF_REPRESENTATIVE):
        return actor.acts_for(agency.key)
    if actor.role is Role.BUREAU_ADMIN:
        return actor.level is not None and actor.level.value == agency.get("level")
    return False


@dataclass(frozen=True, slots=True)
class StepContext:
    """Who takes a step and when (操作人与时间)."""

    actor: Actor
    at: datetime

    @property
    def day(self) -> str:
        return self.at.astimezone(CHINA).date().isoformat()


@dataclass(frozen=True, slots=True)
class Upkeep:
    """What a step will write, and the node it is about (resource or service)."""

    changes: ChangeSet
    target: NodeRef
    provider: Node


@dataclass(slots=True)
class _Stored:
    """A resource as stored: its record and the nodes it was read from."""

    record: ResourceRecord
    nodes: dict[NodeRef, Node]  # the resource, its fields and services
    provider: Node


# Record attributes a caller may patch on a resource, and on a field / a service.
RESOURCE_ATTRIBUTES = frozenset({
    "name", "summary", "category", "category_code", "format", "sharing_type", "sharing_condition",
    "legal_basis", "open_to_public", "update_cycle", "published_at", "updated_at", "aggregated",
    "not_aggregated_reason", "related", "derived_from",
})
FIELD_ATTRIBUTES = frozenset({"data_type", "length", "description", "sharing_type"})
SERVICE_ATTRIBUTES = frozenset({"name", "kind", "fields"})


# --------------------------------------------------------------------------- resources


async def create_resource(
    store: GraphStore, step: StepContext, record: ResourceRecord, authorize: Authorize
) -> Upkeep:
    """Catalog a new resource with its fields (services are published separately)."""
    provider = await _agency(store, record.provider)
    authorize(provider)
    (existing,) = await store.get_nodes(Label.RESOURCE, [record.code])
    if existing is not None:
        raise Refusal(
            RefusalCode.DUPLICATE_CODE, "code",
            f"信息资源代码「{record.code}」已被使用", f"resource code {record.code!r} is already in use",
        )
    record = dataclasses.replace(record, services=[], published_at=record.published_at or step.day)
    return await _write(store, step, None, record, provider, "resource.create", {"status": ACTIVE})


async def update_resource(
    store: GraphStore, step: StepContext, code: str, patch: Mapping[str, Any], authorize: Authorize
) -> Upkeep:
    """Change a resource's attributes (only those in `patch`)."""
    stored = await _load(store, code, authorize)
    unknown = set(patch) - RESOURCE_ATTRIBUTES
    if unknown:
        raise _not_patchable(sorted(unknown)[0])
    record = dataclasses.replace(stored.record, **patch)
    return await _write(store, step, stored, record, stored.provider, "resource.update", {"changedOn": step.day})


async def retire_resource(
    store: GraphStore, step: StepContext, code: str, reason: str, authorize: Authorize
) -> Upkeep:
    """Retire a resource: status RETIRED, its services offline, off the supply list."""
    stored = await _load(store, code, authorize)
    reason = _reason(reason, "reason")
    services = [dataclasses.replace(s, status=ServiceStatus.OFFLINE.value) for s in stored.record.services]
    record = dataclasses.replace(stored.record, services=services)
    extra = {"status": RETIRED, "retiredOn": step.day, "retiredReason": reason}
    return await _write(store, step, stored, record, stored.provider, "resource.retire", extra)


# --------------------------------------------------------------------------- fields


async def add_field(
    store: GraphStore, step: StepContext, code: str, field: FieldRecord, authorize: Authorize
) -> Upkeep:
    stored = await _load(store, code, authorize)
    record = dataclasses.replace(stored.record, fields=[*stored.record.fields, field])
    return await _write(store, step, stored, record, stored.provider, "field.create", {"changedOn": step.day},
                        focus=NodeRef(Label.FIELD, field_key(code, field.name)))


async def update_field(
    store: GraphStore, step: StepContext, code: str, name: str, patch: Mapping[str, Any], authorize: Authorize
) -> Upkeep:
    stored = await _load(store, code, authorize)
    unknown = set(patch) - FIELD_ATTRIBUTES
    if unknown:
        raise _not_patchable(sorted(unknown)[0])
    fields = list(stored.record.fields)
    at = _field_index(stored.record, name)
    fields[at] = dataclasses.replace(fields[at], **patch)
    record = dataclasses.replace(stored.record, fields=fields)
    return await _write(store, step, stored, record, stored.provider, "field.update", {"changedOn": step.day},
                        focus=NodeRef(Label.FIELD, field_key(code, name)))


async def retire_field(
    store: GraphStore, step: StepContext, code: str, name: str, authorize: Authorize
) -> Upkeep:
    """Remove a field; refused while a service that is not offline exposes it."""
    stored = await _load(store, code, authorize)
    at = _field_index(stored.record, name)
    online = [s.code for s in stored.record.services if name in s.fields and s.status != ServiceStatus.OFFLINE.value]
    if online:
        raise Refusal(
            RefusalCode.FIELD_IN_USE, "name",
            f"信息项「{name}」仍由在线服务开放（{'、'.join(online)}），请先调整或下线这些服务",
            f"field {name!r} is still exposed by services that are online ({', '.join(online)}); "
            "change them or take them offline first",
        )
    fields = [f for i, f in enumerate(stored.record.fields) if i != at]
    services = [dataclasses.replace(s, fields=[n for n in s.fields if n != name]) for s in stored.record.services]
    record = dataclasses.replace(stored.record, fields=fields, services=services)
    return await _write(store, step, stored, record, stored.provider, "field.retire", {"changedOn": step.day},
                        focus=NodeRef(Label.FIELD, field_key(code, name)))


# --------------------------------------------------------------------------- services (R8)


async def publish_service(
    store: GraphStore, step: StepContext, code: str, service: ServiceRecord, authorize: Authorize
) -> Upkeep:
    """Mount a new service on a resource, exposing some of its fields (status PUBLISHED)."""
    stored = await _load(store, code, authorize)
    (existing,) = await store.get_nodes(Label.SERVICE, [service.code])
    if existing is not None:
        raise Refusal(
            RefusalCode.DUPLICATE_CODE, "code",
            f"服务代码「{service.code}」已被使用", f"service code {service.code!r} is already in use",
        )
    _some_fields(service)
    service = dataclasses.replace(service, status=ServiceStatus.PUBLISHED.value)
    record = dataclasses.replace(stored.record, services=[*stored.record.services, service])
    return await _write(store, step, stored, record, stored.provider, "service.publish", {},
                        focus=NodeRef(Label.SERVICE, service.code), service_extra={"publishedOn": step.day})


async def change_service(
    store: GraphStore, step: StepContext, service_code: str, patch: Mapping[str, Any], authorize: Authorize
) -> Upkeep:
    """Change a service's name, kind or exposed fields (status CHANGED; an offline service
    comes back online as CHANGED)."""
    stored, at = await _load_service(store, service_code, authorize)
    unknown = set(patch) - SERVICE_ATTRIBUTES
    if unknown:
        raise _not_patchable(sorted(unknown)[0])
    services = list(stored.record.services)
    services[at] = dataclasses.replace(services[at], **patch, status=ServiceStatus.CHANGED.value)
    _some_fields(services[at])
    record = dataclasses.replace(stored.record, services=services)
    return await _write(store, step, stored, record, stored.provider, "service.change", {},
                        focus=NodeRef(Label.SERVICE, service_code), service_extra={"changedOn": step.day})


async def take_service_offline(
    store: GraphStore, step: StepContext, service_code: str, reason: str, authorize: Authorize
) -> Upkeep:
    stored, at = await _load_service(store, service_code, authorize, allow_retired=False)
    if stored.record.services[at].status == ServiceStatus.OFFLINE.value:
        raise Refusal(RefusalCode.WRONG_STATE, "code", f"服务「{service_code}」已下线",
                      f"service {service_code!r} is already offline")
    reason = _reason(reason, "reason")
    services = list(stored.record.services)
    services[at] = dataclasses.replace(services[at], status=ServiceStatus.OFFLINE.value)
    record = dataclasses.replace(stored.record, services=services)
    return await _write(store, step, stored, record, stored.provider, "service.offline", {},
                        focus=NodeRef(Label.SERVICE, service_code),
                        service_extra={"offlineOn": step.day, "offlineReason": reason})


# --------------------------------------------------------------------------- reading


async def _agency(store: GraphStore, code: str) -> Node:
    (agency,) = await store.get_nodes(Label.AGENCY, [code]) if code else [None]
    if agency is None:
        raise not_found("机构", "agency", code or "", "provider")
    return agency


async def load_resource(store: GraphStore, code: str) -> tuple[ResourceRecord, dict[NodeRef, Node]] | None:
    """A stored resource as a whole record, with the nodes it was read from."""
    (node,) = await store.get_nodes(Label.RESOURCE, [code])
    if node is None:
        return None
    (fields,) = await store.neighbors(Label.RESOURCE, [code], Rel.HAS_FIELD, Direction.OUT)
    (services,) = await store.neighbors(Label.RESOURCE, [code], Rel.MOUNTED_ON, Direction.IN)
    (related,) = await store.neighbors(Label.RESOURCE, [code], Rel.RELATED_TO, Direction.OUT)
    (derived,) = await store.neighbors(Label.RESOURCE, [code], Rel.DERIVED_FROM, Direction.OUT)
    services = sorted(services, key=lambda s: (s.get("position") or 0, s.key))
    exposed = await store.neighbors(Label.SERVICE, [s.key for s in services], Rel.EXPOSES, Direction.OUT)
    record = resource_record(
        node, fields, [(s, [str(f.get("name")) for f in fs]) for s, fs in zip(services, exposed, strict=True)],
        [r.key for r in related], [r.key for r in derived],
    )
    nodes = {n.ref: n for n in [node, *fields, *services]}
    return record, nodes


async def _load(store: GraphStore, code: str, authorize: Authorize, allow_retired: bool = False) -> _Stored:
    loaded = await load_resource(store, code)
    if loaded is None:
        raise not_found("信息资源", "resource", code, "resource")
    record, nodes = loaded
    provider = await _agency(store, record.provider)
    authorize(provider)
    if not allow_retired and nodes[NodeRef(Label.RESOURCE, code)].get("status") == RETIRED:
        raise Refusal(RefusalCode.RETIRED, "resource", f"信息资源「{code}」已停用，不能再修改",
                      f"resource {code!r} is retired and can no longer be changed")
    return _Stored(record, nodes, provider)


async def _load_service(
    store: GraphStore, code: str, authorize: Authorize, allow_retired: bool = False
) -> tuple[_Stored, int]:
    (service,) = await store.get_nodes(Label.SERVICE, [code])
    if service is None:
        raise not_found("数据服务", "service", code, "service")
    stored = await _load(store, str(service.get("resourceCode")), authorize, allow_retired)
    at = next(i for i, s in enumerate(stored.record.services) if s.code == code)
    return stored, at


def _field_index(record: ResourceRecord, name: str) -> int:
    for i, f in enumerate(record.fields):
        if f.name == name:
            return i
    raise not_found("信息项", "field", f"{record.code}#{name}", "name")


def _some_fields(service: ServiceRecord) -> None:
    if not service.fields:
        raise Refusal(RefusalCode.NO_FIELDS, "fields", "服务须开放至少一个信息项",
                      "a service must expose at least one field")


def _not_patchable(attribute: str) -> Refusal:
    return Refusal(RefusalCode.INVALID_INPUT, attribute, "该属性不可修改", "this attribute cannot be changed")


def _reason(text: str | None, field: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise Refusal(RefusalCode.REQUIRED, field, "须说明理由", "a reason is required")
    if len(cleaned) > MAX_REASON:
        raise Refusal(RefusalCode.TOO_LONG, field, f"理由过长（最多 {MAX_REASON} 个字符）",
                      f"the reason is too long (at most {MAX_REASON} characters)")
    return cleaned


# --------------------------------------------------------------------------- writing


def check_record(record: ResourceRecord, known: KnownCodes) -> None:
    """The import rules on one resource record; raises the first problem as a Refusal (the
    others in `Refusal.more`)."""
    problems = validate(CatalogDocument(resources=[record]), "upkeep", known, Origins())
    if not problems:
        return
    refusals = []
    for p in problems:
        try:
            code = RefusalCode(p.code)
        except ValueError:
            code = RefusalCode.INVALID_INPUT
        column = (p.column or "").removeprefix("resources[1].") or None
        refusals.append(Refusal(code, column, p.reason_zh, p.reason_en))
    first = refusals[0]
    first.more = refusals[1:]
    raise first


async def _known(store: GraphStore, record: ResourceRecord) -> KnownCodes:
    others = sorted(set(record.related) | set(record.derived_from))
    found = await store.get_nodes(Label.RESOURCE, others) if others else []
    (agency,) = await store.get_nodes(Label.AGENCY, [record.provider])
    return KnownCodes(
        agencies=frozenset({record.provider} if agency is not None else ()),
        resources=frozenset(n.key for n in found if n is not None),
    )


async def _write(
    store: GraphStore,
    step: StepContext,
    stored: _Stored | None,
    record: ResourceRecord,
    provider: Node,
    action: str,
    resource_extra: Mapping[str, PropValue],
    focus: NodeRef | None = None,
    service_extra: Mapping[str, PropValue] | None = None,
) -> Upkeep:
    check_record(record, await _known(store, record))
    before = stored.nodes if stored else {}
    changes = document_changes(CatalogDocument(resources=[record]))
    target = focus or NodeRef(Label.RESOURCE, record.code)
    merged: list[Node] = []
    for node in changes.upserts:
        old = before.get(node.ref)
        props: dict[str, PropValue] = {**(old.props if old else {}), **node.props}
        if node.label is Label.RESOURCE:
            props.update(resource_extra)
            props.setdefault("status", ACTIVE)
        if node.ref == target and service_extra:
            props.update(service_extra)
        merged.append(Node(node.label, node.key, props))
    changes.upserts = merged
    kept = {n.ref for n in merged}
    changes.deletes = [ref for ref in before if ref.label is Label.FIELD and ref not in kept]
    audits: list[Node] = []
    for node in merged:
        old = before.get(node.ref)
        if old is None or dict(old.props) != dict(node.props):
            verb = action if node.ref == target else f"{_kind(node.label)}.{'create' if old is None else 'update'}"
            audits.append(audit_entry(step.actor, verb, node.ref, step.at, old.props if old else None, node.props))
    for ref in changes.deletes:
        verb = action if ref == target else f"{_kind(ref.label)}.delete"
        audits.append(audit_entry(step.actor, verb, ref, step.at, before[ref].props, None))
    changes.upserts.extend(audits)
    resource = next(n for n in merged if n.label is Label.RESOURCE)
    await supply_list_changes(store, step, provider, resource, changes)
    return Upkeep(changes, target, provider)


def _kind(label: Label) -> str:
    return {Label.RESOURCE: "resource", Label.FIELD: "field", Label.SERVICE: "service"}.get(label, label.value)


# --------------------------------------------------------------------------- the supply list


def supply_list_key(agency: str) -> str:
    return f"SL-{agency}"


def on_supply_list(resource: Node) -> bool:
    """Whether a resource belongs on its provider's supply list: open to sharing, not retired."""
    return bool(resource.get("status") != RETIRED and resource.get("sharingType") != SharingType.NOT_SHARED.value)


async def supply_list_changes(
    store: GraphStore, step: StepContext, agency: Node, changed: Node, changes: ChangeSet
) -> None:
    """Add to `changes` the provider's supply list as it stands after `changed` is written."""
    (provided,) = await store.neighbors(Label.AGENCY, [agency.key], Rel.PROVIDED_BY, Direction.IN)
    resources = {r.key: r for r in provided} | {changed.key: changed}
    entries = sorted(code for code, r in resources.items() if on_supply_list(r))
    ref = NodeRef(Label.SUPPLY_LIST, supply_list_key(agency.key))
    (old,) = await store.get_nodes(Label.SUPPLY_LIST, [ref.key])
    (old_entries,) = await store.neighbors(Label.SUPPLY_LIST, [ref.key], Rel.SUPPLIES, Direction.OUT)
    if old is not None and sorted(n.key for n in old_entries) == entries:
        return
    node = Node(Label.SUPPLY_LIST, ref.key, {
        "code": ref.key, "agencyCode": agency.key, "level": agency.get("level"),
        "entryCount": len(entries), "updatedOn": step.day,
    })
    changes.upserts.append(node)
    changes.edges[(ref, Rel.SUPPLIES)] = [
        Edge(Rel.SUPPLIES, ref, NodeRef(Label.RESOURCE, c), {"position": i}) for i, c in enumerate(entries)
    ]
    changes.upserts.append(audit_entry(
        step.actor, "supplyList.update", ref, step.at,
        {"entries": sorted(n.key for n in old_entries)} if old is not None else None, {"entries": entries},
    ))
