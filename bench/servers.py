"""Server processes under test (被测服务进程): start, wait until ready, peak memory, stop."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            text = Path(f"/proc/{pid}/task/{task}/children").read_text()
        except OSError:
            continue
        found += [int(c) for c in text.split()]
    return found


def process_tree(pid: int) -> list[int]:
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo += _children(p)
    return tree


def peak_rss_mib(pid: int) -> float:
    """VmHWM (peak resident set) of a process, in MiB; 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Server:
    """One HTTP server process (and its workers) on 127.0.0.1."""

    def __init__(self, name: str, argv: Sequence[str], env: Mapping[str, str], port: int, log: Path) -> None:
        self.name = name
        self.port = port
        self.url = f"http://127.0.0.1:{port}/graphql"
        self._log = log.open("ab")
        self._process = subprocess.Popen(
            list(argv), env={**os.environ, **env}, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._peak: dict[int, float] = {}

    def wait_ready(self, probe: str = "{ __typename }", timeout: float = 300.0, workers: int = 1) -> None:
        """Until the server answers and all `workers` have started (each opens its backends)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self._process.returncode}; see {self._log.name}")
            try:
                r = httpx.post(self.url, json={"query": probe}, timeout=5)
                if r.status_code == 200 and self._started() >= workers:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{self.name} not ready after {timeout:.0f} s; see {self._log.name}")

    def _started(self) -> int:
        """How many workers have finished their start-up (uvicorn logs one line each)."""
        self._log.flush()
        return Path(self._log.name).read_text(errors="replace").count("Application startup complete")

    def sample_memory(self) -> None:
        for pid in process_tree(self._process.pid):
            self._peak[pid] = max(self._peak.get(pid, 0.0), peak_rss_mib(pid))

    def peak_rss(self) -> tuple[float, float]:
        """(largest process, sum over the process tree) of peak RSS in MiB."""
        self.sample_memory()
        values = list(self._peak.values()) or [0.0]
        return max(values), sum(values)

    def stop(self) -> None:
        if self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGTERM)
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait()
        self._log.close()
