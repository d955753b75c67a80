"""Checks on a whole catalog document before anything is written (导入校验).

`validate` returns every problem of a document, each located by file / sheet / row / column
(from the reader's `Origins`) with a stable code and a Chinese and English reason:

- REQUIRED: a required value is empty.
- BAD_ENUM: not one of the values of an enumeration (the message lists them).
- DUPLICATE_CODE: a code used twice in the file; also a field name twice in one resource, a
  service code on two resources, the same scenario + service granted twice.
- UNKNOWN_REFERENCE: a code (or field name) that is neither in the file nor in the store.
- LEGAL_BASIS_REQUIRED: a NOT_SHARED resource without legalBasis (R3).
- NOT_AGGREGATED_REASON_REQUIRED: aggregated false without notAggregatedReason (R6).
- BAD_DATE: publishedAt or updatedAt is not an ISO date yyyy-mm-dd.
- BAD_NUMBER: a field length that is not a positive integer.
- TOO_LONG: codes over 64 characters, names over 200, free text over 4000.
- BAD_CODE: a code (or field name) with whitespace, control characters or a list separator.
- SELF_REFERENCE: an agency its own parent, a resource derived from or related to itself.
- CYCLE: agencies of the file whose parent chain loops.

References may point into the file or into the store (`KnownCodes`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date

from interchange.origins import (
    AGENCY,
    CONTACT,
    FIELD,
    GRANT,
    PROJECT,
    RESOURCE,
    SCENARIO,
    SERVICE,
    Origin,
    Origins,
    json_key,
    label_zh,
)
from interchange.problems import Problem
from interchange.records import (
    AgencyRecord,
    CatalogDocument,
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

MAX_CODE = 64
MAX_NAME = 200
MAX_TEXT = 4000

LIST_SEPARATORS = ";；"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class KnownCodes:
    """Codes already in the store, which a file may reference without containing them.

    `service_fields` gives the fields a stored service exposes, so grants of it can be
    checked; a stored service missing from it is taken on trust.
    """

    agencies: AbstractSet[str] = frozenset()
    resources: AbstractSet[str] = frozenset()
    services: AbstractSet[str] = frozenset()
    scenarios: AbstractSet[str] = frozenset()
    fields: AbstractSet[tuple[str, str]] = frozenset()  # (resource code, field name)
    service_fields: Mapping[str, AbstractSet[str]] = dataclasses.field(default_factory=dict)


def validate(doc: CatalogDocument, file: str, known: KnownCodes, origin: Origins) -> list[Problem]:
    """Every problem of `doc`: those its reader recorded in `origin`, then those found here.

    A record the reader did not register (a document built in code) is located JSON-style:
    its list, its 1-based position and a key path.
    """
    read = [dataclasses.replace(p, file=file) for p in origin.problems]
    checker = _Checker(doc, file, known, origin)
    checker.run()
    # The reader already explained these cells (a wrong type left the value empty...);
    # saying REQUIRED again would only add noise.
    cells = {(p.sheet, p.row, p.column) for p in read}
    missing_columns = {(p.sheet, p.column) for p in read if p.code == "MISSING_COLUMN"}
    found = [
        p
        for p in checker.problems
        if (p.sheet, p.row, p.column) not in cells and (p.sheet, p.column) not in missing_columns
    ]
    return read + found


def _show(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _where_zh(o: Origin) -> str:
    return o.sheet if o.row is None else f"{o.sheet} 第{o.row}行"


def _where_en(o: Origin) -> str:
    return o.sheet if o.row is None else f"{o.sheet} row {o.row}"


class _Checker:
    def __init__(self, doc: CatalogDocument, file: str, known: KnownCodes, origins: Origins):
        self.doc = doc
        self.file = file
        self.known = known
        self.origins = origins
        self.problems: list[Problem] = []
        self.agencies = {a.code for a in doc.agencies if a.code}
        self.resources = {r.code for r in doc.resources if r.code}
        self.scenarios = {s.code for s in doc.scenarios if s.code}
        self.services: dict[str, ServiceRecord] = {}
        for r in doc.resources:
            for s in r.services:
                if s.code:
                    self.services.setdefault(s.code, s)

    # -- reporting -----------------------------------------------------------------------

    def place(self, record: object, fallback: Origin) -> Origin:
        return self.origins.of(record) or fallback

    def report(
        self,
        o: Origin,
        attr: str | None,
        code: str,
        zh: str,
        en: str,
        item: int | None = None,
    ) -> None:
        column = o.column(attr, item) if attr is not None else None
        self.problems.append(Problem(self.file, o.sheet, o.row, column, code, zh, en))

    # -- value checks --------------------------------------------------------------------

    def required(self, o: Origin, kind: str, attr: str, value: str | None) -> bool:
        if value:
            return True
        self.report(o, attr, "REQUIRED", f"{label_zh(kind, attr)}不能为空", f"{json_key(attr)} is required")
        return False

    def length(self, o: Origin, kind: str, attr: str, value: str | None, limit: int) -> None:
        if value is not None and len(value) > limit:
            self.report(
                o,
                attr,
                "TOO_LONG",
                f"{label_zh(kind, attr)}长度为{len(value)}个字符，超过上限{limit}",
                f"{json_key(attr)} is {len(value)} characters long, more than {limit}",
            )

    def name(self, o: Origin, kind: str, attr: str, value: str | None) -> None:
        if self.required(o, kind, attr, value):
            self.length(o, kind, attr, value, MAX_NAME)

    def code(self, o: Origin, kind: str, attr: str, value: str) -> None:
        if not self.required(o, kind, attr, value):
            return
        self.length(o, kind, attr, value, MAX_CODE)
        self.identifier(o, kind, attr, value)

    def identifier(self, o: Origin, kind: str, attr: str, value: str) -> None:
        # Separators are banned too: codes and field names are joined by them in list cells.
        if any(ch.isspace() or not ch.isprintable() or ch in LIST_SEPARATORS for ch in value):
            self.report(
                o,
                attr,
                "BAD_CODE",
                f"{label_zh(kind, attr)}「{_show(value)!r}」不能含有空白、控制字符或分隔符（;；）",
                f"{json_key(attr)} {_show(value)!r} must not contain whitespace, control "
                "characters or list separators (; ；)",
            )

    def enum(
        self,
        o: Origin,
        kind: str,
        attr: str,
        value: str | None,
        term: type[Term],
        optional: bool = False,
    ) -> None:
        if value is None and optional:
            return
        if not self.required(o, kind, attr, value):
            return
        assert value is not None
        try:
            term(value)
        except ValueError:
            self.report(
                o,
                attr,
                "BAD_ENUM",
                f"{label_zh(kind, attr)}「{_show(value)}」不是有效取值，可选：{term.choices()}",
                f"{json_key(attr)} {_show(value)!r} is not one of: {term.choices()}",
            )

    def reference(
        self,
        o: Origin,
        kind: str,
        attr: str,
        value: str | None,
        in_file: AbstractSet[str] | Mapping[str, object],
        in_store: AbstractSet[str],
        item: int | None = None,
    ) -> None:
        if not value:
            if item is not None:
                self.report(
                    o,
                    attr,
                    "REQUIRED",
                    f"{label_zh(kind, attr)}含有空项",
                    f"{json_key(attr)} has an empty item",
                    item,
                )
            return
        if value not in in_file and value not in in_store:
            self.report(
                o,
                attr,
                "UNKNOWN_REFERENCE",
                f"{label_zh(kind, attr)}「{_show(value)}」在本文件和目录中都不存在",
                f"{json_key(attr)} {_show(value)!r} is neither in this file nor in the catalog",
                item,
            )

    def references(
        self,
        o: Origin,
        kind: str,
        attr: str,
        values: list[str],
        in_file: AbstractSet[str],
        in_store: AbstractSet[str],
        own_code: str | None = None,
    ) -> None:
        for i, value in enumerate(values):
            if own_code and value == own_code:
                self.self_reference(o, kind, attr, value, i)
            else:
                self.reference(o, kind, attr, value, in_file, in_store, i)

    def self_reference(self, o: Origin, kind: str, attr: str, value: str, item: int | None = None) -> None:
        self.report(
            o,
            attr,
            "SELF_REFERENCE",
            f"{label_zh(kind, attr)}不能指向自身「{_show(value)}」",
            f"{json_key(attr)} must not refer to the record itself ({_show(value)!r})",
            item,
        )

    def duplicate(self, o: Origin, attr: str | None, what_zh: str, what_en: str, first: Origin) -> None:
        self.report(
            o,
            attr,
            "DUPLICATE_CODE",
            f"{what_zh}重复，首次出现于{_where_zh(first)}",
            f"duplicate {what_en}, first at {_where_en(first)}",
        )

    # -- records -------------------------------------------------------------------------

    def run(self) -> None:
        self.check_agencies()
        self.check_cycles()
        service_seen: dict[str, Origin] = {}
        seen: dict[str, Origin] = {}
        for i, resource in enumerate(self.doc.resources):
            o = self.place(resource, Origin("resources", i + 1))
            if resource.code in seen:
                self.duplicate(
                    o,
                    "code",
                    f"信息资源代码「{_show(resource.code)}」",
                    f"resource code {_show(resource.code)!r}",
                    seen[resource.code],
                )
            elif resource.code:
                seen[resource.code] = o
            self.check_resource(resource, o, service_seen)
        seen = {}
        for i, scenario in enumerate(self.doc.scenarios):
            o = self.place(scenario, Origin("scenarios", i + 1))
            if scenario.code in seen:
                self.duplicate(
                    o,
                    "code",
                    f"场景代码「{_show(scenario.code)}」",
                    f"scenario code {_show(scenario.code)!r}",
                    seen[scenario.code],
                )
            elif scenario.code:
                seen[scenario.code] = o
            self.check_scenario(scenario, o)
        grant_seen: dict[tuple[str, str], Origin] = {}
        for i, grant in enumerate(self.doc.grants):
            o = self.place(grant, Origin("grants", i + 1))
            key = (grant.scenario, grant.service)
            if key in grant_seen:
                self.duplicate(
                    o,
                    None,
                    f"场景「{_show(grant.scenario)}」对服务「{_show(grant.service)}」的授权",
                    f"grant of service {_show(grant.service)!r} to scenario {_show(grant.scenario)!r}",
                    grant_seen[key],
                )
            elif grant.scenario and grant.service:
                grant_seen[key] = o
            self.check_grant(grant, o)
        seen = {}
        for i, project in enumerate(self.doc.projects):
            o = self.place(project, Origin("projects", i + 1))
            if project.code in seen:
                self.duplicate(
                    o,
                    "code",
                    f"项目代码「{_show(project.code)}」",
                    f"project code {_show(project.code)!r}",
                    seen[project.code],
                )
            elif project.code:
                seen[project.code] = o
            self.check_project(project, o)

    def check_agencies(self) -> None:
        seen: dict[str, Origin] = {}
        for i, agency in enumerate(self.doc.agencies):
            o = self.place(agency, Origin("agencies", i + 1))
            if agency.code in seen:
                self.duplicate(
                    o,
                    "code",
                    f"机构代码「{_show(agency.code)}」",
                    f"agency code {_show(agency.code)!r}",
                    seen[agency.code],
                )
            elif agency.code:
                seen[agency.code] = o
            self.check_agency(agency, o)

    def check_agency(self, a: AgencyRecord, o: Origin) -> None:
        self.code(o, AGENCY, "code", a.code)
        self.name(o, AGENCY, "name", a.name)
        self.enum(o, AGENCY, "level", a.level, Level)
        self.length(o, AGENCY, "short_name", a.short_name, MAX_NAME)
        self.length(o, AGENCY, "region_code", a.region_code, MAX_CODE)
        self.length(o, AGENCY, "region_name", a.region_name, MAX_NAME)
        if a.parent is not None:
            if a.code and a.parent == a.code:
                self.self_reference(o, AGENCY, "parent", a.parent)
            else:
                self.reference(o, AGENCY, "parent", a.parent, self.agencies, self.known.agencies)
        for j, contact in enumerate(a.contacts):
            c = self.place(contact, dataclasses.replace(o, prefix=f"contacts[{j}]."))
            self.enum(c, CONTACT, "role", contact.role, ContactRole)
            self.name(c, CONTACT, "name", contact.name)
            self.length(c, CONTACT, "phone", contact.phone, MAX_NAME)
            self.length(c, CONTACT, "email", contact.email, MAX_NAME)

    def check_cycles(self) -> None:
        first: dict[str, tuple[int, AgencyRecord]] = {}
        for i, agency in enumerate(self.doc.agencies):
            if agency.code and agency.code not in first:
                first[agency.code] = (i, agency)
        parent_of = {code: rec.parent for code, (_, rec) in first.items()}
        done: set[str] = set()
        for start in parent_of:
            path: list[str] = []
            position: dict[str, int] = {}
            node: str | None = start
            while node is not None and node in parent_of and node not in done:
                if node in position:
                    loop = path[position[node] :]
                    if len(loop) > 1:  # a parent equal to itself is a SELF_REFERENCE
                        self.report_cycle(loop, first)
                    break
                position[node] = len(path)
                path.append(node)
                node = parent_of[node]
            done.update(path)

    def report_cycle(self, loop: list[str], first: dict[str, tuple[int, AgencyRecord]]) -> None:
        head = min(loop, key=lambda code: first[code][0])
        at = loop.index(head)
        chain = [*loop[at:], *loop[:at], head]
        index, agency = first[head]
        o = self.place(agency, Origin("agencies", index + 1))
        text = " → ".join(_show(c, 30) for c in chain)
        self.report(
            o,
            "parent",
            "CYCLE",
            f"上级机构形成循环：{text}",
            f"parent agencies form a cycle: {text}",
        )

    def check_resource(self, r: ResourceRecord, o: Origin, service_seen: dict[str, Origin]) -> None:
        self.code(o, RESOURCE, "code", r.code)
        self.name(o, RESOURCE, "name", r.name)
        if self.required(o, RESOURCE, "provider", r.provider):
            self.reference(o, RESOURCE, "provider", r.provider, self.agencies, self.known.agencies)
        self.enum(o, RESOURCE, "sharing_type", r.sharing_type, SharingType)
        self.length(o, RESOURCE, "summary", r.summary, MAX_TEXT)
        self.length(o, RESOURCE, "category", r.category, MAX_NAME)
        self.length(o, RESOURCE, "category_code", r.category_code, MAX_CODE)
        self.enum(o, RESOURCE, "format", r.format, ResourceFormat)
        self.length(o, RESOURCE, "sharing_condition", r.sharing_condition, MAX_TEXT)
        self.length(o, RESOURCE, "legal_basis", r.legal_basis, MAX_TEXT)
        self.enum(o, RESOURCE, "update_cycle", r.update_cycle, UpdateCycle)
        self.length(o, RESOURCE, "not_aggregated_reason", r.not_aggregated_reason, MAX_TEXT)
        if r.sharing_type == SharingType.NOT_SHARED and not (r.legal_basis or "").strip():
            self.report(
                o,
                "legal_basis",
                "LEGAL_BASIS_REQUIRED",
                "不予共享的信息资源必须填写不予共享依据",
                "a NOT_SHARED resource requires legalBasis",
            )
        if not r.aggregated and not (r.not_aggregated_reason or "").strip():
            self.report(
                o,
                "not_aggregated_reason",
                "NOT_AGGREGATED_REASON_REQUIRED",
                "未汇聚的信息资源必须填写未汇聚说明（法律依据和书面说明）",
                "a resource not aggregated requires notAggregatedReason (legal basis and written explanation)",
            )
        if r.published_at is not None and not _is_iso_date(r.published_at):
            self.report(
                o,
                "published_at",
                "BAD_DATE",
                f"发布日期「{_show(r.published_at)}」不是 yyyy-mm-dd 格式的日期",
                f"publishedAt {_show(r.published_at)!r} is not a date in yyyy-mm-dd form",
            )
        if r.updated_at is not None and not _is_iso_date(r.updated_at):
            self.report(
                o,
                "updated_at",
                "BAD_DATE",
                f"最近更新日期「{_show(r.updated_at)}」不是 yyyy-mm-dd 格式的日期",
                f"updatedAt {_show(r.updated_at)!r} is not a date in yyyy-mm-dd form",
            )
        self.references(o, RESOURCE, "related", r.related, self.resources, self.known.resources, r.code)
        self.references(
            o,
            RESOURCE,
            "derived_from",
            r.derived_from,
            self.resources,
            self.known.resources,
            r.code,
        )
        names: dict[str, Origin] = {}
        for j, f in enumerate(r.fields):
            fo = self.place(f, dataclasses.replace(o, prefix=f"fields[{j}]."))
            if self.required(fo, FIELD, "name", f.name):
                self.length(fo, FIELD, "name", f.name, MAX_NAME)
                self.identifier_name(fo, f.name)
                if f.name in names:
                    self.duplicate(
                        fo,
                        "name",
                        f"信息资源「{_show(r.code)}」的信息项「{_show(f.name)}」",
                        f"field {_show(f.name)!r} of resource {_show(r.code)!r}",
                        names[f.name],
                    )
                else:
                    names[f.name] = fo
            self.enum(fo, FIELD, "data_type", f.data_type, DataType)
            if f.length is not None and f.length <= 0:
                self.report(
                    fo,
                    "length",
                    "BAD_NUMBER",
                    f"长度必须是正整数，而不是{f.length}",
                    f"length must be a positive integer, not {f.length}",
                )
            self.length(fo, FIELD, "description", f.description, MAX_TEXT)
            self.enum(fo, FIELD, "sharing_type", f.sharing_type, SharingType, optional=True)
        for k, s in enumerate(r.services):
            so = self.place(s, dataclasses.replace(o, prefix=f"services[{k}]."))
            self.code(so, SERVICE, "code", s.code)
            if s.code in service_seen:
                self.duplicate(
                    so,
                    "code",
                    f"服务代码「{_show(s.code)}」",
                    f"service code {_show(s.code)!r}",
                    service_seen[s.code],
                )
            elif s.code:
                service_seen[s.code] = so
            self.name(so, SERVICE, "name", s.name)
            self.enum(so, SERVICE, "kind", s.kind, ServiceKind)
            self.enum(so, SERVICE, "status", s.status, ServiceStatus)
            for i, name in enumerate(s.fields):
                if name in names or (r.code, name) in self.known.fields:
                    continue
                self.report(
                    so,
                    "fields",
                    "UNKNOWN_REFERENCE",
                    f"开放信息项「{_show(name)}」不是信息资源「{_show(r.code)}」的信息项",
                    f"field {_show(name)!r} is not a field of resource {_show(r.code)!r}",
                    i,
                )

    def identifier_name(self, o: Origin, name: str) -> None:
        # Field names are listed in 开放信息项 / 授权信息项 cells, so they obey code rules
        # except that inner spaces are tolerated.
        if any(not (ch.isprintable() or ch == " ") or ch in LIST_SEPARATORS for ch in name):
            self.report(
                o,
                "name",
                "BAD_CODE",
                f"信息项名称「{_show(name)!r}」不能含有控制字符或分隔符（;；）",
                f"field name {_show(name)!r} must not contain control characters or list separators (; ；)",
            )

    def check_scenario(self, s: ScenarioRecord, o: Origin) -> None:
        self.code(o, SCENARIO, "code", s.code)
        self.name(o, SCENARIO, "name", s.name)
        if self.required(o, SCENARIO, "agency", s.agency):
            self.reference(o, SCENARIO, "agency", s.agency, self.agencies, self.known.agencies)
        self.length(o, SCENARIO, "description", s.description, MAX_TEXT)

    def check_grant(self, g: GrantRecord, o: Origin) -> None:
        if self.required(o, GRANT, "scenario", g.scenario):
            self.reference(o, GRANT, "scenario", g.scenario, self.scenarios, self.known.scenarios)
        if self.required(o, GRANT, "service", g.service):
            self.reference(o, GRANT, "service", g.service, self.services, self.known.services)
        self.enum(o, GRANT, "status", g.status, GrantStatus)
        service = self.services.get(g.service)
        exposed = set(service.fields) if service is not None else self.known.service_fields.get(g.service)
        if exposed is None:
            return
        for i, name in enumerate(g.fields):
            if name not in exposed:
                self.report(
                    o,
                    "fields",
                    "UNKNOWN_REFERENCE",
                    f"授权信息项「{_show(name)}」不在服务「{_show(g.service)}」的开放信息项中",
                    f"field {_show(name)!r} is not exposed by service {_show(g.service)!r}",
                    i,
                )

    def check_project(self, p: ProjectRecord, o: Origin) -> None:
        self.code(o, PROJECT, "code", p.code)
        self.name(o, PROJECT, "name", p.name)
        if self.required(o, PROJECT, "owner", p.owner):
            self.reference(o, PROJECT, "owner", p.owner, self.agencies, self.known.agencies)
        self.enum(o, PROJECT, "stage", p.stage, ProjectStage)
        self.references(o, PROJECT, "supplies", p.supplies, self.resources, self.known.resources)
        self.references(o, PROJECT, "uses", p.uses, self.resources, self.known.resources)


def _is_iso_date(text: str) -> bool:
    if not _ISO_DATE.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
