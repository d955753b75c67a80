"""The generated Jining demo catalog: deterministic, realistic and self-consistent."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from interchange.demo import (
    DemoDataError,
    build_demo_catalog,
    check_vocabulary,
    is_valid_uscc,
    load_vocabulary,
)
from interchange.json_format import read_json, write_json
from interchange.origins import Origins
from interchange.records import CatalogDocument, ResourceRecord, ServiceRecord
from interchange.validation import KnownCodes, validate
from sharing.terms import (
    ContactRole,
    DataType,
    GrantStatus,
    Level,
    ProjectStage,
    ServiceKind,
    ServiceStatus,
    SharingType,
    UpdateCycle,
)

COUNTY_UNITS = {
    "370811": "任城区",
    "370812": "兖州区",
    "370881": "曲阜市",
    "370883": "邹城市",
    "370826": "微山县",
    "370827": "鱼台县",
    "370828": "金乡县",
    "370829": "嘉祥县",
    "370830": "汶上县",
    "370831": "泗水县",
    "370832": "梁山县",
    "370871": "济宁高新区",
    "370872": "太白湖新区",
    "370873": "济宁经济技术开发区",
}
CITY_AGENCIES = {
    "济宁市市场监督管理局", "济宁市公安局", "济宁市人力资源和社会保障局", "济宁市医疗保障局",
    "济宁市自然资源和规划局", "济宁市民政局", "济宁市卫生健康委员会", "济宁市教育局",
    "国家税务总局济宁市税务局", "济宁市住房公积金管理中心", "济宁市大数据局", "济宁市水务局",
    "国网山东省电力公司济宁供电公司", "济宁港华燃气有限公司", "济宁市交通运输局", "济宁市气象局",
    "济宁市住房和城乡建设局", "济宁市生态环境局", "济宁市农业农村局", "济宁市文化和旅游局",
    "济宁市应急管理局", "济宁市退役军人事务局", "济宁市司法局", "济宁市财政局", "济宁市统计局",
    "济宁市商务局", "济宁市科学技术局", "济宁市工业和信息化局", "济宁市发展和改革委员会",
    "济宁市城市管理局", "济宁市残疾人联合会", "济宁市中级人民法院", "济宁市人民检察院",
    "济宁市公共资源交易中心", "济宁市行政审批服务局", "济宁市林业保护和发展服务中心",
    "济宁市档案馆", "济宁市第一人民医院",
}  # fmt: skip
# The data items a market-regulation bureau commonly catalogues, in order.
MARKET_ITEMS = (
    "统一社会信用代码", "企业名称", "注册号", "企业类型", "法定代表人", "法定代表人证件号码",
    "注册资本", "成立日期", "营业期限自", "营业期限至", "住所", "经营范围", "登记机关",
    "核准日期", "登记状态", "注销日期", "吊销日期",
)  # fmt: skip
R2_CATEGORIES = {"基础公共服务", "经济公共服务", "社会公共服务", "其他"}
RESOURCE_CODE = re.compile(r"(\d{6})-([A-Z]{2,5})-(\d{4})")


@pytest.fixture(scope="module")
def doc() -> CatalogDocument:
    return build_demo_catalog()


def services(doc: CatalogDocument) -> dict[str, tuple[ServiceRecord, ResourceRecord]]:
    return {s.code: (s, r) for r in doc.resources for s in r.services}


def test_same_seed_same_document_other_seed_other_document(doc: CatalogDocument) -> None:
    assert build_demo_catalog() == doc
    assert build_demo_catalog(2026) == doc
    other = build_demo_catalog(7)
    assert other != doc
    assert {a.name for a in other.agencies if a.level == "CITY"} == {
        a.name for a in doc.agencies if a.level == "CITY"
    }  # the vocabulary is the same, the generated details differ


def fingerprint(doc: CatalogDocument) -> str:
    text = json.dumps(dataclasses.asdict(doc), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def test_the_document_does_not_depend_on_string_hashing(doc: CatalogDocument) -> None:
    script = (
        "import dataclasses, hashlib, json\n"
        "from interchange.demo import build_demo_catalog\n"
        "text = json.dumps(dataclasses.asdict(build_demo_catalog()), ensure_ascii=False, sort_keys=True)\n"
        "print(hashlib.sha256(text.encode()).hexdigest())\n"
    )
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(root)}
    out = subprocess.run([sys.executable, "-c", script], env=env, cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == fingerprint(doc)


def test_the_document_passes_the_import_validation(doc: CatalogDocument) -> None:
    assert validate(doc, "demo.json", KnownCodes(), Origins()) == []


def test_the_document_round_trips_through_a_json_file(doc: CatalogDocument, tmp_path: Path) -> None:
    path = tmp_path / "demo.json"
    write_json(doc, path)
    read, _ = read_json(path)
    assert read == doc


def test_province_city_and_the_fourteen_county_units(doc: CatalogDocument) -> None:
    levels = Counter(a.level for a in doc.agencies)
    assert levels["PROVINCE"] == 1
    assert levels["CITY"] >= 40
    assert 120 <= len(doc.agencies) <= 180
    city = {a.name: a for a in doc.agencies if a.level == "CITY"}
    assert set(city) >= CITY_AGENCIES
    assert all(a.region_code == "370800" and a.region_name == "济宁市" for a in city.values())
    regions = {a.region_code: a.region_name for a in doc.agencies if a.level == "COUNTY"}
    assert regions == COUNTY_UNITS
    for code, name in COUNTY_UNITS.items():
        units = [a for a in doc.agencies if a.region_code == code]
        assert 7 <= len(units) <= 11, name  # its big-data bureau and 6-10 departments
        assert f"{name}大数据局" in {a.name for a in units}
        assert f"{name}市场监督管理局" in {a.name for a in units}


def test_supervision(doc: CatalogDocument) -> None:
    by_code = {a.code: a for a in doc.agencies}
    by_name = {a.name: a for a in doc.agencies}
    province = by_name["山东省大数据局"]
    assert (province.level, province.region_code) == ("PROVINCE", "370000")
    bureau = by_name["济宁市大数据局"]
    assert bureau.parent == province.code
    for a in doc.agencies:
        assert a.parent is None or a.parent in by_code
        if a.level == "COUNTY":
            parent = by_code[a.parent or ""]
            assert parent.level == "CITY"
            if a.name.endswith("大数据局"):
                assert parent is bureau
    assert by_code[by_name["任城区市场监督管理局"].parent or ""].name == "济宁市市场监督管理局"
    assert by_code[by_name["济宁市第一人民医院"].parent or ""].name == "济宁市卫生健康委员会"


def test_agency_codes_are_unique_valid_credit_codes(doc: CatalogDocument) -> None:
    codes = [a.code for a in doc.agencies]
    assert len(set(codes)) == len(codes)
    for a in doc.agencies:
        assert is_valid_uscc(a.code), a.code
        assert a.code[2:8] == a.region_code
        assert a.code[:2] in {"11", "12", "13", "91"}
    by_name = {a.name: a.code for a in doc.agencies}
    assert by_name["济宁市市场监督管理局"].startswith("11370800")
    assert by_name["济宁市住房公积金管理中心"].startswith("12370800")
    assert by_name["济宁港华燃气有限公司"].startswith("91370800")


def test_every_agency_names_its_contacts(doc: CatalogDocument) -> None:
    landline = re.compile(r"05(37|31)-\d{7}")
    for a in doc.agencies:
        roles = Counter(c.role for c in a.contacts)
        assert roles[ContactRole.CHIEF_REPRESENTATIVE] == 1, a.name
        assert roles[ContactRole.RESPONSIBLE_LEADER] == 1, a.name
        assert 1 <= roles[ContactRole.LIAISON] <= 2, a.name
        chief = a.contacts[0]
        assert chief.role == ContactRole.CHIEF_REPRESENTATIVE
        assert chief.phone and landline.fullmatch(chief.phone)
        assert chief.email and "@" in chief.email
        assert all(2 <= len(c.name) <= 3 for c in a.contacts)
        liaisons = [c for c in a.contacts if c.role == ContactRole.LIAISON]
        assert all(c.phone and re.fullmatch(r"1\d{10}", c.phone) for c in liaisons)


def test_resources_counts_codes_and_categories(doc: CatalogDocument) -> None:
    assert len(doc.resources) >= 300
    assert sum(len(r.fields) for r in doc.resources) >= 3000
    codes = [r.code for r in doc.resources]
    assert len(set(codes)) == len(codes)
    agencies = {a.code: a for a in doc.agencies}
    for r in doc.resources:
        match = RESOURCE_CODE.fullmatch(r.code)
        assert match, r.code
        assert match.group(1) == agencies[r.provider].region_code
        assert r.category in R2_CATEGORIES and r.category_code
        assert 6 <= len(r.fields) <= 25
        assert len({f.name for f in r.fields}) == len(r.fields)
        assert r.summary and r.published_at and "2023-01-01" <= r.published_at <= "2026-12-31"
        assert UpdateCycle(r.update_cycle)
    assert {r.category for r in doc.resources} == R2_CATEGORIES
    assert len({r.update_cycle for r in doc.resources}) >= 6
    assert {a.level for a in agencies.values() if any(r.provider == a.code for r in doc.resources)} == {
        "CITY",
        "COUNTY",
    }


def test_sharing_attributes_and_aggregation(doc: CatalogDocument) -> None:
    kinds = Counter(r.sharing_type for r in doc.resources)
    assert set(kinds) == {t.value for t in SharingType}
    assert kinds["CONDITIONAL"] + kinds["UNCONDITIONAL"] > 0.85 * len(doc.resources)
    assert 0.03 * len(doc.resources) <= kinds["NOT_SHARED"] <= 0.1 * len(doc.resources)
    for r in doc.resources:
        if r.sharing_type == "NOT_SHARED":
            assert r.legal_basis and "《" in r.legal_basis, r.name
            assert r.services == []
        if r.sharing_type == "CONDITIONAL":
            assert r.sharing_condition
        if not r.aggregated:
            assert r.not_aggregated_reason and "《" in r.not_aggregated_reason
        for f in r.fields:  # a field may only be stricter than its resource
            assert f.sharing_type in (None, "CONDITIONAL")
            if f.sharing_type:
                assert r.sharing_type == "UNCONDITIONAL"
    assert 1 <= sum(not r.aggregated for r in doc.resources) <= 20
    stricter = sum(1 for r in doc.resources for f in r.fields if f.sharing_type)
    assert 1 <= stricter <= 20


def test_field_vocabulary_and_types(doc: CatalogDocument) -> None:
    counts = Counter(f.name for r in doc.resources for f in r.fields)
    for common in ("统一社会信用代码", "公民身份号码", "姓名", "联系电话", "地址"):
        assert counts[common] >= 10, common
    for r in doc.resources:
        for f in r.fields:
            assert DataType(f.data_type) and f.description
            if f.name in ("统一社会信用代码", "公民身份号码"):
                assert (f.data_type, f.length) == ("STRING", 18)
            if f.name.endswith("日期"):
                assert f.data_type == "DATE", f.name
            if f.name.endswith("金额"):
                assert f.data_type == "DECIMAL", f.name
            if f.data_type == "STRING":
                assert f.length and f.length > 0


def test_market_regulation_company_registration(doc: CatalogDocument) -> None:
    resource = next(r for r in doc.resources if r.code == "370800-SCJG-0001")
    provider = next(a for a in doc.agencies if a.code == resource.provider)
    assert (resource.name, provider.name) == ("企业登记信息", "济宁市市场监督管理局")
    assert tuple(f.name for f in resource.fields) == MARKET_ITEMS
    kinds = {(s.kind, s.status) for s in resource.services}
    assert ("INTERFACE_QUERY", "PUBLISHED") in kinds
    assert ("INTERFACE_VERIFY", "PUBLISHED") in kinds
    assert resource.services[0].code == "370800-SCJG-0001-S01"
    assert resource.services[0].fields[0] == "统一社会信用代码"
    county = [
        r
        for r in doc.resources
        if r.code.split("-")[1] == "SCJG"
        and not r.code.startswith("370800")
        and "统一社会信用代码" in {f.name for f in r.fields}
    ]
    assert county


def test_services(doc: CatalogDocument) -> None:
    found = services(doc)
    assert sum(len(r.services) for r in doc.resources) == len(found)  # codes are unique
    assert {s.kind for s, _ in found.values()} == {k.value for k in ServiceKind}
    statuses = Counter(s.status for s, _ in found.values())
    assert set(statuses) == {s.value for s in ServiceStatus}
    assert statuses["PUBLISHED"] > 0.75 * len(found)
    assert statuses["OFFLINE"] < 0.1 * len(found)
    for code, (s, r) in found.items():
        assert re.fullmatch(re.escape(r.code) + r"-S\d{2}", code)
        assert s.fields and set(s.fields) <= {f.name for f in r.fields}
        assert s.name.endswith(("接口", "服务"))


def test_derived_and_related_resources_exist(doc: CatalogDocument) -> None:
    codes = {r.code for r in doc.resources}
    by_code = {r.code: r for r in doc.resources}
    for r in doc.resources:
        assert set(r.derived_from) <= codes and set(r.related) <= codes
        assert r.code not in r.derived_from and r.code not in r.related
    legal = next(r for r in doc.resources if r.name == "法人综合信息")
    assert {by_code[c].name for c in legal.derived_from} >= {"企业登记信息", "纳税信用等级信息"}
    assert sum(bool(r.derived_from) for r in doc.resources) >= 5
    assert sum(bool(r.related) for r in doc.resources) >= 20


def test_scenarios_and_grants(doc: CatalogDocument) -> None:
    agencies = {a.code for a in doc.agencies}
    assert 80 <= len(doc.scenarios) <= 150
    codes = [s.code for s in doc.scenarios]
    assert len(set(codes)) == len(codes)
    for s in doc.scenarios:
        assert re.fullmatch(r"SC-\d{6}-\d{4}", s.code) and s.agency in agencies
    names = {s.name for s in doc.scenarios}
    assert {"企业开办“一件事”", "不动产登记“一窗受理”", "社会救助对象核查", "公积金贷款审批"} <= names
    assert {"入学资格审核", "新生儿出生“一件事”"} <= names

    assert 200 <= len(doc.grants) <= 400
    found = services(doc)
    scenario_agency = {s.code: s.agency for s in doc.scenarios}
    pairs = [(g.scenario, g.service) for g in doc.grants]
    assert len(set(pairs)) == len(pairs)
    statuses = Counter(g.status for g in doc.grants)
    assert set(statuses) == {s.value for s in GrantStatus}
    assert statuses["ACTIVE"] > 0.75 * len(doc.grants)
    on_offline = 0
    for g in doc.grants:
        service, resource = found[g.service]
        assert g.scenario in scenario_agency
        assert g.fields and set(g.fields) <= set(service.fields)
        assert resource.sharing_type != "NOT_SHARED"
        assert resource.provider != scenario_agency[g.scenario]
        if service.status == "OFFLINE":
            on_offline += 1
            assert g.status in ("SUSPENDED", "TERMINATED")
    assert on_offline <= 0.05 * len(doc.grants)


def test_projects_and_their_supply_lists(doc: CatalogDocument) -> None:
    by_code = {r.code: r for r in doc.resources}
    agencies = {a.code: a for a in doc.agencies}
    assert 40 <= len(doc.projects) <= 60
    codes = [p.code for p in doc.projects]
    assert len(set(codes)) == len(codes)
    assert {p.stage for p in doc.projects} == {s.value for s in ProjectStage}
    for p in doc.projects:
        assert p.owner in agencies and p.supplies
        assert all(by_code[c].provider == p.owner for c in p.supplies)
        assert all(by_code[c].provider != p.owner for c in p.uses)
    market = next(a.code for a in doc.agencies if a.name == "济宁市市场监督管理局")
    market_resources = {r.code for r in doc.resources if r.provider == market}
    dependants = [p for p in doc.projects if set(p.uses) & market_resources]
    assert len(dependants) >= 5
    assert len({p.owner for p in dependants}) >= 5
    assert sum("370800-SCJG-0001" in p.uses for p in doc.projects) >= 3
    own = [p for p in doc.projects if p.owner == market]
    assert any("370800-SCJG-0001" in p.supplies for p in own)


def test_levels_are_the_terms(doc: CatalogDocument) -> None:
    assert {a.level for a in doc.agencies} == {lv.value for lv in Level}


def test_vocabulary_is_checked() -> None:
    vocabulary = load_vocabulary()
    first = vocabulary.resources[0]
    broken = dataclasses.replace(first, fields=(*first.fields, "不存在的信息项"))
    with pytest.raises(DemoDataError, match="不存在的信息项"):
        check_vocabulary(dataclasses.replace(vocabulary, resources=(broken, *vocabulary.resources[1:])))
    scenario = dataclasses.replace(vocabulary.scenarios[0], uses=("收养登记信息",))
    with pytest.raises(DemoDataError, match="not shared"):
        check_vocabulary(dataclasses.replace(vocabulary, scenarios=(scenario,)))
