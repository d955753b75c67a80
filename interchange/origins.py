"""Where each record of a catalog file came from (记录来源): sheet, row and column names.

Both readers register every record they build with the place it was read from, so that a
problem found later (by `validation.validate`) can name the file / sheet / row / column a
person has to fix. The same tables name the columns of both formats: the JSON keys
(camelCase) and the workbook's Chinese headers.

A place is described the same way for both formats:
- JSON: `sheet` is the top-level list (`resources`), `row` the 1-based position in it, and a
  column is a key path inside that entry (`fields[2].dataType`, `related[0]`).
- XLSX: `sheet` is the worksheet (`信息项`), `row` the worksheet row number (header = 1), and
  a column is the Chinese header (`数据类型`); list cells are not subdivided.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from interchange.problems import Problem

# Record kinds, each with its JSON list (or nested key) and its worksheet.
AGENCY = "agency"
CONTACT = "contact"
RESOURCE = "resource"
FIELD = "field"
SERVICE = "service"
SCENARIO = "scenario"
GRANT = "grant"
PROJECT = "project"

JSON_LISTS: dict[str, str] = {
    AGENCY: "agencies",
    RESOURCE: "resources",
    SCENARIO: "scenarios",
    GRANT: "grants",
    PROJECT: "projects",
}

SHEETS: dict[str, str] = {
    AGENCY: "机构",
    RESOURCE: "信息资源",
    FIELD: "信息项",
    SERVICE: "数据服务",
    SCENARIO: "应用场景",
    GRANT: "授权",
    PROJECT: "项目",
}

# attribute -> Chinese header, in the column order of FORMAT.md. Contacts and the
# resource-code column of 信息项 / 数据服务 are handled by the workbook reader itself.
HEADERS: dict[str, dict[str, str]] = {
    AGENCY: {
        "code": "机构代码",
        "name": "机构名称",
        "short_name": "简称",
        "level": "层级",
        "region_code": "行政区划代码",
        "region_name": "行政区划",
        "parent": "上级机构代码",
    },
    RESOURCE: {
        "code": "信息资源代码",
        "name": "信息资源名称",
        "summary": "信息资源摘要",
        "provider": "提供方代码",
        "category": "资源分类",
        "category_code": "分类代码",
        "format": "信息资源格式",
        "sharing_type": "共享类型",
        "sharing_condition": "共享条件",
        "legal_basis": "不予共享依据",
        "open_to_public": "是否向社会开放",
        "update_cycle": "更新周期",
        "published_at": "发布日期",
        "updated_at": "最近更新日期",
        "aggregated": "是否已汇聚",
        "not_aggregated_reason": "未汇聚说明",
        "related": "关联资源代码",
        "derived_from": "来源资源代码",
    },
    FIELD: {
        "name": "信息项名称",
        "data_type": "数据类型",
        "length": "长度",
        "description": "信息项描述",
        "sharing_type": "共享类型",
    },
    SERVICE: {
        "code": "服务代码",
        "name": "服务名称",
        "kind": "服务类型",
        "fields": "开放信息项",
        "status": "状态",
    },
    SCENARIO: {
        "code": "场景代码",
        "name": "场景名称",
        "agency": "使用机构代码",
        "description": "场景描述",
    },
    GRANT: {
        "scenario": "场景代码",
        "service": "服务代码",
        "fields": "授权信息项",
        "status": "状态",
    },
    PROJECT: {
        "code": "项目代码",
        "name": "项目名称",
        "owner": "建设单位代码",
        "stage": "项目阶段",
        "supplies": "供给清单资源代码",
        "uses": "依赖资源代码",
    },
    CONTACT: {"role": "角色", "name": "姓名", "phone": "电话", "email": "邮箱"},
}

RESOURCE_CODE_HEADER = "信息资源代码"  # how 信息项 and 数据服务 rows name their resource

_CAMEL = re.compile(r"_([a-z])")


def json_key(attr: str) -> str:
    """The JSON key of a record attribute: `derived_from` -> `derivedFrom`."""
    return _CAMEL.sub(lambda m: m.group(1).upper(), attr)


def label_zh(kind: str, attr: str) -> str:
    """A Chinese name for an attribute, for messages."""
    return HEADERS.get(kind, {}).get(attr, attr)


@dataclass(frozen=True, slots=True)
class Origin:
    """The place one record was read from.

    `columns` maps attributes to the column names of the sheet (XLSX headers); when it is
    None, columns are JSON keys under `prefix` (`fields[2].`) and list items are indexed.
    """

    sheet: str
    row: int | None
    prefix: str = ""
    columns: Mapping[str, str] | None = None

    def column(self, attr: str, item: int | None = None) -> str:
        if self.columns is not None:
            return self.columns.get(attr, attr)
        name = self.prefix + json_key(attr)
        return name if item is None else f"{name}[{item}]"


@dataclass(slots=True)
class Origins:
    """Where every record of one document came from, and what the reader could not read.

    Records are keyed by identity, since two records may share a code (a duplicate is one of
    the things to report). The record itself is kept alongside so its id cannot be reused.
    `problems` are those found while reading (bad types, unknown columns...); `validate`
    returns them together with its own, so one call lists everything.
    """

    _places: dict[int, tuple[object, Origin]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def add(self, record: object, origin: Origin) -> None:
        self._places[id(record)] = (record, origin)

    def of(self, record: object) -> Origin | None:
        entry = self._places.get(id(record))
        return entry[1] if entry is not None and entry[0] is record else None

    def __len__(self) -> int:
        return len(self._places)
