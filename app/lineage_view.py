"""Lineage pictures for planners (血缘图): `/lineage/{id}.svg` and `/lineage/{id}`.

- `/lineage/{id}.svg` is drawn on the server (`app.lineage_svg`) from the same domain
  function the GraphQL `lineage` field answers from;
- `/lineage/{id}` is a page whose script (`app/static/lineage/lineage.js`, served from this
  server, no CDN) asks `/graphql` for the lineage and draws it: pan and zoom, click a node
  to fold or unfold what hangs from it (or to fetch what lies beyond the depth), hover for
  details.

Without a token both show the anonymous view: the catalog side, no grants (and nothing reached
only through a grant). The `.svg` route reads an `Authorization: Bearer` header like GraphQL;
on the page a planner pastes a token into the 令牌 box, kept in the tab's sessionStorage and
sent with every lineage request.

`{id}` is whatever `lineage(id:)` takes: a code (`370800-SCJG-0001`), `Label:key` or a
global ID. Query parameters: `direction` (UPSTREAM, DOWNSTREAM, BOTH), `depth` (≤ 6),
`first` (node cap), `collapse` (fold beyond this many hops), `types` (comma-separated
relationship kinds). Bad parameters get a 400 with the same coded error GraphQL gives.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from app.authentication import Unauthenticated, request_actor, unauthenticated_response
from app.backends import Backends
from app.lineage_svg import render_svg
from graph.model import Rel
from resolvers import lineage as resolve
from schema.errors import CatalogError, ErrorCode
from sharing.lineage import KIND_ZH, MAX_DEPTH, Flow, NodeKind

PAGE_DEPTH = 2  # what the picture shows unless asked: enough to read, rarely over 150 nodes
STATIC_PREFIX = "/static/lineage"


def lineage_routes(backends: Callable[[], Backends]) -> list[Route]:
    """The two picture routes; the `.svg` one first, since `{id}` would also match it."""

    async def svg(request: Request) -> Response:
        store = backends().store
        try:
            viewer = await request_actor(store, request.headers)
        except Unauthenticated:
            return unauthenticated_response()
        try:
            args = _args(request)
            found = await resolve.lineage(store, request.path_params["ref"], args.flow, args.depth,
                                          args.types, args.first, viewer=viewer)
        except CatalogError as error:
            return _error(error)
        return Response(render_svg(found, args.collapse), media_type="image/svg+xml; charset=utf-8",
                        headers={"Cache-Control": "no-store"})

    async def page(request: Request) -> Response:
        ref = request.path_params["ref"]
        try:
            args = _args(request)
            root = await resolve.find_node(backends().store, ref)
        except CatalogError as error:
            return _error(error, html_page=True)
        return HTMLResponse(lineage_page(ref, root.get("name") or root.key, args, request.url.query))

    return [
        Route("/lineage/{ref}.svg", svg),
        Route("/lineage/{ref}", page),
    ]


class _Args:
    def __init__(self, flow: Flow, depth: int, first: int | None, collapse: int | None,
                 types: list[Rel] | None) -> None:
        self.flow, self.depth, self.first, self.collapse, self.types = flow, depth, first, collapse, types


def _args(request: Request) -> _Args:
    q = request.query_params
    raw_flow = (q.get("direction") or Flow.BOTH.value).upper()
    if raw_flow not in Flow.__members__:
        raise CatalogError(ErrorCode.INVALID_INPUT, "direction 应为 UPSTREAM、DOWNSTREAM 或 BOTH",
                           "`direction` must be UPSTREAM, DOWNSTREAM or BOTH", field="direction")
    depth = resolve.check_depth(_int(q.get("depth"), "depth") if q.get("depth") else PAGE_DEPTH)
    first = resolve.check_first(_int(q.get("first"), "first")) if q.get("first") else None
    collapse = _int(q.get("collapse"), "collapse") if q.get("collapse") else None
    types = None
    if q.get("types"):
        names = [t.strip().upper() for t in (q.get("types") or "").split(",") if t.strip()]
        unknown = [t for t in names if t not in Rel.__members__]
        if unknown or not names:
            raise CatalogError(ErrorCode.INVALID_INPUT, f"未知的关系类型：{', '.join(unknown)[:100]}",
                               f"unknown relationship kinds: {', '.join(unknown)[:100]}", field="types")
        types = [Rel[t] for t in names]
    return _Args(Flow(raw_flow), depth, first, collapse, types)


def _int(text: str | None, field: str) -> int:
    try:
        return int(text or "")
    except ValueError:
        raise CatalogError(ErrorCode.INVALID_INPUT, f"{field} 应为整数", f"`{field}` must be an integer",
                           field=field) from None


def _error(error: CatalogError, html_page: bool = False) -> Response:
    ext = error.extensions or {}
    status = {ErrorCode.NOT_FOUND: 404, ErrorCode.FORBIDDEN: 403}.get(error.code, 400)
    if html_page:
        body = (f"<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>数据血缘</title>"
                f"<body style=\"font-family:sans-serif;padding:2rem\"><h1>{html.escape(str(ext.get('messageZh')))}</h1>"
                f"<p>{html.escape(str(ext.get('messageEn')))}</p><p><code>{html.escape(str(ext.get('code')))}</code>"
                "</p></body></html>")
        return HTMLResponse(body, status_code=status)
    return JSONResponse({"errors": [{"message": error.message, "extensions": ext}]}, status_code=status)


def _script_json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def lineage_page(ref: str, name: str, args: _Args, query: str) -> str:
    """The interactive page; everything it loads comes from this server."""
    config = {
        "endpoint": "/graphql",
        "id": ref,
        "direction": args.flow.value,
        "depth": args.depth,
        "first": args.first,
        "collapse": args.collapse,
        "types": [t.name for t in args.types] if args.types else None,
        "maxDepth": MAX_DEPTH,
        "svg": f"/lineage/{quote(ref, safe='')}.svg" + (f"?{query}" if query else ""),
        "kinds": {k.value: KIND_ZH[k] for k in NodeKind},
    }
    title = f"数据血缘：{name}"
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{html.escape(title)} · Lineage</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{STATIC_PREFIX}/lineage.css">
</head>
<body data-state="loading">
<header class="bar">
  <div class="title"><span class="zh">{html.escape(title)}</span><span class="en">Lineage</span></div>
  <form class="controls" id="controls">
    <label>方向 <select name="direction">
      <option value="BOTH">上下游</option><option value="UPSTREAM">上游</option>
      <option value="DOWNSTREAM">下游</option></select></label>
    <label>层数 <select name="depth"></select></label>
    <label>折叠 <select name="collapse"></select></label>
    <button type="button" data-act="fit" title="适应窗口 / Fit">适应窗口</button>
    <button type="button" data-act="zoom-in" title="放大 / Zoom in">＋</button>
    <button type="button" data-act="zoom-out" title="缩小 / Zoom out">－</button>
    <a id="svg-link" href="#" download>下载 SVG</a>
  </form>
  <form class="controls" id="identity" autocomplete="off">
    <label>令牌 <input type="password" name="bearer" placeholder="可选 / optional bearer token" size="18"
      title="规划人员等的令牌：有令牌时显示授权；只存于本标签页 / A token shows grants; kept in this tab only"></label>
    <button type="submit" data-act="sign-in">使用令牌</button>
    <button type="button" data-act="sign-out">匿名</button>
    <span id="viewer" class="viewer"></span>
  </form>
  <div class="summary" id="summary">正在加载… · Loading…</div>
</header>
<main id="stage"><svg id="lineage-canvas" xmlns="http://www.w3.org/2000/svg"><g id="viewport"></g></svg>
<div id="tooltip" role="tooltip" hidden></div></main>
<footer class="legend" id="legend"></footer>
<noscript><p>请启用 JavaScript，或查看静态图 · Enable JavaScript, or see the
<a href="{html.escape(str(config["svg"]))}">SVG picture</a>.</p></noscript>
<script id="lineage-config" type="application/json">{_script_json(config)}</script>
<script src="{STATIC_PREFIX}/lineage.js"></script>
</body>
</html>
"""
