"""Who sees which grant (授权可见范围), R11.

A grant says which agency uses which data for which scenario. Bureau administrators and planners
read every grant (they oversee the sharing and trace dependencies across the catalog). An
agency's own people (chief representative, staff) see the grants their agency is a party to:
as the consumer (the grant's scenario is the agency's) or as the provider (the granted resource
is the agency's). Anonymous callers see none (`sharing/disclosure.py`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence

from graph.model import Label, Node, NodeRef
from graph.store import GraphStore
from sharing.identity import Actor, Role

SEES_EVERY_GRANT = (Role.BUREAU_ADMIN, Role.PLANNER)


def sees_every_grant(actor: Actor) -> bool:
    return actor.role in SEES_EVERY_GRANT


def is_party(actor: Actor, grant: Node, scenario: Node | None, resource: Node | None) -> bool:
    """Whether `actor`'s agency consumes or provides the data of `grant` (whose scenario and
    resource are given when they exist); the codes a workflow grant carries count as well."""
    consumers = {grant.get("consumerCode"), scenario.get("agencyCode") if scenario else None}
    providers = {grant.get("providerCode"), resource.get("providerCode") if resource else None}
    return any(actor.acts_for(str(code)) for code in (consumers | providers) - {None})


def sees_grant(actor: Actor, grant: Node, scenario: Node | None, resource: Node | None) -> bool:
    if actor.is_anonymous:
        return False
    return sees_every_grant(actor) or is_party(actor, grant, scenario, resource)


# How the scenarios and resources of grants are read: the store's `get_nodes`, or a request's loaders.
NodesOf = Callable[[Label, Sequence[str]], Awaitable[Sequence[Node | None]]]


async def unseen_grants(actor: Actor, grants: Sequence[Node], nodes_of: NodesOf) -> set[NodeRef]:
    """The grants among `grants` that `actor` may not see (all of them for anonymous callers)."""
    if sees_every_grant(actor) or not grants:
        return set()
    if actor.is_anonymous:
        return {g.ref for g in grants}
    scenarios = await nodes_of(Label.SCENARIO, [str(g.get("scenarioCode") or "") for g in grants])
    resources = await nodes_of(Label.RESOURCE, [str(g.get("resourceCode") or "") for g in grants])
    return {g.ref for g, s, r in zip(grants, scenarios, resources, strict=True) if not is_party(actor, g, s, r)}


async def unseen_usage(store: GraphStore, actor: Actor, nodes: Iterable[Node]) -> set[NodeRef]:
    """The grants and applications among `nodes` a signed-in `actor` may not see (none for the
    bureau and planners): those its agency is not a party to."""
    if sees_every_grant(actor) or actor.is_anonymous:
        return set()
    nodes = list(nodes)
    hidden = {
        n.ref for n in nodes
        if n.label is Label.APPLICATION
        and not (actor.acts_for(n.get("applicantCode")) or actor.acts_for(n.get("providerCode")))
    }
    return hidden | await unseen_grants(actor, [n for n in nodes if n.label is Label.GRANT], store.get_nodes)
