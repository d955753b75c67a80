/*
 * 血缘图页面脚本 · The interactive lineage page.
 *
 * Asks /graphql (same origin) for the lineage, lays it out in swimlanes by the rules of
 * app/lineage_layout.py (one lane per agency, one column per hop, upstream left of the
 * root, downstream right; an agency of the lineage heads its own lane) and draws it as
 * SVG. Drag to pan, wheel to scroll (Ctrl/⌘ + wheel, or the buttons, to zoom); hover a
 * node for details and its path to the root; click a node to fold or unfold what hangs
 * from it, or, where a limit cut the walk ("▸"), to fetch two more hops from it.
 * No library, nothing loaded from elsewhere.
 */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var config = JSON.parse(document.getElementById("lineage-config").textContent);

  // Layout constants: the same as app/lineage_layout.py (no title block inside the SVG here).
  var L = { MARGIN: 16, TITLE_H: 0, HEADER_H: 28, LABEL_W: 176, COL_W: 252, NODE_W: 200, NODE_H: 26,
            ROW_H: 34, LANE_PAD: 8 };
  var KIND_ORDER = ["AGENCY", "PROJECT", "SUPPLY_LIST", "RESOURCE", "FIELD", "SERVICE", "GRANT", "DEMAND",
                    "APPLICATION", "SCENARIO", "QUALITY_ISSUE", "PERSON"];
  var KIND_COLOURS = {
    RESOURCE: ["#2f6fdb", "#e3ecfc"], SERVICE: ["#0f8f7e", "#daf3ef"], GRANT: ["#7b4fc9", "#eee6fb"],
    SCENARIO: ["#c8691b", "#fcebdb"], AGENCY: ["#4a5565", "#e7eaef"], PROJECT: ["#b8336a", "#f9e0eb"],
    FIELD: ["#5f8a1c", "#ebf3dc"], SUPPLY_LIST: ["#2f86a8", "#ddeef5"], DEMAND: ["#9a6f1e", "#f5ecd9"],
    APPLICATION: ["#9a6f1e", "#f5ecd9"], QUALITY_ISSUE: ["#c0392b", "#fbe3e0"], PERSON: ["#6b7280", "#eceef1"]
  };
  var SHARING = {
    UNCONDITIONAL: ["#23a047", "无条件共享"], CONDITIONAL: ["#e0a100", "有条件共享"],
    NOT_SHARED: ["#d93a3a", "不予共享"]
  };
  var INACTIVE = { OFFLINE: 1, SUSPENDED: 1, TERMINATED: 1, EXPIRED: 1, REJECTED: 1 };
  var SIDE_ZH = { ROOT: "根节点", UPSTREAM: "上游", DOWNSTREAM: "下游" };
  var REL_ZH = {
    PROVIDED_BY: "提供方", SUPERVISED_BY: "上级主管机构", HAS_FIELD: "信息项", MOUNTED_ON: "挂接",
    EXPOSES: "开放信息项", RELATED_TO: "关联资源", DERIVED_FROM: "来源资源", OWNED_BY: "使用机构/建设单位",
    GRANTS_ACCESS_TO: "授权服务", FOR_SCENARIO: "应用场景", COVERS_FIELD: "授权信息项",
    DECLARES: "供给清单申报", DEPENDS_ON: "依赖资源", SUPPLIES: "供给", REQUESTS: "需求"
  };
  var EXPAND_DEPTH = 2;
  var EXPAND_FIRST = 200;

  var QUERY = [
    "query Lineage($id: ID!, $direction: LineageDirection!, $depth: Int, $first: Int,",
    "              $types: [RelationshipKind!]) {",
    "  lineage(id: $id, direction: $direction, depth: $depth, first: $first, types: $types) {",
    "    nodeCount edgeCount depth first truncated { byDepth bySize }",
    "    root { ...N }",
    "    nodes { ...N }",
    "    edges { type upstream downstream }",
    "    paths { node path }",
    "  }",
    "}",
    "fragment N on LineageNode {",
    "  id kind kindLabel code name hop side sharingType status statusLabel hasMore agency { code name }",
    "}"
  ].join("\n");

  var stage = document.getElementById("stage");
  var canvas = document.getElementById("lineage-canvas");
  var viewport = document.getElementById("viewport");
  var tooltip = document.getElementById("tooltip");
  var summary = document.getElementById("summary");

  var state = {
    nodes: {},       // id -> node (with .path: [ids], root first)
    order: [],       // ids, root first, in the order found
    edges: {},       // key -> {type, upstream, downstream}
    rootId: null,
    collapsed: {},   // id -> true: what hangs from it is folded
    truncated: { byDepth: false, bySize: false },
    layout: null,
    view: { x: 0, y: 0, k: 1 }
  };

  // ------------------------------------------------------------------ data

  // A bearer token pasted into the page (kept in this tab's sessionStorage only).
  var TOKEN_KEY = "catalog.bearer";

  function bearer() {
    try { return window.sessionStorage.getItem(TOKEN_KEY) || ""; } catch (e) { return ""; }
  }

  function requestHeaders() {
    var headers = { "Content-Type": "application/json", "Accept": "application/json" };
    if (bearer()) { headers.Authorization = "Bearer " + bearer(); }
    return headers;
  }

  function graphql(variables) {
    return fetch(config.endpoint, {
      method: "POST",
      headers: requestHeaders(),
      credentials: "same-origin",
      body: JSON.stringify({ query: QUERY, variables: variables })
    }).then(function (response) {
      return response.json();
    }).then(function (body) {
      if (body.errors && body.errors.length) {
        var ext = body.errors[0].extensions || {};
        throw new Error((ext.messageZh || body.errors[0].message) + (ext.messageEn ? " / " + ext.messageEn : ""));
      }
      return body.data.lineage;
    });
  }

  function pathsOf(lineage) {
    var paths = {};
    lineage.paths.forEach(function (p) { paths[p.node] = p.path; });
    return paths;
  }

  function edgeKey(e) { return e.type + "|" + e.upstream + "|" + e.downstream; }

  function load(lineage) {
    var paths = pathsOf(lineage);
    state.rootId = lineage.root.id;
    lineage.nodes.forEach(function (n) {
      n.path = paths[n.id] || [n.id];
      state.nodes[n.id] = n;
      state.order.push(n.id);
    });
    lineage.edges.forEach(function (e) { state.edges[edgeKey(e)] = e; });
    state.truncated = lineage.truncated;
    if (config.collapse !== null && config.collapse !== undefined) {
      var kids = childCounts();
      state.order.forEach(function (id) {
        if (state.nodes[id].hop === config.collapse && kids[id]) { state.collapsed[id] = true; }
      });
    }
  }

  // Nodes fetched from `from` (a lineage rooted there) join the picture as its descendants.
  function merge(from, lineage) {
    var paths = pathsOf(lineage);
    var base = state.nodes[from];
    var added = 0;
    lineage.nodes.forEach(function (n) {
      if (n.id === lineage.root.id) { base.hasMore = n.hasMore; return; }
      if (state.nodes[n.id]) { return; }
      n.hop = base.hop + n.hop;
      n.side = base.side === "ROOT" ? n.side : base.side;
      n.path = base.path.concat((paths[n.id] || [lineage.root.id, n.id]).slice(1));
      state.nodes[n.id] = n;
      state.order.push(n.id);
      added += 1;
    });
    lineage.edges.forEach(function (e) {
      if (state.nodes[e.upstream] && state.nodes[e.downstream]) { state.edges[edgeKey(e)] = e; }
    });
    if (lineage.truncated.bySize) { state.truncated.bySize = true; }
    return added;
  }

  function childCounts() {
    var counts = {};
    state.order.forEach(function (id) {
      var path = state.nodes[id].path;
      if (path.length > 1) {
        var parent = path[path.length - 2];
        counts[parent] = (counts[parent] || 0) + 1;
      }
    });
    return counts;
  }

  // A node is shown unless a node on its path (other than itself) is folded.
  function foldedBy(node) {
    for (var i = 0; i < node.path.length - 1; i++) {
      if (state.collapsed[node.path[i]]) { return node.path[i]; }
    }
    return null;
  }

  // ------------------------------------------------------------------ layout

  function columnOf(n) { return n.side === "UPSTREAM" ? -n.hop : n.hop; }
  function laneOf(n) { return n.agency ? n.agency.code : ""; }

  function layOut() {
    var visible = [], hiddenUnder = {};
    state.order.forEach(function (id) {
      var n = state.nodes[id], by = foldedBy(n);
      if (by) { hiddenUnder[by] = (hiddenUnder[by] || 0) + 1; } else { visible.push(n); }
    });
    var heads = {};
    visible.forEach(function (n) {
      if (n.kind === "AGENCY" && laneOf(n) === n.code) { heads[n.code] = n; }
    });
    var placed = visible.filter(function (n) { return !(heads[n.code] && heads[n.code].id === n.id); });
    var colSet = {};
    placed.forEach(function (n) { colSet[columnOf(n)] = true; });
    var columns = Object.keys(colSet).map(Number).sort(function (a, b) { return a - b; });
    if (!columns.length) { columns = [0]; }
    var xs = {};
    columns.forEach(function (c, i) { xs[c] = L.MARGIN + L.LABEL_W + i * L.COL_W; });

    var names = {}, firstSeen = {};
    visible.forEach(function (n, i) {
      var lane = laneOf(n);
      names[lane] = n.agency ? n.agency.name : "其他";
      if (!(lane in firstSeen)) { firstSeen[lane] = [Math.abs(columnOf(n)), i]; }
    });
    var rootLane = laneOf(state.nodes[state.rootId]);
    var order = Object.keys(firstSeen).sort(function (a, b) {
      var ka = [a !== rootLane ? 1 : 0, a === "" ? 1 : 0].concat(firstSeen[a]);
      var kb = [b !== rootLane ? 1 : 0, b === "" ? 1 : 0].concat(firstSeen[b]);
      for (var i = 0; i < ka.length; i++) { if (ka[i] !== kb[i]) { return ka[i] - kb[i]; } }
      return 0;
    });

    var cells = {}, rows = {};
    placed.forEach(function (n) {
      var key = laneOf(n) + "\u0000" + columnOf(n);
      (cells[key] = cells[key] || []).push(n);
      rows[laneOf(n)] = Math.max(rows[laneOf(n)] || 1, cells[key].length);
    });
    var top = L.MARGIN + L.TITLE_H + L.HEADER_H, lanes = [], laneY = {}, boxes = {};
    order.forEach(function (lane) {
      var height = (rows[lane] || 1) * L.ROW_H + 2 * L.LANE_PAD - (L.ROW_H - L.NODE_H);
      var head = heads[lane];
      lanes.push({ code: lane, name: names[lane], y: top, height: height, head: head ? head.id : null });
      laneY[lane] = top;
      if (head) {
        boxes[head.id] = { node: head, x: L.MARGIN + 6, y: top + L.LANE_PAD, width: L.LABEL_W - 22,
                           hidden: hiddenUnder[head.id] || 0, laneHead: true };
      }
      top += height;
    });
    var rank = {};
    KIND_ORDER.forEach(function (k, i) { rank[k] = i; });
    columns.slice().sort(function (a, b) { return Math.abs(a) - Math.abs(b) || a - b; }).forEach(function (c) {
      order.forEach(function (lane) {
        var members = cells[lane + "\u0000" + c];
        if (!members) { return; }
        members.slice().sort(function (a, b) {
          var pa = boxes[a.path[a.path.length - 2]], pb = boxes[b.path[b.path.length - 2]];
          var ya = pa && a.path.length > 1 ? pa.y : 0, yb = pb && b.path.length > 1 ? pb.y : 0;
          return (ya - yb) || ((rank[a.kind] || 99) - (rank[b.kind] || 99)) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
        }).forEach(function (n, row) {
          boxes[n.id] = { node: n, x: xs[c], y: laneY[lane] + L.LANE_PAD + row * L.ROW_H, width: L.NODE_W,
                          hidden: hiddenUnder[n.id] || 0, laneHead: false };
        });
      });
    });
    var width = L.MARGIN * 2 + L.LABEL_W + columns.length * L.COL_W;  // room for same-column curves
    return { boxes: boxes, lanes: lanes, columns: xs, width: width, height: top + L.MARGIN,
             shown: visible.length, hidden: state.order.length - visible.length };
  }

  // ------------------------------------------------------------------ drawing

  function el(name, attrs, parent, text) {
    var node = document.createElementNS(SVG_NS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function clip(text, width) {
    var used = 0;
    for (var i = 0; i < text.length; i++) {
      used += text.charCodeAt(i) > 0x2e7f ? 12 : 6.7;
      if (used > width) { return text.slice(0, Math.max(i - 1, 0)) + "…"; }
    }
    return text;
  }

  function implicitEdge(up, down) {
    return (up.laneHead && laneOf(down.node) === up.node.code) ||
           (down.laneHead && laneOf(up.node) === down.node.code);
  }

  // An elbow out of the upstream node along a short trunk and into the downstream one (a
  // curve from right side to right side when the downstream node is not further right).
  function edgePath(up, down) {
    var x1 = up.x + up.width, y1 = up.y + L.NODE_H / 2, x2, y2, bend;
    if (down.x > up.x + up.width / 2) {
      x2 = down.x - 2; y2 = down.y + L.NODE_H / 2;
      var xm = x1 + 12 + (Math.floor(up.y / L.ROW_H) % 4) * 5;
      if (Math.abs(y2 - y1) < 1) { return "M" + x1 + "," + y1 + " H" + x2; }
      var r = Math.min(6, Math.abs(y2 - y1) / 2), s = y2 > y1 ? 1 : -1;
      return "M" + x1 + "," + y1 + " H" + (xm - r) + " Q" + xm + "," + y1 + " " + xm + "," + (y1 + s * r) +
             " V" + (y2 - s * r) + " Q" + xm + "," + y2 + " " + (xm + r) + "," + y2 + " H" + x2;
    }
    x2 = down.x + down.width + 2; y2 = down.y + L.NODE_H / 2; bend = Math.min(24 + Math.abs(y2 - y1) / 10, 44);
    return "M" + x1 + "," + y1 + " C" + (x1 + bend) + "," + y1 + " " + (x2 + bend) + "," + y2 + " " + x2 + "," + y2;
  }

  function render() {
    var layout = layOut();
    state.layout = layout;
    while (viewport.firstChild) { viewport.removeChild(viewport.firstChild); }
    var defs = el("defs", {}, viewport);
    var marker = el("marker", { id: "arrow", viewBox: "0 0 8 8", refX: 8, refY: 4, markerWidth: 7, markerHeight: 7,
                                orient: "auto-start-reverse" }, defs);
    el("path", { d: "M0,0 L8,4 L0,8 z", fill: "#8a96a3" }, marker);

    var bands = el("g", { "class": "lanes" }, viewport);
    layout.lanes.forEach(function (lane, i) {
      el("rect", { "class": "lane-band " + (i % 2 ? "even" : "odd"), x: L.MARGIN, y: lane.y,
                   width: layout.width - 2 * L.MARGIN, height: lane.height }, bands);
      el("line", { "class": "lane-rule", x1: L.MARGIN, x2: layout.width - L.MARGIN, y1: lane.y, y2: lane.y }, bands);
      if (!lane.head) {
        var t = el("text", { "class": "lane-name", x: L.MARGIN + 10, y: lane.y + 25 }, bands, clip(lane.name, L.LABEL_W - 24));
        el("title", {}, t, lane.name);
      }
    });
    var heads = el("g", { "class": "columns" }, viewport);
    Object.keys(layout.columns).map(Number).forEach(function (c) {
      var x = layout.columns[c], y = L.MARGIN + L.HEADER_H - 9;
      var label = c === 0 ? "根节点" : (c < 0 ? "上游 " : "下游 ") + Math.abs(c) + " 跳";
      el("text", { "class": "col-head", x: x + L.NODE_W / 2, y: y }, heads, label);
      if (c !== 0) { el("text", { "class": "col-arrow", x: x - (L.COL_W - L.NODE_W) / 2, y: y }, heads, "→"); }
    });

    var edgeLayer = el("g", { "class": "edges" }, viewport);
    Object.keys(state.edges).forEach(function (key) {
      var e = state.edges[key], up = layout.boxes[e.upstream], down = layout.boxes[e.downstream];
      if (!up || !down || implicitEdge(up, down)) { return; }
      var path = el("path", { "class": "edge", d: edgePath(up, down), "marker-end": "url(#arrow)",
                              "data-up": e.upstream, "data-down": e.downstream }, edgeLayer);
      el("title", {}, path, REL_ZH[e.type] || e.type);
    });

    var nodeLayer = el("g", { "class": "nodes" }, viewport);
    var kids = childCounts();
    Object.keys(layout.boxes).forEach(function (id) { drawNode(layout.boxes[id], nodeLayer, kids[id] || 0); });

    var cut = [];
    if (state.truncated.byDepth) { cut.push("按层数截断"); }
    if (state.truncated.bySize) { cut.push("按节点上限截断"); }
    summary.innerHTML = "";
    summary.appendChild(document.createTextNode(
      "节点 " + state.order.length + " 个（显示 " + layout.shown + "）· 关系 " + Object.keys(state.edges).length +
      " 条 · 机构 " + layout.lanes.length + " 个"));
    if (cut.length) {
      var span = document.createElement("span");
      span.className = "cut";
      span.textContent = " · " + cut.join("、") + "（点击带 ▸ 的节点继续展开）";
      summary.appendChild(span);
    }
    canvas.setAttribute("data-node-count", String(state.order.length));
    canvas.setAttribute("data-rendered", String(layout.shown));
  }

  function drawNode(box, layer, children) {
    var n = box.node, colours = KIND_COLOURS[n.kind] || ["#6b7280", "#eceef1"];
    var border = (SHARING[n.sharingType] || [colours[0]])[0];
    var classes = "node" + (n.id === state.rootId ? " root" : "") + (INACTIVE[n.status] ? " inactive" : "") +
                  (box.laneHead ? " lane-head" : "");
    var g = el("g", { "class": classes, "data-id": n.id, "data-kind": n.kind,
                      transform: "translate(" + box.x + "," + box.y + ")" }, layer);
    el("rect", { "class": "box", width: box.width, height: L.NODE_H, rx: 5, fill: colours[1], stroke: border }, g);
    el("rect", { x: 1, y: 1, width: 6, height: L.NODE_H - 2, rx: 3, fill: colours[0] }, g);
    var badge = box.hidden ? "+" + box.hidden : (n.hasMore && !children ? "▸" : "");
    var room = box.width - 22 - (badge ? badge.length * 8 + 6 : 0);
    el("text", { "class": "name", x: 14, y: L.NODE_H / 2 + 4.5 }, g, clip(n.name, room));
    if (badge) { el("text", { "class": "badge", x: box.width - 8, y: L.NODE_H / 2 + 4.5, fill: colours[0] }, g, badge); }
  }

  function legend() {
    var box = document.getElementById("legend");
    ["AGENCY", "RESOURCE", "SERVICE", "GRANT", "SCENARIO", "PROJECT", "FIELD", "SUPPLY_LIST", "DEMAND"].forEach(function (k) {
      var c = KIND_COLOURS[k];
      box.insertAdjacentHTML("beforeend", '<span class="key"><span class="swatch" style="background:' + c[1] +
        ";border-color:" + c[0] + ";box-shadow:inset 4px 0 " + c[0] + '"></span>' + config.kinds[k] + "</span>");
    });
    Object.keys(SHARING).forEach(function (k) {
      box.insertAdjacentHTML("beforeend", '<span class="key"><span class="swatch" style="border-color:' + SHARING[k][0] +
        '"></span>边框：' + SHARING[k][1] + "</span>");
    });
    box.insertAdjacentHTML("beforeend", '<span class="key"><span class="swatch" style="border-style:dashed;' +
      'border-color:#8a96a3;opacity:.6"></span>虚线：已下线、已暂停、已终止或已过期</span>');
    box.insertAdjacentHTML("beforeend", '<span class="note">每一横栏为一个机构（提供方或使用方）；数据自左（上游）向右（下游）流动。' +
      "点击节点折叠或展开其下游，“+N”为已折叠的节点数，“▸”表示还可继续展开；拖动平移，滚轮上下移动，Ctrl + 滚轮缩放。</span>");
  }

  // ------------------------------------------------------------------ interaction

  function applyView() {
    var v = state.view, box = state.layout;
    if (box) {  // keep some of the picture in sight
      var w = stage.clientWidth, h = stage.clientHeight, sw = box.width * v.k, sh = box.height * v.k;
      v.x = Math.max(Math.min(0, w - sw) - 40, Math.min(Math.max(40, (w - sw) / 2), v.x));
      v.y = Math.max(Math.min(0, h - sh) - 40, Math.min(40, v.y));
    }
    viewport.setAttribute("transform", "translate(" + v.x + "," + v.y + ") scale(" + v.k + ")");
  }

  // Fit the width (never enlarge), top first: a tall lineage is read by scrolling down.
  function fit() {
    if (!state.layout) { return; }
    var w = stage.clientWidth;
    var k = Math.max(0.3, Math.min(1, (w - 8) / state.layout.width));
    state.view = { k: k, x: Math.max((w - state.layout.width * k) / 2, 0), y: 0 };
    applyView();
  }

  function zoom(factor, cx, cy) {
    var v = state.view, k = Math.max(0.15, Math.min(3, v.k * factor));
    cx = cx === undefined ? stage.clientWidth / 2 : cx;
    cy = cy === undefined ? stage.clientHeight / 2 : cy;
    v.x = cx - (cx - v.x) * (k / v.k);
    v.y = cy - (cy - v.y) * (k / v.k);
    v.k = k;
    applyView();
  }

  function details(n) {
    var lines = ["<b>" + escapeHtml(n.kindLabel + "：" + n.name) + "</b>", "编码：" + escapeHtml(n.code)];
    if (n.agency) { lines.push("所属机构：" + escapeHtml(n.agency.name)); }
    if (SHARING[n.sharingType]) { lines.push("共享类型：" + SHARING[n.sharingType][1]); }
    if (n.statusLabel) { lines.push("状态：" + escapeHtml(n.statusLabel)); }
    lines.push("位置：" + (n.side === "ROOT" ? "根节点" : SIDE_ZH[n.side] + " " + n.hop + " 跳"));
    if (n.path.length > 1) {
      lines.push("路径：" + n.path.map(function (id) { return state.nodes[id] ? escapeHtml(state.nodes[id].name) : "…"; }).join(" → "));
    }
    var kids = childCounts()[n.id] || 0;
    if (state.collapsed[n.id]) { lines.push("点击展开已折叠的节点"); }
    else if (kids) { lines.push("点击折叠其后的 " + kids + " 个节点"); }
    else if (n.hasMore) { lines.push("点击继续展开两层"); }
    return lines.join("\n");
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }

  function highlight(n) {
    var onPath = {};
    n.path.forEach(function (id) { onPath[id] = true; });
    viewport.classList.add("dim");
    Array.prototype.forEach.call(viewport.querySelectorAll(".node"), function (g) {
      if (onPath[g.getAttribute("data-id")]) { g.classList.add("hot"); }
    });
    Array.prototype.forEach.call(viewport.querySelectorAll(".edge"), function (p) {
      var up = p.getAttribute("data-up"), down = p.getAttribute("data-down");
      if ((onPath[up] && onPath[down]) || up === n.id || down === n.id) { p.classList.add("hot"); }
    });
  }

  function unhighlight() {
    viewport.classList.remove("dim");
    Array.prototype.forEach.call(viewport.querySelectorAll(".hot"), function (x) { x.classList.remove("hot"); });
  }

  function nodeAt(target) {
    var g = target.closest ? target.closest(".node") : null;
    return g ? state.nodes[g.getAttribute("data-id")] : null;
  }

  var drag = null, moved = false;
  stage.addEventListener("mousedown", function (ev) {
    drag = { x: ev.clientX, y: ev.clientY, vx: state.view.x, vy: state.view.y };
    moved = false;
  });
  window.addEventListener("mousemove", function (ev) {
    if (!drag) { return; }
    if (Math.abs(ev.clientX - drag.x) + Math.abs(ev.clientY - drag.y) > 3) { moved = true; stage.classList.add("dragging"); }
    state.view.x = drag.vx + ev.clientX - drag.x;
    state.view.y = drag.vy + ev.clientY - drag.y;
    applyView();
  });
  window.addEventListener("mouseup", function () { drag = null; stage.classList.remove("dragging"); });
  stage.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var rect = stage.getBoundingClientRect();
    if (ev.ctrlKey || ev.metaKey) {
      zoom(ev.deltaY < 0 ? 1.12 : 1 / 1.12, ev.clientX - rect.left, ev.clientY - rect.top);
    } else {
      state.view.x -= ev.deltaX;
      state.view.y -= ev.deltaY;
      applyView();
    }
  }, { passive: false });

  canvas.addEventListener("mouseover", function (ev) {
    var n = nodeAt(ev.target);
    if (!n) { return; }
    tooltip.innerHTML = details(n);
    tooltip.hidden = false;
    highlight(n);
  });
  canvas.addEventListener("mousemove", function (ev) {
    if (tooltip.hidden) { return; }
    var rect = stage.getBoundingClientRect();
    var x = ev.clientX - rect.left + 14, y = ev.clientY - rect.top + 14;
    if (x + tooltip.offsetWidth > rect.width) { x = ev.clientX - rect.left - tooltip.offsetWidth - 10; }
    if (y + tooltip.offsetHeight > rect.height) { y = ev.clientY - rect.top - tooltip.offsetHeight - 10; }
    tooltip.style.left = x + "px";
    tooltip.style.top = y + "px";
  });
  canvas.addEventListener("mouseout", function (ev) {
    if (nodeAt(ev.target) && !(ev.relatedTarget && nodeAt(ev.relatedTarget) === nodeAt(ev.target))) {
      tooltip.hidden = true;
      unhighlight();
    }
  });
  canvas.addEventListener("click", function (ev) {
    if (moved) { return; }
    var n = nodeAt(ev.target);
    if (!n) { return; }
    tooltip.hidden = true;
    var kids = childCounts()[n.id] || 0;
    if (state.collapsed[n.id]) {
      delete state.collapsed[n.id];
      render();
    } else if (kids) {
      state.collapsed[n.id] = true;
      render();
    } else if (n.hasMore) {
      expand(n);
    }
  });

  function expand(n) {
    document.body.setAttribute("data-state", "loading");
    var direction = n.side === "ROOT" ? config.direction : n.side;
    graphql({ id: n.id, direction: direction, depth: EXPAND_DEPTH, first: EXPAND_FIRST, types: config.types })
      .then(function (lineage) {
        merge(n.id, lineage);
        render();
        document.body.setAttribute("data-state", "ready");
      })
      .catch(function (error) { fail(error); });
  }

  function fail(error) {
    summary.textContent = "加载失败 · Failed: " + error.message;
    summary.classList.add("error");
    document.body.setAttribute("data-state", "error");
  }

  // ------------------------------------------------------------------ controls

  function controls() {
    var form = document.getElementById("controls");
    var depth = form.elements.depth, collapse = form.elements.collapse;
    for (var d = 1; d <= config.maxDepth; d++) { depth.add(new Option(d + " 层", String(d))); }
    collapse.add(new Option("不折叠", ""));
    for (var c = 1; c < config.maxDepth; c++) { collapse.add(new Option(c + " 层以外", String(c))); }
    form.elements.direction.value = config.direction;
    depth.value = String(config.depth);
    collapse.value = config.collapse === null || config.collapse === undefined ? "" : String(config.collapse);
    form.addEventListener("change", function () {
      var params = new URLSearchParams(window.location.search);
      params.set("direction", form.elements.direction.value);
      params.set("depth", depth.value);
      if (collapse.value) { params.set("collapse", collapse.value); } else { params.delete("collapse"); }
      window.location.search = params.toString();
    });
    form.addEventListener("click", function (ev) {
      var act = ev.target.getAttribute && ev.target.getAttribute("data-act");
      if (act === "fit") { fit(); }
      if (act === "zoom-in") { zoom(1.25); }
      if (act === "zoom-out") { zoom(1 / 1.25); }
    });
    document.getElementById("svg-link").setAttribute("href", config.svg);
  }

  function identity() {
    var form = document.getElementById("identity");
    var viewer = document.getElementById("viewer");
    viewer.textContent = bearer() ? "已使用令牌 · signed in" : "匿名视图：不含授权 · anonymous: no grants";
    viewer.setAttribute("data-signed-in", bearer() ? "true" : "false");
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var value = form.elements.bearer.value.trim();
      try { window.sessionStorage.setItem(TOKEN_KEY, value); } catch (e) { return; }
      window.location.reload();
    });
    form.addEventListener("click", function (ev) {
      if (ev.target.getAttribute && ev.target.getAttribute("data-act") === "sign-out") {
        try { window.sessionStorage.removeItem(TOKEN_KEY); } catch (e) { return; }
        window.location.reload();
      }
    });
  }

  controls();
  identity();
  legend();
  graphql({ id: config.id, direction: config.direction, depth: config.depth, first: config.first,
            types: config.types })
    .then(function (lineage) {
      load(lineage);
      render();
      fit();
      document.body.setAttribute("data-state", "ready");
    })
    .catch(function (error) { fail(error); });
  window.addEventListener("resize", function () { if (state.layout) { fit(); } });
})();
