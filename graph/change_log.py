"""The change log (变更日志): what each graph write changed, in commit order.

Every `GraphStore.write()` appends, in the same transaction as the data, one `ChangeLog`
entry under the next sequence number: the *tokens* of everything the write touched. A
process that keeps answers derived from the graph (the response cache) reads the entries
after the last sequence it has seen and drops exactly what depends on a listed token; so a
write in one process, one `catalog load` or `reindex` in another, reaches every server
worker. The sequence number is taken under the store's write lock (SQLite's `BEGIN
IMMEDIATE`, a locked increment of the head node in Neo4j), so its order is commit order.

Tokens (opaque strings, the same on both sides):
- `n:<Label:key>` the node itself (properties, existence);
- `l:<Label>` the set of nodes of a label (scans, filters, counts);
- `o:<Label:key>:<REL>` the node's outgoing edges of a type; `i:<Label:key>:<REL>` its
  incoming ones; `r:<REL>` any edge of the type (walks cut short by a limit);
- `s` the search index (documents or synonyms); `*` everything.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from graph.model import ChangeSet, Label, Node, NodeRef, PropValue, Rel

ALL = "*"  # the write may have changed anything (a clear, or too many tokens to list)
SEARCH = "s"  # the search index changed (documents queued or indexed, synonyms, a rebuild)

RETAINED = 1000  # entries kept; a reader further behind than this starts afresh
MAX_TOKENS = 5000  # a larger write is logged as ALL
_DIGITS = 20
HEAD_KEY = "0" * _DIGITS  # the head node: `seq` is the last sequence number handed out


def node_token(ref: NodeRef) -> str:
    return f"n:{ref.id}"


def label_token(label: Label) -> str:
    return f"l:{label.value}"


def out_token(ref: NodeRef, rel: Rel) -> str:
    return f"o:{ref.id}:{rel.value}"


def in_token(ref: NodeRef, rel: Rel) -> str:
    return f"i:{ref.id}:{rel.value}"


def rel_token(rel: Rel) -> str:
    return f"r:{rel.value}"


def entry_key(seq: int) -> str:
    """The key of entry `seq`: zero-padded, so that key order is sequence order."""
    return f"{seq:0{_DIGITS}d}"


def write_tokens(changes: ChangeSet) -> list[str]:
    """The tokens a change set touches (sorted), or `[ALL]` when there are too many."""
    tokens: set[str] = set(changes.notes)
    for node in changes.upserts:
        tokens.add(node_token(node.ref))
        tokens.add(label_token(node.label))
    if changes.deletes:
        tokens.update(rel_token(rel) for rel in Rel)  # a delete detaches every edge
    for ref in changes.deletes:
        tokens.add(node_token(ref))
        tokens.add(label_token(ref.label))
    for (src, rel), edges in changes.edges.items():
        tokens.add(out_token(src, rel))
        tokens.add(rel_token(rel))
        tokens.update(in_token(e.dst, rel) for e in edges)
    if label_token(Label.INDEX_OUTBOX) in tokens:
        tokens.add(SEARCH)  # queued or indexed documents: the index is changing
    if ALL in tokens or len(tokens) > MAX_TOKENS:
        return [ALL]
    return sorted(tokens)


def entry_props(seq: int, tokens: Iterable[str]) -> dict[str, PropValue]:
    """The properties of log entry `seq` (a fresh `uid` tells a reset log from the old one)."""
    return {"seq": seq, "uid": uuid.uuid4().hex, "tokens": list(tokens)}


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One write as a reader sees it."""

    seq: int
    uid: str
    tokens: frozenset[str]

    @classmethod
    def of(cls, node: Node) -> LogEntry:
        return cls(int(node.get("seq", 0)), str(node.get("uid", "")),
                   frozenset(node.get("tokens") or ()))
