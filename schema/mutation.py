"""The root mutation type (变更入口).

Mutations answer in one shape (as Saleor does): a payload with the result and `errors`, each
with a stable `code`, the input `field` at fault and a bilingual message. An error means
nothing was written.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers import demand as demand_resolver
from resolvers import synonyms as synonyms_resolver
from resolvers.context import Info
from schema.demand import FileDemandInput, FileDemandPayload
from schema.synonyms import UpdateSynonymsInput, UpdateSynonymsPayload


@strawberry.type(description="目录变更 / Catalog mutations.")
class Mutation:
    @strawberry.mutation(
        description=(
            "将目录中暂无的信息项登记为需求（每个可能提供方一条，3 个工作日内答复，R9）/ File the items "
            "the catalog has no entry for as demand-list entries, one per likely provider, due in 3 "
            "working days (R9). All or nothing."
        )
    )
    async def file_demand(
        self,
        info: Info,
        input: Annotated[FileDemandInput, strawberry.argument(description="需求 / The demand to file.")],
    ) -> FileDemandPayload:
        return await demand_resolver.file_demand_mutation(info, input)

    @strawberry.mutation(
        description=(
            "维护同义词词典并立即生效（管理员；暂仅限本机 127.0.0.1）/ Edit the synonym dictionary, "
            "effective at once (administrators; for now only from 127.0.0.1)."
        )
    )
    async def update_synonyms(
        self,
        info: Info,
        input: Annotated[UpdateSynonymsInput, strawberry.argument(description="修改内容 / The edit.")],
    ) -> UpdateSynonymsPayload:
        return await synonyms_resolver.update_synonyms(info, input)
