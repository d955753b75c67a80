"""What reaches a Cypher string, and how properties are stored (Cypher 名称白名单与属性编码).

Only labels and relationship types from the `Label`/`Rel` whitelists, and property names
that are plain identifiers, are ever formatted into a query; every value is a parameter.

Properties are stored as native Neo4j properties (so they can be indexed and read in the
Neo4j Browser) plus `key`, the node's identity. Neo4j cannot store null, so the names of the
properties that were None are kept in the list property `_nulls` and restored on read:
a node reads back with exactly the keys it was written with.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph.model import Label, Node, PropValue, Rel
from graph.store import Where

KEY = "key"  # the node's identity property (编码), unique per label
NULLS = "_nulls"  # names of the properties whose value is None
RESERVED = frozenset({KEY, NULLS})

_LABELS = frozenset(label.value for label in Label)
_RELS = frozenset(rel.value for rel in Rel)


def label(value: Label) -> str:
    """`value` as a quoted Cypher label; anything outside the whitelist is refused."""
    if value not in _LABELS:
        raise ValueError(f"not a catalog label: {value!r}")
    return f"`{Label(value).value}`"


def rel(value: Rel) -> str:
    """`value` as a quoted Cypher relationship type; anything outside the whitelist is refused."""
    if value not in _RELS:
        raise ValueError(f"not a catalog relationship type: {value!r}")
    return f"`{Rel(value).value}`"


def prop(name: str) -> str:
    """A property name for a filter, quoted; only identifiers, never a reserved name."""
    if not name.isidentifier() or name in RESERVED:
        raise ValueError(f"bad property name {name!r}")
    return f"`{name}`"


def encode(props: Mapping[str, PropValue], key: str | None = None) -> dict[str, Any]:
    """Properties as stored: the non-None values, `_nulls` when some were None, and `key`
    for a node (relationships have no key)."""
    reserved = RESERVED if key is not None else {NULLS}
    clash = reserved.intersection(props)
    if clash:
        raise ValueError(f"property names reserved by the Neo4j store: {sorted(clash)}")
    stored: dict[str, Any] = {k: v for k, v in props.items() if v is not None}
    nulls = [k for k, v in props.items() if v is None]
    if nulls:
        stored[NULLS] = nulls
    if key is not None:
        stored[KEY] = key
    return stored


def decode(stored: Mapping[str, Any], *, is_node: bool = True) -> dict[str, PropValue]:
    """Properties as written (keys sorted, as the embedded store returns them)."""
    reserved = RESERVED if is_node else {NULLS}
    props: dict[str, PropValue] = {k: v for k, v in stored.items() if k not in reserved}
    for name in stored.get(NULLS) or ():
        props[name] = None
    return dict(sorted(props.items()))


def node(label_value: str, stored: Mapping[str, Any]) -> Node:
    return Node(Label(label_value), stored[KEY], decode(stored))


def where(filters: Where | None, params: dict[str, Any], var: str = "n") -> list[str]:
    """Equality filters as Cypher conditions on `var`; their values go into `params`."""
    conds: list[str] = []
    for i, (name, value) in enumerate((filters or {}).items()):
        expr = f"{var}.{prop(name)}"
        if isinstance(value, list | tuple):
            if not value:
                conds.append("false")
                continue
            params[f"w{i}"] = list(value)
            conds.append(f"{expr} IN $w{i}")
        elif value is None:
            conds.append(f"{expr} IS NULL")
        else:
            params[f"w{i}"] = value
            conds.append(f"{expr} = $w{i}")
    return conds


def neighbor_order(position: Any, key: str) -> tuple[Any, str]:
    """How neighbors are ordered: by their `position` (None or absent as 0), then key."""
    return (position or 0, key)
