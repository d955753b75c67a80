"""GraphiQL in a real headless Chromium against the real server with the demo catalog.

Starts ``python -m app.cli --data-dir DIR demo`` and ``... serve`` on a free
loopback port, opens ``/graphql``, checks that the page asks nothing of any host
but 127.0.0.1, runs the first example by clicking the run button, reads the
result pane, and saves a screenshot.

Needs Debian's ``chromium`` (and a CJK font such as ``fonts-noto-cjk`` for a
readable screenshot). Skipped without Chromium, except under CI (``CI`` set),
where a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.graphiql import ASSET_FILES, PAGE_TITLE, load_examples
from tests.browser import Page, catalog_server, chromium, find_chromium, is_local_url

EXPECTED_TEXT = "统一社会信用代码"
CHROMIUM = find_chromium()

if CHROMIUM is None:
    # `make test` installs it (scripts/install-system-deps); a missing browser is a failure.
    raise RuntimeError("chromium is required: apt-get install -y chromium fonts-noto-cjk")

QUERY_EDITOR = "document.querySelector('.graphiql-query-editor .CodeMirror')"
RESULT_TEXT = (
    "(() => { const cm = document.querySelector('.graphiql-response .CodeMirror');"
    " const text = cm && cm.CodeMirror.getValue(); return text && text.trim() ? text : null; })()"
)


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with catalog_server(tmp_path_factory.mktemp("catalog-data")) as url:
        yield url


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Page]:
    with chromium(CHROMIUM, user_data_dir=tmp_path / "chromium") as browser:
        yield browser.new_page(width=1440, height=900)


def _graphql_posts(page: Page) -> list[dict[str, Any]]:
    return [
        event["request"]
        for event in page.events("Network.requestWillBeSent")
        if event["request"]["method"] == "POST" and event["request"]["url"].endswith("/graphql")
    ]


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_graphiql_runs_the_first_example_offline(server_url: str, page: Page, tmp_path: Path) -> None:
    examples = load_examples()
    page.navigate(f"{server_url}/graphql")
    assert page.evaluate("document.title") == PAGE_TITLE

    # GraphiQL has rendered, with the examples as tabs and the first one open.
    editor_text = page.wait_for(f"{QUERY_EDITOR} && {QUERY_EDITOR}.CodeMirror.getValue()")
    assert editor_text.strip() == examples[0][1].strip()
    tabs = page.evaluate("Array.from(document.querySelectorAll('.graphiql-tab')).map(t => t.textContent)")
    assert len(tabs) == len(examples)
    assert page.evaluate("document.querySelectorAll('.graphiql-tab-active').length") == 1

    # Run it the way a person does: click the run button.
    page.click(".graphiql-execute-button")
    result_text = page.wait_for(RESULT_TEXT, timeout=30)
    result = json.loads(result_text)
    assert "errors" not in result, json.dumps(result["errors"], ensure_ascii=False)[:2000]
    assert result["data"]["search"]["totalCount"] > 0
    assert EXPECTED_TEXT in result_text
    # The pane shows it too, not just the editor's model.
    page.wait_for(f"document.querySelector('.graphiql-response').innerText.includes({EXPECTED_TEXT!r})")

    # Let late requests (fonts, lazy chunks) show up, then screenshot.
    page.browser.pump(0.5)
    shot_dir = Path(os.environ.get("GRAPHIQL_SCREENSHOT_DIR") or tmp_path)
    shot = page.screenshot(shot_dir / "graphiql.png")
    data = shot.read_bytes()
    assert _png_size(data) == (1440, 900)
    assert len(data) > 40_000, f"screenshot is only {len(data)} bytes: blank page?"
    print(f"screenshot: {shot}")

    errors = page.errors()
    assert not errors, errors

    # Every request went to the server under test (or stayed inside the page).
    urls = page.requested_urls()
    foreign = [url for url in urls if not is_local_url(url)]
    assert not foreign, f"requests to other hosts: {foreign}"
    for name in ASSET_FILES:
        assert any(url.endswith(f"/static/graphiql/{name}") for url in urls), name
    assert _graphql_posts(page), "GraphiQL never POSTed to /graphql"


def test_graphiql_sends_the_authorization_header(server_url: str, page: Page) -> None:
    page.navigate(f"{server_url}/graphql")
    page.wait_for(QUERY_EDITOR)
    page.click("button[data-name='headers']")
    headers_editor = "document.querySelector('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror')"
    page.wait_for(headers_editor)
    token = "Bearer graphiql-browser-test"
    page.evaluate(f"{headers_editor}.CodeMirror.setValue({json.dumps(json.dumps({'Authorization': token}))})")
    before = len(_graphql_posts(page))
    page.click(".graphiql-execute-button")
    page.wait_for(RESULT_TEXT, timeout=30)
    sent = _graphql_posts(page)[before:]
    assert sent, "running the query sent nothing"
    headers = {name.lower(): value for name, value in sent[-1]["headers"].items()}
    assert headers.get("authorization") == token
    assert headers.get("content-type") == "application/json"
    assert all(is_local_url(url) for url in page.requested_urls())
