"""Which agencies are big-data bureaus (大数据工作主管部门), R4.

Each level has one: 山东省大数据局, 济宁市大数据局, and a 大数据局 per county unit. The catalog
formats carry no "kind of agency" column, so a bureau is recognised by its official name: it
ends in 大数据局 (or 大数据发展局 / 大数据管理局 / 大数据服务局, as some places name it).
"""

from __future__ import annotations

import re

from graph.model import Node

_BUREAU_NAME = re.compile(r"大数据(?:发展|管理|服务)?局$")


def is_big_data_bureau_name(name: str) -> bool:
    return bool(_BUREAU_NAME.search(name.strip()))


def is_big_data_bureau(agency: Node) -> bool:
    """Whether an `Agency` node is a big-data bureau."""
    return is_big_data_bureau_name(str(agency.get("name") or ""))
