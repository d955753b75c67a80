"""Catalog upkeep and supply-list resolvers: who may act, then the rules (目录维护解析器).

Each mutation checks the caller's role (`require`), lets `sharing.catalog_upkeep` check the
caller against the providing agency (its staff or chief representative, or the bureau of its
level) and build the change set, and writes it in one transaction through the catalog writer
(graph, then the search index). A refusal of the rules becomes a payload error.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry

from graph.errors import StoreError
from graph.model import Label, Node, NodeRef
from graph.store import GraphStore
from interchange.records import FieldRecord, ResourceRecord, ServiceRecord
from resolvers.browse import check_code
from resolvers.context import Info
from resolvers.permissions import forbidden, require
from schema.errors import not_found
from schema.pagination import decode_cursor, encode_cursor, page_size
from schema.workflows.catalog_upkeep import (
    ChangeServiceInput,
    CreateResourceInput,
    FieldInput,
    PublishServiceInput,
    ResourceUpkeepPayload,
    ServiceUpkeepPayload,
    SupplyList,
    SupplyListPage,
    UpdateFieldInput,
    UpdateResourceInput,
)
from schema.workflows.step_errors import step_errors
from sharing import catalog_upkeep as rules
from sharing.identity import Actor, Role
from sharing.impact import supply_list as derived_supply_list
from sharing.refusal import Refusal, RefusalCode
from sharing.terms import Level

MAINTAINERS = (Role.AGENCY_STAFF, Role.CHIEF_REPRESENTATIVE, Role.BUREAU_ADMIN)
READERS = (Role.AGENCY_STAFF, Role.CHIEF_REPRESENTATIVE, Role.BUREAU_ADMIN, Role.PLANNER)


def maintainer_check(actor: Actor) -> rules.Authorize:
    """FORBIDDEN unless the actor may maintain the agency's entries."""

    def check(agency: Node) -> None:
        if not rules.may_maintain(actor, agency):
            name = str(agency.get("name") or agency.key)
            raise forbidden(
                MAINTAINERS,
                f"只有提供方「{name}」的工作人员、首席代表或其所在层级的大数据局可以维护其目录",
                f"only the staff or chief representative of {agency.key}, or the big-data bureau of its "
                "level, maintain its catalog entries",
            )

    return check


def step_of(info: Info, actor: Actor) -> rules.StepContext:
    return rules.StepContext(actor, info.context.clock.now())


def write_failed(e: StoreError) -> Refusal:
    return Refusal(RefusalCode.WRITE_FAILED, None, f"写入失败，未写入任何内容：{e}",
                   f"the write failed; nothing was written: {e}")


async def _run(info: Info, build: Callable[[rules.StepContext, rules.Authorize], Awaitable[rules.Upkeep]]) -> (
    tuple[rules.Upkeep | None, Refusal | None]
):
    actor = require(info, *MAINTAINERS)
    try:
        upkeep = await build(step_of(info, actor), maintainer_check(actor))
        await info.context.writer.apply(upkeep.changes)
    except Refusal as r:
        return None, r
    except StoreError as e:
        return None, write_failed(e)
    return upkeep, None


def _written(upkeep: rules.Upkeep, ref: NodeRef) -> Node | None:
    return next((n for n in upkeep.changes.upserts if n.ref == ref), None)


def _resource_payload(upkeep: rules.Upkeep | None, refusal: Refusal | None) -> ResourceUpkeepPayload:
    from schema.field import Field
    from schema.resource import DataResource

    if upkeep is None:
        assert refusal is not None
        return ResourceUpkeepPayload(resource=None, field=None, errors=step_errors(refusal))
    resource = next(n for n in upkeep.changes.upserts if n.label is Label.RESOURCE)
    field = _written(upkeep, upkeep.target) if upkeep.target.label is Label.FIELD else None
    return ResourceUpkeepPayload(
        resource=DataResource(_node=resource), field=Field(_node=field) if field else None, errors=[]
    )


def _service_payload(upkeep: rules.Upkeep | None, refusal: Refusal | None) -> ServiceUpkeepPayload:
    from schema.service import DataService

    if upkeep is None:
        assert refusal is not None
        return ServiceUpkeepPayload(service=None, errors=step_errors(refusal))
    node = _written(upkeep, upkeep.target)
    assert node is not None
    return ServiceUpkeepPayload(service=DataService(_node=node), errors=[])


def _given(input: object, names: dict[str, str]) -> dict[str, Any]:
    """The record attributes the caller set (`names`: input attribute → record attribute)."""
    patch: dict[str, Any] = {}
    for attr, target in names.items():
        value = getattr(input, attr)
        if value is strawberry.UNSET:
            continue
        patch[target] = value.value if hasattr(value, "value") else value
    return patch


def _field_record(f: FieldInput) -> FieldRecord:
    return FieldRecord(
        name=f.name.strip(), data_type=f.data_type.value, length=f.length, description=f.description,
        sharing_type=f.sharing_type.value if f.sharing_type else None,
    )


