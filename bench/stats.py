"""Percentiles, latency summaries and ratios of the benchmark table (统计)."""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass


def percentile(samples: Sequence[float], p: float) -> float:
    """The p-th percentile (0–100) with linear interpolation between closest ranks."""
    if not samples:
        raise ValueError("no samples")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile {p} outside 0..100")
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator, or None when either is missing or the denominator is zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


@dataclass(frozen=True, slots=True)
class Latency:
    """Milliseconds of repeated calls."""

    samples: int
    p50: float
    p95: float

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Latency:
        ms = [s * 1000 for s in seconds]
        return cls(len(ms), percentile(ms, 50), percentile(ms, 95))


async def timed(calls: Sequence[Callable[[], Awaitable[object]]], rounds: int, warmup: int = 1) -> Latency:
    """Run every call `rounds` times (after `warmup` untimed rounds), interleaved, one at a time."""
    for _ in range(warmup):
        for call in calls:
            await call()
    seconds: list[float] = []
    for _ in range(rounds):
        for call in calls:
            start = time.perf_counter()
            await call()
            seconds.append(time.perf_counter() - start)
    return Latency.of(seconds)
