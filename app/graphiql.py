"""The GraphiQL page of the catalog, served from vendored assets only.

Government intranets have no internet, so the page never loads anything from a
CDN: React, ReactDOM and GraphiQL's UMD build (with its fonts inlined into the
CSS as data: URLs) live in ``app/static/graphiql/``, built by
``scripts/build-graphiql`` from the versions pinned in ``graphiql/``.

The application mounts ``STATIC_DIR`` (e.g. with Starlette's ``StaticFiles``)
at the ``static_prefix`` passed to :func:`graphiql_page` — ``/static/graphiql``
by default — and answers a browser's ``GET`` of the GraphQL endpoint with the
page.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path
from typing import Final

__all__ = [
    "ASSET_FILES",
    "EXAMPLES_DIR",
    "PAGE_TITLE",
    "STATIC_DIR",
    "graphiql_page",
    "load_examples",
]

_APP_DIR: Final = Path(__file__).resolve().parent
STATIC_DIR: Final = _APP_DIR / "static" / "graphiql"
"""The vendored GraphiQL build; serve it at the page's ``static_prefix``."""
EXAMPLES_DIR: Final = _APP_DIR / "examples"
"""Example queries, one per ``*.graphql`` file, shown as GraphiQL tabs."""

ASSET_FILES: Final = (
    "graphiql.min.css",
    "react.production.min.js",
    "react-dom.production.min.js",
    "graphiql.min.js",
)
"""The files under ``STATIC_DIR`` that the page loads, in load order."""

PAGE_TITLE: Final = "济宁市公共数据共享目录 · Public-data catalog"

_TITLE_ZH: Final = "济宁市公共数据共享目录"
_TITLE_EN: Final = "Public-data catalog"

# GraphiQL 3 ships Latin-only fonts (Roboto, Fira Code); name common CJK system
# fonts after them so Chinese text uses a proper face on Windows, macOS and Linux.
_STYLE: Final = """\
html, body, #graphiql { height: 100%; margin: 0; }
body { font-family: "Roboto", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB",
  "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
  sans-serif; }
.graphiql-container, .CodeMirror-info, .CodeMirror-lint-tooltip, .graphiql-dialog,
.graphiql-dialog-overlay, .graphiql-tooltip, [data-radix-popper-content-wrapper] {
  --font-family: "Roboto", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB",
    "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
    sans-serif;
  --font-family-mono: "Fira Code", "Noto Sans Mono CJK SC", "Microsoft YaHei",
    "WenQuanYi Micro Hei Mono", monospace;
}
.catalog-logo { display: flex; flex-direction: column; align-items: flex-end; line-height: 1.3; }
.catalog-logo-zh { font-size: var(--font-size-h4); font-weight: var(--font-weight-medium); }
.catalog-logo-en { font-size: var(--font-size-hint); color: hsla(var(--color-neutral),
  var(--alpha-secondary)); }
#graphiql-loading { padding: 2rem; color: #555; }
"""