def resource_record(input: CreateResourceInput) -> ResourceRecord:
    return ResourceRecord(
        code=input.code.strip(), name=input.name.strip(), provider=input.provider.strip(),
        sharing_type=input.sharing_type.value, summary=input.summary, category=input.category,
        category_code=input.category_code, format=input.format.value, sharing_condition=input.sharing_condition,
        legal_basis=input.legal_basis, open_to_public=input.open_to_public, update_cycle=input.update_cycle.value,
        updated_at=input.updated_at, aggregated=input.aggregated, not_aggregated_reason=input.not_aggregated_reason,
        related=list(input.related), derived_from=list(input.derived_from),
        fields=[_field_record(f) for f in input.fields],
    )


_RESOURCE_PATCH = {a: a for a in rules.RESOURCE_ATTRIBUTES}
_FIELD_PATCH = {a: a for a in rules.FIELD_ATTRIBUTES}
_SERVICE_PATCH = {a: a for a in rules.SERVICE_ATTRIBUTES}


async def create_resource(info: Info, input: CreateResourceInput) -> ResourceUpkeepPayload:
    record = resource_record(input)
    return _resource_payload(*await _run(
        info, lambda step, auth: rules.create_resource(info.context.store, step, record, auth)))


async def update_resource(info: Info, input: UpdateResourceInput) -> ResourceUpkeepPayload:
    patch = _given(input, _RESOURCE_PATCH)
    code = check_code(input.code)
    return _resource_payload(*await _run(
        info, lambda step, auth: rules.update_resource(info.context.store, step, code, patch, auth)))


async def retire_resource(info: Info, code: str, reason: str) -> ResourceUpkeepPayload:
    code = check_code(code)
    return _resource_payload(*await _run(
        info, lambda step, auth: rules.retire_resource(info.context.store, step, code, reason, auth)))


async def add_field(info: Info, resource: str, field: FieldInput) -> ResourceUpkeepPayload:
    code, record = check_code(resource, "resource"), _field_record(field)
    return _resource_payload(*await _run(
        info, lambda step, auth: rules.add_field(info.context.store, step, code, record, auth)))


async def update_field(info: Info, input: UpdateFieldInput) -> ResourceUpkeepPayload:
    code, patch = check_code(input.resource, "resource"), _given(input, _FIELD_PATCH)
    return _resource_payload(*await _run(
        info, lambda step, auth: rules.update_field(info.context.store, step, code, input.name, patch, auth)))


async def retire_field(info: Info, resource: str, name: str) -> ResourceUpkeepPayload:
    code = check_code(resource, "resource")
    return _resource_payload(*await _run(
        info, lambda step, auth: rules.retire_field(info.context.store, step, code, name, auth)))


async def publish_service(info: Info, input: PublishServiceInput) -> ServiceUpkeepPayload:
    code = check_code(input.resource, "resource")
    service = ServiceRecord(code=input.code.strip(), name=input.name.strip(), kind=input.kind.value,
                            fields=list(input.fields))
    return _service_payload(*await _run(
        info, lambda step, auth: rules.publish_service(info.context.store, step, code, service, auth)))


async def change_service(info: Info, input: ChangeServiceInput) -> ServiceUpkeepPayload:
    code, patch = check_code(input.code), _given(input, _SERVICE_PATCH)
    return _service_payload(*await _run(
        info, lambda step, auth: rules.change_service(info.context.store, step, code, patch, auth)))


async def take_service_offline(info: Info, code: str, reason: str) -> ServiceUpkeepPayload:
    code = check_code(code)
    return _service_payload(*await _run(
        info, lambda step, auth: rules.take_service_offline(info.context.store, step, code, reason, auth)))


# --------------------------------------------------------------------------- supply lists


async def _supply_list(store: GraphStore, agency: Node) -> SupplyList:
    from schema.agency import Agency
    from schema.resource import DataResource

    (maintained,) = await store.get_nodes(Label.SUPPLY_LIST, [rules.supply_list_key(agency.key)])
    entries = await derived_supply_list(store, agency.key)
    if maintained is None:  # never maintained here: the catalog's rule, retired resources left out
        entries = [r for r in entries if rules.on_supply_list(r)]
    return SupplyList(
        agency=Agency(_node=agency), level=Level(str(agency.get("level"))),
        entries=[DataResource(_node=r) for r in entries], entry_count=len(entries),
        updated_on=str(maintained.get("updatedOn")) if maintained else None,
    )


async def supply_list(info: Info, agency: str) -> SupplyList:
    require(info, *READERS)
    code = check_code(agency, "agency")
    node = await info.context.loaders.nodes(Label.AGENCY).load(code)
    if node is None:
        raise not_found("机构", "agency", code)
    return await _supply_list(info.context.store, node)


async def supply_lists(info: Info, level: Level, first: int | None, after: str | None) -> SupplyListPage:
    require(info, *READERS)
    size = page_size(first)
    start = decode_cursor("agency", after)
    page = await info.context.store.find_nodes(Label.AGENCY, {"level": level.value}, after=start, limit=size)
    lists = [await _supply_list(info.context.store, a) for a in page.nodes]
    end = encode_cursor("agency", page.nodes[-1].key) if page.nodes else None
    return SupplyListPage(lists=lists, has_next_page=page.has_next, end_cursor=end)
