"""Which backends the contract suite runs against (契约测试的后端).

The embedded default always. Neo4j when `CATALOG_TEST_GRAPH_URL` is set and Elasticsearch
when `CATALOG_TEST_SEARCH_URL` is set; with `CATALOG_TEST_REQUIRE_SERVERS=1` (CI) an unset or
unreachable server is a failure, never a skip.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from app.config import Settings

REQUIRE = os.environ.get("CATALOG_TEST_REQUIRE_SERVERS") == "1"


@dataclass(frozen=True)
class BackendCase:
    name: str
    graph_url: str | None
    search_url: str | None

    def settings(self, data_dir: Path, namespace: str) -> Settings:
        return Settings(
            data_dir=data_dir,
            graph_url=self.graph_url,
            graph_database=os.environ.get("CATALOG_TEST_GRAPH_DATABASE", "neo4j"),
            search_url=self.search_url,
            search_index=f"test-{namespace}",
        )


def cases() -> list[BackendCase]:
    found = [BackendCase("embedded", None, None)]
    graph = os.environ.get("CATALOG_TEST_GRAPH_URL")
    search = os.environ.get("CATALOG_TEST_SEARCH_URL")
    if REQUIRE and not (graph and search):
        raise RuntimeError(
            "CATALOG_TEST_REQUIRE_SERVERS=1 but CATALOG_TEST_GRAPH_URL / "
            "CATALOG_TEST_SEARCH_URL are not both set"
        )
    if graph or search:
        found.append(BackendCase("servers", graph, search))
    return found
