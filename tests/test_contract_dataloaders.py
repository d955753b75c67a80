"""A browse page costs a fixed number of store calls, whatever its size (无 N+1 查询)."""

from __future__ import annotations

from typing import Any

from app.backends import Backends
from interchange.load import load_document
from interchange.origins import Origins
from interchange.records import (
    AgencyRecord,
    CatalogDocument,
    FieldRecord,
    ResourceRecord,
    ServiceRecord,
)
from loaders.registry import Loaders
from resolvers.context import CatalogContext
from schema.build import build_schema
from tests.counting_store import CountingStore

PAGE = """query($first: Int) { resources(first: $first) { totalCount edges { node {
    code name provider { name level } fields(first: 10) { name dataType }
    services { code kind fields { name } } } } } }"""


def catalog(resources: int) -> CatalogDocument:
    agencies = [AgencyRecord(f"A{i:03d}", f"机构{i}", "CITY") for i in range(7)]
    res = [
        ResourceRecord(
            f"R{i:04d}", f"资源{i}", f"A{i % 7:03d}", "CONDITIONAL",
            fields=[FieldRecord(f"信息项{j}") for j in range(12)],
            services=[ServiceRecord(f"R{i:04d}-S{k}", f"服务{k}", "INTERFACE_QUERY",
                                    [f"信息项{k}", f"信息项{k + 1}"]) for k in range(2)],
        )
        for i in range(resources)
    ]
    return CatalogDocument(agencies=agencies, resources=res)


async def calls_for_page(backends: Backends, first: int) -> tuple[int, dict[str, Any]]:
    counting = CountingStore(backends.store)
    context = CatalogContext(store=counting, index=backends.index, writer=backends.writer,
                             loaders=Loaders(counting))
    result = await build_schema().execute(PAGE, variable_values={"first": first},
                                          context_value=context)
    assert result.errors is None, result.errors
    assert result.data is not None
    return counting.total, result.data


async def test_store_calls_do_not_grow_with_the_page_size(backends: Backends) -> None:
    await load_document(catalog(60), Origins(), "generated", backends.writer)
    small, _ = await calls_for_page(backends, 5)
    large, data_large = await calls_for_page(backends, 50)
    assert len(data_large["resources"]["edges"]) == 50
    node = data_large["resources"]["edges"][49]["node"]
    assert len(node["fields"]) == 10 and len(node["services"]) == 2
    assert node["services"][0]["fields"] == [{"name": "信息项0"}, {"name": "信息项1"}]
    assert small == large
    # find + count, then one call per level: providers, fields, services, service fields
    assert large == 6
