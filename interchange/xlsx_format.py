"""The platform's workbook (XLSX 目录表格), read and written.

Seven sheets, 机构 信息资源 信息项 数据服务 应用场景 授权 项目 (FORMAT.md); the header is
row 1, columns come in any order, a missing sheet is an empty list. Reading follows the same
rules as the JSON reader: a file that is not a workbook is rejected at once (BAD_XLSX);
otherwise problems are gathered in `Origins.problems`: an unknown sheet (UNKNOWN_SHEET), an
unknown, repeated or missing required header (UNKNOWN_COLUMN, DUPLICATE_COLUMN,
MISSING_COLUMN), a cell that is not a yes/no (BAD_TYPE) or whole number (BAD_NUMBER), a
信息项 / 数据服务 row naming no resource of the 信息资源 sheet (REQUIRED, UNKNOWN_REFERENCE),
contact phones that outnumber the names they belong to (MISMATCHED_LIST). Text is stripped;
an empty cell is absent. Enumerations are read as Chinese labels or English codes; anything
else is kept for `validate` to report.

Contacts live in the agency row: 首席代表/首席代表电话/首席代表邮箱, 分管负责人, 联络人/联络人电话,
each a `；`-separated list with phones in the order of the names. The workbook has no column
for a responsible leader's phone or email nor for a liaison's email; those are not written.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime
from itertools import zip_longest
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from interchange.origins import (
    AGENCY,
    FIELD,
    GRANT,
    HEADERS,
    PROJECT,
    RESOURCE,
    RESOURCE_CODE_HEADER,
    SCENARIO,
    SERVICE,
    SHEETS,
    Origin,
    Origins,
)
from interchange.problems import InvalidCatalogFile, Problem
from interchange.records import (
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

Progress = Callable[[int], None]

SHEET_ORDER = (AGENCY, RESOURCE, FIELD, SERVICE, SCENARIO, GRANT, PROJECT)

# role -> attribute -> header; `role` maps to the name column so problems point at it.
CONTACT_COLUMNS: dict[ContactRole, dict[str, str]] = {
    ContactRole.CHIEF_REPRESENTATIVE: {
        "role": "首席代表", "name": "首席代表", "phone": "首席代表电话", "email": "首席代表邮箱",
    },
    ContactRole.RESPONSIBLE_LEADER: {"role": "分管负责人", "name": "分管负责人"},
    ContactRole.LIAISON: {"role": "联络人", "name": "联络人", "phone": "联络人电话"},
}  # fmt: skip

RESOURCE_REF = "resource"  # the attribute standing for 信息资源代码 in 信息项 / 数据服务

_CONTACT_HEADERS = {
    f"{role.value}.{attr}": header
    for role, columns in CONTACT_COLUMNS.items()
    for attr, header in columns.items()
    if attr != "role"
}

# The headers of each sheet in the order of FORMAT.md: attribute -> header.
COLUMNS: dict[str, dict[str, str]] = {
    AGENCY: {**HEADERS[AGENCY], **_CONTACT_HEADERS},
    RESOURCE: HEADERS[RESOURCE],
    FIELD: {RESOURCE_REF: RESOURCE_CODE_HEADER, **HEADERS[FIELD]},
    SERVICE: {"code": HEADERS[SERVICE]["code"], RESOURCE_REF: RESOURCE_CODE_HEADER,
              **{a: h for a, h in HEADERS[SERVICE].items() if a != "code"}},
    SCENARIO: HEADERS[SCENARIO],
    GRANT: HEADERS[GRANT],
    PROJECT: HEADERS[PROJECT],
}  # fmt: skip

REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    AGENCY: ("code", "name", "level"),
    RESOURCE: ("code", "name", "provider", "sharing_type"),
    FIELD: (RESOURCE_REF, "name"),
    SERVICE: ("code", RESOURCE_REF, "name", "kind"),
    SCENARIO: ("code", "name", "agency"),
    GRANT: ("scenario", "service"),
    PROJECT: ("code", "name", "owner"),
}

_SPLIT = re.compile(r"[;；]")
_TRUE = {"是", "TRUE", "1", "Y", "YES"}
_FALSE = {"否", "FALSE", "0", "N", "NO"}
_PROGRESS_EVERY = 1000


# -- reading -----------------------------------------------------------------------------


def read_xlsx(path: Path, progress: Progress | None = None) -> tuple[CatalogDocument, Origins]:
    """Parse a catalog workbook; `progress` gets the number of rows just handled.

    Raises `InvalidCatalogFile` when the file is not an XLSX workbook; other problems are
    returned in `Origins.problems`. OSError propagates.
    """
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError) as e:
        raise InvalidCatalogFile(
            [
                Problem(
                    path.name,
                    "",
                    None,
                    None,
                    "BAD_XLSX",
                    f"无法作为 XLSX 工作簿打开：{e}",
                    f"cannot be opened as an XLSX workbook: {e}",
                )
            ]
        ) from None
    try:
        reader = _Reader(path.name, progress)
        doc = reader.document(workbook)
    finally:
        workbook.close()
    return doc, reader.origins


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _split(value: object) -> list[str]:
    text = _text(value)
    if text is None:
        return []
    return [item for item in (part.strip() for part in _SPLIT.split(text)) if item]


def _split_aligned(value: object) -> list[str | None]:
    """Like `_split` but empty items keep their place (a liaison without a phone)."""
    text = _text(value)
    if text is None:
        return []
    items: list[str | None] = [part.strip() or None for part in _SPLIT.split(text)]
    while items and items[-1] is None:
        items.pop()
    return items


def _term(value: str | None, term: type[Term]) -> str | None:
    if value is None:
        return None
    try:
        return term.parse(value).value
    except ValueError:
        return value


class _Sheet:
    """One worksheet: its name, which column holds which attribute, its origin columns."""

    def __init__(self, kind: str, index: dict[str, int]) -> None:
        self.kind = kind
        self.name = SHEETS[kind]
        self.index = index
        self.columns: Mapping[str, str] = COLUMNS[kind]

    def get(self, row: Sequence[object], attr: str) -> object:
        i = self.index.get(attr)
        return row[i] if i is not None and i < len(row) else None

    def text(self, row: Sequence[object], attr: str) -> str | None:
        return _text(self.get(row, attr))

    def origin(self, row_number: int) -> Origin:
        return Origin(self.name, row_number, columns=self.columns)


class _Reader:
    def __init__(self, file: str, progress: Progress | None) -> None:
        self.file = file
        self.progress = progress
        self.pending = 0
        self.origins = Origins()
        self.doc = CatalogDocument()
        self.resources: dict[str, ResourceRecord] = {}

    def problem(self, sheet: str, row: int | None, column: str | None, code: str, zh: str,
                en: str) -> None:  # fmt: skip
        self.origins.problems.append(Problem(self.file, sheet, row, column, code, zh, en))

    def tick(self) -> None:
        self.pending += 1
        if self.pending >= _PROGRESS_EVERY:
            self.flush()

    def flush(self) -> None:
        if self.progress is not None and self.pending:
            self.progress(self.pending)
        self.pending = 0

    def document(self, workbook: Workbook) -> CatalogDocument:
        names: list[str] = list(workbook.sheetnames)
        known = set(SHEETS.values())
        for name in names:
            if name not in known:
                self.problem(
                    name, None, None, "UNKNOWN_SHEET",
                    f"未知的工作表「{name}」，可用：{'、'.join(SHEETS[k] for k in SHEET_ORDER)}",
                    f"unknown sheet {name!r}; the sheets are: "
                    f"{', '.join(SHEETS[k] for k in SHEET_ORDER)}",
                )  # fmt: skip
        build: dict[str, Callable[[_Sheet, int, Sequence[object]], None]] = {
            AGENCY: self.agency,
            RESOURCE: self.resource,
            FIELD: self.field,
            SERVICE: self.service,
            SCENARIO: self.scenario,
            GRANT: self.grant,
            PROJECT: self.project,
        }
        # Resources before their fields and services, whatever the order of the sheets.
        for kind in SHEET_ORDER:
            if SHEETS[kind] not in names:
                continue
            worksheet = workbook[SHEETS[kind]]
            # Some writers store a wrong used range; without it every row is read.
            worksheet.reset_dimensions()
            rows: Iterator[Sequence[object]] = worksheet.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                continue
            sheet = self.header(kind, header)
            for number, row in enumerate(rows, start=2):
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                    continue
                build[kind](sheet, number, row)
                self.tick()
        self.flush()
        return self.doc

    def header(self, kind: str, header: Sequence[object]) -> _Sheet:
        sheet_name = SHEETS[kind]
        by_header = {h: a for a, h in COLUMNS[kind].items()}
        index: dict[str, int] = {}
        for i, cell in enumerate(header):
            title = _text(cell)
            if title is None:
                continue
            attr = by_header.get(title)
            if attr is None:
                self.problem(
                    sheet_name, 1, title, "UNKNOWN_COLUMN",
                    f"未知的列「{title}」，可用：{'、'.join(COLUMNS[kind].values())}",
                    f"unknown column {title!r}; the columns are: "
                    f"{', '.join(COLUMNS[kind].values())}",
                )  # fmt: skip
            elif attr in index:
                self.problem(
                    sheet_name,
                    1,
                    title,
                    "DUPLICATE_COLUMN",
                    f"列「{title}」重复",
                    f"column {title!r} appears twice",
                )
            else:
                index[attr] = i
        for attr in REQUIRED_COLUMNS[kind]:
            if attr not in index:
                title = COLUMNS[kind][attr]
                self.problem(
                    sheet_name,
                    1,
                    title,
                    "MISSING_COLUMN",
                    f"缺少必需的列「{title}」",
                    f"required column {title!r} is missing",
                )
        return _Sheet(kind, index)

    # -- cells ---------------------------------------------------------------------------

    def boolean(self, sheet: _Sheet, number: int, row: Sequence[object], attr: str,
                default: bool) -> bool:  # fmt: skip
        value = sheet.get(row, attr)
        if isinstance(value, bool):
            return value
        text = _text(value)
        if text is None:
            return default
        if text.upper() in _TRUE:
            return True
        if text.upper() in _FALSE:
            return False
        column = sheet.columns[attr]
        self.problem(
            sheet.name,
            number,
            column,
            "BAD_TYPE",
            f"{column}应为 是/否，而不是「{text[:40]}」",
            f"{column} must be yes/no (是/否, true/false, 1/0, Y/N), not {text[:40]!r}",
        )
        return default

    def integer(self, sheet: _Sheet, number: int, row: Sequence[object], attr: str) -> int | None:
        value = sheet.get(row, attr)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            try:
                parsed = float(value.strip())
            except ValueError:
                pass
            else:
                if parsed.is_integer():
                    return int(parsed)
        column = sheet.columns[attr]
        shown = str(value)[:40]
        self.problem(
            sheet.name,
            number,
            column,
            "BAD_NUMBER",
            f"{column}必须是正整数，而不是「{shown}」",
            f"{column} must be a positive integer, not {shown!r}",
        )
        return None

    def day(self, sheet: _Sheet, row: Sequence[object], attr: str) -> str | None:
        value = sheet.get(row, attr)
        # A date typed into a General-formatted cell arrives as its Excel serial number.
        if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
            converted = from_excel(value)
            if isinstance(converted, datetime):
                return converted.date().isoformat()
        return _text(value)

    def resource_of(self, sheet: _Sheet, number: int, row: Sequence[object]) -> ResourceRecord | None:
        code = sheet.text(row, RESOURCE_REF)
        if code is None:
            if RESOURCE_REF in sheet.index:
                self.problem(
                    sheet.name,
                    number,
                    RESOURCE_CODE_HEADER,
                    "REQUIRED",
                    "信息资源代码不能为空",
                    "the resource code is required",
                )
            return None
        resource = self.resources.get(code)
        if resource is None:
            self.problem(
                sheet.name,
                number,
                RESOURCE_CODE_HEADER,
                "UNKNOWN_REFERENCE",
                f"信息资源代码「{code[:60]}」不在本文件的信息资源表中",
                f"resource code {code[:60]!r} is not in sheet 信息资源 of this file",
            )
        return resource

    # -- records -------------------------------------------------------------------------

    def agency(self, sheet: _Sheet, number: int, row: Sequence[object]) -> None:
        agency = AgencyRecord(
            code=sheet.text(row, "code") or "",
            name=sheet.text(row, "name") or "",
            level=_term(sheet.text(row, "level"), Level) or "",
            short_name=sheet.text(row, "short_name"),
            region_code=sheet.text(row, "region_code"),
            region_name=sheet.text(row, "region_name"),
            parent=sheet.text(row, "parent"),
        )
        self.origins.add(agency, sheet.origin(number))
        for role, columns in CONTACT_COLUMNS.items():
            names = _split(sheet.get(row, f"{role.value}.name"))
            phones = _split_aligned(sheet.get(row, f"{role.value}.phone"))
            emails = _split_aligned(sheet.get(row, f"{role.value}.email"))
            for attr, values in (("phone", phones), ("email", emails)):
                if len(values) > len(names):
                    column = columns[attr]
                    self.problem(sheet.name, number, column, "MISMATCHED_LIST",
                                 f"{column}有{len(values)}项，而{columns['name']}只有{len(names)}项",
                                 f"{column} has {len(values)} items but {columns['name']} has "
                                 f"{len(names)}")  # fmt: skip
            for name, phone, email in zip_longest(names, phones[: len(names)], emails[: len(names)]):
                contact = Contact(role=role.value, name=name or "", phone=phone, email=email)
                self.origins.add(contact, Origin(sheet.name, number, columns=columns))
                agency.contacts.append(contact)
        self.doc.agencies.append(agency)

    def resource(self, sheet: _Sheet, number: int, row: Sequence[object]) -> None:
        resource = ResourceRecord(
            code=sheet.text(row, "code") or "",
            name=sheet.text(row, "name") or "",
            provider=sheet.text(row, "provider") or "",
            sharing_type=_term(sheet.text(row, "sharing_type"), SharingType) or "",
            summary=sheet.text(row, "summary"),
            category=sheet.text(row, "category"),
            category_code=sheet.text(row, "category_code"),
            format=_term(sheet.text(row, "format"), ResourceFormat) or ResourceFormat.DATABASE.value,
            sharing_condition=sheet.text(row, "sharing_condition"),
            legal_basis=sheet.text(row, "legal_basis"),
            open_to_public=self.boolean(sheet, number, row, "open_to_public", False),
            update_cycle=_term(sheet.text(row, "update_cycle"), UpdateCycle) or UpdateCycle.IRREGULAR.value,
            published_at=self.day(sheet, row, "published_at"),
            updated_at=self.day(sheet, row, "updated_at"),
            aggregated=self.boolean(sheet, number, row, "aggregated", True),
            not_aggregated_reason=sheet.text(row, "not_aggregated_reason"),
            related=_split(sheet.get(row, "related")),
            derived_from=_split(sheet.get(row, "derived_from")),
        )
        self.origins.add(resource, sheet.origin(number))
        self.resources.setdefault(resource.code, resource)
        self.doc.resources.append(resource)

    def field(self, sheet: _Sheet, number: int, row: Sequence[object]) -> None:
        resource = self.resource_of(sheet, number, row)
        f = FieldRecord(
            name=sheet.text(row, "name") or "",
            data_type=_term(sheet.text(row, "data_type"), DataType) or DataType.STRING.value,
            length=self.integer(sheet, number, row, "length"),
            description=sheet.text(row, "description"),
            sharing_type=_term(sheet.text(row, "sharing_type"), SharingType),
        )
        if resource is not None:
            self.origins.add(f, sheet.origin(number))
            resource.fields.append(f)

    def service(self, sheet: _Sheet, number: int, row: Sequence[object]) -> None:
        resource = self.resource_of(sheet, number, row)
        s = ServiceRecord(
            code=sheet.text(row, "code") or "",
            name=sheet.text(row, "name") or "",
            kind=_term(sheet.text(row, "kind"), ServiceKind) or "",
            fields=_split(sheet.get(row, "fields")),
            status=_term(sheet.text(row, "status"), ServiceStatus) or ServiceStatus.PUBLISHED.value,
        )
        if resource is not None:
            self.origins.add(s, sheet.origin(number))
            resource.services.append(s)

    def scenario(self, sheet: _Sheet, number: int, row: Sequence[object]) -> None:
        scenario = ScenarioRecord(
            code=sheet.text(row, "code") or "",
            name=sheet.text(row, "name") or "",
            agency=sheet.text(row, "agency") or "",
            description=sheet.text(row, "description"),
        )
        self.origins.add(scenario, sheet.origin(number))
        self.doc.scenarios.append(scenario)

    def grant(self, sheet: _Sheet, number: int, row: Sequence[object]) -> None:
        grant = GrantRecord(
            scenario=sheet.text(row, "scenario") or "",
            service=sheet.text(row, "service") or "",
            fields=_split(sheet.get(row, "fields")),
            status=_term(sheet.text(row, "status"), GrantStatus) or GrantStatus.ACTIVE.value,
        )
        self.origins.add(grant, sheet.origin(number))
        self.doc.grants.append(grant)

    def project(self, sheet: _Sheet, number: int, row: Sequence[object]) -> None:
        project = ProjectRecord(
            code=sheet.text(row, "code") or "",
            name=sheet.text(row, "name") or "",
            owner=sheet.text(row, "owner") or "",
            stage=_term(sheet.text(row, "stage"), ProjectStage) or ProjectStage.PLANNED.value,
            supplies=_split(sheet.get(row, "supplies")),
            uses=_split(sheet.get(row, "uses")),
        )
        self.origins.add(project, sheet.origin(number))
        self.doc.projects.append(project)


# -- writing -----------------------------------------------------------------------------


def write_xlsx(doc: CatalogDocument, path: Path) -> None:
    """Write all seven sheets with Chinese headers and labels, records ordered by code."""
    workbook = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)
    for kind in SHEET_ORDER:
        worksheet = workbook.create_sheet(SHEETS[kind])
        headers = list(COLUMNS[kind].values())
        rows = list(_rows(kind, doc))
        worksheet.freeze_panes = "A2"
        _declare_size(worksheet, len(rows) + 1, len(headers))
        for i, header in enumerate(headers):
            sample = [r[i] for r in rows[:200]]
            worksheet.column_dimensions[get_column_letter(i + 1)].width = _width(header, sample)
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(worksheet, value=header)
            cell.font = bold
            header_cells.append(cell)
        worksheet.append(header_cells)
        for row in rows:
            worksheet.append([_cell(worksheet, v) for v in row])
    # Through a temporary file, so a failed export never leaves half a file behind.
    temporary = path.with_name(path.name + ".tmp")
    workbook.save(temporary)
    os.replace(temporary, path)


def _declare_size(worksheet: Any, rows: int, columns: int) -> None:
    # openpyxl writes a sheet's <dimension> only when the sheet can compute it, which a
    # write-only sheet cannot; without it a read-only load parses every sheet an extra time.
    ref = f"A1:{get_column_letter(columns)}{rows}"
    worksheet.calculate_dimension = lambda: ref


def _cell(worksheet: WriteOnlyWorksheet, value: object) -> object:
    if not isinstance(value, str):
        return value
    # Control characters cannot be stored in XLSX at all.
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if text.startswith("="):
        # Otherwise openpyxl writes it as a formula, which a reader sees as empty.
        cell = WriteOnlyCell(worksheet, value=text)
        cell.data_type = "s"
        return cell
    return text


def _width(header: str, values: list[object]) -> float:
    def display(value: object) -> int:
        text = "" if value is None else str(value)
        return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)

    widest = max([display(header), *(display(v) for v in values)])
    return float(min(max(widest + 2, 8), 60))


def _label(value: str | None, term: type[Term]) -> str | None:
    if value is None:
        return None
    try:
        return term(value).label_zh
    except ValueError:
        return value


def _join(values: Sequence[str | None]) -> str | None:
    if not values:
        return None
    return "；".join(v or "" for v in values)


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


def _day(value: str | None) -> date | str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value) if len(value) == 10 else value
    except ValueError:
        return value


def _contacts(a: AgencyRecord) -> list[str | None]:
    out: list[str | None] = []
    for role, columns in CONTACT_COLUMNS.items():
        people = [c for c in a.contacts if c.role == role.value]
        out.append(_join([c.name for c in people]))
        for attr in ("phone", "email"):
            if attr in columns:
                values = [getattr(c, attr) for c in people]
                while values and values[-1] is None:
                    values.pop()
                out.append(_join(values))
    return out


def _rows(kind: str, doc: CatalogDocument) -> Iterator[list[object]]:
    resources = sorted(doc.resources, key=lambda r: r.code)
    if kind == AGENCY:
        for a in sorted(doc.agencies, key=lambda a: a.code):
            yield [a.code, a.name, a.short_name, _label(a.level, Level), a.region_code,
                   a.region_name, a.parent, *_contacts(a)]  # fmt: skip
    elif kind == RESOURCE:
        for r in resources:
            yield [
                r.code, r.name, r.summary, r.provider, r.category, r.category_code,
                _label(r.format, ResourceFormat), _label(r.sharing_type, SharingType),
                r.sharing_condition, r.legal_basis, _yes_no(r.open_to_public),
                _label(r.update_cycle, UpdateCycle), _day(r.published_at),
                _day(r.updated_at), _yes_no(r.aggregated), r.not_aggregated_reason, _join(r.related),
                _join(r.derived_from),
            ]  # fmt: skip
    elif kind == FIELD:
        for r in resources:
            for f in r.fields:
                yield [r.code, f.name, _label(f.data_type, DataType), f.length, f.description,
                       _label(f.sharing_type, SharingType)]  # fmt: skip
    elif kind == SERVICE:
        for r in resources:
            for s in sorted(r.services, key=lambda s: s.code):
                yield [s.code, r.code, s.name, _label(s.kind, ServiceKind), _join(s.fields),
                       _label(s.status, ServiceStatus)]  # fmt: skip
    elif kind == SCENARIO:
        for sc in sorted(doc.scenarios, key=lambda s: s.code):
            yield [sc.code, sc.name, sc.agency, sc.description]
    elif kind == GRANT:
        for g in sorted(doc.grants, key=lambda g: (g.scenario, g.service)):
            yield [g.scenario, g.service, _join(g.fields), _label(g.status, GrantStatus)]
    elif kind == PROJECT:
        for p in sorted(doc.projects, key=lambda p: p.code):
            yield [p.code, p.name, p.owner, _label(p.stage, ProjectStage), _join(p.supplies),
                   _join(p.uses)]  # fmt: skip
