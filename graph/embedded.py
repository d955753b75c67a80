"""The embedded default graph store: a property graph in one SQLite file (嵌入式图存储).

SQLite ships with Python, persists on disk, and gives real transactions, so a fresh machine
serves a catalog with no server installed. The graph is two tables: nodes keyed by
(label, key) and edges keyed by (type, source, destination).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator, Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

from graph import change_log
from graph.breadth_first import breadth_first
from graph.errors import AlreadyExists, IntegrityError
from graph.model import (
    ChangeSet,
    Direction,
    Edge,
    Label,
    Node,
    NodeRef,
    Page,
    PropValue,
    Rel,
    Step,
    Walk,
    walk_steps,
)
from graph.store import GraphStore, Where

_SCHEMA = """
CREATE TABLE IF NOT EXISTS node (
    label TEXT NOT NULL,
    key   TEXT NOT NULL,
    props TEXT NOT NULL,
    PRIMARY KEY (label, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS edge (
    type      TEXT NOT NULL,
    src_label TEXT NOT NULL,
    src_key   TEXT NOT NULL,
    dst_label TEXT NOT NULL,
    dst_key   TEXT NOT NULL,
    props     TEXT NOT NULL,
    PRIMARY KEY (type, src_label, src_key, dst_label, dst_key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS edge_by_dst ON edge (type, dst_label, dst_key);
CREATE INDEX IF NOT EXISTS edge_by_src_node ON edge (src_label, src_key);
CREATE INDEX IF NOT EXISTS edge_by_dst_node ON edge (dst_label, dst_key);
"""

# Properties filtered often enough to deserve an index (json_extract expression indexes).
_INDEXED_PROPS = ("providerCode", "resourceCode", "sharingType", "category", "level", "agencyCode")

_CHUNK = 500  # stays well under SQLite's bound-parameter limit


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def _dump(props: Any) -> str:
    return json.dumps(dict(props), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _node(label: str, key: str, props: str) -> Node:
    return Node(Label(label), key, json.loads(props))


class EmbeddedGraphStore(GraphStore):
    """A `GraphStore` in `<data_dir>/graph.sqlite3`."""

    def __init__(self, data_dir: Path | str) -> None:
        self._path = Path(data_dir) / "graph.sqlite3"
        self._db: sqlite3.Connection | None = None

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError("store is not open")
        return self._db

    async def open(self) -> None:
        if self._db is not None:
            return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=OFF")
        db.executescript(_SCHEMA)
        for prop in _INDEXED_PROPS:
            db.execute(
                f"CREATE INDEX IF NOT EXISTS node_by_{prop} "
                f"ON node (label, json_extract(props, '$.{prop}'), key)"
            )
        self._db = db

    async def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    async def get_nodes(self, label: Label, keys: Sequence[str]) -> list[Node | None]:
        found: dict[str, Node] = {}
        unique = list(dict.fromkeys(keys))
        for chunk in _chunks(unique):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT key, props FROM node WHERE label = ? AND key IN ({marks})",
                (label.value, *chunk),
            )
            for key, props in rows:
                found[key] = _node(label.value, key, props)
        return [found.get(k) for k in keys]

    async def neighbors(
        self, label: Label, keys: Sequence[str], rel: Rel, direction: Direction
    ) -> list[list[Node]]:
        result: dict[str, list[tuple[Any, str, Node]]] = {k: [] for k in keys}
        decoded: dict[tuple[str, str], Node] = {}
        unique = list(dict.fromkeys(keys))
        sides = []
        if direction in (Direction.OUT, Direction.BOTH):
            sides.append(("src", "dst"))
        if direction in (Direction.IN, Direction.BOTH):
            sides.append(("dst", "src"))
        for here, there in sides:
            for chunk in _chunks(unique):
                marks = ",".join("?" * len(chunk))
                rows = self.db.execute(
                    f"SELECT e.{here}_key, n.label, n.key, n.props FROM edge e "
                    f"JOIN node n ON n.label = e.{there}_label AND n.key = e.{there}_key "
                    f"WHERE e.type = ? AND e.{here}_label = ? AND e.{here}_key IN ({marks})",
                    (rel.value, label.value, *chunk),
                )
                for origin, n_label, n_key, n_props in rows:
                    # a node reached from many origins (a service exposing many fields) is decoded once
                    node = decoded.get((n_label, n_key))
                    if node is None:
                        node = decoded[(n_label, n_key)] = _node(n_label, n_key, n_props)
                    result[origin].append((node.get("position", 0), n_key, node))
        return [[n for _, _, n in sorted(result[k], key=lambda t: (t[0] or 0, t[1]))] for k in keys]

    async def count_neighbors(
        self, label: Label, keys: Sequence[str], rel: Rel, direction: Direction
    ) -> list[int]:
        # an edge always joins two existing nodes (checked on write, removed with a node)
        counts = dict.fromkeys(keys, 0)
        sides = []
        if direction in (Direction.OUT, Direction.BOTH):
            sides.append("src")
        if direction in (Direction.IN, Direction.BOTH):
            sides.append("dst")
        for here in sides:
            for chunk in _chunks(list(dict.fromkeys(keys))):
                marks = ",".join("?" * len(chunk))
                rows = self.db.execute(
                    f"SELECT {here}_key, count(*) FROM edge "
                    f"WHERE type = ? AND {here}_label = ? AND {here}_key IN ({marks}) GROUP BY {here}_key",
                    (rel.value, label.value, *chunk),
                )
                for key, count in rows:
                    counts[key] += count
        return [counts[k] for k in keys]

    def _where_sql(self, label: Label, where: Where | None) -> tuple[str, list[Any]]:
        sql = ["label = ?"]
        args: list[Any] = [label.value]
        for name, value in (where or {}).items():
            if not name.isidentifier():
                raise ValueError(f"bad property name {name!r}")
            expr = f"json_extract(props, '$.{name}')"
            if isinstance(value, list | tuple):
                if not value:
                    sql.append("0")
                    continue
                sql.append(f"{expr} IN ({','.join('?' * len(value))})")
                args.extend(_sql_value(v) for v in value)
            elif value is None:
                sql.append(f"{expr} IS NULL")
            else:
                sql.append(f"{expr} = ?")
                args.append(_sql_value(value))  # type: ignore[arg-type]
        return " AND ".join(sql), args

    async def find_nodes(
        self, label: Label, where: Where | None = None, *, after: str | None = None, limit: int = 50
    ) -> Page:
        cond, args = self._where_sql(label, where)
        if after is not None:
            cond += " AND key > ?"
            args.append(after)
        rows = self.db.execute(
            f"SELECT key, props FROM node WHERE {cond} ORDER BY key LIMIT ?", (*args, limit + 1)
        ).fetchall()
        nodes = [_node(label.value, k, p) for k, p in rows[:limit]]
        return Page(nodes, len(rows) > limit)

    async def count_nodes(self, label: Label, where: Where | None = None) -> int:
        cond, args = self._where_sql(label, where)
        (count,) = self.db.execute(f"SELECT count(*) FROM node WHERE {cond}", args).fetchone()
        return int(count)

    async def iter_nodes(self, label: Label, batch: int = 1000) -> AsyncIterator[list[Node]]:
        after: str | None = None
        while True:
            page = await self.find_nodes(label, after=after, limit=batch)
            if page.nodes:
                yield page.nodes
            if not page.has_next:
                return
            after = page.nodes[-1].key

    async def edges_from(self, label: Label, keys: Sequence[str], rel: Rel) -> list[Edge]:
        edges: list[Edge] = []
        for chunk in _chunks(list(dict.fromkeys(keys))):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                "SELECT src_key, dst_label, dst_key, props FROM edge "
                f"WHERE type = ? AND src_label = ? AND src_key IN ({marks}) "
                "ORDER BY src_key, dst_label, dst_key",
                (rel.value, label.value, *chunk),
            )
            for src_key, dst_label, dst_key, props in rows:
                edges.append(
                    Edge(rel, NodeRef(label, src_key), NodeRef(Label(dst_label), dst_key),
                         json.loads(props))
                )
        return edges

    async def write(self, changes: ChangeSet) -> None:
        if changes.is_empty():
            return
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            for ref in changes.deletes:
                args = (ref.label.value, ref.key)
                db.execute("DELETE FROM edge WHERE src_label = ? AND src_key = ?", args)
                db.execute("DELETE FROM edge WHERE dst_label = ? AND dst_key = ?", args)
                db.execute("DELETE FROM node WHERE label = ? AND key = ?", args)
            self._check_new(changes.new)
            db.executemany(
                "INSERT INTO node (label, key, props) VALUES (?, ?, ?) "
                "ON CONFLICT (label, key) DO UPDATE SET props = excluded.props",
                [(n.label.value, n.key, _dump(n.props)) for n in changes.upserts],
            )
            for (src, rel), edges in changes.edges.items():
                db.execute(
                    "DELETE FROM edge WHERE type = ? AND src_label = ? AND src_key = ?",
                    (rel.value, src.label.value, src.key),
                )
                db.executemany(
                    "INSERT OR REPLACE INTO edge VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (rel.value, e.src.label.value, e.src.key, e.dst.label.value, e.dst.key,
                         _dump(e.props))
                        for e in edges
                    ],
                )
            self._check_endpoints(changes)
            self._append_log(change_log.write_tokens(changes))
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def _append_log(self, tokens: list[str]) -> None:
        """The change-log entry of this write, inside its transaction (`graph.change_log`):
        BEGIN IMMEDIATE holds the write lock, so the next number is this commit's."""
        db, label = self.db, Label.CHANGE_LOG.value
        head = db.execute(
            "SELECT props FROM node WHERE label = ? AND key = ?", (label, change_log.HEAD_KEY)
        ).fetchone()
        seq = (int(json.loads(head[0]).get("seq", 0)) if head else 0) + 1
        db.executemany(
            "INSERT INTO node (label, key, props) VALUES (?, ?, ?) "
            "ON CONFLICT (label, key) DO UPDATE SET props = excluded.props",
            [(label, change_log.HEAD_KEY, _dump({"seq": seq})),
             (label, change_log.entry_key(seq), _dump(change_log.entry_props(seq, tokens)))],
        )
        db.execute(
            "DELETE FROM node WHERE label = ? AND key > ? AND key <= ?",
            (label, change_log.HEAD_KEY, change_log.entry_key(seq - change_log.RETAINED)),
        )

    def _exists(self, ref: NodeRef) -> bool:
        return self.db.execute(
            "SELECT 1 FROM node WHERE label = ? AND key = ?", (ref.label.value, ref.key)
        ).fetchone() is not None

    def _check_new(self, refs: Iterable[NodeRef]) -> None:
        """Create-if-absent: BEGIN IMMEDIATE holds the write lock, so no other writer can
        create one of these between this check and the commit."""
        there = [r.id for r in refs if self._exists(r)]
        if there:
            raise AlreadyExists(there)

    def _check_endpoints(self, changes: ChangeSet) -> None:
        """Every edge written must join two existing nodes."""
        refs = {e.src for es in changes.edges.values() for e in es}
        refs |= {e.dst for es in changes.edges.values() for e in es}
        missing = [r for r in refs if not self._exists(r)]
        if missing:
            names = ", ".join(sorted(r.id for r in missing)[:5])
            raise IntegrityError(f"edge to a missing node: {names}")

    async def walk(
        self, start: NodeRef, rels: Sequence[Rel], direction: Direction, depth: int, limit: int
    ) -> Walk:
        return await breadth_first_walk(self, start, rels, direction, depth, limit)

    async def trace(
        self,
        start: NodeRef,
        steps: Sequence[Step],
        depth: int,
        limit: int,
        *,
        leaves: Collection[Label] = (),
        probe: bool = True,
    ) -> Walk:
        return await breadth_first_trace(self, start, steps, depth, limit, leaves=leaves, probe=probe)

    async def clear(self) -> None:
        # the change log stays (its numbers go on) and records that everything changed
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("DELETE FROM edge")
        self.db.execute("DELETE FROM node WHERE label != ?", (Label.CHANGE_LOG.value,))
        self._append_log([change_log.ALL])
        self.db.execute("COMMIT")


def _sql_value(value: PropValue) -> Any:
    if isinstance(value, bool):
        return int(value)  # json_extract returns 0/1 for JSON booleans
    return value


async def breadth_first_walk(
    store: GraphStore,
    start: NodeRef,
    rels: Sequence[Rel],
    direction: Direction,
    depth: int,
    limit: int,
) -> Walk:
    """A walk over `rels` in one direction, whatever the label: a trace with those steps."""
    return await breadth_first_trace(store, start, walk_steps(rels, direction), depth, limit, probe=False)


async def breadth_first_trace(
    store: GraphStore,
    start: NodeRef,
    steps: Sequence[Step],
    depth: int,
    limit: int,
    *,
    leaves: Collection[Label] = (),
    probe: bool = True,
) -> Walk:
    """A trace built from batched `neighbors` calls: one round per hop, label and step."""
    (first,) = await store.get_nodes(start.label, [start.key])
    if first is None:
        return Walk({}, [], False)

    async def expand(
        hop: int, asks: Sequence[tuple[Step, Sequence[Node]]], probing: bool
    ) -> list[list[list[Node]]]:
        return [
            await store.neighbors(step.label, [n.key for n in nodes], step.rel, step.direction)
            for step, nodes in asks
        ]

    return await breadth_first(first, steps, depth, limit, expand, leaves=leaves, probe=probe)
