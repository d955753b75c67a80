"""`catalog load FILE`: read, validate whole, diff, write all-or-nothing (导入目录文件).

Nothing is written unless the whole file is valid; the graph write is one transaction; then
the search index follows (see `CatalogWriter`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from graph.model import Direction, Label, Rel
from graph.store import GraphStore
from interchange.catalog_diff import diff
from interchange.graph_mapping import document_changes
from interchange.json_format import read_json
from interchange.origins import Origins
from interchange.problems import InvalidCatalogFile, Problem
from interchange.records import CatalogDocument
from interchange.validation import KnownCodes, validate
from interchange.xlsx_format import read_xlsx
from sharing.catalog_writer import CatalogWriter

Progress = Callable[[str, int, int], None]  # (phase, done, total)


@dataclass(slots=True)
class LoadReport:
    """What a load did (导入结果)."""

    file: str
    rows: int
    nodes_written: int
    nodes_deleted: int
    edge_lists_written: int
    search_pending: int

    @property
    def unchanged(self) -> bool:
        return self.nodes_written == 0 and self.nodes_deleted == 0 and self.edge_lists_written == 0


def read_file(path: Path, progress: Callable[[int], None] | None = None
              ) -> tuple[CatalogDocument, Origins]:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return read_json(path, progress)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, progress)
    raise InvalidCatalogFile([
        Problem(path.name, "", None, None, "BAD_FORMAT",
                f"不支持的文件类型「{suffix}」，请使用 .json 或 .xlsx",
                f"unsupported file type {suffix!r}: use .json or .xlsx")
    ])


async def known_codes(store: GraphStore, doc: CatalogDocument) -> KnownCodes:
    """The codes the document references that the store already holds."""
    async def present(label: Label, keys: set[str]) -> set[str]:
        nodes = await store.get_nodes(label, sorted(keys))
        return {n.key for n in nodes if n is not None}

    agencies = {a.parent for a in doc.agencies if a.parent}
    agencies |= {r.provider for r in doc.resources}
    agencies |= {s.agency for s in doc.scenarios} | {p.owner for p in doc.projects}
    resources = {c for r in doc.resources for c in (*r.related, *r.derived_from)}
    resources |= {c for p in doc.projects for c in (*p.supplies, *p.uses)}
    services = {g.service for g in doc.grants}
    scenarios = {g.scenario for g in doc.grants}

    known_services = await present(Label.SERVICE, services)
    exposed = await store.neighbors(
        Label.SERVICE, sorted(known_services), Rel.EXPOSES, Direction.OUT
    )
    service_fields = {
        code: frozenset(str(f.get("name")) for f in group)
        for code, group in zip(sorted(known_services), exposed, strict=True)
    }
    return KnownCodes(
        agencies=frozenset(await present(Label.AGENCY, agencies)),
        resources=frozenset(await present(Label.RESOURCE, resources)),
        services=frozenset(known_services),
        scenarios=frozenset(await present(Label.SCENARIO, scenarios)),
        service_fields=service_fields,
    )


async def load_document(
    doc: CatalogDocument,
    origins: Origins,
    file: str,
    writer: CatalogWriter,
    progress: Progress | None = None,
) -> LoadReport:
    store = writer.store
    problems = validate(doc, file, await known_codes(store, doc), origins)
    if problems:
        raise InvalidCatalogFile(problems)
    changes = await diff(store, document_changes(doc))
    edge_lists = len(changes.edges)
    total = max(1, changes.size())

    def index_progress(n: int) -> None:
        if progress:
            progress("index", n, total)

    outcome = await writer.apply(changes, index_progress)
    return LoadReport(
        file=file,
        rows=doc.row_count(),
        nodes_written=outcome.nodes_written,
        nodes_deleted=outcome.nodes_deleted,
        edge_lists_written=edge_lists,
        search_pending=outcome.documents_pending,
    )


async def load_file(path: Path, writer: CatalogWriter, progress: Progress | None = None
                    ) -> LoadReport:
    def read_progress(n: int) -> None:
        if progress:
            progress("read", n, 0)

    doc, origins = read_file(path, read_progress)
    return await load_document(doc, origins, path.name, writer, progress)
