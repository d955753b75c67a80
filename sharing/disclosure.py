"""What an anonymous caller may see (匿名可见范围): the catalog's metadata, not who uses what.

Anonymous callers read agencies, resources, fields, services, scenarios, projects, supply and
demand lists. They never see grants (who holds which data), applications, commitment letters,
tokens or the audit trail, nor agencies' contacts. A lineage walked for them is the same walk
with those nodes taken out, together with whatever was reached only through them (a scenario
or an agency downstream of a grant), so the picture shows no trace of a grant.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from graph.model import Label, NodeRef
from sharing.identity import Actor
from sharing.lineage import Lineage

NOT_FOR_ANONYMOUS = frozenset({
    Label.GRANT,
    Label.APPLICATION,
    Label.COMMITMENT_LETTER,
    Label.ACCESS_TOKEN,
    Label.AUDIT_ENTRY,
})


def hidden_from(actor: Actor, label: Label) -> bool:
    """Whether nodes of `label` are withheld from `actor`."""
    return actor.is_anonymous and label in NOT_FOR_ANONYMOUS


def visible_lineage(actor: Actor, found: Lineage, unseen: Collection[NodeRef] = ()) -> Lineage:
    """The lineage as `actor` may see it: for anonymous callers without the labels above, for
    others without the `unseen` nodes (grants their agency is no party to,
    `sharing/grant_visibility.py`); in both cases also without what lies only beyond them."""
    if actor.is_anonymous:
        hidden = {n.node.ref for n in found.nodes if n.node.label in NOT_FOR_ANONYMOUS}
    else:
        hidden = set(unseen)
    if not hidden:
        return found

    def shown(path: tuple[NodeRef, ...]) -> bool:
        return not any(ref in hidden for ref in path)

    nodes = [n for n in found.nodes if shown(n.path)]
    kept = {n.node.ref for n in nodes}
    edges = [e for e in found.edges if e.edge.src in kept and e.edge.dst in kept]
    return replace(found, nodes=nodes, edges=edges)
