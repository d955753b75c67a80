"""The GraphiQL page and its vendored assets: everything local, nothing from a CDN."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import graphql
import pytest

from app.graphiql import (
    ASSET_FILES,
    EXAMPLES_DIR,
    PAGE_TITLE,
    STATIC_DIR,
    graphiql_page,
    load_examples,
)

MAX_TOTAL_BYTES = 3 * 1024 * 1024
CDN_HOSTS = re.compile(
    r"(unpkg\.com|jsdelivr\.net|esm\.sh|cdnjs\.|googleapis\.com|gstatic\.com|"
    r"bootcdn|staticfile\.org|skypack\.dev)",
    re.IGNORECASE,
)


class _Page(HTMLParser):
    """Collects the URLs a page loads, its title and its script bodies."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.title = ""
        self.scripts: dict[str, str] = {}
        self._in_title = False
        self._script_id: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("src", "href", "action", "poster", "data"):
            value = values.get(name)
            if value is not None:
                self.urls.append(value)
        self._in_title = tag == "title"
        if tag == "script":
            self._script_id = values.get("id") or f"script-{len(self.scripts)}"
            self.scripts[self._script_id] = ""

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False
        if tag == "script":
            self._script_id = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self._script_id is not None:
            self.scripts[self._script_id] += data


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def _config(page: str) -> dict[str, object]:
    config: dict[str, object] = json.loads(_parse(page).scripts["graphiql-config"])
    return config


@pytest.fixture(scope="module")
def examples() -> list[tuple[str, str]]:
    return load_examples()


@pytest.fixture(scope="module")
def page(examples: list[tuple[str, str]]) -> str:
    return graphiql_page("/graphql", examples)


def test_page_loads_only_same_origin_assets(page: str) -> None:
    urls = _parse(page).urls
    assert urls, "the page loads nothing?"
    for url in urls:
        local = url.startswith("data:") or (url.startswith("/") and not url.startswith("//"))
        assert local, f"asset URL is not same-origin: {url}"
    for name in ASSET_FILES:
        assert f"/static/graphiql/{name}" in urls


def test_page_has_no_absolute_urls(page: str) -> None:
    assert "http://" not in page
    assert "https://" not in page


def test_page_title_and_mount(page: str) -> None:
    parsed = _parse(page)
    assert parsed.title == PAGE_TITLE
    assert "济宁市公共数据共享目录" in PAGE_TITLE
    assert "Public-data catalog" in PAGE_TITLE
    assert 'id="graphiql"' in page
    assert "ReactDOM.createRoot" in page


def test_page_config_carries_endpoint_and_example_tabs(page: str, examples: list[tuple[str, str]]) -> None:
    config = _config(page)
    assert config["endpoint"] == "/graphql"
    assert config["tabs"] == [{"query": query} for _, query in examples]


def test_fetcher_posts_json_with_editor_headers(page: str) -> None:
    script = _parse(page).scripts
    mount = next(body for body in script.values() if "createRoot" in body)
    assert 'method: "POST"' in mount
    assert '"Content-Type": "application/json"' in mount
    assert "opts.headers" in mount  # headers from GraphiQL's editor, e.g. Authorization
    assert 'credentials: "same-origin"' in mount


def test_static_prefix_is_used(examples: list[tuple[str, str]]) -> None:
    page = graphiql_page("/api/graphql", examples, static_prefix="/assets/gq/")
    urls = _parse(page).urls
    for name in ASSET_FILES:
        assert f"/assets/gq/{name}" in urls
    assert not any(url.startswith("/static/") for url in urls)
    assert _config(page)["endpoint"] == "/api/graphql"


def test_untrusted_text_cannot_break_out_of_the_page() -> None:
    nasty = "</script><script>alert(1)</script><!--"
    page = graphiql_page("/graphql?x=</script>", [(f"t {nasty}", f"# {nasty}\n{{ a }}")])
    assert "<script>alert(1)" not in page
    config = _config(page)
    assert config["endpoint"] == "/graphql?x=</script>"
    assert config["tabs"] == [{"query": f"# {nasty}\n{{ a }}"}]


def test_no_examples_still_renders() -> None:
    config = _config(graphiql_page("/graphql", []))
    assert config["tabs"] == []


def test_storage_namespace_follows_the_examples(examples: list[tuple[str, str]]) -> None:
    one = _config(graphiql_page("/graphql", examples))["storagePrefix"]
    same = _config(graphiql_page("/graphql", list(examples)))["storagePrefix"]
    other = _config(graphiql_page("/graphql", examples[:1]))["storagePrefix"]
    assert one == same
    assert one != other


