"""The GraphQL view's response cache step (GraphQL 响应缓存环节), see `app.response_cache`.

Per request: decide (cache or pass by), answer a hit with the stored bytes without executing,
or execute a miss with a recording store, index and clock and keep the encoded answer when
it is fit. The `X-Catalog-Cache` header says which of hit, miss or bypass happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from cross_web import AsyncHTTPRequestAdapter
from starlette.requests import Request
from starlette.responses import Response
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.types import ExecutionResult
from strawberry.types.execution import SubscriptionExecutionResult

from app.read_recorder import ReadRecord, RecordingClock, RecordingIndex, RecordingStore
from app.response_cache import CACHEABLE_ERRORS, HEADER, ResponseCache
from loaders.registry import Loaders
from resolvers.context import CatalogContext
from sharing.clock import CLOCK_READS

_PENDING = "catalog_response_cache"  # request.state attribute of a miss being recorded


@dataclass
class _CachedResult(ExecutionResult):
    """An answer served from the cache: its encoded body, nothing to execute."""

    body: bytes = b""


class _EncodedBody(dict[str, Any]):
    """A response already encoded (a hit, or a miss encoded once to be kept)."""

    def __init__(self, body: bytes) -> None:
        super().__init__()
        self.body = body


@dataclass(slots=True)
class _Miss:
    key: str
    stamp: int
    record: ReadRecord
    headers_before: int
    sub_response: Response


class CachingGraphQL(GraphQL[CatalogContext, None]):
    """strawberry's ASGI view with the response cache in front of execution."""

    response_cache: ResponseCache

    async def execute_operation(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        request_data: GraphQLRequestData | list[GraphQLRequestData],
        context: CatalogContext,
        root_value: None,
        sub_response: Response,
    ) -> ExecutionResult | list[ExecutionResult] | SubscriptionExecutionResult:
        if isinstance(request_data, list):
            self.response_cache.bypass("batch")
            sub_response.headers[HEADER] = "bypass"
        return await super().execute_operation(
            request, request_adapter, request_data, context, root_value, sub_response
        )

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: CatalogContext,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        cache = self.response_cache
        if HEADER in sub_response.headers:  # part of a batch
            return await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
        plan = cache.plan(
            request_data.query, request_data.operation_name, request_data.variables,
            context.actor, request.headers.get("authorization"),
        )
        if plan.key is None:
            sub_response.headers[HEADER] = "bypass"
            return await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
        body = await cache.lookup(plan.key, context.store)
        if body is not None:
            sub_response.headers[HEADER] = "hit"
            return _CachedResult(data=None, errors=None, body=body)
        sub_response.headers[HEADER] = "miss"
        miss = _Miss(plan.key, cache.stamp, ReadRecord(), len(sub_response.headers.raw),
                     sub_response)
        _record(context, miss.record)
        setattr(request.state, _PENDING, miss)
        wall_clock = CLOCK_READS.set(lambda: miss.record.refuse("the answer depends on the clock"))
        try:
            return await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
        finally:
            CLOCK_READS.reset(wall_clock)

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        if isinstance(result, _CachedResult):
            return cast(GraphQLHTTPResponse, _EncodedBody(result.body))
        processed = await super().process_result(request, result)
        miss: _Miss | None = getattr(request.state, _PENDING, None)
        if miss is None:
            return processed
        setattr(request.state, _PENDING, None)
        if _unfit(processed, miss):
            self.response_cache.refuse()
            return processed
        encoded = self.encode_json(processed)
        body = encoded.encode() if isinstance(encoded, str) else encoded
        self.response_cache.store(miss.key, body, miss.record.tokens, miss.stamp)
        return cast(GraphQLHTTPResponse, _EncodedBody(body))

    def encode_json(self, data: object) -> str | bytes:
        if isinstance(data, _EncodedBody):
            return data.body
        return super().encode_json(data)


def _record(context: CatalogContext, record: ReadRecord) -> None:
    """Route the request's reads through recorders (its loaders included)."""
    context.store = RecordingStore(context.store, record)
    context.index = RecordingIndex(context.index, record)
    context.clock = RecordingClock(context.clock, record)
    context.loaders = Loaders(context.store)


def _unfit(processed: GraphQLHTTPResponse, miss: _Miss) -> bool:
    """Whether an answer must not be kept: see `app.response_cache` for the rule."""
    if miss.record.uncacheable is not None:
        return True
    if miss.sub_response.status_code is not None:
        return True
    if len(miss.sub_response.headers.raw) != miss.headers_before:
        return True  # a resolver set a header or cookie of its own
    for error in processed.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        if code not in CACHEABLE_ERRORS:
            return True
    return "data" not in processed
