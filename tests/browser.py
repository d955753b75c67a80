"""Test helpers: the catalog server as a subprocess, and headless Chromium.

Chromium is Debian's ``chromium`` package, driven over the Chrome DevTools
Protocol on a pipe (``--remote-debugging-pipe``: the browser reads commands on
fd 3 and writes replies on fd 4, NUL-separated JSON). That needs no pip package,
opens no debugging port, and ties the browser's life to ours.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")

# The flags the project runs Chromium with; --remote-debugging-pipe is added.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
    "--lang=zh-CN",
    # Fewer of the browser's own background calls (all blocked anyway, see below).
    "--disable-client-side-phishing-detection",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-breakpad",
    "--metrics-recording-only",
    "--no-pings",
    "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,Translate,MediaRouter,"
    "AutofillServerCommunication,CertificateTransparencyComponentUpdater",
    # Belt and braces, so that even a stray CDN reference cannot leave the machine
    # (the test still sees it, and fails, since requests are reported before they
    # are sent): no name but the loopback address resolves, and everything that
    # is not loopback (Chromium always goes direct to localhost, 127.0.0.0/8 and
    # [::1]) goes through a proxy on the loopback discard port, i.e. nowhere;
    # the proxy also catches IP literals, which skip name resolution.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",
)


def find_chromium() -> str | None:
    """The Chromium executable, or None when it is not installed."""
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


# ---------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(host: str, port: int, timeout: float, proc: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before listening")
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"nothing listening on {host}:{port} after {timeout}s") from None
            time.sleep(0.1)


def stop_process(proc: subprocess.Popen[bytes], timeout: float = 10) -> None:
    """SIGTERM, then SIGKILL if it has not exited within ``timeout`` seconds."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)


@contextlib.contextmanager
def catalog_server(
    data_dir: Path,
    *,
    cli_module: str = "app.cli",
    demo: bool = True,
    startup_timeout: float = 120,
) -> Iterator[str]:
    """Run ``python -m app.cli --data-dir DIR serve`` on a free loopback port.

    With ``demo``, first loads the demo catalog (``... --data-dir DIR demo``).
    Yields the base URL (``http://127.0.0.1:PORT``); the server is terminated
    on exit. Its output goes to ``DIR/server.log``, shown if it fails to start.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    base = [sys.executable, "-m", cli_module, "--data-dir", str(data_dir)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if demo:
        loaded = subprocess.run(
            [*base, "demo"],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            timeout=startup_timeout,
            check=False,
        )
        if loaded.returncode != 0:
            raise RuntimeError(
                f"`{cli_module} demo` failed ({loaded.returncode}):\n"
                + loaded.stdout.decode(errors="replace")
                + loaded.stderr.decode(errors="replace")
            )
    port = free_port()
    log_path = data_dir / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [*base, "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            try:
                wait_for_port("127.0.0.1", port, startup_timeout, proc)
            except (RuntimeError, TimeoutError) as exc:
                log.flush()
                output = log_path.read_text(encoding="utf-8", errors="replace")
                raise RuntimeError(f"{exc}\n--- server output ---\n{output}") from exc
            yield f"http://127.0.0.1:{port}"
        finally:
            stop_process(proc)


# ---------------------------------------------------------------- the browser


class CDPError(RuntimeError):
    """The browser answered a DevTools command with an error."""


@dataclass
class Chromium:
    """One headless Chromium process and its DevTools pipe."""

    proc: subprocess.Popen[bytes]
    _to_browser: int
    _from_browser: int
    log_path: Path
    events: list[dict[str, Any]] = field(default_factory=list)
    _buffer: bytes = b""
    _next_id: int = 0

    # -- protocol

    def _write(self, message: dict[str, Any]) -> None:
        data = json.dumps(message).encode() + b"\0"
        while data:
            written = os.write(self._to_browser, data)
            data = data[written:]

    def _read(self, timeout: float) -> dict[str, Any] | None:
        """The next message, or None if none arrives within ``timeout``."""
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([self._from_browser], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise CDPError(f"browser closed the pipe; its log ends:\n{_log_tail(self.log_path)}")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        session_id: str | None = None,
        timeout: float = 30,
    ) -> dict[str, Any]:
        """Send one command and return its result; events that arrive meanwhile are kept."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session_id is not None:
            message["sessionId"] = session_id
        self._write(message)
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(max(0.0, deadline - time.monotonic()))
            if reply is None:
                raise TimeoutError(f"no answer to {method} within {timeout}s")
            if reply.get("id") == message["id"]:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:
                self.events.append(reply)

    def pump(self, timeout: float = 0.0) -> None:
        """Take in the events that have arrived (waiting up to ``timeout`` for one)."""
        wait = timeout
        while (message := self._read(wait)) is not None:
            if "method" in message:
                self.events.append(message)
            wait = 0.0

    def wait_event(
        self,
        method: str,
        predicate: Callable[[dict[str, Any]], bool] = lambda _: True,
        *,
        timeout: float = 30,
        start: int = 0,
    ) -> dict[str, Any]:
        """The first event ``method`` (from index ``start`` on) that satisfies ``predicate``."""
        deadline = time.monotonic() + timeout
        seen = start
        while True:
            for event in self.events[seen:]:
                if event["method"] == method and predicate(event):
                    return event
            seen = len(self.events)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no {method} event within {timeout}s")
            self.pump(min(remaining, 0.5))

    # -- pages

    def new_page(self, width: int = 1440, height: int = 900) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})
        attached = self.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})
        page = Page(self, attached["sessionId"])
        for domain in ("Page", "Runtime", "Network", "Log"):
            page.send(f"{domain}.enable")
        page.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        return page

    def close(self) -> None:
        with contextlib.suppress(OSError, CDPError, TimeoutError):
            self.send("Browser.close", timeout=5)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            stop_process(self.proc, timeout=5)
        for fd in (self._to_browser, self._from_browser):
            with contextlib.suppress(OSError):
                os.close(fd)


