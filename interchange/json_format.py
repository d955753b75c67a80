"""The JSON catalog file `jining-catalog/1` (JSON 目录文件), read and written.

Reading is strict about shape and lenient about absence:
- a file that is not UTF-8 JSON (BAD_JSON), or not an object with `"format":
  "jining-catalog/1"` (BAD_FORMAT), is rejected at once with `InvalidCatalogFile`;
- everything else is gathered in `Origins.problems` and the reading goes on: a value of the
  wrong JSON type (BAD_TYPE), a length that is not a whole number (BAD_NUMBER), and any key
  the format does not define, at top level or inside a record (UNKNOWN_COLUMN, so that a
  misspelt `sharingtype` is not silently ignored);
- a missing key or null takes the record's default (empty for required values, which
  `validate` then reports); an empty string counts as absent;
- enumerations are normalised to their English codes, Chinese labels accepted; a value that
  is neither is kept as written, for `validate` to report as BAD_ENUM.

So a document is only fit to load once `validation.validate` returns no problem.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from interchange.origins import JSON_LISTS, Origin, Origins, json_key
from interchange.problems import InvalidCatalogFile, Problem
from interchange.records import (
    FORMAT_ID,
    AgencyRecord,
    CatalogDocument,
    Contact,
    FieldRecord,
    GrantRecord,
    ProjectRecord,
    ResourceRecord,
    ScenarioRecord,
    ServiceRecord,
)
from sharing.terms import (
    ContactRole,
    DataType,
    GrantStatus,
    Level,
    ProjectStage,
    ResourceFormat,
    ServiceKind,
    ServiceStatus,
    SharingType,
    Term,
    UpdateCycle,
)

# Attributes in the key order of FORMAT.md.
AGENCY_KEYS = (
    "code",
    "name",
    "short_name",
    "level",
    "region_code",
    "region_name",
    "parent",
    "contacts",
)
CONTACT_KEYS = ("role", "name", "phone", "email")
RESOURCE_KEYS = (
    "code", "name", "summary", "provider", "category", "category_code", "format",
    "sharing_type", "sharing_condition", "legal_basis", "open_to_public", "update_cycle",
    "published_at", "updated_at", "aggregated", "not_aggregated_reason", "related", "derived_from",
    "fields", "services",
)  # fmt: skip
FIELD_KEYS = ("name", "data_type", "length", "description", "sharing_type")
SERVICE_KEYS = ("code", "name", "kind", "fields", "status")
SCENARIO_KEYS = ("code", "name", "agency", "description")
GRANT_KEYS = ("scenario", "service", "fields", "status")
PROJECT_KEYS = ("code", "name", "owner", "stage", "supplies", "uses")

Progress = Callable[[int], None]


def read_json(path: Path, progress: Progress | None = None) -> tuple[CatalogDocument, Origins]:
    """Parse a JSON catalog file; `progress` gets the number of rows just handled.

    Raises `InvalidCatalogFile` when the file is not a `jining-catalog/1` JSON document;
    other problems are returned in `Origins.problems`. OSError propagates.
    """
    name = path.name
    raw = path.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise InvalidCatalogFile(
            [
                Problem(
                    name,
                    "",
                    None,
                    None,
                    "BAD_JSON",
                    f"文件不是 UTF-8 编码（第{e.start + 1}字节）",
                    f"the file is not UTF-8 (byte {e.start + 1})",
                )
            ]
        ) from None
    except json.JSONDecodeError as e:
        raise InvalidCatalogFile(
            [
                Problem(
                    name,
                    "",
                    e.lineno,
                    None,
                    "BAD_JSON",
                    f"JSON 语法错误，第{e.lineno}行第{e.colno}列：{e.msg}",
                    f"JSON syntax error at line {e.lineno} column {e.colno}: {e.msg}",
                )
            ]
        ) from None
    except RecursionError:
        raise InvalidCatalogFile(
            [Problem(name, "", None, None, "BAD_JSON", "JSON 嵌套过深", "JSON nested too deeply")]
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_ID:
        found = data.get("format") if isinstance(data, dict) else None
        raise InvalidCatalogFile(
            [
                Problem(
                    name,
                    "",
                    None,
                    "format",
                    "BAD_FORMAT",
                    f"不是目录文件：format 应为「{FORMAT_ID}」，实际为 {_describe(found)}",
                    f"not a catalog file: format must be {FORMAT_ID!r}, found {_describe(found)}",
                )
            ]
        )
    reader = _Reader(name, progress)
    return reader.document(data), reader.origins


def write_json(doc: CatalogDocument, path: Path) -> None:
    """Write `doc` in the exact shape of FORMAT.md: every key, null for None, records by code."""
    data = document_to_json(doc)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    # Through a temporary file, so a failed export never leaves half a file behind.
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def document_to_json(doc: CatalogDocument) -> dict[str, Any]:
    """The JSON object of `doc`, deterministic: records sorted by code, fields in order."""
    return {
        "format": FORMAT_ID,
        "agencies": [_agency(a) for a in sorted(doc.agencies, key=lambda a: a.code)],
        "resources": [_resource(r) for r in sorted(doc.resources, key=lambda r: r.code)],
        "scenarios": [_plain(s, SCENARIO_KEYS) for s in sorted(doc.scenarios, key=lambda s: s.code)],
        "grants": [_plain(g, GRANT_KEYS) for g in sorted(doc.grants, key=lambda g: (g.scenario, g.service))],
        "projects": [_plain(p, PROJECT_KEYS) for p in sorted(doc.projects, key=lambda p: p.code)],
    }


def _plain(record: object, attrs: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for attr in attrs:
        value = getattr(record, attr)
        out[json_key(attr)] = list(value) if isinstance(value, list) else value
    return out


def _agency(a: AgencyRecord) -> dict[str, Any]:
    out = _plain(a, AGENCY_KEYS[:-1])
    out["contacts"] = [_plain(c, CONTACT_KEYS) for c in a.contacts]
    return out


def _resource(r: ResourceRecord) -> dict[str, Any]:
    out = _plain(r, RESOURCE_KEYS[:-2])
    out["fields"] = [_plain(f, FIELD_KEYS) for f in r.fields]
    out["services"] = [_plain(s, SERVICE_KEYS) for s in sorted(r.services, key=lambda s: s.code)]
    return out


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:39] + "…")
    return _json_type(value)


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


_TYPE_ZH = {
    "string": "字符串", "boolean": "布尔值", "number": "数字", "array": "数组",
    "object": "对象", "null": "null", "array of strings": "字符串数组",
}  # fmt: skip


_TYPE_EN = {
    "string": "a string", "boolean": "a boolean", "number": "a number",
    "array of strings": "an array of strings",
}  # fmt: skip


class _Reader:
    def __init__(self, file: str, progress: Progress | None) -> None:
        self.file = file
        self.progress = progress
        self.origins = Origins()

    # -- problems ------------------------------------------------------------------------

    def problem(self, o: Origin, column: str | None, code: str, zh: str, en: str) -> None:
        self.origins.problems.append(Problem(self.file, o.sheet, o.row, column, code, zh, en))

    def bad_type(self, o: Origin, column: str, expected: str, value: object) -> None:
        self.problem(
            o,
            column,
            "BAD_TYPE",
            f"{column} 应为{_TYPE_ZH[expected]}，实际为{_TYPE_ZH[_json_type(value)]}",
            f"{column} must be {_TYPE_EN[expected]}, not {_json_type(value)}",
        )

    def unknown_keys(self, obj: dict[str, Any], allowed: Iterable[str], o: Origin) -> None:
        keys = {json_key(a) for a in allowed}
        for key in obj:
            if key not in keys:
                self.problem(
                    o,
                    o.prefix + key,
                    "UNKNOWN_COLUMN",
                    f"未知的键「{key}」，可用：{', '.join(sorted(keys))}",
                    f"unknown key {key!r}; the keys are: {', '.join(sorted(keys))}",
                )

    def records(self, obj: dict[str, Any], key: str, o: Origin | None) -> list[tuple[int, dict[str, Any]]]:
        """The objects of the list `key`: as (index, object), reporting non-objects."""
        value = obj.get(key)
        if value is None:
            return []
        sheet_origin = o or Origin(key, None)
        column = sheet_origin.prefix + key if o is not None else None
        if not isinstance(value, list):
            self.problem(
                sheet_origin,
                column,
                "BAD_TYPE",
                f"{key} 应为数组，实际为{_TYPE_ZH[_json_type(value)]}",
                f"{key} must be an array, not {_json_type(value)}",
            )
            return []
        out: list[tuple[int, dict[str, Any]]] = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                out.append((i, item))
            else:
                where = Origin(key, i + 1) if o is None else o
                col = None if o is None else f"{o.prefix}{key}[{i}]"
                self.problem(
                    where,
                    col,
                    "BAD_TYPE",
                    f"应为对象，实际为{_TYPE_ZH[_json_type(item)]}",
                    f"must be an object, not {_json_type(item)}",
                )
        return out

    # -- values --------------------------------------------------------------------------

    def text(self, obj: dict[str, Any], attr: str, o: Origin) -> str | None:
        value = obj.get(json_key(attr))
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return value
        self.bad_type(o, o.column(attr), "string", value)
        return None

    def required(self, obj: dict[str, Any], attr: str, o: Origin) -> str:
        return self.text(obj, attr, o) or ""

    def enum(self, obj: dict[str, Any], attr: str, o: Origin, term: type[Term], default: str | None) -> str | None:
        value = self.text(obj, attr, o)
        if value is None:
            return default
        try:
            return term.parse(value).value
        except ValueError:
            return value

    def required_enum(self, obj: dict[str, Any], attr: str, o: Origin, term: type[Term]) -> str:
        return self.enum(obj, attr, o, term, "") or ""

    def defaulted_enum(self, obj: dict[str, Any], attr: str, o: Origin, term: type[Term], default: Term) -> str:
        return self.enum(obj, attr, o, term, default.value) or default.value

    def boolean(self, obj: dict[str, Any], attr: str, o: Origin, default: bool) -> bool:
        value = obj.get(json_key(attr))
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        self.bad_type(o, o.column(attr), "boolean", value)
        return default

    def integer(self, obj: dict[str, Any], attr: str, o: Origin) -> int | None:
        value = obj.get(json_key(attr))
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.bad_type(o, o.column(attr), "number", value)
            return None
        if isinstance(value, float) and not value.is_integer():
            self.problem(
                o,
                o.column(attr),
                "BAD_NUMBER",
                f"{o.column(attr)} 必须是正整数，而不是{value}",
                f"{o.column(attr)} must be a positive integer, not {value}",
            )
            return None
        return int(value)

    def strings(self, obj: dict[str, Any], attr: str, o: Origin) -> list[str]:
        value = obj.get(json_key(attr))
        if value is None:
            return []
        if not isinstance(value, list):
            self.bad_type(o, o.column(attr), "array of strings", value)
            return []
        out: list[str] = []
        for i, item in enumerate(value):
            if isinstance(item, str):
                out.append(item)
            else:
                self.bad_type(o, o.column(attr, i), "string", item)
        return out

    # -- records -------------------------------------------------------------------------

    def tick(self, rows: int) -> None:
        if self.progress is not None:
            self.progress(rows)

    def document(self, data: dict[str, Any]) -> CatalogDocument:
        top = Origin("", None)
        self.unknown_keys(data, ("format", *JSON_LISTS.values()), top)
        doc = CatalogDocument()
        for i, obj in self.records(data, "agencies", None):
            doc.agencies.append(self.agency(obj, Origin("agencies", i + 1)))
            self.tick(1)
        for i, obj in self.records(data, "resources", None):
            resource = self.resource(obj, Origin("resources", i + 1))
            doc.resources.append(resource)
            self.tick(1 + len(resource.fields) + len(resource.services))
        for i, obj in self.records(data, "scenarios", None):
            doc.scenarios.append(self.scenario(obj, Origin("scenarios", i + 1)))
            self.tick(1)
        for i, obj in self.records(data, "grants", None):
            doc.grants.append(self.grant(obj, Origin("grants", i + 1)))
            self.tick(1)
        for i, obj in self.records(data, "projects", None):
            doc.projects.append(self.project(obj, Origin("projects", i + 1)))
            self.tick(1)
        return doc

    def agency(self, obj: dict[str, Any], o: Origin) -> AgencyRecord:
        self.unknown_keys(obj, AGENCY_KEYS, o)
        agency = AgencyRecord(
            code=self.required(obj, "code", o),
            name=self.required(obj, "name", o),
            level=self.required_enum(obj, "level", o, Level),
            short_name=self.text(obj, "short_name", o),
            region_code=self.text(obj, "region_code", o),
            region_name=self.text(obj, "region_name", o),
            parent=self.text(obj, "parent", o),
        )
        self.origins.add(agency, o)
        for j, item in self.records(obj, "contacts", o):
            co = Origin(o.sheet, o.row, f"contacts[{j}].")
            self.unknown_keys(item, CONTACT_KEYS, co)
            contact = Contact(
                role=self.required_enum(item, "role", co, ContactRole),
                name=self.required(item, "name", co),
                phone=self.text(item, "phone", co),
                email=self.text(item, "email", co),
            )
            self.origins.add(contact, co)
            agency.contacts.append(contact)
        return agency

    def resource(self, obj: dict[str, Any], o: Origin) -> ResourceRecord:
        self.unknown_keys(obj, RESOURCE_KEYS, o)
        resource = ResourceRecord(
            code=self.required(obj, "code", o),
            name=self.required(obj, "name", o),
            provider=self.required(obj, "provider", o),
            sharing_type=self.required_enum(obj, "sharing_type", o, SharingType),
            summary=self.text(obj, "summary", o),
            category=self.text(obj, "category", o),
            category_code=self.text(obj, "category_code", o),
            format=self.defaulted_enum(obj, "format", o, ResourceFormat, ResourceFormat.DATABASE),
            sharing_condition=self.text(obj, "sharing_condition", o),
            legal_basis=self.text(obj, "legal_basis", o),
            open_to_public=self.boolean(obj, "open_to_public", o, False),
            update_cycle=self.defaulted_enum(obj, "update_cycle", o, UpdateCycle, UpdateCycle.IRREGULAR),
            published_at=self.text(obj, "published_at", o),
            updated_at=self.text(obj, "updated_at", o),
            aggregated=self.boolean(obj, "aggregated", o, True),
            not_aggregated_reason=self.text(obj, "not_aggregated_reason", o),
            related=self.strings(obj, "related", o),
            derived_from=self.strings(obj, "derived_from", o),
        )
        self.origins.add(resource, o)
        for j, item in self.records(obj, "fields", o):
            fo = Origin(o.sheet, o.row, f"fields[{j}].")
            self.unknown_keys(item, FIELD_KEYS, fo)
            f = FieldRecord(
                name=self.required(item, "name", fo),
                data_type=self.defaulted_enum(item, "data_type", fo, DataType, DataType.STRING),
                length=self.integer(item, "length", fo),
                description=self.text(item, "description", fo),
                sharing_type=self.enum(item, "sharing_type", fo, SharingType, None),
            )
            self.origins.add(f, fo)
            resource.fields.append(f)
        for k, item in self.records(obj, "services", o):
            so = Origin(o.sheet, o.row, f"services[{k}].")
            self.unknown_keys(item, SERVICE_KEYS, so)
            s = ServiceRecord(
                code=self.required(item, "code", so),
                name=self.required(item, "name", so),
                kind=self.required_enum(item, "kind", so, ServiceKind),
                fields=self.strings(item, "fields", so),
                status=self.defaulted_enum(item, "status", so, ServiceStatus, ServiceStatus.PUBLISHED),
            )
            self.origins.add(s, so)
            resource.services.append(s)
        return resource

    def scenario(self, obj: dict[str, Any], o: Origin) -> ScenarioRecord:
        self.unknown_keys(obj, SCENARIO_KEYS, o)
        scenario = ScenarioRecord(
            code=self.required(obj, "code", o),
            name=self.required(obj, "name", o),
            agency=self.required(obj, "agency", o),
            description=self.text(obj, "description", o),
        )
        self.origins.add(scenario, o)
        return scenario

    def grant(self, obj: dict[str, Any], o: Origin) -> GrantRecord:
        self.unknown_keys(obj, GRANT_KEYS, o)
        grant = GrantRecord(
            scenario=self.required(obj, "scenario", o),
            service=self.required(obj, "service", o),
            fields=self.strings(obj, "fields", o),
            status=self.defaulted_enum(obj, "status", o, GrantStatus, GrantStatus.ACTIVE),
        )
        self.origins.add(grant, o)
        return grant

    def project(self, obj: dict[str, Any], o: Origin) -> ProjectRecord:
        self.unknown_keys(obj, PROJECT_KEYS, o)
        project = ProjectRecord(
            code=self.required(obj, "code", o),
            name=self.required(obj, "name", o),
            owner=self.required(obj, "owner", o),
            stage=self.defaulted_enum(obj, "stage", o, ProjectStage, ProjectStage.PLANNED),
            supplies=self.strings(obj, "supplies", o),
            uses=self.strings(obj, "uses", o),
        )
        self.origins.add(project, o)
        return project
