"""The Neo4j graph store (Neo4j 图存储适配器).

What a city deploys: the catalog graph in Neo4j 5, through the official driver's async API.
Labels and relationship types are the `Label`/`Rel` enums (whitelisted in
`graph.neo4j.cypher`), node identity is the `key` property (unique per label), every value
is a query parameter. One `write()` is one managed write transaction of batched
`UNWIND $rows` statements (`graph.neo4j.writes`); reads are routed as reads; walks are
breadth first, one statement per walk (`graph.neo4j.walk`). Answers equal the embedded
store's: the same contract tests run against both.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from neo4j import (
    READ_ACCESS,
    WRITE_ACCESS,
    AsyncDriver,
    AsyncGraphDatabase,
    AsyncSession,
    NotificationDisabledClassification,
    Record,
    RoutingControl,
    basic_auth,
)
from neo4j.exceptions import (
    AuthError,
    DatabaseUnavailable,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from graph import change_log
from graph.errors import StoreError, StoreUnavailable
from graph.model import ChangeSet, Direction, Edge, Label, Node, NodeRef, Page, Rel, Step, Walk, walk_steps
from graph.neo4j import cypher, writes
from graph.neo4j.walk import trace
from graph.store import GraphStore, Where

log = logging.getLogger(__name__)

# Properties filtered often enough to deserve an index, per label: (prop, key) range indexes.
# Most selective first: of several filters, the first listed here is the one seeked.
INDEXED: dict[Label, tuple[str, ...]] = {
    Label.AGENCY: ("level", "name"),
    Label.RESOURCE: ("providerCode", "sharingType", "category", "name"),
    Label.FIELD: ("resourceCode", "sharingType", "name"),
    Label.SERVICE: ("resourceCode", "name"),
    Label.SCENARIO: ("agencyCode", "name"),
    Label.GRANT: ("scenarioCode", "resourceCode"),
    Label.PROJECT: ("ownerCode", "name"),
}

_CLEAR_BATCH = 10_000  # nodes detached and deleted per transaction by `clear()`


def schema_statements() -> dict[str, str]:
    """Name → `CREATE … IF NOT EXISTS` of every constraint and index the store relies on."""
    statements: dict[str, str] = {}
    for lbl in Label:
        name = f"catalog_{lbl.value}_key"
        statements[name] = (
            f"CREATE CONSTRAINT {name} IF NOT EXISTS "
            f"FOR (n:{cypher.label(lbl)}) REQUIRE n.key IS UNIQUE"
        )
    for lbl, props in INDEXED.items():
        for prop in props:
            # (prop, key): a filtered page comes out of the index already in key order
            name = f"catalog_{lbl.value}_by_{prop}"
            statements[name] = (
                f"CREATE INDEX {name} IF NOT EXISTS "
                f"FOR (n:{cypher.label(lbl)}) ON (n.{cypher.prop(prop)}, n.key)"
            )
    return statements


class Neo4jGraphStore(GraphStore):
    """A `GraphStore` in a Neo4j 5 database, reached over Bolt (`bolt://`, `neo4j://`)."""

    def __init__(
        self,
        url: str,
        *,
        user: str | None,
        password: str | None,
        database: str = "neo4j",
        batch: int = writes.BATCH,
    ) -> None:
        self._url = url
        self._auth = None if user is None else basic_auth(user, password or "")
        self._database = database
        self._batch = batch
        self._driver: AsyncDriver | None = None

    @property
    def driver(self) -> AsyncDriver:
        if self._driver is None:
            raise RuntimeError("store is not open")
        return self._driver

    # --- connection and transactions ---------------------------------------------------

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Driver errors as store errors: an unreachable server is `StoreUnavailable`."""
        where = f"Neo4j at {self._url} (database {self._database!r})"
        try:
            yield
        except (ServiceUnavailable, SessionExpired, DatabaseUnavailable) as e:
            raise StoreUnavailable(f"{where} cannot be reached: {e}") from e
        except AuthError as e:
            raise StoreUnavailable(f"{where} refused the credentials: {e}") from e
        except Neo4jError as e:
            if e.code == "Neo.ClientError.Database.DatabaseNotFound":
                raise StoreUnavailable(f"{where} does not exist") from e
            if e.code == "Neo.TransientError.General.MemoryPoolOutOfMemoryError":
                # one write is one transaction: its size is bounded by the server's memory
                raise StoreError(
                    f"{where}: the change is too large for one transaction; give the server "
                    f"more memory (heap, dbms.memory.transaction.total.max): {e.message}"
                ) from e
            raise StoreError(f"{where}: {e}") from e
        except DriverError as e:
            raise StoreError(f"{where}: {e}") from e

    def _session(self, access: str) -> AsyncSession:
        # one bookmark manager for every call, so a read sees the writes before it (clusters)
        return self.driver.session(
            database=self._database,
            default_access_mode=access,
            bookmark_manager=self.driver.execute_query_bookmark_manager,
        )

    async def _query(self, query: str, params: dict[str, Any], *, read: bool = True) -> list[Record]:
        """One statement in its own managed transaction, routed as a read unless `read=False`."""
        with self._errors():
            records, _, _ = await self.driver.execute_query(
                query,
                params,
                database_=self._database,
                routing_=RoutingControl.READ if read else RoutingControl.WRITE,
            )
        return records

    async def open(self) -> None:
        if self._driver is not None:
            return
        with self._errors():
            driver = AsyncGraphDatabase.driver(
                self._url,
                auth=self._auth,
                # unknown labels/types/properties are normal in a young catalog: no warnings
                notifications_disabled_classifications=[NotificationDisabledClassification.UNRECOGNIZED],
            )
        self._driver = driver
        try:
            with self._errors():
                await driver.verify_connectivity()
            await self._ensure_schema()
        except BaseException:
            self._driver = None
            await driver.close()
            raise

    async def _ensure_schema(self) -> None:
        """Create the missing constraints and indexes (idempotent), then wait until online."""
        existing = {r["name"] for r in await self._query("SHOW INDEXES YIELD name", {})}
        missing = {n: q for n, q in schema_statements().items() if n not in existing}
        if not missing:
            return
        with self._errors():
            async with self._session(WRITE_ACCESS) as session:
                for statement in missing.values():
                    await (await session.run(statement)).consume()
                await (await session.run("CALL db.awaitIndexes(300)")).consume()
        log.info("created %d Neo4j constraints/indexes", len(missing))

    async def close(self) -> None:
        if self._driver is not None:
            driver, self._driver = self._driver, None
            await driver.close()

    # --- reads ---------------------------------------------------------------------------

    async def get_nodes(self, label: Label, keys: Sequence[str]) -> list[Node | None]:
        # one record of all the nodes: the driver's cost is per record, not per byte
        query = (f"UNWIND $keys AS k MATCH (n:{cypher.label(label)} {{key: k}}) "
                 "RETURN collect(properties(n)) AS found")
        (record,) = await self._query(query, {"keys": list(dict.fromkeys(keys))})
        found = {p["key"]: cypher.node(label, p) for p in record["found"]}
        return [found.get(k) for k in keys]

    async def neighbors(
        self, label: Label, keys: Sequence[str], rel: Rel, direction: Direction
    ) -> list[list[Node]]:
        patterns = []
        if direction in (Direction.OUT, Direction.BOTH):
            patterns.append((0, f"(n)-[:{cypher.rel(rel)}]->(m)"))
        if direction in (Direction.IN, Direction.BOTH):
            patterns.append((1, f"(n)<-[:{cypher.rel(rel)}]-(m)"))
        union = " UNION ALL ".join(
            f"UNWIND $keys AS k MATCH (n:{cypher.label(label)} {{key: k}}) MATCH {pattern} "
            f"RETURN k, {side} AS side, labels(m)[0] AS label, properties(m) AS p"
            for side, pattern in patterns
        )
        query = f"CALL () {{ {union} }} RETURN collect([k, side, label, p]) AS rows"  # one record
        found: dict[str, list[tuple[tuple[Any, ...], Node]]] = {k: [] for k in keys}
        (record,) = await self._query(query, {"keys": list(dict.fromkeys(keys))})
        for k, side, lbl, p in record["rows"]:
            node = cypher.node(lbl, p)
            order = (*cypher.neighbor_order(node.get("position", 0), node.key), side, lbl)
            found[k].append((order, node))
        return [[n for _, n in sorted(found[k], key=lambda t: t[0])] for k in keys]

    async def count_neighbors(
        self, label: Label, keys: Sequence[str], rel: Rel, direction: Direction
    ) -> list[int]:
        counted = []  # both ways: outgoing plus incoming, as `neighbors` gives them (a loop twice)
        if direction in (Direction.OUT, Direction.BOTH):
            counted.append(f"COUNT {{ (n)-[:{cypher.rel(rel)}]->() }}")
        if direction in (Direction.IN, Direction.BOTH):
            counted.append(f"COUNT {{ (n)<-[:{cypher.rel(rel)}]-() }}")
        query = (f"UNWIND $keys AS k MATCH (n:{cypher.label(label)} {{key: k}}) "
                 f"RETURN collect([k, {' + '.join(counted)}]) AS counts")
        (record,) = await self._query(query, {"keys": list(dict.fromkeys(keys))})
        counts = {k: int(c) for k, c in record["counts"]}  # one record: the driver's cost is per record
        return [counts.get(k, 0) for k in keys]

    async def find_nodes(
        self, label: Label, where: Where | None = None, *, after: str | None = None, limit: int = 50
    ) -> Page:
        limit = max(limit, 0)
        params: dict[str, Any] = {"limit": limit + 1}
        match, order = _filtered(label, where, params, after)
        query = f"{match} RETURN properties(n) AS p ORDER BY {order} LIMIT $limit"
        records = await self._query(query, params)
        nodes = [cypher.node(label, r["p"]) for r in records[:limit]]
        return Page(nodes, len(records) > limit)

    async def count_nodes(self, label: Label, where: Where | None = None) -> int:
        params: dict[str, Any] = {}
        if where:
            match, _ = _filtered(label, where, params)
        else:
            match = f"MATCH (n:{cypher.label(label)})"  # answered from the count store
        (record,) = await self._query(f"{match} RETURN count(n) AS c", params)
        return int(record["c"])

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
        query = (
            f"UNWIND $keys AS k MATCH (n:{cypher.label(label)} {{key: k}})-[r:{cypher.rel(rel)}]->(m) "
            "RETURN k, labels(m)[0] AS label, m.key AS d, properties(r) AS p"
        )
        records = await self._query(query, {"keys": list(dict.fromkeys(keys))})
        # sorted here, not by Cypher: Neo4j orders strings by UTF-16 units, Python by code points
        rows = sorted((r["k"], r["label"], r["d"], r["p"]) for r in records)
        return [
            Edge(rel, NodeRef(label, k), NodeRef(Label(dl), d), cypher.decode(p, is_node=False))
            for k, dl, d, p in rows
        ]

    async def walk(
        self, start: NodeRef, rels: Sequence[Rel], direction: Direction, depth: int, limit: int
    ) -> Walk:
        steps = walk_steps(rels, direction)
        with self._errors():
            async with self._session(READ_ACCESS) as session:
                return await session.execute_read(trace, start, steps, depth, limit, (), False)

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
        with self._errors():
            async with self._session(READ_ACCESS) as session:
                return await session.execute_read(trace, start, steps, depth, limit, leaves, probe)

    # --- writes --------------------------------------------------------------------------

    async def write(self, changes: ChangeSet) -> None:
        if changes.is_empty():
            return
        began = time.perf_counter()
        with self._errors():
            async with self._session(WRITE_ACCESS) as session:
                statements = await session.execute_write(writes.apply, changes, self._batch)
        log.debug(
            "wrote %d upserts, %d deletes, %d edge lists in %d statements (%.2f s)",
            len(changes.upserts), len(changes.deletes), len(changes.edges), statements,
            time.perf_counter() - began,
        )

    async def clear(self) -> None:
        # in transactions of `_CLEAR_BATCH` nodes, so that any size fits in memory (not atomic);
        # the change log stays (its numbers go on) and records that everything changed
        keep = cypher.label(Label.CHANGE_LOG)
        query = (f"MATCH (n) WHERE NOT n:{keep} WITH n LIMIT {_CLEAR_BATCH} "
                 "DETACH DELETE n RETURN count(*) AS c")
        while True:
            (record,) = await self._query(query, {}, read=False)
            if record["c"] == 0:
                break
        await self.write(ChangeSet(notes=[change_log.ALL]))


