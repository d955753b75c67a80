"""GraphQL over real HTTP (HTTP 负载): one request at a time, or a fixed concurrency for a while."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import httpx


class GraphQLError(RuntimeError):
    pass


async def post(client: httpx.AsyncClient, url: str, query: str, variables: dict[str, Any] | None = None
               ) -> dict[str, Any]:
    response = await client.post(url, json={"query": query, "variables": variables or {}})
    body: dict[str, Any] = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise GraphQLError(f"{url}: HTTP {response.status_code}: {str(body.get('errors'))[:500]}")
    data: dict[str, Any] = body["data"]
    return data


async def throughput(
    url: str,
    query: str,
    variables: dict[str, Any],
    *,
    concurrency: int,
    seconds: float,
    on_tick: Callable[[], None] | None = None,
) -> float:
    """Completed requests per second with `concurrency` clients for `seconds` (after a warm-up)."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        for _ in range(concurrency):
            await post(client, url, query, variables)
        done = 0
        stop_at = time.perf_counter() + seconds

        async def loop() -> None:
            nonlocal done
            while time.perf_counter() < stop_at:
                await post(client, url, query, variables)
                done += 1

        async def ticks() -> None:
            while time.perf_counter() < stop_at:
                if on_tick:
                    on_tick()
                await asyncio.sleep(0.5)

        start = time.perf_counter()
        await asyncio.gather(ticks(), *(loop() for _ in range(concurrency)))
        return done / (time.perf_counter() - start)
