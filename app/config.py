"""Configuration, from the environment and the command line (配置).

Backends are chosen by URL: `CATALOG_GRAPH_URL=bolt://127.0.0.1:7687` selects Neo4j and
`CATALOG_SEARCH_URL=http://127.0.0.1:9200` Elasticsearch; unset, the embedded default in
`CATALOG_DATA_DIR` (default `./.data`) serves both. `CATALOG_SYNONYMS_FILE` names the synonym
dictionary both indexes read and the `updateSynonyms` mutation writes (default: the bundled
`search/data/synonyms.tsv`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path = Path(".data")
    graph_url: str | None = None  # bolt:// or neo4j:// → Neo4j; None → embedded
    graph_user: str | None = None
    graph_password: str | None = None
    graph_database: str = "neo4j"
    search_url: str | None = None  # http(s):// → Elasticsearch; None → embedded
    search_user: str | None = None
    search_password: str | None = None
    search_index: str = "catalog"  # the alias; versioned indices sit behind it
    synonyms_path: Path | None = None  # the synonym dictionary file; None → the bundled one

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        e = os.environ if env is None else env

        def get(name: str) -> str | None:
            value = e.get(name, "").strip()
            return value or None

        return cls(
            data_dir=Path(get("CATALOG_DATA_DIR") or ".data"),
            graph_url=get("CATALOG_GRAPH_URL"),
            graph_user=get("CATALOG_GRAPH_USER"),
            graph_password=get("CATALOG_GRAPH_PASSWORD"),
            graph_database=get("CATALOG_GRAPH_DATABASE") or "neo4j",
            search_url=get("CATALOG_SEARCH_URL"),
            search_user=get("CATALOG_SEARCH_USER"),
            search_password=get("CATALOG_SEARCH_PASSWORD"),
            search_index=get("CATALOG_SEARCH_INDEX") or "catalog",
            synonyms_path=Path(p) if (p := get("CATALOG_SYNONYMS_FILE")) else None,
        )

    def with_data_dir(self, data_dir: Path | None) -> Settings:
        return self if data_dir is None else replace(self, data_dir=data_dir)

    def describe(self) -> str:
        graph = self.graph_url or f"embedded ({self.data_dir / 'graph.sqlite3'})"
        search = self.search_url or f"embedded ({self.data_dir / 'search.sqlite3'})"
        return f"graph: {graph}; search: {search}"
