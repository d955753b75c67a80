"""A small catalog for API and contract tests (测试用小目录)."""

from __future__ import annotations

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

SCJG = "11370800004112345A"  # 济宁市市场监督管理局
GAJ = "11370800004212345B"  # 济宁市公安局
SWJ = "11370800004312345C"  # 国家税务总局济宁市税务局
RC_SCJG = "11370811004412345D"  # 任城区市场监督管理局
DSJ = "11370800004512345E"  # 济宁市大数据局


def sample_document() -> CatalogDocument:
    def chief(name: str) -> list[Contact]:
        return [Contact("CHIEF_REPRESENTATIVE", name, "0537-2345678", "chief@example.gov.cn"),
                Contact("LIAISON", "王芳", "0537-2345679", None)]

    agencies = [
        AgencyRecord(DSJ, "济宁市大数据局", "CITY", "市大数据局", "370800", "济宁市", None,
                     chief("李明")),
        AgencyRecord(SCJG, "济宁市市场监督管理局", "CITY", "市市场监管局", "370800", "济宁市",
                     None, chief("张伟")),
        AgencyRecord(GAJ, "济宁市公安局", "CITY", "市公安局", "370800", "济宁市", None,
                     chief("刘强")),
        AgencyRecord(SWJ, "国家税务总局济宁市税务局", "CITY", "市税务局", "370800", "济宁市",
                     None, chief("陈静")),
        AgencyRecord(RC_SCJG, "任城区市场监督管理局", "COUNTY", "任城区市场监管局", "370811",
                     "任城区", SCJG, chief("赵磊")),
    ]
    f = FieldRecord
    resources = [
        ResourceRecord(
            "370800-SCJG-0001", "企业登记信息", SCJG, "CONDITIONAL",
            summary="全市企业设立、变更、注销登记信息", category="经济公共服务",
            category_code="2-01", update_cycle="DAILY", published_at="2025-06-01",
            sharing_condition="用于企业开办、监管执法等场景",
            fields=[f("统一社会信用代码", "STRING", 18, "企业统一社会信用代码"),
                    f("企业名称", "STRING", 200), f("法定代表人", "STRING", 50),
                    f("成立日期", "DATE"), f("住所", "STRING", 300),
                    f("登记状态", "STRING", 20)],
            services=[ServiceRecord("370800-SCJG-0001-S01", "企业登记信息查询接口",
                                    "INTERFACE_QUERY", ["统一社会信用代码", "企业名称", "登记状态"]),
                      ServiceRecord("370800-SCJG-0001-S02", "企业登记信息核验接口",
                                    "INTERFACE_VERIFY", ["统一社会信用代码", "企业名称"])],
        ),
        ResourceRecord(
            "370800-SCJG-0002", "证券期货经营机构信息", SCJG, "UNCONDITIONAL",
            category="经济公共服务", category_code="2-02", update_cycle="MONTHLY",
            fields=[f("证券代码", "STRING", 10), f("机构名称", "STRING", 200)],
        ),
        ResourceRecord(
            "370800-GAJ-0001", "人口基本信息", GAJ, "CONDITIONAL", category="社会公共服务",
            category_code="3-01", update_cycle="DAILY",
            fields=[f("公民身份号码", "STRING", 18), f("姓名", "STRING", 50),
                    f("出生日期", "DATE"), f("户籍地址", "STRING", 300)],
            services=[ServiceRecord("370800-GAJ-0001-S01", "人口信息核验", "INTERFACE_VERIFY",
                                    ["公民身份号码", "姓名"])],
        ),
        ResourceRecord(
            "370800-GAJ-0002", "在逃人员信息", GAJ, "NOT_SHARED",
            legal_basis="《中华人民共和国人民警察法》", category="其他", category_code="9-01",
            fields=[f("公民身份号码", "STRING", 18), f("姓名", "STRING", 50)],
        ),
        ResourceRecord(
            "370800-SWJ-0001", "纳税信用等级信息", SWJ, "UNCONDITIONAL",
            category="经济公共服务", category_code="2-03", update_cycle="YEARLY",
            fields=[f("纳税人识别号", "STRING", 20), f("统一社会信用代码", "STRING", 18),
                    f("纳税信用等级", "STRING", 2)],
            services=[ServiceRecord("370800-SWJ-0001-S01", "纳税信用批量导出", "BATCH_EXPORT",
                                    ["纳税人识别号", "纳税信用等级"])],
            derived_from=[],
        ),
        ResourceRecord(
            "370811-SCJG-0001", "任城区个体工商户登记信息", RC_SCJG, "CONDITIONAL",
            category="经济公共服务", category_code="2-01", update_cycle="WEEKLY",
            aggregated=False, not_aggregated_reason="系统改造中，依据《山东省公共数据共享工作细则（试行）》书面说明",
            fields=[f("统一社会信用代码", "STRING", 18), f("经营者", "STRING", 50)],
        ),
        ResourceRecord(
            "370800-DSJ-0001", "法人综合信息", DSJ, "CONDITIONAL", category="经济公共服务",
            category_code="2-09", derived_from=["370800-SCJG-0001", "370800-SWJ-0001"],
            related=["370811-SCJG-0001"],
            fields=[f("统一社会信用代码", "STRING", 18), f("企业名称", "STRING", 200),
                    f("纳税信用等级", "STRING", 2)],
            services=[ServiceRecord("370800-DSJ-0001-S01", "法人综合分析", "BATCH_ANALYSIS",
                                    ["统一社会信用代码", "纳税信用等级"], "CHANGED")],
        ),
    ]
    scenarios = [
        ScenarioRecord("SC-370800-0001", "企业开办“一件事”", SWJ, "新开办企业税务登记"),
        ScenarioRecord("SC-370800-0002", "社会救助对象核查", DSJ, None),
    ]
    grants = [
        GrantRecord("SC-370800-0001", "370800-SCJG-0001-S01", ["统一社会信用代码", "企业名称"]),
        GrantRecord("SC-370800-0002", "370800-GAJ-0001-S01", ["公民身份号码"], "SUSPENDED"),
    ]
    projects = [
        ProjectRecord("PRJ-2026-001", "智慧市场监管平台", SCJG, "APPROVED",
                      supplies=["370800-SCJG-0001", "370800-SCJG-0002"],
                      uses=["370800-GAJ-0001"]),
        ProjectRecord("PRJ-2026-002", "税务综合治理系统", SWJ, "BUILDING",
                      supplies=["370800-SWJ-0001"], uses=["370800-SCJG-0001"]),
    ]
    return CatalogDocument(agencies, resources, scenarios, grants, projects)
