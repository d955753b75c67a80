"""Who a request acts as (请求认证): its `Authorization: Bearer <token>` header.

No header: anonymous. A header that is not a valid, unrevoked bearer token: HTTP 401 with a
typed UNAUTHENTICATED error (never a silent downgrade to anonymous, so a client with an
expired token learns it at once). Used by the GraphQL endpoint, the lineage pictures and the
project report alike.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.responses import JSONResponse

from graph.store import GraphStore
from schema.errors import ErrorCode
from sharing.identity import ANONYMOUS, Actor
from sharing.tokens import authenticate


class Unauthenticated(Exception):
    """The request names a bearer token that stands for no one (HTTP 401)."""


async def request_actor(store: GraphStore, headers: Headers) -> Actor:
    authorization = headers.get("authorization")
    if authorization is None:
        return ANONYMOUS
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated
    actor = await authenticate(store, token.strip())
    if actor is None:
        raise Unauthenticated
    return actor


def unauthenticated_response() -> JSONResponse:
    zh = "身份令牌无效或已吊销；请使用 Authorization: Bearer <令牌>，或不带该请求头匿名访问"
    en = (
        "the bearer token is invalid or has been revoked; send Authorization: Bearer <token>, "
        "or no Authorization header to call anonymously"
    )
    body = {
        "data": None,
        "errors": [
            {
                "message": f"{zh} / {en}",
                "extensions": {
                    "code": ErrorCode.UNAUTHENTICATED.value, "messageZh": zh, "messageEn": en,
                },
            }
        ],
    }
    return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": "Bearer"})
