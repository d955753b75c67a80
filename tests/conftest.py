from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from app.backends import Backends, open_backends
from app.config import Settings
from app.web import create_app
from interchange.demo import build_demo_catalog
from interchange.load import load_document
from interchange.origins import Origins
from interchange.records import CatalogDocument
from search.synonyms import SYNONYMS_PATH
from sharing.clock import Clock
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


async def _loaded_settings(
    backend_case: BackendCase, tmp_path: Path, document: CatalogDocument, name: str
) -> AsyncIterator[Settings]:
    """Settings of backends holding a catalog, with a private copy of the synonym file (the
    administrator mutation writes it; tests never touch the bundled file)."""
    synonyms = tmp_path / "synonyms.tsv"
    shutil.copyfile(SYNONYMS_PATH, synonyms)
    settings = replace(backend_case.settings(tmp_path, uuid.uuid4().hex[:8]), synonyms_path=synonyms)
    async with open_backends(settings) as b:
        await b.store.clear()
        await b.index.clear()
        await load_document(document, Origins(), name, b.writer)
    yield settings
    async with open_backends(settings) as b:
        await b.store.clear()
        await _drop(b)


@pytest.fixture
async def sample_settings(backend_case: BackendCase, tmp_path: Path) -> AsyncIterator[Settings]:
    """Settings of backends holding the sample catalog."""
    async for settings in _loaded_settings(backend_case, tmp_path, sample_document(), "sample"):
        yield settings


@pytest.fixture
async def demo_settings(backend_case: BackendCase, tmp_path: Path) -> AsyncIterator[Settings]:
    """Settings of backends holding the demo catalog (interchange.demo, seed 2026)."""
    async for settings in _loaded_settings(backend_case, tmp_path, build_demo_catalog(), "demo"):
        yield settings


async def _drop(b: Backends) -> None:
    """Empty the index; a server index is removed whole so tests leave nothing behind."""
    drop = getattr(b.index, "drop", None)
    if drop is not None:
        await drop()
    else:
        await b.index.clear()


async def _client(
    settings: Settings, peer: tuple[str, int] = ("127.0.0.1", 123), clock: Clock | None = None
) -> AsyncIterator[Api]:
    """An API client of an app on `settings`; `clock` fixes the workflow time."""
    app = create_app(settings, clock=clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=peer)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            yield Api(client)


@pytest.fixture
async def api(sample_settings: Settings) -> AsyncIterator[Api]:
    async for client in _client(sample_settings):
        yield client


@pytest.fixture
async def demo_api(demo_settings: Settings) -> AsyncIterator[Api]:
    async for client in _client(demo_settings):
        yield client
