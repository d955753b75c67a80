"""Note reads of conditional data details for the audit trail (有条件数据明细读取登记).

Resolvers that return a field list call `note_fields`; nothing is written here. The
`RecordDetailReads` schema extension writes one entry per resource once the request has run.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence

from strawberry.extensions import SchemaExtension

from graph.model import ChangeSet, Label, Node, NodeRef
from resolvers.context import CatalogContext, Info
from schema.errors import CatalogError, ErrorCode
from sharing.detail_reads import is_audited_reader, is_conditional

log = logging.getLogger(__name__)


async def note_fields(info: Info, fields: Sequence[Node], resource: Node | None = None) -> None:
    """Record that this request read `fields` (of `resource`, when they share one)."""
    ctx = info.context
    if ctx.actor.is_anonymous or not fields:
        return
    by_resource: dict[str, list[Node]] = {}
    for f in fields:
        by_resource.setdefault(str(f.get("resourceCode")), []).append(f)
    if resource is not None and set(by_resource) <= {resource.key}:
        resources = [resource]
    else:
        loaded = await ctx.loaders.nodes(Label.RESOURCE).load_many(list(by_resource))
        resources = [r for r in loaded if r is not None]
    for r in resources:
        read = by_resource.get(r.key, [])
        if is_audited_reader(ctx.actor, r.get("providerCode")) and is_conditional(r, read):
            ctx.reads.note(NodeRef(Label.RESOURCE, r.key), [str(f.get("name")) for f in read])


class RecordDetailReads(SchemaExtension):
    """After each operation, write the audit entries of the conditional details it read."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        ctx = self.execution_context.context
        if not isinstance(ctx, CatalogContext) or not ctx.reads:
            return
        entries = ctx.reads.entries(ctx.actor, ctx.clock.now(), self.execution_context.operation_name)
        try:
            await ctx.writer.apply(ChangeSet(upserts=entries))
        except Exception:
            # No record, no data (R11): the answer is withheld rather than given unaudited.
            log.exception("could not record %d conditional detail read(s)", len(entries))
            result = self.execution_context.result
            if result is not None:
                result.data = None
                result.errors = [CatalogError(
                    ErrorCode.INTERNAL_ERROR, "审计记录无法写入，本次查询结果未返回",
                    "the audit trail could not be written, so the answer is withheld",
                )]
