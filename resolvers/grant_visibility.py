"""Grants as the caller may see them (授权按可见范围过滤): lists filtered, pages scoped.

The rule is `sharing/grant_visibility.py`. Lists (a scenario's or a service's grants, a
lineage) are filtered after loading, with the scenarios and resources batched through the
request's loaders; the `grants` connection is scoped in the store, so its pages and total
count only ever hold what the caller may see.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from graph.model import Label, Node
from resolvers.browse import page_of, page_of_either
from resolvers.context import Info
from resolvers.permissions import forbidden
from schema.pagination import Connection
from sharing.grant_visibility import SEES_EVERY_GRANT, sees_every_grant, unseen_grants
from sharing.identity import Actor

T = TypeVar("T")
_OWN_BATCH = 1000


async def visible_grants(info: Info, grants: Sequence[Node]) -> list[Node]:
    """The grants of `grants` the caller may see, in their order."""
    loaders = info.context.loaders

    async def nodes_of(label: Label, keys: Sequence[str]) -> list[Node | None]:
        return await loaders.nodes(label).load_many(list(keys))

    hidden = await unseen_grants(info.context.actor, grants, nodes_of)
    return [g for g in grants if g.ref not in hidden]


async def check_grant_visible(info: Info, grant: Node) -> None:
    """FORBIDDEN unless the caller may see `grant`."""
    if not await visible_grants(info, [grant]):
        raise forbidden(SEES_EVERY_GRANT, "机构人员只能查看本机构作为使用方或提供方的授权",
                        "agency staff see only the grants their agency consumes or provides")


async def own_keys(info: Info, label: Label, prop: str, agency: str | None) -> list[str]:
    """Keys of every node of `label` whose `prop` is `agency` (all of them, page by page)."""
    keys: list[str] = []
    after: str | None = None
    while agency is not None:
        page = await info.context.store.find_nodes(label, {prop: agency}, after=after, limit=_OWN_BATCH)
        keys += [n.key for n in page.nodes]
        if not page.has_next or not page.nodes:
            break
        after = page.nodes[-1].key
    return keys


async def party_keys(info: Info, actor: Actor) -> tuple[list[str], list[str]]:
    """(the scenarios, the resources) of the actor's agency: as consumer and as provider."""
    scenarios = await own_keys(info, Label.SCENARIO, "agencyCode", actor.agency_code)
    resources = await own_keys(info, Label.RESOURCE, "providerCode", actor.agency_code)
    return scenarios, resources


async def grant_page(
    info: Info, scenario: str | None, first: int | None, after: str | None, make: Callable[[Node], T]
) -> Connection[T]:
    """A page of the grants the caller may see, optionally of one scenario."""
    actor = info.context.actor
    base = {"scenarioCode": scenario} if scenario is not None else {}
    if sees_every_grant(actor):
        return await page_of(info, Label.GRANT, base, first, after, make)
    scenarios, resources = await party_keys(info, actor)
    if scenario is not None:
        scenarios = [s for s in scenarios if s == scenario]
    return await page_of_either(
        info, Label.GRANT, {"scenarioCode": scenarios}, {**base, "resourceCode": resources}, first, after, make
    )
