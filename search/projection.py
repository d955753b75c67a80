"""Search documents derived from the graph (由图生成检索文档).

The graph is the source of truth; the index holds this projection of it and can always be
rebuilt from it. A field's document carries its resource and provider so that hits can be
shown and faceted without another lookup.

A retired resource (停用, `sharing/catalog_upkeep.py`) and its fields are left out: they stay in
the catalog, readable by code, but search and demand matching no longer offer them to anyone
looking for data to use. Retiring one removes their documents like a delete.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from graph.model import Label, Node, NodeRef
from graph.store import GraphStore
from search.index import DocKind, SearchDoc

RETIRED = "RETIRED"  # a resource's status once retired (sharing.catalog_upkeep.ResourceStatus)

INDEXED_LABELS: dict[Label, DocKind] = {
    Label.FIELD: DocKind.FIELD,
    Label.RESOURCE: DocKind.RESOURCE,
    Label.AGENCY: DocKind.AGENCY,
    Label.SCENARIO: DocKind.SCENARIO,
}


def _text(*parts: object) -> str:
    return " ".join(str(p) for p in parts if p)


async def project(store: GraphStore, refs: Sequence[NodeRef]) -> tuple[list[SearchDoc], list[str]]:
    """Documents for the indexed nodes among `refs`, and the ids of those no longer in the graph."""
    by_label: dict[Label, list[str]] = {}
    for ref in dict.fromkeys(refs):
        if ref.label in INDEXED_LABELS:
            by_label.setdefault(ref.label, []).append(ref.key)
    nodes: list[Node] = []
    gone: list[str] = []
    for label, keys in by_label.items():
        for key, node in zip(keys, await store.get_nodes(label, keys), strict=True):
            if node is None:
                gone.append(NodeRef(label, key).id)
            else:
                nodes.append(node)

    fields = [n for n in nodes if n.label is Label.FIELD]
    resource_codes = {str(n.get("resourceCode")) for n in fields}
    resource_codes |= {n.key for n in nodes if n.label is Label.RESOURCE}
    resources = {r.key: r for r in await store.get_nodes(Label.RESOURCE, sorted(resource_codes)) if r is not None}
    agency_codes = {str(r.get("providerCode")) for r in resources.values()}
    agency_codes |= {str(n.get("agencyCode")) for n in nodes if n.label is Label.SCENARIO}
    agency_codes |= {n.key for n in nodes if n.label is Label.AGENCY}
    agencies = {a.key: a for a in await store.get_nodes(Label.AGENCY, sorted(agency_codes)) if a is not None}
    docs = documents(nodes, resources, agencies)
    made = {d.id for d in docs}
    return docs, gone + [n.id for n in nodes if n.id not in made]


def documents(nodes: Sequence[Node], resources: Mapping[str, Node], agencies: Mapping[str, Node]) -> list[SearchDoc]:
    """The documents of indexed `nodes`, given the resources and agencies they name by code."""
    docs: list[SearchDoc] = []
    for n in nodes:
        if n.label is Label.FIELD:
            res = resources.get(str(n.get("resourceCode")))
            if res is not None and res.get("status") == RETIRED:
                continue
            prov = agencies.get(str(res.get("providerCode"))) if res else None
            docs.append(
                SearchDoc(
                    id=n.id,
                    kind=DocKind.FIELD,
                    name=str(n.get("name")),
                    text=_text(n.get("description")),
                    sharing_type=(n.get("sharingType") or (res.get("sharingType") if res else None)),
                    category=res.get("category") if res else None,
                    provider_code=prov.key if prov else None,
                    provider_name=prov.get("name") if prov else None,
                    level=prov.get("level") if prov else None,
                    resource_code=res.key if res else None,
                    resource_name=res.get("name") if res else None,
                )
            )
        elif n.label is Label.RESOURCE:
            if n.get("status") == RETIRED:
                continue
            prov = agencies.get(str(n.get("providerCode")))
            docs.append(
                SearchDoc(
                    id=n.id,
                    kind=DocKind.RESOURCE,
                    name=str(n.get("name")),
                    text=_text(n.get("summary"), n.get("sharingCondition")),
                    sharing_type=n.get("sharingType"),
                    category=n.get("category"),
                    provider_code=prov.key if prov else None,
                    provider_name=prov.get("name") if prov else None,
                    level=prov.get("level") if prov else None,
                    resource_code=n.key,
                    resource_name=str(n.get("name")),
                )
            )
        elif n.label is Label.AGENCY:
            docs.append(
                SearchDoc(
                    id=n.id,
                    kind=DocKind.AGENCY,
                    name=str(n.get("name")),
                    text=_text(n.get("shortName"), n.get("regionName")),
                    provider_code=n.key,
                    provider_name=str(n.get("name")),
                    level=n.get("level"),
                )
            )
        else:
            owner = agencies.get(str(n.get("agencyCode")))
            docs.append(
                SearchDoc(
                    id=n.id,
                    kind=DocKind.SCENARIO,
                    name=str(n.get("name")),
                    text=_text(n.get("description")),
                    provider_code=owner.key if owner else None,
                    provider_name=owner.get("name") if owner else None,
                    level=owner.get("level") if owner else None,
                )
            )
    return docs
