"""What the application rules need from the store (申请规则所需的图数据).

The rules in `sharing.applications` are pure; these functions fetch their facts in a fixed
number of batch calls, whichever backend runs.
"""

from __future__ import annotations

from graph.model import Direction, Label, Node, Rel
from graph.store import GraphStore
from interchange.graph_mapping import grant_key
from sharing.application_errors import ApplicationRefusal as Code
from sharing.application_errors import WorkflowRefusal
from sharing.applications import SubmitFacts, SubmitRequest, application_key
from sharing.bureaus import is_big_data_bureau

_MAX_AGENCIES_PER_REGION = 500


def _missing(kind_zh: str, kind_en: str, key: str, field: str) -> WorkflowRefusal:
    return WorkflowRefusal(Code.NOT_FOUND, field, f"{kind_zh}「{key}」不存在", f"{kind_en} {key!r} does not exist",
                           key=key)


async def node_or_refusal(store: GraphStore, label: Label, key: str, kind_zh: str, kind_en: str,
                          field: str) -> Node:
    (node,) = await store.get_nodes(label, [key])
    if node is None:
        raise _missing(kind_zh, kind_en, key, field)
    return node


async def bureau_for(store: GraphStore, agency: Node) -> Node | None:
    """The big-data bureau of an agency's level and region (its 大数据工作主管部门), if the catalog
    names exactly one; otherwise None, and any bureau administrator of the level may act."""
    where = {"level": agency.get("level")}
    if agency.get("regionCode"):
        where["regionCode"] = agency.get("regionCode")
    page = await store.find_nodes(Label.AGENCY, where, limit=_MAX_AGENCIES_PER_REGION)
    bureaus = [a for a in page.nodes if is_big_data_bureau(a)]
    return bureaus[0] if len(bureaus) == 1 else None  # none, or no way to tell which one


async def submit_facts(store: GraphStore, request: SubmitRequest) -> SubmitFacts:
    scenario = await node_or_refusal(store, Label.SCENARIO, request.scenario_code, "应用场景", "scenario", "scenario")
    resource = await node_or_refusal(store, Label.RESOURCE, request.resource_code, "数据资源", "resource", "resource")
    consumer, provider = await store.get_nodes(
        Label.AGENCY, [str(scenario.get("agencyCode")), str(resource.get("providerCode"))]
    )
    if consumer is None or provider is None:
        raise _missing("机构", "agency", str(scenario.get("agencyCode") if consumer is None
                                                else resource.get("providerCode")), "scenario")
    (fields,) = await store.neighbors(Label.RESOURCE, [resource.key], Rel.HAS_FIELD, Direction.OUT)
    (services,) = await store.neighbors(Label.RESOURCE, [resource.key], Rel.MOUNTED_ON, Direction.IN)
    exposed = await store.neighbors(Label.SERVICE, [s.key for s in services], Rel.EXPOSES, Direction.OUT)
    letter = None
    if request.letter_key is not None:
        (letter,) = await store.get_nodes(Label.COMMITMENT_LETTER, [request.letter_key])
    (existing,) = await store.get_nodes(Label.APPLICATION, [application_key(scenario.key, resource.key)])
    keys = [grant_key(scenario.key, s.key) for s in services]
    held = await store.get_nodes(Label.GRANT, keys)
    grants = {s.key: g for s, g in zip(services, held, strict=True) if g is not None}
    return SubmitFacts(
        scenario=scenario, consumer=consumer, resource=resource, provider=provider, fields=fields,
        services=[(s, [str(f.get("name")) for f in e]) for s, e in zip(services, exposed, strict=True)],
        letter=letter, existing_application=existing, grants=grants,
        bureau=await bureau_for(store, provider),
    )


async def grant_facts(store: GraphStore, application: Node) -> tuple[Node | None, Node | None]:
    """The service an application asked for and any grant the scenario holds on it."""
    service_code = str(application.get("serviceCode"))
    (service,) = await store.get_nodes(Label.SERVICE, [service_code])
    (held,) = await store.get_nodes(Label.GRANT, [grant_key(str(application.get("scenarioCode")), service_code)])
    return service, held
