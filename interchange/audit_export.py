"""Export the audit trail (审计记录导出): JSON Lines, or a workbook with Chinese headers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl

from graph.model import Node
from graph.store import GraphStore
from sharing.audit_trail import AuditFilter, iter_audit

# (property, Chinese header) in column order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("key", "记录编号"),
    ("at", "时间"),
    ("action", "动作"),
    ("target", "对象"),
    ("targetLabel", "对象类型"),
    ("level", "层级"),
    ("role", "角色"),
    ("agency", "机构代码"),
    ("person", "操作人"),
    ("token", "令牌编号"),
    ("before", "变更前"),
    ("after", "变更后"),
    ("note", "备注"),
)
SHEET = "审计记录"


def _row(node: Node) -> dict[str, Any]:
    return {"key": node.key, **{name: node.get(name) for name, _ in COLUMNS[1:]}}


def _json_value(name: str, value: Any) -> Any:
    if name in ("before", "after") and isinstance(value, str):
        return json.loads(value)
    return value


async def write_audit(store: GraphStore, wanted: AuditFilter, fmt: str, out: Path) -> int:
    """Write the matching entries, oldest first, to `out`; returns how many."""
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    if fmt == "jsonl":
        with out.open("w", encoding="utf-8") as f:
            async for node in iter_audit(store, wanted):
                row = {k: _json_value(k, v) for k, v in _row(node).items()}
                f.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
                count += 1
        return count
    if fmt != "xlsx":
        raise ValueError(f"unknown format {fmt!r}")
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    sheet.append([header for _, header in COLUMNS])
    async for node in iter_audit(store, wanted):
        row = _row(node)
        sheet.append([row[name] for name, _ in COLUMNS])
        count += 1
    book.save(out)
    return count

