"""Catalog documents to graph changes and back (目录文件与图之间的映射).

Property names on nodes are the camelCase keys of the JSON format, so what a file says and
what the graph holds read the same. Keys: agencies, resources, services, scenarios and
projects by their codes; a field by `<resource code>#<field name>`; a grant by
`<scenario code>|<service code>`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from graph.model import ChangeSet, Edge, Label, Node, NodeRef, Rel
from interchange.records import (
    AgencyRecord,
    CatalogDocument,
    Contact,
    FieldRecord,
    GrantRecord,
    ProjectRecord,
    ResourceRecord,
    ScenarioRecord,
    ServiceRecord,
)


def field_key(resource_code: str, name: str) -> str:
    return f"{resource_code}#{name}"


def grant_key(scenario: str, service: str) -> str:
    return f"{scenario}|{service}"


def _ordered(rel: Rel, src: NodeRef, dsts: Iterable[NodeRef]) -> list[Edge]:
    return [Edge(rel, src, d, {"position": i}) for i, d in enumerate(dsts)]


def agency_node(a: AgencyRecord) -> Node:
    contacts = [
        {"role": c.role, "name": c.name, "phone": c.phone, "email": c.email} for c in a.contacts
    ]
    return Node(
        Label.AGENCY,
        a.code,
        {
            "code": a.code,
            "name": a.name,
            "shortName": a.short_name,
            "level": a.level,
            "regionCode": a.region_code,
            "regionName": a.region_name,
            "parentCode": a.parent,
            "contacts": json.dumps(contacts, ensure_ascii=False),
        },
    )


def resource_node(r: ResourceRecord) -> Node:
    return Node(
        Label.RESOURCE,
        r.code,
        {
            "code": r.code,
            "name": r.name,
            "summary": r.summary,
            "providerCode": r.provider,
            "category": r.category,
            "categoryCode": r.category_code,
            "format": r.format,
            "sharingType": r.sharing_type,
            "sharingCondition": r.sharing_condition,
            "legalBasis": r.legal_basis,
            "openToPublic": r.open_to_public,
            "updateCycle": r.update_cycle,
            "publishedAt": r.published_at,
            "updatedAt": r.updated_at,
            "aggregated": r.aggregated,
            "notAggregatedReason": r.not_aggregated_reason,
        },
    )


def field_node(resource_code: str, f: FieldRecord, position: int) -> Node:
    return Node(
        Label.FIELD,
        field_key(resource_code, f.name),
        {
            "name": f.name,
            "resourceCode": resource_code,
            "dataType": f.data_type,
            "length": f.length,
            "description": f.description,
            "sharingType": f.sharing_type,
            "position": position,
        },
    )


def service_node(resource_code: str, s: ServiceRecord, position: int) -> Node:
    return Node(
        Label.SERVICE,
        s.code,
        {
            "code": s.code,
            "name": s.name,
            "kind": s.kind,
            "status": s.status,
            "resourceCode": resource_code,
            "position": position,
        },
    )


def document_changes(doc: CatalogDocument) -> ChangeSet:
    """Every node and outgoing edge the document describes, as one change set."""
    cs = ChangeSet()
    for a in doc.agencies:
        node = agency_node(a)
        cs.upserts.append(node)
        parents = [NodeRef(Label.AGENCY, a.parent)] if a.parent else []
        cs.set_edges(node.ref, Rel.SUPERVISED_BY, parents)
    for r in doc.resources:
        _resource_changes(cs, r)
    for sc in doc.scenarios:
        node = Node(
            Label.SCENARIO,
            sc.code,
            {"code": sc.code, "name": sc.name, "agencyCode": sc.agency,
             "description": sc.description},
        )
        cs.upserts.append(node)
        cs.set_edges(node.ref, Rel.OWNED_BY, [NodeRef(Label.AGENCY, sc.agency)])
    services = {s.code: r.code for r in doc.resources for s in r.services}
    for g in doc.grants:
        _grant_changes(cs, g, services.get(g.service))
    for p in doc.projects:
        node = Node(
            Label.PROJECT,
            p.code,
            {"code": p.code, "name": p.name, "ownerCode": p.owner, "stage": p.stage},
        )
        cs.upserts.append(node)
        cs.set_edges(node.ref, Rel.OWNED_BY, [NodeRef(Label.AGENCY, p.owner)])
        cs.edges[(node.ref, Rel.DECLARES)] = _ordered(
            Rel.DECLARES, node.ref, (NodeRef(Label.RESOURCE, c) for c in p.supplies)
        )
        cs.edges[(node.ref, Rel.DEPENDS_ON)] = _ordered(
            Rel.DEPENDS_ON, node.ref, (NodeRef(Label.RESOURCE, c) for c in p.uses)
        )
    return cs


def _resource_changes(cs: ChangeSet, r: ResourceRecord) -> None:
    node = resource_node(r)
    ref = node.ref
    cs.upserts.append(node)
    cs.set_edges(ref, Rel.PROVIDED_BY, [NodeRef(Label.AGENCY, r.provider)])
    cs.edges[(ref, Rel.RELATED_TO)] = _ordered(
        Rel.RELATED_TO, ref, (NodeRef(Label.RESOURCE, c) for c in r.related)
    )
    cs.edges[(ref, Rel.DERIVED_FROM)] = _ordered(
        Rel.DERIVED_FROM, ref, (NodeRef(Label.RESOURCE, c) for c in r.derived_from)
    )
    fields = [field_node(r.code, f, i) for i, f in enumerate(r.fields)]
    cs.upserts.extend(fields)
    cs.set_edges(ref, Rel.HAS_FIELD, [f.ref for f in fields])
    for i, s in enumerate(r.services):
        snode = service_node(r.code, s, i)
        cs.upserts.append(snode)
        cs.set_edges(snode.ref, Rel.MOUNTED_ON, [ref])
        cs.set_edges(
            snode.ref,
            Rel.EXPOSES,
            [NodeRef(Label.FIELD, field_key(r.code, name)) for name in s.fields],
        )


def _grant_changes(cs: ChangeSet, g: GrantRecord, resource_code: str | None) -> None:
    node = Node(
        Label.GRANT,
        grant_key(g.scenario, g.service),
        {"scenarioCode": g.scenario, "serviceCode": g.service, "fields": list(g.fields),
         "status": g.status, "resourceCode": resource_code},
    )
    cs.upserts.append(node)
    cs.set_edges(node.ref, Rel.FOR_SCENARIO, [NodeRef(Label.SCENARIO, g.scenario)])
    cs.set_edges(node.ref, Rel.GRANTS_ACCESS_TO, [NodeRef(Label.SERVICE, g.service)])
    if resource_code is not None:
        cs.set_edges(
            node.ref,
            Rel.COVERS_FIELD,
            [NodeRef(Label.FIELD, field_key(resource_code, f)) for f in g.fields],
        )


# --- graph to records -------------------------------------------------------------------

def _s(node: Node, name: str) -> Any:
    return node.props.get(name)


def agency_record(node: Node) -> AgencyRecord:
    contacts = [Contact(**c) for c in json.loads(_s(node, "contacts") or "[]")]
    return AgencyRecord(
        code=node.key,
        name=_s(node, "name"),
        level=_s(node, "level"),
        short_name=_s(node, "shortName"),
        region_code=_s(node, "regionCode"),
        region_name=_s(node, "regionName"),
        parent=_s(node, "parentCode"),
        contacts=contacts,
    )


def resource_record(
    node: Node,
    fields: list[Node],
    services: list[tuple[Node, list[str]]],
    related: list[str],
    derived_from: list[str],
) -> ResourceRecord:
    return ResourceRecord(
        code=node.key,
        name=_s(node, "name"),
        provider=_s(node, "providerCode"),
        sharing_type=_s(node, "sharingType"),
        summary=_s(node, "summary"),
        category=_s(node, "category"),
        category_code=_s(node, "categoryCode"),
        format=_s(node, "format"),
        sharing_condition=_s(node, "sharingCondition"),
        legal_basis=_s(node, "legalBasis"),
        open_to_public=bool(_s(node, "openToPublic")),
        update_cycle=_s(node, "updateCycle"),
        published_at=_s(node, "publishedAt"),
        updated_at=_s(node, "updatedAt"),
        aggregated=bool(_s(node, "aggregated")),
        not_aggregated_reason=_s(node, "notAggregatedReason"),
        related=related,
        derived_from=derived_from,
        fields=[
            FieldRecord(
                name=_s(f, "name"),
                data_type=_s(f, "dataType"),
                length=_s(f, "length"),
                description=_s(f, "description"),
                sharing_type=_s(f, "sharingType"),
            )
            for f in fields
        ],
        services=[
            ServiceRecord(
                code=s.key, name=_s(s, "name"), kind=_s(s, "kind"), fields=names,
                status=_s(s, "status"),
            )
            for s, names in services
        ],
    )


def scenario_record(node: Node) -> ScenarioRecord:
    return ScenarioRecord(
        code=node.key, name=_s(node, "name"), agency=_s(node, "agencyCode"),
        description=_s(node, "description"),
    )


def grant_record(node: Node) -> GrantRecord:
    return GrantRecord(
        scenario=_s(node, "scenarioCode"), service=_s(node, "serviceCode"),
        fields=list(_s(node, "fields") or []), status=_s(node, "status"),
    )


def project_record(node: Node, supplies: list[str], uses: list[str]) -> ProjectRecord:
    return ProjectRecord(
        code=node.key, name=_s(node, "name"), owner=_s(node, "ownerCode"),
        stage=_s(node, "stage"), supplies=supplies, uses=uses,
    )
