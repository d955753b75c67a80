"""The lineage page in a real headless Chromium against the real server with the demo catalog.

Loads `/lineage/370800-SCJG-0001` (企业登记信息), checks that the page asks nothing of any
host but 127.0.0.1, that it draws exactly the nodes the GraphQL `lineage` returns, that
hovering shows details and clicking folds, unfolds and fetches beyond the depth; and saves
a screenshot (to `$LINEAGE_SCREENSHOT_DIR` when set).
"""

from __future__ import annotations

import base64
import json
import os
import struct
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import Page, catalog_server, chromium, find_chromium, is_local_url

CHROMIUM = find_chromium()
if CHROMIUM is None:
    raise RuntimeError("chromium is required: apt-get install -y chromium fonts-noto-cjk")

ROOT = "370800-SCJG-0001"
PLANNER_AGENCY = "11370800004538676Q"  # 济宁市发展和改革委员会 in the demo catalog (seed 2026)
S01 = base64.b64encode(b"DataService:370800-SCJG-0001-S01").decode()
READY = "document.body.getAttribute('data-state') === 'ready'"
RENDERED = "document.querySelectorAll('#lineage-canvas g.node').length"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The server's URL and a planner's bearer token (issued with `catalog token create`)."""
    data_dir = tmp_path_factory.mktemp("lineage-data")
    with catalog_server(data_dir) as url:
        created = subprocess.run(
            [sys.executable, "-m", "app.cli", "--data-dir", str(data_dir), "token", "create",
             "--agency", PLANNER_AGENCY, "--role", "PLANNER", "--person", "周规划"],
            capture_output=True, text=True, timeout=120, check=True,
        )
        yield url, created.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def server_url(server: tuple[str, str]) -> str:
    return server[0]


def sign_in(page: Page, url: str, bearer: str) -> None:
    """Paste the token the way a planner does: into the page's token box, then reload."""
    page.navigate(f"{url}/lineage/{ROOT}")
    page.wait_for("document.body.getAttribute('data-state') !== 'loading'", timeout=60)
    page.evaluate(f"sessionStorage.setItem('catalog.bearer', {json.dumps(bearer)})")
    page.navigate(f"{url}/lineage/{ROOT}")
    page.wait_for(READY, timeout=60)
    assert page.evaluate("document.getElementById('viewer').getAttribute('data-signed-in')") == "true"


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Page]:
    with chromium(CHROMIUM, user_data_dir=tmp_path / "chromium") as browser:
        yield browser.new_page(width=1440, height=900)


def graphql(url: str, query: str, bearer: str | None = None) -> dict[str, Any]:
    headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {bearer}"} if bearer else {})
    request = urllib.request.Request(f"{url}/graphql", data=json.dumps({"query": query}).encode(),
                                     headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        body: dict[str, Any] = json.loads(response.read())
    assert not body.get("errors"), body
    data: dict[str, Any] = body["data"]
    return data


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_lineage_page_draws_the_lineage_offline(
    server: tuple[str, str], page: Page, tmp_path: Path
) -> None:
    server_url, bearer = server
    query = f'{{ lineage(id: "{ROOT}", depth: 2) {{ nodeCount edgeCount }} }}'
    expected = graphql(server_url, query, bearer)["lineage"]
    assert expected["nodeCount"] > 100  # a picture a planner must be able to read at this size
    anonymous = graphql(server_url, query)["lineage"]
    assert 0 < anonymous["nodeCount"] < expected["nodeCount"]  # no grants without a token

    page.navigate(f"{server_url}/lineage/{ROOT}")
    page.wait_for(READY, timeout=60)
    assert page.evaluate(RENDERED) == anonymous["nodeCount"]
    assert "匿名" in page.evaluate("document.getElementById('viewer').textContent")
    sign_in(page, server_url, bearer)
    assert page.evaluate(RENDERED) == expected["nodeCount"]
    assert page.evaluate("document.getElementById('lineage-canvas').getAttribute('data-node-count')") == str(
        expected["nodeCount"]
    )
    assert "企业登记信息" in page.evaluate("document.title")
    assert f"节点 {expected['nodeCount']} 个" in page.evaluate("document.getElementById('summary').textContent")
    legend = page.evaluate("document.getElementById('legend').textContent")
    assert "数据资源" in legend and "有条件共享" in legend

    page.browser.pump(0.5)
    shot_dir = Path(os.environ.get("LINEAGE_SCREENSHOT_DIR") or tmp_path)
    shot = page.screenshot(shot_dir / "lineage.png")
    data = shot.read_bytes()
    assert png_size(data) == (1440, 900)
    assert len(data) > 40_000, f"screenshot is only {len(data)} bytes: blank page?"
    print(f"screenshot: {shot}")

    assert not page.errors(), page.errors()
    urls = page.requested_urls()
    assert not [u for u in urls if not is_local_url(u)], urls
    for asset in ("lineage.js", "lineage.css"):
        assert any(u.endswith(f"/static/lineage/{asset}") for u in urls), asset
    assert any(u.endswith("/graphql") for u in urls)


def test_hover_click_to_fold_and_unfold_and_fetch_beyond_the_depth(server: tuple[str, str], page: Page) -> None:
    server_url, bearer = server
    sign_in(page, server_url, bearer)
    total = page.evaluate(RENDERED)
    service = f'#lineage-canvas g.node[data-id="{S01}"]'

    hover = "new MouseEvent('mouseover', {bubbles: true})"
    page.evaluate(f"document.querySelector('{service} rect').dispatchEvent({hover})")
    tip = page.evaluate("(t => t.hidden ? '' : t.textContent)(document.getElementById('tooltip'))")
    assert "企业登记信息查询接口" in tip and "370800-SCJG-0001-S01" in tip and "路径" in tip

    page.click(f"{service} rect")  # fold the grants hanging from the interface service
    page.wait_for(f"{RENDERED} < {total}")
    folded = page.evaluate(RENDERED)
    assert page.evaluate(f"document.querySelector('{service} .badge').textContent") == f"+{total - folded}"
    page.click(f"{service} rect")
    page.wait_for(f"{RENDERED} === {total}")

    # A node at the edge of the depth, marked ▸, fetches two more hops from itself.
    target = page.evaluate(
        "(() => { const stage = document.getElementById('stage').getBoundingClientRect();"
        " const g = Array.from(document.querySelectorAll('#lineage-canvas g.node')).find(g => {"
        "  const b = g.querySelector('.badge'); const r = g.getBoundingClientRect();"
        "  return b && b.textContent === '▸' && r.top > stage.top && r.bottom < stage.bottom; });"
        " return g ? g.getAttribute('data-id') : null; })()"
    )
    assert target, "no node to expand in view"
    page.click(f'#lineage-canvas g.node[data-id="{target}"] rect')
    page.wait_for(f"{READY} && {RENDERED} > {total}", timeout=60)
    assert not page.errors(), page.errors()
    assert all(is_local_url(u) for u in page.requested_urls())
