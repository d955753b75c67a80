"""Grant resolvers: suspend, resume, terminate; who holds which grants (授权管理解析器), R11.

The bureau of the provider's level or the provider's chief representative may suspend, resume
or terminate a grant, always with a reason; consumers list their grants, providers list who
holds grants on their data.
"""

from __future__ import annotations

from graph.model import Label, Node
from resolvers.browse import page_of
from resolvers.context import Info
from resolvers.grant_visibility import own_keys
from resolvers.permissions import forbidden, require
from resolvers.workflows.applications import error_of, write
from schema.grant import Grant
from schema.node import from_global_id
from schema.pagination import Connection
from schema.workflows.grants import GrantPayload
from sharing.application_errors import ApplicationRefusal, WorkflowRefusal
from sharing.application_loading import bureau_for, node_or_refusal
from sharing.clock import today
from sharing.grants import GrantAction, grant_status_change
from sharing.identity import Actor, Role

MANAGERS = (Role.BUREAU_ADMIN, Role.CHIEF_REPRESENTATIVE)
HOLDERS = (Role.AGENCY_STAFF, Role.CHIEF_REPRESENTATIVE)


async def _grant(info: Info, id: str) -> Node:
    ref = from_global_id(id)
    if ref.label is not Label.GRANT:
        raise WorkflowRefusal(ApplicationRefusal.NOT_FOUND, "id", "该 ID 不是授权", "the ID is not a grant's")
    return await node_or_refusal(info.context.store, Label.GRANT, ref.key, "授权", "grant", "id")


async def _provider(info: Info, grant: Node) -> Node:
    code = grant.get("providerCode")
    if not code:
        resource = await node_or_refusal(info.context.store, Label.RESOURCE, str(grant.get("resourceCode")),
                                         "数据资源", "resource", "id")
        code = resource.get("providerCode")
    return await node_or_refusal(info.context.store, Label.AGENCY, str(code), "机构", "agency", "id")


async def _check_manager(info: Info, actor: Actor, provider: Node) -> None:
    if actor.role is Role.CHIEF_REPRESENTATIVE and actor.acts_for(provider.key):
        return
    if actor.role is Role.BUREAU_ADMIN:
        bureau = await bureau_for(info.context.store, provider)
        if (bureau is not None and actor.agency_code == bureau.key) or (
            bureau is None and actor.level is not None and actor.level.value == provider.get("level")
        ):
            return
    raise forbidden(MANAGERS, "须为提供方所在层级的大数据局或提供方首席代表",
                    "the bureau of the provider's level or the provider's chief representative")


async def change_status(info: Info, id: str, action: str, reason: str) -> GrantPayload:
    actor = require(info, *MANAGERS)
    try:
        grant = await _grant(info, id)
        await _check_manager(info, actor, await _provider(info, grant))
        changes, updated = grant_status_change(grant, action, reason, actor, info.context.clock.now(),
                                               today(info.context.clock))
        await write(info, changes)
    except WorkflowRefusal as r:
        return GrantPayload(grant=None, errors=[error_of(r)])
    return GrantPayload(grant=Grant(_node=updated), errors=[])


async def suspend(info: Info, id: str, reason: str) -> GrantPayload:
    return await change_status(info, id, GrantAction.SUSPEND, reason)


async def resume(info: Info, id: str, reason: str) -> GrantPayload:
    return await change_status(info, id, GrantAction.RESUME, reason)


async def terminate(info: Info, id: str, reason: str) -> GrantPayload:
    return await change_status(info, id, GrantAction.TERMINATE, reason)


async def my_grants(info: Info, first: int | None, after: str | None) -> Connection[Grant]:
    """Grants held for the caller's agency's scenarios (imported ones included)."""
    actor = require(info, *HOLDERS)
    scenarios = await own_keys(info, Label.SCENARIO, "agencyCode", actor.agency_code)
    return await page_of(info, Label.GRANT, {"scenarioCode": scenarios}, first, after, lambda n: Grant(_node=n))


async def grants_on_my_data(info: Info, first: int | None, after: str | None) -> Connection[Grant]:
    """Grants on the caller's agency's resources: who holds which of its data."""
    actor = require(info, *HOLDERS)
    resources = await own_keys(info, Label.RESOURCE, "providerCode", actor.agency_code)
    return await page_of(info, Label.GRANT, {"resourceCode": resources}, first, after, lambda n: Grant(_node=n))