def _filtered(
    label: Label, where: Where | None, params: dict[str, Any], after: str | None = None
) -> tuple[str, str]:
    """`MATCH … WHERE …` for equality filters (values into `params`), and an ORDER BY that
    gives key order.

    A filter on an indexed property pins the match to a seek of that property's (prop, key)
    index (`USING INDEX SEEK`): right after a bulk load the planner's index statistics lag,
    and it would otherwise pick, and cache, a plan that scans every key and filters. When the
    filter fixes one value, ordering by that property first is the same order and comes
    straight from the index, so a page costs its size, not the number of matches.
    `key IS NOT NULL` always holds; it is what lets the composite index, or the key index in
    order, be used.
    """
    lbl = cypher.label(label)
    conds = [*cypher.where(where, params), "n.key IS NOT NULL"]
    if after is not None:
        params["after"] = after
        conds.append("n.key > $after")
    filters = where or {}
    impossible = any(isinstance(v, list | tuple) and not v for v in filters.values())
    # an empty list matches nothing, and Cypher refuses an index hint beside a constant `false`
    pinned = None if impossible else next(
        (p for p in INDEXED.get(label, ()) if _seekable(filters.get(p))), None)
    if pinned is None:
        return f"MATCH (n:{lbl}) WHERE {' AND '.join(conds)}", "n.key"
    hint = f"USING INDEX SEEK n:{lbl}({cypher.prop(pinned)}, key)"
    match = f"MATCH (n:{lbl}) {hint} WHERE {' AND '.join(conds)}"
    if isinstance(filters[pinned], list | tuple):
        return match, "n.key"
    return match, f"n.{cypher.prop(pinned)}, n.key"


def _seekable(value: object) -> bool:
    """A filter value an index can seek: a value, or a non-empty list of them."""
    return value is not None and (not isinstance(value, list | tuple) or len(value) > 0)