# ---------------------------------------------------------------- assets


def test_static_files_exist_and_are_small() -> None:
    total = 0
    for name in ASSET_FILES:
        path = STATIC_DIR / name
        assert path.is_file(), f"missing vendored asset {path}; run scripts/build-graphiql"
        size = path.stat().st_size
        assert size > 5_000, f"{name} is suspiciously small ({size} bytes)"
        total += size
    assert total < MAX_TOTAL_BYTES, f"vendored GraphiQL is {total} bytes"


def test_versions_manifest_matches_files() -> None:
    manifest = json.loads((STATIC_DIR / "versions.json").read_text(encoding="utf-8"))
    assert manifest["versions"]["graphiql"].startswith("3.")
    assert manifest["versions"]["react"].startswith("18.")
    for name in ASSET_FILES:
        data = (STATIC_DIR / name).read_bytes()
        assert manifest["files"][name]["bytes"] == len(data)
        assert manifest["files"][name]["sha256"] == hashlib.sha256(data).hexdigest()


def test_licenses_are_vendored() -> None:
    for name in ("graphiql", "react", "react-dom"):
        assert "MIT" in (STATIC_DIR / f"LICENSE.{name}.txt").read_text(encoding="utf-8")


def test_css_loads_nothing_remote() -> None:
    css = (STATIC_DIR / "graphiql.min.css").read_text(encoding="utf-8")
    assert "@import" not in css
    for match in re.finditer(r"url\(\s*['\"]?([^'\")]*)", css):
        target = match.group(1)
        assert target.startswith("data:") or not re.match(r"([a-z]+:)?//", target), target
    assert not CDN_HOSTS.search(css)


@pytest.mark.parametrize("name", [n for n in ASSET_FILES if n.endswith(".js")])
def test_scripts_reference_no_cdn(name: str) -> None:
    text = (STATIC_DIR / name).read_text(encoding="utf-8")
    assert "sourceMappingURL" not in text  # the .map files are not vendored
    for match in re.finditer(r"https?://[^\s\"'`)<>]+", text):
        assert not CDN_HOSTS.search(match.group(0)), match.group(0)
    # No script injection from a remote origin: import("http..."), <script src=...>.
    assert not re.search(r"import\(\s*['\"]https?:", text)
    assert not re.search(r"\.src\s*=\s*['\"]https?:", text)


def test_build_inputs_are_pinned() -> None:
    root = Path(__file__).resolve().parent.parent
    package = json.loads((root / "graphiql" / "package.json").read_text(encoding="utf-8"))
    for dep, version in package["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{dep} is not pinned: {version}"
    lock = json.loads((root / "graphiql" / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/graphiql"]["version"] == package["dependencies"]["graphiql"]


# ---------------------------------------------------------------- examples


def test_examples_load_in_name_order(examples: list[tuple[str, str]]) -> None:
    names = sorted(p.name for p in EXAMPLES_DIR.glob("*.graphql"))
    assert len(examples) == len(names) >= 4
    assert names[0] == "01-search.graphql"
    assert "search(" in examples[0][1]


@pytest.mark.parametrize("index", range(4))
def test_each_example_is_titled_valid_graphql(examples: list[tuple[str, str]], index: int) -> None:
    title, query = examples[index]
    assert title
    assert re.search(r"[\u4e00-\u9fff]", title), f"title has no Chinese: {title}"
    assert re.search(r"[A-Za-z]", title), f"title has no English: {title}"
    assert query.startswith(f"# {title}\n")
    document = graphql.parse(query)
    assert len(document.definitions) == 1
    comments = [line for line in query.splitlines() if line.startswith("#")]
    assert any(re.search(r"[\u4e00-\u9fff]", line) for line in comments[1:])
    assert any(re.fullmatch(r"# [ -~]+", line) for line in comments[1:])


def test_example_titles_fall_back_to_file_names(tmp_path: Path) -> None:
    (tmp_path / "b.graphql").write_text("# 第二 · Second\n{ b }\n", encoding="utf-8")
    (tmp_path / "a.graphql").write_text("{ a }\n", encoding="utf-8")
    (tmp_path / "c.graphql").write_text("  \n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("# not an example\n", encoding="utf-8")
    assert load_examples(tmp_path) == [("a", "{ a }\n"), ("第二 · Second", "# 第二 · Second\n{ b }\n")]
