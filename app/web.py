"""The Starlette application (网站应用): GraphQL with GraphiQL, static assets, health."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from app.backends import Backends, open_backends
from app.config import Settings
from app.graphiql import graphiql_page, load_examples
from app.graphql_view import CatalogGraphQL
from app.lineage_view import lineage_routes
from app.report_view import report_routes
from graph.model import Label
from schema.build import build_schema
from sharing.clock import Clock

STATIC_DIR = Path(__file__).parent / "static"


@cache
def _ide_html() -> str:
    return graphiql_page("/graphql", load_examples())


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> Starlette:
    """The application; `clock` fixes workflow time (tests), else the system clock."""
    settings = settings or Settings.from_env()
    opened: list[Backends] = []

    def backends() -> Backends:
        if not opened:
            raise RuntimeError("backends are not open (lifespan not started)")
        return opened[0]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with open_backends(settings) as b:
            await b.writer.catch_up()
            if clock is not None:
                b.clock = clock
            opened.append(b)
            try:
                yield
            finally:
                opened.clear()

    async def health(request: Request) -> JSONResponse:
        b = backends()
        pending = await b.writer.pending()
        try:
            documents: int | None = await b.index.count()
        except Exception:
            documents = None
        return JSONResponse(
            {
                "status": "ok" if documents is not None and not pending else "degraded",
                "backends": settings.describe(),
                "resources": await b.store.count_nodes(Label.RESOURCE),
                "searchDocuments": documents,
                "searchPending": pending,
                "responseCache": view.response_cache.describe(),
            }
        )

    async def root(request: Request) -> Response:
        return RedirectResponse("/graphql")

    view = CatalogGraphQL(build_schema(), backends, _ide_html)
    return Starlette(
        routes=[
            Route("/", root),
            Route("/graphql", view, methods=["GET", "POST"]),
            Route("/healthz", health),
            *lineage_routes(backends),
            *report_routes(backends),
            Mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static"),
        ],
        lifespan=lifespan,
    )
