"""Note reads of conditional data details for the audit trail (有条件数据明细读取登记).

Every `Field` object a signed-in request makes notes itself as read (`saw_field`, from the
type's `__post_init__`), so no path to a field escapes — its global id alone names it —
and nothing is written then. The request's reads are found through a context variable the
`RecordDetailReads` schema extension sets around the operation (resolvers and the loader
tasks they start inherit it). Once the request has run, the extension loads the fields'
resources (batched), keeps the reads `sharing/detail_reads.py` says to record, and writes one
entry per resource.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextvars import ContextVar

from strawberry.extensions import SchemaExtension

from graph.model import ChangeSet, Label, Node, NodeRef
from resolvers.context import CatalogContext
from schema.errors import CatalogError, ErrorCode
from sharing.detail_reads import DetailReads, is_audited_reader, is_conditional

log = logging.getLogger(__name__)


# The reads of the operation running in this context; None for anonymous callers (not recorded).
_READS: ContextVar[DetailReads | None] = ContextVar("conditional_detail_reads", default=None)


def saw_field(field: Node) -> None:
    """This request made `field` part of its answer (cheap: decided and written at the end)."""
    reads = _READS.get()
    if reads is not None:
        reads.saw(field)


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
        ctx = self.execution_context.context
        noting = isinstance(ctx, CatalogContext) and not ctx.actor.is_anonymous
        token = _READS.set(ctx.reads if noting else None)
        try:
            yield
        finally:
            _READS.reset(token)
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
