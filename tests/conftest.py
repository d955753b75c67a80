from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from app.backends import Backends, open_backends
from app.config import Settings
from app.web import create_app
from interchange.load import load_document
from interchange.origins import Origins
from tests.api import Api
from tests.backends import BackendCase, cases
from tests.sample_catalog import sample_document

CASES = cases()


@pytest.fixture(params=CASES, ids=[c.name for c in CASES])
def backend_case(request: pytest.FixtureRequest) -> BackendCase:
    case: BackendCase = request.param
    return case


@pytest.fixture
async def backends(backend_case: BackendCase, tmp_path: Path) -> AsyncIterator[Backends]:
    """Fresh, empty backends of one kind (servers are cleared before and after)."""
    settings = backend_case.settings(tmp_path, uuid.uuid4().hex[:8])
    async with open_backends(settings) as b:
        await b.store.clear()
        await b.index.clear()
        try:
            yield b
        finally:
            await b.store.clear()
            await _drop(b)


@pytest.fixture
async def sample_settings(backend_case: BackendCase, tmp_path: Path) -> AsyncIterator[Settings]:
    """Settings of backends holding the sample catalog."""
    settings = backend_case.settings(tmp_path, uuid.uuid4().hex[:8])
    async with open_backends(settings) as b:
        await b.store.clear()
        await b.index.clear()
        await load_document(sample_document(), Origins(), "sample", b.writer)
    yield settings
    async with open_backends(settings) as b:
        await b.store.clear()
        await _drop(b)


async def _drop(b: Backends) -> None:
    """Empty the index; a server index is removed whole so tests leave nothing behind."""
    drop = getattr(b.index, "drop", None)
    if drop is not None:
        await drop()
    else:
        await b.index.clear()


@pytest.fixture
async def api(sample_settings: Settings) -> AsyncIterator[Api]:
    app = create_app(sample_settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            yield Api(client)
