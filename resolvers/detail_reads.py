"""Note reads of conditional data details for the audit trail (有条件数据明细读取登记).

The `Field` type notes each field whose details a signed-in request resolves (`saw_field`), so
no path to a field escapes; nothing is written then. Once the request has run, the
`RecordDetailReads` schema extension loads the fields' resources (batched), keeps the reads
`sharing/detail_reads.py` says to record, and writes one entry per resource.
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


def saw_field(info: Info, field: Node) -> None:
    """This request resolved details of `field` (cheap: decided and written at the end)."""
    ctx = info.context
    if not ctx.actor.is_anonymous:
        ctx.reads.saw(field)


async def note_fields(ctx: CatalogContext, fields: Sequence[Node]) -> None:
    """Keep, of the fields read, those whose reading is recorded, by resource."""
    if ctx.actor.is_anonymous or not fields:
        return
    by_resource: dict[str, list[Node]] = {}
    for f in fields:
        by_resource.setdefault(str(f.get("resourceCode")), []).append(f)
    loaded = await ctx.loaders.nodes(Label.RESOURCE).load_many(list(by_resource))
    for r in (r for r in loaded if r is not None):
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
        try:
            await note_fields(ctx, ctx.reads.take_seen())
            if not ctx.reads:
                return
            entries = ctx.reads.entries(ctx.actor, ctx.clock.now(), self.execution_context.operation_name)
            await ctx.writer.apply(ChangeSet(upserts=entries))
        except Exception:
            # No record, no data (R11): the answer is withheld rather than given unaudited.
            log.exception("could not record the conditional detail reads of a request")
            result = self.execution_context.result
            if result is not None:
                result.data = None
                result.errors = [CatalogError(
                    ErrorCode.INTERNAL_ERROR, "审计记录无法写入，本次查询结果未返回",
                    "the audit trail could not be written, so the answer is withheld",
                )]
