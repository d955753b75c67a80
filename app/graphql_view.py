"""The GraphQL endpoint: strawberry's ASGI view with our context, page and error shape."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.exceptions import StrawberryGraphQLError

from app.authentication import Unauthenticated, request_actor, unauthenticated_response
from app.backends import Backends
from app.cached_graphql import CachingGraphQL
from app.response_cache import ResponseCache
from loaders.registry import Loaders
from resolvers.context import CatalogContext
from schema.errors import ErrorCode


class CatalogGraphQL(CachingGraphQL):
    def __init__(
        self, schema: Any, backends: Callable[[], Backends], ide_html: Callable[[], str]
    ) -> None:
        # Multipart requests (the GraphQL multipart request spec) carry commitment-letter files.
        # A cross-site form could post one, but no browser adds the bearer token such a mutation
        # needs (the API uses no cookies), so uploads cannot be forged on a user's behalf.
        super().__init__(schema, graphql_ide="graphiql", multipart_uploads_enabled=True)
        self._backends = backends
        self._ide_html = ide_html
        self.response_cache = ResponseCache()  # app.response_cache; settings from the environment

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> CatalogContext:
        b = self._backends()
        actor = await request_actor(b.store, request.headers)
        return CatalogContext(
            store=b.store, index=b.index, writer=b.writer, loaders=Loaders(b.store),
            request=request, response=response, synonyms=b.synonyms, clock=b.clock,
            actor=actor,
        )

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(self._ide_html())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        try:
            response = await self.run(request)
        except Unauthenticated:
            response = unauthenticated_response()
        except HTTPException as e:
            response = _bad_request(e.status_code, e.reason)
        except StrawberryGraphQLError as e:
            response = _bad_request(400, e.message)
        await response(scope, receive, send)


def _bad_request(status: int, reason: str) -> JSONResponse:
    """Transport-level problems (no query, bad JSON, wrong method) as a coded error body."""
    zh = "请求无法解析为 GraphQL 查询"
    code = ErrorCode.GRAPHQL_PARSE_FAILED.value
    body = {
        "data": None,
        "errors": [
            {
                "message": f"{zh} / {reason}",
                "extensions": {"code": code, "messageZh": zh, "messageEn": reason},
            }
        ],
    }
    return JSONResponse(json.loads(json.dumps(body)), status_code=status)