@dataclass
class Page:
    """A tab, addressed through its flattened DevTools session."""

    browser: Chromium
    session_id: str

    def send(self, method: str, params: dict[str, Any] | None = None, *, timeout: float = 30) -> dict[str, Any]:
        return self.browser.send(method, params, session_id=self.session_id, timeout=timeout)

    def events(self, method: str) -> list[dict[str, Any]]:
        """This page's events named ``method`` so far, as their params."""
        self.browser.pump()
        return [
            event["params"]
            for event in self.browser.events
            if event["method"] == method and event.get("sessionId") == self.session_id
        ]

    def requested_urls(self) -> list[str]:
        """Every URL the page has asked for (documents, scripts, fonts, fetches, sockets)."""
        urls = [e["request"]["url"] for e in self.events("Network.requestWillBeSent")]
        urls += [e["url"] for e in self.events("Network.webSocketCreated")]
        return urls

    def errors(self) -> list[str]:
        """Uncaught exceptions and console/log errors on the page so far."""
        found = [
            e["exceptionDetails"].get("exception", {}).get("description")
            or e["exceptionDetails"].get("text", "exception")
            for e in self.events("Runtime.exceptionThrown")
        ]
        found += [
            " ".join(str(arg.get("value", arg.get("description", ""))) for arg in e["args"])
            for e in self.events("Runtime.consoleAPICalled")
            if e["type"] in ("error", "assert")
        ]
        found += [
            f"{e['entry']['text']} ({e['entry'].get('url', '')})"
            for e in self.events("Log.entryAdded")
            if e["entry"]["level"] == "error"
        ]
        return found

    def navigate(self, url: str, timeout: float = 30) -> None:
        """Open ``url`` and wait for its load event."""
        start = len(self.browser.events)
        result = self.send("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise CDPError(f"navigating to {url}: {result['errorText']}")
        self.browser.wait_event(
            "Page.loadEventFired",
            lambda e: e.get("sessionId") == self.session_id,
            timeout=timeout,
            start=start,
        )

    def evaluate(self, expression: str, *, await_promise: bool = False) -> Any:
        """The value of a JavaScript expression in the page."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": await_promise},
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise CDPError(f"evaluating {expression!r}: {text}")
        return result["result"].get("value")

    def wait_for(self, expression: str, *, timeout: float = 30, interval: float = 0.2) -> Any:
        """Poll ``expression`` until it is truthy; return that value (a DOM node as True)."""
        probe = f"(() => {{ const v = ({expression}); return v instanceof Node ? true : v; }})()"
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(probe)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"{expression!r} still falsy after {timeout}s")
            self.browser.pump(interval)

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the first element matching ``selector``."""
        box = self.wait_for(
            "(() => { const el = document.querySelector(" + json.dumps(selector) + ");"
            " if (!el) return null; el.scrollIntoView({block: 'center'});"
            " const r = el.getBoundingClientRect();"
            " return r.width && r.height ? {x: r.x + r.width / 2, y: r.y + r.height / 2} : null; })()"
        )
        x, y = box["x"], box["y"]
        self.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
        for kind in ("mousePressed", "mouseReleased"):
            self.send(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
            )

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))
        return path


def _pipe() -> tuple[int, int]:
    """A pipe whose two ends are fds >= 10 (close-on-exec unless passed on)."""
    ends = []
    for fd in os.pipe():
        ends.append(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10))
        os.close(fd)
    return ends[0], ends[1]


def _log_tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no browser log)"
    return "\n".join(text.splitlines()[-lines:])


@contextlib.contextmanager
def chromium(
    executable: str | None = None,
    *,
    user_data_dir: Path | None = None,
    extra_flags: Sequence[str] = (),
) -> Iterator[Chromium]:
    """Start headless Chromium with a fresh profile; close it on exit."""
    exe = executable or find_chromium()
    if exe is None:
        raise FileNotFoundError("chromium is not installed (Debian: apt-get install chromium)")
    with contextlib.ExitStack() as stack:
        if user_data_dir is None:
            user_data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        profile = user_data_dir / "profile"
        profile.mkdir(parents=True, exist_ok=True)
        log_path = user_data_dir / "chromium.log"
        # Commands go down one pipe to the browser's fd 3, replies come up another
        # from its fd 4; bash puts them there and then becomes the browser. The
        # child's ends are first moved to fds >= 10 so that neither is 3 or 4.
        cmd_read, cmd_write = _pipe()
        reply_read, reply_write = _pipe()
        flags = [*CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe"]
        try:
            with log_path.open("wb") as log:
                proc = subprocess.Popen(
                    [
                        "/bin/bash",
                        "-c",
                        f'exec "$0" "$@" 3<&{cmd_read} 4>&{reply_write}',
                        exe,
                        *flags,
                        *extra_flags,
                        "about:blank",
                    ],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    pass_fds=(cmd_read, reply_write),
                )
        except BaseException:
            os.close(cmd_write)
            os.close(reply_read)
            raise
        finally:
            os.close(cmd_read)
            os.close(reply_write)
        browser = Chromium(proc, cmd_write, reply_read, log_path)
        try:
            browser.send("Browser.getVersion", timeout=60)
            yield browser
        finally:
            browser.close()


def is_local_url(url: str, allowed_hosts: Sequence[str] = ("127.0.0.1",)) -> bool:
    """True for in-page URLs (data:, blob:, about:) and http(s)/ws(s) to ``allowed_hosts``."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname in allowed_hosts
