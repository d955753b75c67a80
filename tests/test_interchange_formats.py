"""The JSON and XLSX catalog files and the validation of their content."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from interchange.json_format import read_json, write_json
from interchange.origins import Origins
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
from interchange.validation import KnownCodes, validate
from interchange.xlsx_format import read_xlsx, write_xlsx

CITY = "11370800004000001X"
BUREAU = "11370800MB0000002Y"
COUNTY = "11370811004000003Z"


def sample() -> CatalogDocument:
    """A valid document, already in the order the writers produce."""
    return CatalogDocument(
        agencies=[
            AgencyRecord(
                code=CITY,
                name="济宁市市场监督管理局",
                level="CITY",
                short_name="市市场监管局",
                region_code="370800",
                region_name="济宁市",
                parent=BUREAU,
                contacts=[
                    Contact("CHIEF_REPRESENTATIVE", "张伟", "0537-2345678", "zhangwei@jining.gov.cn"),
                    Contact("RESPONSIBLE_LEADER", "李娜"),
                    Contact("LIAISON", "王芳", "13800000001"),
                    Contact("LIAISON", "赵磊"),
                    Contact("LIAISON", "刘洋", "13800000003"),
                ],
            ),
            AgencyRecord(code=BUREAU, name="济宁市大数据中心", level="CITY"),
            AgencyRecord(
                code=COUNTY,
                name="任城区行政审批服务局",
                level="COUNTY",
                region_code="370811",
                region_name="任城区",
                parent=BUREAU,
            ),
        ],
        resources=[
            ResourceRecord(
                code="370800-SCJG-0001",
                name="企业登记信息",
                provider=CITY,
                sharing_type="CONDITIONAL",
                summary="全市企业登记注册信息",
                category="法人单位",
                category_code="1-02",
                format="DATABASE",
                sharing_condition="用于市场监管相关场景",
                open_to_public=False,
                update_cycle="DAILY",
                published_at="2025-06-01",
                updated_at="2026-11-30",
                related=["370800-SCJG-0002"],
                fields=[
                    FieldRecord("统一社会信用代码", "STRING", 18, "企业的统一社会信用代码"),
                    FieldRecord("企业名称", "STRING", 200),
                    FieldRecord("成立日期", "DATE", None, None, "UNCONDITIONAL"),
                    FieldRecord("注册资本", "DECIMAL", 20, "万元"),
                ],
                services=[
                    ServiceRecord("SVC-0001", "企业信息查询", "INTERFACE_QUERY", ["统一社会信用代码", "企业名称"]),
                    ServiceRecord("SVC-0002", "企业信息核验", "INTERFACE_VERIFY", ["统一社会信用代码"], "CHANGED"),
                ],
            ),
            ResourceRecord(
                code="370800-SCJG-0002",
                name="企业年报信息",
                provider=CITY,
                sharing_type="NOT_SHARED",
                legal_basis="《企业信息公示暂行条例》第八条",
                format="FILE",
                open_to_public=True,
                update_cycle="YEARLY",
                aggregated=False,
                not_aggregated_reason="依据条例暂不汇聚，已书面说明",
                derived_from=["370800-SCJG-0001"],
                fields=[FieldRecord("年报年度", "INTEGER", 4)],
            ),
        ],
        scenarios=[
            ScenarioRecord("SC-001", "企业开办一件事", COUNTY, "企业开办全流程网办"),
        ],
        grants=[
            GrantRecord("SC-001", "SVC-0001", ["统一社会信用代码"]),
            GrantRecord("SC-001", "SVC-0002", [], "SUSPENDED"),
        ],
        projects=[
            ProjectRecord(
                "PRJ-2025-01",
                "智慧市场监管平台",
                CITY,
                "APPROVED",
                supplies=["370800-SCJG-0001"],
                uses=["370800-SCJG-0002"],
            ),
        ],
    )


def make_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    workbook = openpyxl.Workbook()
    for default in workbook.worksheets:
        workbook.remove(default)
    for title, rows in sheets.items():
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(row)
    workbook.save(path)
    return path


def write_raw_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def codes(problems: list[Problem]) -> set[str]:
    return {p.code for p in problems}


def where(problems: list[Problem], code: str) -> list[tuple[str, int | None, str | None]]:
    return [(p.sheet, p.row, p.column) for p in problems if p.code == code]


AGENCY_HEADER = ["机构代码", "机构名称", "层级"]
RESOURCE_HEADER = ["信息资源代码", "信息资源名称", "提供方代码", "共享类型"]


# -- round trips -------------------------------------------------------------------------


def test_json_round_trip(tmp_path: Path) -> None:
    doc = sample()
    path = tmp_path / "catalog.json"
    write_json(doc, path)
    read, origins = read_json(path)
    assert read == doc
    assert validate(read, path.name, KnownCodes(), origins) == []
    # updatedAt is an optional extension: a file written before it still loads.
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["resources"][0]["updatedAt"] == "2026-11-30"
    for r in data["resources"]:
        del r["updatedAt"]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    old, origins = read_json(path)
    assert [r.updated_at for r in old.resources] == [None, None] and origins.problems == []


def test_json_is_written_in_the_documented_shape(tmp_path: Path) -> None:
    doc = sample()
    doc.agencies.reverse()
    doc.resources.reverse()
    doc.resources[1].services.reverse()
    path = tmp_path / "catalog.json"
    write_json(doc, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert "企业登记信息" in path.read_text(encoding="utf-8")  # not \u escaped
    assert list(data) == ["format", "agencies", "resources", "scenarios", "grants", "projects"]
    assert data["format"] == FORMAT_ID
    assert [a["code"] for a in data["agencies"]] == sorted([CITY, BUREAU, COUNTY])
    first = data["resources"][0]
    assert list(first) == [
        "code", "name", "summary", "provider", "category", "categoryCode", "format",
        "sharingType", "sharingCondition", "legalBasis", "openToPublic", "updateCycle",
        "publishedAt", "updatedAt", "aggregated", "notAggregatedReason", "related", "derivedFrom",
        "fields", "services",
    ]  # fmt: skip
    assert first["legalBasis"] is None
    assert [f["name"] for f in first["fields"]] == ["统一社会信用代码", "企业名称", "成立日期", "注册资本"]
    assert first["fields"][2] == {
        "name": "成立日期", "dataType": "DATE", "length": None, "description": None,
        "sharingType": "UNCONDITIONAL",
    }  # fmt: skip
    assert [s["code"] for s in first["services"]] == ["SVC-0001", "SVC-0002"]
    bureau = next(a for a in data["agencies"] if a["code"] == BUREAU)
    assert bureau["parent"] is None and bureau["contacts"] == []
    assert data["grants"][1]["status"] == "SUSPENDED"
    # Deterministic: the same document gives the same bytes.
    again = tmp_path / "again.json"
    write_json(doc, again)
    assert again.read_bytes() == path.read_bytes()


def test_xlsx_round_trip(tmp_path: Path) -> None:
    doc = sample()
    path = tmp_path / "catalog.xlsx"
    write_xlsx(doc, path)
    read, origins = read_xlsx(path)
    assert read == doc
    assert validate(read, path.name, KnownCodes(), origins) == []


def test_xlsx_is_written_with_chinese_headers_and_labels(tmp_path: Path) -> None:
    path = tmp_path / "catalog.xlsx"
    write_xlsx(sample(), path)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["机构", "信息资源", "信息项", "数据服务", "应用场景", "授权", "项目"]
    resources = workbook["信息资源"]
    assert resources.freeze_panes == "A2"
    header = [c.value for c in resources[1]]
    assert header[:4] == ["信息资源代码", "信息资源名称", "信息资源摘要", "提供方代码"]
    row = {h: c.value for h, c in zip(header, resources[2], strict=True)}
    assert row["共享类型"] == "有条件共享"
    assert row["更新周期"] == "每日"
    assert row["是否向社会开放"] == "否"
    assert row["发布日期"] == datetime(2025, 6, 1)
    assert row["最近更新日期"] == datetime(2026, 11, 30)
    assert row["关联资源代码"] == "370800-SCJG-0002"
    agencies = workbook["机构"]
    header = [c.value for c in agencies[1]]
    city = {h: c.value for h, c in zip(header, agencies[2], strict=True)}
    assert city["层级"] == "市级"
    assert city["联络人"] == "王芳；赵磊；刘洋"
    assert city["联络人电话"] == "13800000001；；13800000003"
    assert (agencies.column_dimensions["B"].width or 0) > 10
    assert [c.value for c in workbook["授权"][3]] == ["SC-001", "SVC-0002", None, "已暂停"]


def test_json_to_xlsx_to_json_is_identical(tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    write_json(sample(), first)
    doc, _ = read_json(first)
    workbook = tmp_path / "catalog.xlsx"
    write_xlsx(doc, workbook)
    doc2, _ = read_xlsx(workbook)
    second = tmp_path / "second.json"
    write_json(doc2, second)
    assert second.read_bytes() == first.read_bytes()


def test_emoji_long_text_and_formula_like_text_survive_both_formats(tmp_path: Path) -> None:
    doc = sample()
    resource = doc.resources[0]
    resource.name = "企业登记信息🏢✨"
    resource.summary = "长" * 3999 + "😀"
    resource.fields[1].description = "=SUM(A1:A3) 不是公式"
    doc.agencies[0].contacts[0].name = "张伟👨‍💼"
    for suffix, write, read in (
        ("json", write_json, read_json),
        ("xlsx", write_xlsx, read_xlsx),
    ):
        path = tmp_path / f"catalog.{suffix}"
        write(doc, path)
        back, origins = read(path)
        assert back == doc, suffix
        assert validate(back, path.name, KnownCodes(), origins) == [], suffix


def test_xlsx_writer_drops_characters_a_workbook_cannot_hold(tmp_path: Path) -> None:
    doc = sample()
    doc.resources[0].summary = "第一行\x07第二行\n第三行"
    path = tmp_path / "catalog.xlsx"
    write_xlsx(doc, path)
    back, _ = read_xlsx(path)
    assert back.resources[0].summary == "第一行第二行\n第三行"


# -- lenient reading ---------------------------------------------------------------------


def test_json_accepts_chinese_labels_and_normalises_them(tmp_path: Path) -> None:
    path = write_raw_json(
        tmp_path / "labels.json",
        {
            "format": FORMAT_ID,
            "agencies": [
                {"code": CITY, "name": "市局", "level": "市级",
                 "contacts": [{"role": "联络人", "name": "王芳"}]},
            ],
            "resources": [
                {"code": "R1", "name": "资源", "provider": CITY, "sharingType": "无条件共享",
                 "format": "接口", "updateCycle": "每季度",
                 "fields": [{"name": "姓名", "dataType": "字符串", "sharingType": "不予共享"}],
                 "services": [{"code": "S1", "name": "服务", "kind": "校核比对",
                               "fields": ["姓名"], "status": "已下线"}]},
            ],
            "projects": [{"code": "P1", "name": "项目", "owner": CITY, "stage": "验收中"}],
        },
    )  # fmt: skip
    doc, origins = read_json(path)
    assert doc.agencies[0].level == "CITY"
    assert doc.agencies[0].contacts[0].role == "LIAISON"
    resource = doc.resources[0]
    assert (resource.sharing_type, resource.format, resource.update_cycle) == (
        "UNCONDITIONAL", "INTERFACE", "QUARTERLY",
    )  # fmt: skip
    assert (resource.fields[0].data_type, resource.fields[0].sharing_type) == ("STRING", "NOT_SHARED")
    assert (resource.services[0].kind, resource.services[0].status) == ("INTERFACE_VERIFY", "OFFLINE")
    assert doc.projects[0].stage == "ACCEPTANCE"
    # Absent keys take the defaults.
    assert (resource.aggregated, resource.open_to_public, resource.related) == (True, False, [])
    assert validate(doc, path.name, KnownCodes(), origins) == []


def test_xlsx_accepts_any_column_order_labels_codes_and_excel_values(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "platform.xlsx",
        {
            "信息资源": [
                ["共享类型", "信息资源名称", "信息资源代码", "提供方代码", "是否向社会开放",
                 "是否已汇聚", "发布日期", "关联资源代码", "未汇聚说明", "更新周期"],
                ["有条件共享", " 企业登记信息 ", "R1", CITY, "是", "Y", datetime(2025, 6, 1),
                 "R2; R3；", None, "daily"],
                ["UNCONDITIONAL", "企业年报", "R2", CITY, "false", 1, "2024-12-31", None, None,
                 None],
                ["无条件共享", "企业许可", "R3", CITY, True, "否", None, None, "暂不汇聚", None],
            ],
            "机构": [
                ["层级", "机构名称", "机构代码", "行政区划代码", "联络人", "联络人电话"],
                ["市级", "市局", CITY, 370800, "王芳；赵磊", 13800000001.0],
            ],
            "信息项": [
                ["信息项名称", "信息资源代码", "长度", "数据类型"],
                ["统一社会信用代码", "R1", 18.0, "字符型"],
                ["企业名称", "R1", "200", "STRING"],
                ["", None, None, None],  # an empty row is skipped
                ["年度", "R2", None, "整数型"],
            ],
        },
    )  # fmt: skip
    doc, origins = read_xlsx(path)
    assert origins.problems == []
    r1, r2, r3 = doc.resources
    assert (r1.name, r1.sharing_type, r1.open_to_public, r1.aggregated) == (
        "企业登记信息", "CONDITIONAL", True, True,
    )  # fmt: skip
    assert (r1.published_at, r1.related, r1.update_cycle) == ("2025-06-01", ["R2", "R3"], "DAILY")
    assert (r2.sharing_type, r2.open_to_public, r2.aggregated, r2.published_at) == (
        "UNCONDITIONAL", False, True, "2024-12-31",
    )  # fmt: skip
    assert (r3.open_to_public, r3.aggregated, r3.update_cycle) == (True, False, "IRREGULAR")
    assert [(f.name, f.length, f.data_type) for f in r1.fields] == [
        ("统一社会信用代码", 18, "STRING"),
        ("企业名称", 200, "STRING"),
    ]
    assert [(f.name, f.data_type) for f in r2.fields] == [("年度", "INTEGER")]
    agency = doc.agencies[0]
    assert agency.region_code == "370800"
    assert agency.contacts == [
        Contact("LIAISON", "王芳", "13800000001"),
        Contact("LIAISON", "赵磊", None),
    ]
    assert doc.scenarios == [] and doc.grants == [] and doc.projects == []
    assert validate(doc, path.name, KnownCodes(), origins) == []


def test_progress_counts_every_row(tmp_path: Path) -> None:
    doc = sample()
    for suffix, write, read in (
        ("json", write_json, read_json),
        ("xlsx", write_xlsx, read_xlsx),
    ):
        path = tmp_path / f"catalog.{suffix}"
        write(doc, path)
        counts: list[int] = []
        read(path, counts.append)
        assert sum(counts) == doc.row_count() == 16, suffix


# -- rejected files ----------------------------------------------------------------------


def test_malformed_json_is_a_bad_json_problem(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": "jining-catalog/1",\n "agencies": [}', encoding="utf-8")
    with pytest.raises(InvalidCatalogFile) as caught:
        read_json(path)
    [problem] = caught.value.problems
    assert (problem.file, problem.code, problem.row) == ("broken.json", "BAD_JSON", 2)
    assert "JSON" in problem.reason_zh and "line 2" in problem.reason_en


def test_json_that_is_not_utf8_is_bad_json(tmp_path: Path) -> None:
    path = tmp_path / "gbk.json"
    path.write_bytes('{"format": "jining-catalog/1", "agencies": [{"name": "济宁"}]}'.encode("gbk"))
    with pytest.raises(InvalidCatalogFile) as caught:
        read_json(path)
    assert codes(caught.value.problems) == {"BAD_JSON"}


@pytest.mark.parametrize("data", [[], {"agencies": []}, {"format": "jining-catalog/2"}])
def test_json_without_the_format_is_bad_format(tmp_path: Path, data: Any) -> None:
    path = write_raw_json(tmp_path / "other.json", data)
    with pytest.raises(InvalidCatalogFile) as caught:
        read_json(path)
    assert [(p.code, p.column) for p in caught.value.problems] == [("BAD_FORMAT", "format")]


def test_json_wrong_types_and_unknown_keys_are_all_reported(tmp_path: Path) -> None:
    path = write_raw_json(
        tmp_path / "types.json",
        {
            "format": FORMAT_ID,
            "agency": [],
            "agencies": [
                {"code": CITY, "name": "市局", "level": "CITY", "contacts": "王芳"},
                "not an object",
            ],
            "resources": [
                {"code": "R1", "name": 42, "provider": CITY, "sharingType": "CONDITIONAL",
                 "aggregated": "yes", "related": "R2", "derivedFrom": ["R1x", 7],
                 "sharingtype": "CONDITIONAL",
                 "fields": [{"name": "a", "length": "18"}, {"name": "b", "length": 1.5}]},
            ],
            "scenarios": {"code": "SC"},
        },
    )  # fmt: skip
    doc, origins = read_json(path)
    found = {(p.code, p.sheet, p.row, p.column) for p in origins.problems}
    assert found == {
        ("UNKNOWN_COLUMN", "", None, "agency"),
        ("BAD_TYPE", "agencies", 1, "contacts"),
        ("BAD_TYPE", "agencies", 2, None),
        ("BAD_TYPE", "resources", 1, "name"),
        ("BAD_TYPE", "resources", 1, "aggregated"),
        ("BAD_TYPE", "resources", 1, "related"),
        ("BAD_TYPE", "resources", 1, "derivedFrom[1]"),
        ("UNKNOWN_COLUMN", "resources", 1, "sharingtype"),
        ("BAD_TYPE", "resources", 1, "fields[0].length"),
        ("BAD_NUMBER", "resources", 1, "fields[1].length"),
        ("BAD_TYPE", "scenarios", None, None),
    }
    assert len(doc.agencies) == 1 and doc.resources[0].derived_from == ["R1x"]
    problems = validate(doc, "types.json", KnownCodes(), origins)
    # The reader's problems come first, then validation's, without repeating a cell:
    # the name of wrong type is not reported REQUIRED as well.
    assert problems[: len(origins.problems)] == origins.problems
    assert ("resources", 1, "name") not in where(problems, "REQUIRED")
    assert where(problems, "UNKNOWN_REFERENCE") == [("resources", 1, "derivedFrom[0]")]


def test_xlsx_structure_problems(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "odd.xlsx",
        {
            "说明": [["本表用于填报"]],
            "机构": [["机构代码", "机构名称", "层级", "备注", "机构名称"], [CITY, "市局", "市级", "x", "y"]],
            "信息资源": [["信息资源代码", "信息资源名称", "共享类型"], ["R1", "资源", "无条件共享"]],
        },
    )  # fmt: skip
    doc, origins = read_xlsx(path)
    found = {(p.code, p.sheet, p.row, p.column) for p in origins.problems}
    assert found == {
        ("UNKNOWN_SHEET", "说明", None, None),
        ("UNKNOWN_COLUMN", "机构", 1, "备注"),
        ("DUPLICATE_COLUMN", "机构", 1, "机构名称"),
        ("MISSING_COLUMN", "信息资源", 1, "提供方代码"),
    }
    problems = validate(doc, "odd.xlsx", KnownCodes(), origins)
    # The missing column is reported once, not again as REQUIRED on every row.
    assert where(problems, "REQUIRED") == []
    assert doc.agencies[0].name == "市局"


def test_not_a_workbook_is_bad_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("机构代码,机构名称\n", encoding="utf-8")
    with pytest.raises(InvalidCatalogFile) as caught:
        read_xlsx(path)
    assert codes(caught.value.problems) == {"BAD_XLSX"}


# -- validation --------------------------------------------------------------------------


def test_bad_sharing_type_in_xlsx_points_at_the_cell(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "bad.xlsx",
        {
            "机构": [AGENCY_HEADER, [CITY, "市局", "市级"]],
            "信息资源": [
                RESOURCE_HEADER,
                ["R1", "资源一", CITY, "无条件共享"],
                ["R2", "资源二", CITY, "部分共享"],
            ],
        },
    )
    doc, origins = read_xlsx(path)
    problems = validate(doc, "bad.xlsx", KnownCodes(), origins)
    [problem] = problems
    assert (problem.file, problem.sheet, problem.row, problem.column, problem.code) == (
        "bad.xlsx", "信息资源", 3, "共享类型", "BAD_ENUM",
    )  # fmt: skip
    assert "部分共享" in problem.reason_zh
    assert "UNCONDITIONAL 无条件共享, CONDITIONAL 有条件共享, NOT_SHARED 不予共享" in problem.reason_en


def test_xlsx_problems_name_sheet_row_and_header(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "bad.xlsx",
        {
            "机构": [[*AGENCY_HEADER, "上级机构代码", "联络人", "联络人电话"],
                   [CITY, "市局", "市级", CITY, "王芳", "1；2"]],
            "信息资源": [[*RESOURCE_HEADER, "是否已汇聚"], ["R1", "资源", CITY, "有条件共享", "否"]],
            "信息项": [["信息资源代码", "信息项名称", "长度"],
                    ["R1", "姓名", 0], ["R1", "姓名", "十八"], ["R9", "年龄", 3]],
            "数据服务": [["服务代码", "信息资源代码", "服务名称", "服务类型", "开放信息项"],
                     ["S1", "R1", "查询", "接口查询", "姓名；住址"]],
            "授权": [["场景代码", "服务代码", "授权信息项"], ["SC9", "S1", "姓名；年龄"]],
        },
    )  # fmt: skip
    doc, origins = read_xlsx(path)
    problems = validate(doc, "bad.xlsx", KnownCodes(), origins)
    found = {(p.code, p.sheet, p.row, p.column) for p in problems}
    assert found == {
        ("SELF_REFERENCE", "机构", 2, "上级机构代码"),
        ("MISMATCHED_LIST", "机构", 2, "联络人电话"),
        ("NOT_AGGREGATED_REASON_REQUIRED", "信息资源", 2, "未汇聚说明"),
        ("BAD_NUMBER", "信息项", 2, "长度"),
        ("BAD_NUMBER", "信息项", 3, "长度"),
        ("DUPLICATE_CODE", "信息项", 3, "信息项名称"),
        ("UNKNOWN_REFERENCE", "信息项", 4, "信息资源代码"),
        ("UNKNOWN_REFERENCE", "数据服务", 2, "开放信息项"),
        ("UNKNOWN_REFERENCE", "授权", 2, "场景代码"),
        ("UNKNOWN_REFERENCE", "授权", 2, "授权信息项"),
    }
    duplicate = next(p for p in problems if p.code == "DUPLICATE_CODE")
    assert "信息项 第2行" in duplicate.reason_zh and "row 2" in duplicate.reason_en


def bad_document() -> CatalogDocument:
    """One of every validation problem."""
    doc = sample()
    city, bureau, county = doc.agencies
    city.parent = COUNTY  # CITY -> COUNTY -> BUREAU -> CITY
    county.parent = BUREAU
    bureau.parent = CITY
    bureau.level = "TOWN"  # BAD_ENUM
    county.name = ""  # REQUIRED
    county.short_name = "区" * 201  # TOO_LONG
    doc.agencies.append(AgencyRecord(code=CITY, name="重复的机构", level="CITY"))  # DUPLICATE
    first, second = doc.resources
    first.code = "370800 SCJG 0001"  # BAD_CODE
    first.related = ["370800-SCJG-9999"]  # UNKNOWN_REFERENCE
    first.published_at = "2025/06/01"  # BAD_DATE
    first.updated_at = "30.11.2026"  # BAD_DATE
    first.fields[1].length = -1  # BAD_NUMBER
    second.legal_basis = None  # LEGAL_BASIS_REQUIRED
    second.not_aggregated_reason = " "  # NOT_AGGREGATED_REASON_REQUIRED
    second.derived_from = ["370800-SCJG-0002"]  # SELF_REFERENCE
    return doc


def test_every_validation_code_fires_with_json_style_places() -> None:
    problems = validate(bad_document(), "bad.json", KnownCodes(), Origins())
    assert codes(problems) == {
        "BAD_ENUM", "REQUIRED", "TOO_LONG", "DUPLICATE_CODE", "CYCLE", "BAD_CODE",
        "UNKNOWN_REFERENCE", "BAD_DATE", "BAD_NUMBER", "LEGAL_BASIS_REQUIRED",
        "NOT_AGGREGATED_REASON_REQUIRED", "SELF_REFERENCE",
    }  # fmt: skip
    assert all(p.file == "bad.json" and p.reason_zh and p.reason_en for p in problems)
    assert where(problems, "BAD_ENUM") == [("agencies", 2, "level")]
    assert where(problems, "REQUIRED") == [("agencies", 3, "name")]
    assert where(problems, "TOO_LONG") == [("agencies", 3, "shortName")]
    assert where(problems, "DUPLICATE_CODE") == [("agencies", 4, "code")]
    assert where(problems, "CYCLE") == [("agencies", 1, "parent")]
    assert where(problems, "BAD_CODE") == [("resources", 1, "code")]
    # related[0] is unknown; projects and grants still name the old code of the first one.
    assert ("resources", 1, "related[0]") in where(problems, "UNKNOWN_REFERENCE")
    assert ("projects", 1, "supplies[0]") in where(problems, "UNKNOWN_REFERENCE")
    assert where(problems, "BAD_DATE") == [("resources", 1, "publishedAt"), ("resources", 1, "updatedAt")]
    assert where(problems, "BAD_NUMBER") == [("resources", 1, "fields[1].length")]
    assert where(problems, "LEGAL_BASIS_REQUIRED") == [("resources", 2, "legalBasis")]
    assert where(problems, "NOT_AGGREGATED_REASON_REQUIRED") == [("resources", 2, "notAggregatedReason")]
    assert where(problems, "SELF_REFERENCE") == [("resources", 2, "derivedFrom[0]")]
    cycle = next(p for p in problems if p.code == "CYCLE")
    assert f"{CITY} → {COUNTY} → {BUREAU} → {CITY}" in cycle.reason_en


def test_json_file_problems_carry_key_paths(tmp_path: Path) -> None:
    doc = sample()
    doc.resources[0].fields[2].data_type = "DATE_TIME"
    doc.resources[0].services[1].fields = ["统一社会信用代码", "法定代表人"]
    doc.grants[0].fields = ["企业名称"]  # exposed by SVC-0001
    doc.grants[1].fields = ["企业名称"]  # not exposed by SVC-0002
    doc.grants.append(GrantRecord("SC-001", "SVC-0001"))
    path = tmp_path / "bad.json"
    write_json(doc, path)
    read, origins = read_json(path)
    problems = validate(read, path.name, KnownCodes(), origins)
    assert [(p.code, p.sheet, p.row, p.column) for p in problems] == [
        ("BAD_ENUM", "resources", 1, "fields[2].dataType"),
        ("UNKNOWN_REFERENCE", "resources", 1, "services[1].fields[1]"),
        ("DUPLICATE_CODE", "grants", 2, None),
        ("UNKNOWN_REFERENCE", "grants", 3, "fields[0]"),
    ]
    assert "DATETIME 日期时间型" in problems[0].reason_zh


def test_duplicates_across_resources_and_within_one() -> None:
    doc = sample()
    doc.resources[1].services.append(ServiceRecord("SVC-0001", "重复服务", "BATCH_EXPORT"))
    doc.resources[1].fields.append(FieldRecord("年报年度"))
    doc.scenarios.append(ScenarioRecord("SC-001", "重复场景", COUNTY))
    doc.projects.append(ProjectRecord("PRJ-2025-01", "重复项目", CITY))
    doc.resources.append(ResourceRecord("370800-SCJG-0002", "重复资源", CITY, "UNCONDITIONAL"))
    problems = validate(doc, "dup.json", KnownCodes(), Origins())
    assert where(problems, "DUPLICATE_CODE") == [
        ("resources", 2, "fields[1].name"),
        ("resources", 2, "services[0].code"),
        ("resources", 3, "code"),
        ("scenarios", 2, "code"),
        ("projects", 2, "code"),
    ]


def test_references_may_point_into_the_store() -> None:
    doc = CatalogDocument(
        resources=[
            ResourceRecord(
                "R-NEW", "新资源", CITY, "UNCONDITIONAL",
                derived_from=["R-OLD"],
                services=[ServiceRecord("S-NEW", "服务", "BATCH_EXPORT", ["旧信息项"])],
            )
        ],
        scenarios=[ScenarioRecord("SC-NEW", "新场景", COUNTY)],
        grants=[
            GrantRecord("SC-OLD", "S-OLD", ["姓名"]),
            GrantRecord("SC-NEW", "S-OLD", ["住址"]),
            GrantRecord("SC-NEW", "S-TRUSTED", ["任意"]),
        ],
        projects=[ProjectRecord("P-NEW", "项目", BUREAU, uses=["R-OLD"])],
    )  # fmt: skip
    known = KnownCodes(
        agencies={CITY, COUNTY, BUREAU},
        resources={"R-OLD"},
        services={"S-OLD", "S-TRUSTED"},
        scenarios={"SC-OLD"},
        fields={("R-NEW", "旧信息项")},
        service_fields={"S-OLD": {"姓名"}},
    )
    problems = validate(doc, "refs.json", known, Origins())
    assert [(p.code, p.sheet, p.row, p.column) for p in problems] == [
        ("UNKNOWN_REFERENCE", "grants", 2, "fields[0]"),
    ]
    assert validate(doc, "refs.json", KnownCodes(), Origins()) != []


def test_many_problems_are_reported_at_once(tmp_path: Path) -> None:
    rows: list[list[Any]] = [[*RESOURCE_HEADER, "不予共享依据"]]
    for i in range(50):
        rows.append([f"R{i}", f"资源{i}", CITY, "不予共享", None])
    path = make_xlsx(tmp_path / "many.xlsx", {"机构": [AGENCY_HEADER, [CITY, "市局", "市级"]], "信息资源": rows})
    doc, origins = read_xlsx(path)
    problems = validate(doc, "many.xlsx", KnownCodes(), origins)
    assert where(problems, "LEGAL_BASIS_REQUIRED") == [("信息资源", row, "不予共享依据") for row in range(2, 52)]
    assert len(problems) == 50


def test_limits_of_codes_names_and_text() -> None:
    doc = sample()
    doc.scenarios[0].code = "S" * 64  # exactly at the limit
    doc.grants = []
    doc.scenarios[0].name = "名" * 200
    doc.scenarios[0].description = "述" * 4000
    assert validate(doc, "ok.json", KnownCodes(), Origins()) == []
    doc.scenarios[0].code = "S" * 65
    doc.scenarios[0].name = "名" * 201
    doc.scenarios[0].description = "述" * 4001
    doc.projects[0].code = "PRJ\t01"
    doc.projects[0].name = "项目😀"  # emoji are fine in names
    doc.resources[0].fields[0].name = "代码;名称"
    problems = validate(doc, "long.json", KnownCodes(), Origins())
    assert where(problems, "TOO_LONG") == [
        ("scenarios", 1, "code"),
        ("scenarios", 1, "name"),
        ("scenarios", 1, "description"),
    ]
    assert where(problems, "BAD_CODE") == [
        ("resources", 1, "fields[0].name"),
        ("projects", 1, "code"),
    ]
    assert all(len(p.reason_zh) < 200 for p in problems)  # values are shortened in messages
