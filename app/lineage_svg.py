"""A lineage as a standalone SVG picture (血缘图 SVG), drawn on the server.

Colour by node kind (fill and stripe) and by sharing attribute (border); nodes grouped in
one lane per agency; nodes beyond a depth folded into "+N"; a legend in Chinese. Every
node carries a `<title>` (kind, name, code, agency, sharing, status), shown on hover.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from app.lineage_layout import (
    COL_W,
    HEADER_H,
    LABEL_W,
    LEGEND_H,
    MARGIN,
    NODE_H,
    NODE_W,
    ROW_H,
    TITLE_H,
    Box,
    Layout,
    lay_out,
)
from sharing.lineage import FLOW_ZH, KIND_ZH, REL_ZH, Lineage, LineageNode, NodeKind, Side
from sharing.terms import GrantStatus, ProjectStage, ServiceStatus, SharingType, Term

FONT = '"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC","WenQuanYi Micro Hei",sans-serif'

# (stripe and text colour, fill) per kind; the same palette as lineage.css.
KIND_COLOURS: dict[NodeKind, tuple[str, str]] = {
    NodeKind.RESOURCE: ("#2f6fdb", "#e3ecfc"),
    NodeKind.SERVICE: ("#0f8f7e", "#daf3ef"),
    NodeKind.GRANT: ("#7b4fc9", "#eee6fb"),
    NodeKind.SCENARIO: ("#c8691b", "#fcebdb"),
    NodeKind.AGENCY: ("#4a5565", "#e7eaef"),
    NodeKind.PROJECT: ("#b8336a", "#f9e0eb"),
    NodeKind.FIELD: ("#5f8a1c", "#ebf3dc"),
    NodeKind.SUPPLY_LIST: ("#2f86a8", "#ddeef5"),
    NodeKind.DEMAND: ("#9a6f1e", "#f5ecd9"),
    NodeKind.APPLICATION: ("#9a6f1e", "#f5ecd9"),
    NodeKind.QUALITY_ISSUE: ("#c0392b", "#fbe3e0"),
    NodeKind.PERSON: ("#6b7280", "#eceef1"),
}
SHARING_COLOURS: dict[str, str] = {
    SharingType.UNCONDITIONAL.value: "#23a047",
    SharingType.CONDITIONAL.value: "#e0a100",
    SharingType.NOT_SHARED.value: "#d93a3a",
}
# States in which a node no longer carries data: drawn dashed and faded.
INACTIVE = frozenset({
    ServiceStatus.OFFLINE.value, GrantStatus.SUSPENDED.value, GrantStatus.TERMINATED.value,
    GrantStatus.EXPIRED.value, ProjectStage.REJECTED.value,
})
_STATUS: dict[NodeKind, tuple[str, type[Term]]] = {
    NodeKind.SERVICE: ("status", ServiceStatus),
    NodeKind.GRANT: ("status", GrantStatus),
    NodeKind.PROJECT: ("stage", ProjectStage),
}


def status(n: LineageNode) -> str | None:
    prop, _ = _STATUS.get(n.kind, ("", Term))
    value = n.node.get(prop) if prop else None
    return str(value) if value else None


def status_zh(n: LineageNode) -> str | None:
    code = status(n)
    _, term = _STATUS.get(n.kind, ("", Term))
    return term(code).label_zh if code is not None and code in term.__members__ else None


def clip(text: str, width: float, size: float = 12) -> str:
    """`text` cut to about `width` pixels at font `size` (CJK full width, Latin about half)."""
    used = 0.0
    for i, ch in enumerate(text):
        used += size if ord(ch) > 0x2E7F else size * 0.56
        if used > width:
            return text[: max(i - 1, 0)] + "…"
    return text


def describe(n: LineageNode) -> str:
    """The hover text of a node."""
    lines = [f"{KIND_ZH[n.kind]}：{n.title}", f"编码：{n.node.key}"]
    if n.group:
        lines.append(f"所属机构：{n.group.name}")
    sharing = n.node.get("sharingType")
    if sharing in SharingType.__members__:
        lines.append(f"共享类型：{SharingType(sharing).label_zh}")
    if status_zh(n):
        lines.append(f"状态：{status_zh(n)}")
    where = "根节点" if n.side is Side.ROOT else f"{'上游' if n.side is Side.UPSTREAM else '下游'} {n.hop} 跳"
    lines.append(f"位置：{where}")
    if n.has_more:
        lines.append("还有未展开的相邻节点")
    return "\n".join(lines)


def render_svg(lineage: Lineage, collapse: int | None = None) -> str:
    layout = lay_out(lineage, collapse)
    width, height = layout.width, layout.height + LEGEND_H
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family={quoteattr(FONT)} font-size="12">',
        "<defs><marker id=\"arrow\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerWidth=\"7\" "
        "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"#8a96a3\"/>"
        "</marker></defs>",
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
    ]
    out += _title(lineage, layout)
    out += _lanes(layout, width)
    out += _columns(layout)
    out += _edges(lineage, layout)
    out += [_node(box, lineage) for box in layout.boxes.values()]
    out += _legend(layout.height, width)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _title(lineage: Lineage, layout: Layout) -> list[str]:
    root = lineage.root
    cut = []
    if lineage.truncated_by_depth:
        cut.append("按层数截断")
    if lineage.truncated_by_size:
        cut.append(f"按节点上限 {lineage.limit} 截断")
    folded = f"，折叠 {layout.hidden} 个" if layout.hidden else ""
    summary = (
        f"{FLOW_ZH[lineage.flow]} {lineage.depth} 层 · 节点 {len(lineage.nodes)} 个{folded} · "
        f"关系 {len(lineage.edges)} 条 · 机构 {len(layout.lanes)} 个"
        + (f" · {'、'.join(cut)}" if cut else "")
    )
    return [
        f'<text x="{MARGIN}" y="{MARGIN + 20}" font-size="18" font-weight="600" fill="#1f2933">'
        f"数据血缘：{escape(root.title)}（{KIND_ZH[root.kind]} {escape(root.node.key)}）</text>",
        f'<text x="{MARGIN}" y="{MARGIN + 42}" fill="#52606d">{escape(summary)}</text>',
    ]


def _lanes(layout: Layout, width: float) -> list[str]:
    out = []
    for i, lane in enumerate(layout.lanes):
        fill = "#f6f8fb" if i % 2 == 0 else "#ffffff"
        out.append(f'<rect x="{MARGIN}" y="{lane.y:.1f}" width="{width - 2 * MARGIN:.0f}" '
                   f'height="{lane.height:.1f}" fill="{fill}"/>')
        out.append(f'<line x1="{MARGIN}" x2="{width - MARGIN:.0f}" y1="{lane.y:.1f}" y2="{lane.y:.1f}" '
                   'stroke="#e3e8ef"/>')
        if lane.head is None:  # the agency is not in the lineage: its name only
            out.append(f'<text x="{MARGIN + 10}" y="{lane.y + 25:.1f}" font-weight="600" fill="#52606d">'
                       f"<title>{escape(lane.name)}</title>{escape(clip(lane.name, LABEL_W - 24))}</text>")
    return out


def _columns(layout: Layout) -> list[str]:
    out = []
    y = MARGIN + TITLE_H + HEADER_H - 9
    for c, x in layout.columns.items():
        label = "根节点" if c == 0 else f"{'上游' if c < 0 else '下游'} {abs(c)} 跳"
        out.append(f'<text x="{x + NODE_W / 2:.1f}" y="{y}" text-anchor="middle" fill="#7b8794" '
                   f'font-size="12">{label}</text>')
        if c != 0:
            arrow_x = x - (COL_W - NODE_W) / 2
            out.append(f'<text x="{arrow_x:.1f}" y="{y}" text-anchor="middle" fill="#b0bac5">→</text>')
    return out


def _edges(lineage: Lineage, layout: Layout) -> list[str]:
    out = ['<g fill="none" stroke="#8a96a3" stroke-opacity="0.55" stroke-width="1.2">']
    for e in lineage.edges:
        up, down = layout.boxes.get(e.upstream.id), layout.boxes.get(e.downstream.id)
        if up is None or down is None or implicit(layout, up, down):
            continue
        out.append(f'<path d="{edge_path(up, down)}" marker-end="url(#arrow)">'
                   f"<title>{REL_ZH.get(e.edge.type, e.edge.type.value)}</title></path>")
    out.append("</g>")
    return out


def implicit(layout: Layout, up: Box, down: Box) -> bool:
    """An edge between an agency heading a lane and a node in that lane: the lane says it."""
    return (up.lane_head and layout.lane_of(down) == up.node.node.key) or (
        down.lane_head and layout.lane_of(up) == down.node.node.key
    )


def edge_path(up: Box, down: Box) -> str:
    """An elbow from the right of the upstream node to the left of the downstream one: out
    along a short trunk, down or up, then in (so that what one node feeds reads as one
    branch); a curve from right side to right side when the downstream node is not further
    right."""
    x1, y1 = up.x + up.width, up.y + NODE_H / 2
    if down.x > up.x + up.width / 2:
        x2, y2 = down.x - 2, down.y + NODE_H / 2
        xm = x1 + 12 + (int(up.y // ROW_H) % 4) * 5
        if abs(y2 - y1) < 1:
            return f"M{x1:.1f},{y1:.1f} H{x2:.1f}"
        r = min(6.0, abs(y2 - y1) / 2)
        s = 1 if y2 > y1 else -1
        return (f"M{x1:.1f},{y1:.1f} H{xm - r:.1f} Q{xm:.1f},{y1:.1f} {xm:.1f},{y1 + s * r:.1f} "
                f"V{y2 - s * r:.1f} Q{xm:.1f},{y2:.1f} {xm + r:.1f},{y2:.1f} H{x2:.1f}")
    x2, y2 = down.x + down.width + 2, down.y + NODE_H / 2
    reach = min(24 + abs(y2 - y1) / 10, 44)
    return f"M{x1:.1f},{y1:.1f} C{x1 + reach:.1f},{y1:.1f} {x2 + reach:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"


def _node(box: Box, lineage: Lineage) -> str:
    n = box.node
    stripe, fill = KIND_COLOURS.get(n.kind, ("#6b7280", "#eceef1"))
    border = SHARING_COLOURS.get(str(n.node.get("sharingType")), stripe)
    inactive = status(n) in INACTIVE
    root = n.side is Side.ROOT
    dash = ' stroke-dasharray="4 3"' if inactive else ""
    badge = f"+{box.hidden}" if box.hidden else ("▸" if n.has_more else "")
    width = box.width
    text_w = width - 22 - (len(badge) * 8 + 6 if badge else 0)
    parts = [
        f'<g class="node" data-id={quoteattr(n.node.ref.id)} data-kind="{n.kind.value}" '
        f'transform="translate({box.x:.1f},{box.y:.1f})"' + (' opacity="0.6"' if inactive else "") + ">",
        f"<title>{escape(describe(n))}</title>",
        f'<rect width="{width:.0f}" height="{NODE_H}" rx="5" fill="{fill}" stroke="{border}" '
        f'stroke-width="{2.6 if root else 1.4}"{dash}/>',
        f'<rect x="1" y="1" width="6" height="{NODE_H - 2}" rx="3" fill="{stripe}"/>',
        f'<text x="14" y="{NODE_H / 2 + 4.5:.1f}" fill="#1f2933"'
        + (' font-weight="700"' if root else "") + f">{escape(clip(n.title, text_w))}</text>",
    ]
    if badge:
        parts.append(f'<text x="{width - 8:.0f}" y="{NODE_H / 2 + 4.5:.1f}" text-anchor="end" '
                     f'font-weight="600" fill="{stripe}">{escape(badge)}</text>')
    parts.append("</g>")
    return "".join(parts)


def _legend(top: float, width: float) -> list[str]:
    y = top + 22
    out = [f'<line x1="{MARGIN}" x2="{width - MARGIN:.0f}" y1="{top + 6:.1f}" y2="{top + 6:.1f}" stroke="#e3e8ef"/>',
           f'<text x="{MARGIN}" y="{y + 4:.1f}" font-weight="600" fill="#3e4c59">图例</text>']
    x = MARGIN + 44.0
    for kind in (NodeKind.AGENCY, NodeKind.RESOURCE, NodeKind.SERVICE, NodeKind.GRANT, NodeKind.SCENARIO,
                 NodeKind.PROJECT, NodeKind.FIELD, NodeKind.SUPPLY_LIST, NodeKind.DEMAND):
        stripe, fill = KIND_COLOURS[kind]
        out.append(f'<rect x="{x:.1f}" y="{y - 8:.1f}" width="16" height="14" rx="3" fill="{fill}" '
                   f'stroke="{stripe}"/><rect x="{x + 1:.1f}" y="{y - 7:.1f}" width="4" height="12" rx="2" '
                   f'fill="{stripe}"/><text x="{x + 22:.1f}" y="{y + 4:.1f}" fill="#3e4c59">{KIND_ZH[kind]}</text>')
        x += 32 + 12 * len(KIND_ZH[kind])
    y += 26
    x = MARGIN + 44.0
    for sharing, colour in SHARING_COLOURS.items():
        label = f"边框：{SharingType(sharing).label_zh}"
        out.append(f'<rect x="{x:.1f}" y="{y - 8:.1f}" width="16" height="14" rx="3" fill="#ffffff" '
                   f'stroke="{colour}" stroke-width="2"/><text x="{x + 22:.1f}" y="{y + 4:.1f}" '
                   f'fill="#3e4c59">{label}</text>')
        x += 36 + 12 * len(label)
    out.append(f'<rect x="{x:.1f}" y="{y - 8:.1f}" width="16" height="14" rx="3" fill="#ffffff" stroke="#8a96a3" '
               f'stroke-dasharray="4 3" opacity="0.6"/><text x="{x + 22:.1f}" y="{y + 4:.1f}" fill="#3e4c59">'
               "虚线：已下线、已暂停、已终止或已过期</text>")
    y += 26
    out.append(f'<text x="{MARGIN + 44}" y="{y + 4:.1f}" fill="#52606d">'
               "每一横栏为一个机构（提供方或使用方）；数据自左（上游）向右（下游）流动；"
               "“+N”为折叠的下游节点数，“▸”表示还有未展开的相邻节点。</text>")
    return out