# Mounts GraphiQL from the JSON config that precedes it. The fetcher POSTs JSON to
# the same origin and sends the headers typed into GraphiQL's headers editor
# (e.g. ``{"Authorization": "Bearer …"}``); GraphiQL does not store those headers.
# Tabs are kept in localStorage under a key that changes with the examples, so
# editing the example files gives users the new examples instead of stale tabs.
_MOUNT_JS: Final = """\
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("graphiql-config").textContent);
  if (typeof React === "undefined" || typeof ReactDOM === "undefined" || typeof GraphiQL === "undefined") {
    document.getElementById("graphiql-loading").textContent =
      "GraphiQL 资源加载失败 · GraphiQL assets failed to load from " + config.assets;
    return;
  }

  function fetcher(params, opts) {
    var headers = { "Content-Type": "application/json", "Accept": "application/json" };
    var extra = (opts && opts.headers) || {};
    Object.keys(extra).forEach(function (name) {
      var value = extra[name];
      if (value !== null && value !== undefined && String(value) !== "") {
        headers[name] = String(value);
      }
    });
    return fetch(config.endpoint, {
      method: "POST",
      headers: headers,
      body: JSON.stringify(params),
      credentials: "same-origin"
    }).then(function (response) {
      return response.text().then(function (text) {
        try {
          return JSON.parse(text);
        } catch (e) {
          return { errors: [{ message: "HTTP " + response.status + ": " + text.slice(0, 500) }] };
        }
      });
    });
  }

  function namespacedStorage(prefix) {
    var ls;
    try { ls = window.localStorage; ls.getItem(prefix); } catch (e) { return null; }
    function ownKeys() {
      var keys = [];
      for (var i = 0; i < ls.length; i++) {
        var key = ls.key(i);
        if (key !== null && key.indexOf(prefix) === 0) { keys.push(key); }
      }
      return keys;
    }
    return {
      getItem: function (key) { return ls.getItem(prefix + key); },
      setItem: function (key, value) { ls.setItem(prefix + key, value); },
      removeItem: function (key) { ls.removeItem(prefix + key); },
      clear: function () { ownKeys().forEach(function (key) { ls.removeItem(key); }); },
      get length() { return ownKeys().length; }
    };
  }

  var e = React.createElement;
  var props = {
    fetcher: fetcher,
    shouldPersistHeaders: false
  };
  if (config.tabs.length > 0) {
    props.defaultTabs = config.tabs;
    props.query = config.tabs[0].query;
  }
  var storage = namespacedStorage(config.storagePrefix);
  if (storage !== null) { props.storage = storage; }

  var logo = e(GraphiQL.Logo, null,
    e("span", { className: "catalog-logo" },
      e("span", { className: "catalog-logo-zh" }, config.titleZh),
      e("span", { className: "catalog-logo-en" }, config.titleEn)));
  ReactDOM.createRoot(document.getElementById("graphiql")).render(e(GraphiQL, props, logo));
})();
"""


def _script_json(value: object) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``</script>``, no ``<!--``)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def graphiql_page(
    endpoint: str,
    examples: list[tuple[str, str]],
    static_prefix: str = "/static/graphiql",
) -> str:
    """The HTML page that runs GraphiQL against ``endpoint``.

    ``examples`` are ``(title, query)`` pairs opened as tabs, the first one active;
    their titles are listed for browsers without JavaScript. Every asset is loaded
    from ``static_prefix`` on the same server; the page fetches nothing else.
    """
    prefix = static_prefix.rstrip("/")
    digest = hashlib.sha256(_script_json([endpoint, [query for _, query in examples]]).encode()).hexdigest()[:12]
    config = {
        "endpoint": endpoint,
        "assets": prefix + "/",
        "tabs": [{"query": query} for _, query in examples],
        "storagePrefix": f"jining-catalog:{digest}:",
        "titleZh": _TITLE_ZH,
        "titleEn": _TITLE_EN,
    }
    css, *scripts = ASSET_FILES
    script_tags = "\n".join(f'<script src="{html.escape(f"{prefix}/{name}")}"></script>' for name in scripts)
    example_items = "".join(f"<li>{html.escape(title)}</li>" for title, _ in examples)
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{html.escape(PAGE_TITLE)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{html.escape(f"{prefix}/{css}")}">
<style>
{_STYLE}</style>
</head>
<body>
<div id="graphiql"><div id="graphiql-loading">正在加载 GraphiQL… · Loading GraphiQL…</div></div>
<noscript>
<p>{html.escape(PAGE_TITLE)}: 请启用 JavaScript 以使用 GraphiQL · Enable JavaScript to use
GraphiQL. GraphQL endpoint: <code>{html.escape(endpoint)}</code></p>
<ul>{example_items}</ul>
</noscript>
{script_tags}
<script id="graphiql-config" type="application/json">{_script_json(config)}</script>
<script>
{_MOUNT_JS}</script>
</body>
</html>
"""


_COMMENT: Final = re.compile(r"^\s*#\s?(.*?)\s*$")


def load_examples(directory: Path | None = None) -> list[tuple[str, str]]:
    """The example queries as ``(title, query)`` pairs, in file-name order.

    Each ``*.graphql`` file starts with a comment whose first line is its title;
    a file without one is titled by its name.
    """
    folder = EXAMPLES_DIR if directory is None else directory
    examples: list[tuple[str, str]] = []
    for path in sorted(folder.glob("*.graphql"), key=lambda p: p.name):
        query = path.read_text(encoding="utf-8").strip()
        if not query:
            continue
        first_line = query.splitlines()[0]
        match = _COMMENT.match(first_line)
        title = match.group(1) if match and match.group(1) else path.stem
        examples.append((title, query + "\n"))
    return examples
