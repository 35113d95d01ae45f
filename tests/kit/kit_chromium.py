"""Drive headless Chromium over the DevTools protocol on a pipe (stdlib only, no driver package).

Chromium started with ``--remote-debugging-pipe`` reads commands from fd 3 and writes replies to
fd 4, each a JSON message ended by a NUL byte.  Enough of the protocol for the kit tests: open a
page, evaluate script, type into it, set the viewport and take a screenshot.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--mute-audio", "--remote-debugging-pipe")


def find_chromium() -> str | None:
    """A Chromium binary: ``$BZMEDIA_CHROMIUM``, a usual install path, or one on PATH."""
    override = os.environ.get("BZMEDIA_CHROMIUM")
    if override:
        return override if Path(override).is_file() else None
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    return shutil.which("chromium") or shutil.which("google-chrome")


class Chromium:
    """One headless browser with one page target; use as a context manager."""

    def __init__(self, binary: str, timeout: float = 30.0) -> None:
        self.binary, self.timeout = binary, timeout
        self.profile = tempfile.mkdtemp(prefix="bzmedia-chromium-")
        self.next_id = 0
        self.buffer = b""

    def __enter__(self) -> Chromium:
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()

        def wire_pipes() -> None:  # in the child before exec: the protocol lives on fds 3 and 4
            # Move both ends above 4 first, so placing one cannot overwrite the other.
            high_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)  # dup2 makes them inheritable
            os.dup2(high_w, 4)
            # Anything else inheritable (a test runner's pipes) must not live on in the browser.
            for name in os.listdir("/proc/self/fd"):
                fd = int(name)
                with contextlib.suppress(OSError):
                    if fd > 4 and os.get_inheritable(fd):
                        os.close(fd)

        self.proc = subprocess.Popen(
            [self.binary, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire_pipes, close_fds=False)
        os.close(to_child_r)
        os.close(from_child_w)
        targets = self.call("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.call("Target.attachToTarget", targetId=page["targetId"],
                                 flatten=True)["sessionId"]
        self.call("Page.enable", session=True)
        self.call("Runtime.enable", session=True)
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(OSError, RuntimeError, TimeoutError):  # already gone is fine
            self.call("Browser.close")
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self.to_child, self.from_child):
            os.close(fd)
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read_message(self) -> dict[str, Any]:
        import select

        while b"\0" not in self.buffer:
            ready, _, _ = select.select([self.from_child], [], [], self.timeout)
            if not ready:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self.from_child, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, session: bool = False, **params: Any) -> dict[str, Any]:
        """Send one command and return its result (events that arrive meanwhile are dropped)."""
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self.to_child, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read_message()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def wait_event(self, method: str) -> dict[str, Any]:
        while True:
            message = self._read_message()
            if message.get("method") == method:
                return message.get("params", {})

    def open(self, url: str) -> None:
        """Load ``url`` and wait until its load event."""
        self.call("Page.navigate", session=True, url=url)
        self.wait_event("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a script expression in the page."""
        result = self.call("Runtime.evaluate", session=True, expression=expression,
                           returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def type_text(self, text: str) -> None:
        """Type into the focused element as a user would (fires input events)."""
        self.call("Input.insertText", session=True, text=text)

    def viewport(self, width: int, height: int, mobile: bool = False, scale: float = 1) -> None:
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=width, height=height,
                  deviceScaleFactor=scale, mobile=mobile)

    def screenshot(self, path: Path, full_page: bool = True) -> None:
        """A PNG of the page (the whole scroll height when ``full_page``)."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            size = self.call("Page.getLayoutMetrics", session=True)["cssContentSize"]
            params.update(captureBeyondViewport=True,
                          clip={"x": 0, "y": 0, "width": size["width"], "height": size["height"],
                                "scale": 1})
        data = self.call("Page.captureScreenshot", session=True, **params)["data"]
        path.write_bytes(base64.b64decode(data))
