"""The lineage pictures and the project report over HTTP, and the report command (血缘图与项目报告)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import openpyxl

from app.config import Settings
from interchange.json_format import write_json
from interchange.project_report import PROBLEM_HEADERS, SHEETS, SUPPLY_HEADERS
from sharing.identity import Role
from tests.api import Api
from tests.identities import issue
from tests.sample_catalog import DSJ, sample_document

R = "370800-SCJG-0001"
NODE_COUNT = "{ lineage(id: \"%s\", depth: %d) { nodeCount } }"


async def node_count(api: Api, ref: str, depth: int) -> int:
    count: int = (await api.query(NODE_COUNT % (ref, depth)))["lineage"]["nodeCount"]
    return count


async def test_the_svg_draws_every_node_of_the_lineage_with_a_chinese_legend(api: Api) -> None:
    response = await api.client.get(f"/lineage/{R}.svg?depth=3")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    svg = response.text
    assert svg.startswith("<svg") and "图例" in svg and "有条件共享" in svg and "数据资源" in svg
    assert svg.count('class="node"') == await node_count(api, R, 3)
    assert "企业登记信息" in svg and "济宁市市场监督管理局" in svg


async def test_the_svg_folds_nodes_beyond_the_collapse_depth(api: Api) -> None:
    whole = (await api.client.get(f"/lineage/{R}.svg?depth=3")).text
    folded = (await api.client.get(f"/lineage/{R}.svg?depth=3&collapse=1")).text
    assert folded.count('class="node"') < whole.count('class="node"')
    assert re.search(r">\+\d+</text>", folded), "no +N on a folded node"


async def test_bad_picture_parameters_get_coded_errors(api: Api) -> None:
    too_deep = await api.client.get(f"/lineage/{R}.svg?depth=9")
    assert too_deep.status_code == 400
    assert too_deep.json()["errors"][0]["extensions"]["code"] == "DEPTH_TOO_LARGE"
    assert (await api.client.get(f"/lineage/{R}.svg?direction=SIDEWAYS")).status_code == 400
    assert (await api.client.get(f"/lineage/{R}.svg?types=NOPE")).status_code == 400
    assert (await api.client.get("/lineage/NOPE-0001.svg")).status_code == 404
    page = await api.client.get("/lineage/NOPE-0001")
    assert page.status_code == 404 and "不存在" in page.text


async def test_the_page_loads_only_its_own_assets(api: Api) -> None:
    response = await api.client.get(f"/lineage/{R}?depth=3&collapse=2")
    assert response.status_code == 200
    page = response.text
    urls = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert "/static/lineage/lineage.js" in urls and "/static/lineage/lineage.css" in urls
    assert all(u.startswith(("/", "data:", "#")) and not u.startswith("//") for u in urls), urls
    assert '"depth":3' in page and '"collapse":2' in page and '"id":"370800-SCJG-0001"' in page
    for asset in ("lineage.js", "lineage.css"):
        served = await api.client.get(f"/static/lineage/{asset}")
        assert served.status_code == 200
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", served.text), asset


async def test_the_project_report_is_a_workbook_with_chinese_headers(api: Api, sample_settings: Settings) -> None:
    api = api.as_bearer(await issue(sample_settings, agency=DSJ, role=Role.PLANNER, person="周规划"))
    response = await api.client.get("/projects/PRJ-2026-001/report.xlsx?asOf=2025-06-02", headers=api.headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''PRJ-2026-001" in response.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == list(SHEETS)
    overview = {row[0]: row[1] for row in book["项目概况"].iter_rows(min_row=2, values_only=True)}
    assert overview["项目名称"] == "智慧市场监管平台" and overview["验收结论"] == "不符合验收数据条件"
    assert overview["评估日期"] == "2025-06-02"
    supply = list(book["供给清单"].iter_rows(values_only=True))
    assert supply[0] == SUPPLY_HEADERS
    assert [(row[1], row[13]) for row in supply[1:]] == [(R, "通过"), ("370800-SCJG-0002", "未通过")]
    uses = list(book["依赖资源"].iter_rows(values_only=True))
    assert uses[1][1:4] == ("370800-GAJ-0001", "人口基本信息", "济宁市公安局")
    usage = list(book["下游使用"].iter_rows(values_only=True))
    assert usage[1][1] == R and usage[1][4] == 1  # one grant on its services
    problems = list(book["验收问题"].iter_rows(values_only=True))
    assert problems[0] == PROBLEM_HEADERS and len(problems) == 4
    assert (await api.client.get("/projects/NOPE/report.xlsx", headers=api.headers)).status_code == 404
    soon = await api.client.get("/projects/PRJ-2026-001/report.xlsx?asOf=soon", headers=api.headers)
    assert soon.status_code == 400


def test_the_report_command_writes_the_workbook(tmp_path: Path) -> None:
    write_json(sample_document(), tmp_path / "in.json")
    base = [sys.executable, "-m", "app.cli", "--data-dir", str(tmp_path / "data")]
    loaded = subprocess.run([*base, "load", str(tmp_path / "in.json")], capture_output=True, text=True, check=False)
    assert loaded.returncode == 0, loaded.stderr
    out = tmp_path / "report.xlsx"
    made = subprocess.run([*base, "project-report", "PRJ-2026-002", "--out", str(out), "--as-of", "2025-06-02"],
                          capture_output=True, text=True, check=False)
    assert made.returncode == 0, made.stderr
    assert "不符合验收数据条件" in made.stdout
    assert openpyxl.load_workbook(out).sheetnames == list(SHEETS)
    missing = subprocess.run([*base, "project-report", "NOPE"], capture_output=True, text=True, check=False)
    assert missing.returncode == 1 and "不存在" in missing.stderr
