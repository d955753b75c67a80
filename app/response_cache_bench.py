"""Repeated browse pages with and without the response cache, in process (响应缓存测速).

`measure_browse(settings)` serves the same browse page (50 resources with their provider,
fields and services) over HTTP to an in-process app (httpx's ASGI transport, one request at a
time) for a few seconds with the cache off, then on, and returns requests per second of
each, their ratio and whether the cached answer equals the uncached one byte for byte.
`scripts/response-cache-bench` runs it on the demo catalog in a temporary embedded store, or
on the configured backends (`--configured`, which must hold a catalog already).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from app.config import Settings
from app.response_cache import HEADER
from app.web import create_app

BROWSE_PAGE = """query BrowsePage { resources(first: 50) { totalCount
  pageInfo { hasNextPage endCursor }
  edges { node { code name sharingType updateCycle provider { code name level }
    fields { name dataType length } services { code kind status } } } } }"""


@dataclass(frozen=True, slots=True)
class BrowseCacheMeasurement:
    """Requests per second of one browse page, uncached and cached (same process, same run)."""

    uncached_rps: float
    cached_rps: float
    uncached_requests: int
    cached_requests: int
    resources_on_page: int
    identical: bool  # the cached body equals the uncached one
    cached_hits: int  # requests the cache answered during the cached run

    @property
    def ratio(self) -> float:
        return self.cached_rps / self.uncached_rps if self.uncached_rps else float("inf")

    def as_dict(self) -> dict[str, float | int | bool]:
        return {**asdict(self), "ratio": round(self.ratio, 1)}


@contextmanager
def _cache_setting(enabled: bool) -> Iterator[None]:
    """The cache reads its settings when the app is created: set them for that moment."""
    name = "CATALOG_RESPONSE_CACHE"
    before = os.environ.get(name)
    os.environ[name] = "1" if enabled else "0"
    try:
        yield
    finally:
        if before is None:
            del os.environ[name]
        else:
            os.environ[name] = before


async def _rate(settings: Settings, enabled: bool, seconds: float, query: str
                ) -> tuple[float, int, bytes, int]:
    with _cache_setting(enabled):
        app = create_app(settings)
    payload = {"query": query}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 1))
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
            first = await c.post("/graphql", json=payload)
            first.raise_for_status()
            for _ in range(3):  # warm up (and fill the cache)
                await c.post("/graphql", json=payload)
            count = hits = 0
            began = time.perf_counter()
            while (elapsed := time.perf_counter() - began) < seconds:
                response = await c.post("/graphql", json=payload)
                hits += response.headers.get(HEADER) == "hit"
                count += 1
    return count / elapsed, count, first.content, hits


async def measure_browse(settings: Settings, seconds: float = 3.0, query: str = BROWSE_PAGE
                         ) -> BrowseCacheMeasurement:
    """Uncached, then cached requests/s of `query` over the catalog `settings` name."""
    slow, slow_n, slow_body, _ = await _rate(settings, False, seconds, query)
    fast, fast_n, _, hits = await _rate(settings, True, seconds, query)
    _, _, cached_body, _ = await _rate(settings, True, 0.0, query)
    page = json.loads(slow_body)["data"]["resources"]["edges"]
    return BrowseCacheMeasurement(
        uncached_rps=round(slow, 1), cached_rps=round(fast, 1), uncached_requests=slow_n,
        cached_requests=fast_n, resources_on_page=len(page), identical=cached_body == slow_body,
        cached_hits=hits,
    )


async def _demo_catalog(data_dir: Path) -> Settings:
    from app.backends import open_backends
    from interchange.demo import build_demo_catalog
    from interchange.load import load_document
    from interchange.origins import Origins

    settings = Settings(data_dir=data_dir)
    async with open_backends(settings) as b:
        await load_document(build_demo_catalog(), Origins(), "demo", b.writer)
    return settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="browse page: response cache on vs off")
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds per measurement")
    parser.add_argument("--configured", action="store_true",
                        help="use the configured backends (CATALOG_*), which must hold a catalog")
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args(argv)

    async def run() -> BrowseCacheMeasurement:
        if args.configured:
            return await measure_browse(Settings.from_env(), args.seconds)
        with tempfile.TemporaryDirectory(prefix="catalog-cache-bench-") as tmp:
            return await measure_browse(await _demo_catalog(Path(tmp)), args.seconds)

    m = asyncio.run(run())
    if args.json:
        print(json.dumps(m.as_dict()))
        return 0
    print(f"| browse page ({m.resources_on_page} resources) | requests/s |")
    print("|---|---|")
    print(f"| uncached | {m.uncached_rps:.1f} |")
    print(f"| cached | {m.cached_rps:.1f} |")
    print(f"| ratio | {m.ratio:.1f}× |")
    print(f"identical answers: {m.identical}; cache hits {m.cached_hits}/{m.cached_requests}")
    return 0
