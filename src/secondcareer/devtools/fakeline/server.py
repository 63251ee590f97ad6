"""Serving the fake LINE platform: in a background thread (tests) or in the foreground
(``python -m secondcareer.devtools.fakeline``, for the demo)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from types import TracebackType
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from secondcareer.devtools.fakeline.app import FakeLineApp
from secondcareer.devtools.fakeline.platform import FakeLinePlatform

logger = logging.getLogger(__name__)


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    # A webhook delivered by the fake may make the project call the fake back
    # (reply) before the delivery returns: requests must be served concurrently.
    daemon_threads = True
    allow_reuse_address = True


class _Handler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), format % args)


@dataclass
class RunningServer:
    """A fake LINE platform listening on ``base_url``; ``stop()`` (or ``with``) ends it."""

    platform: FakeLinePlatform
    httpd: WSGIServer
    thread: threading.Thread | None

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host.decode() if isinstance(host, bytes) else host}:{port}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self.thread is not None:
            self.thread.join(timeout=5)

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def _make(platform: FakeLinePlatform, host: str, port: int) -> WSGIServer:
    return make_server(
        host, port, FakeLineApp(platform), server_class=_ThreadingServer, handler_class=_Handler
    )


def start_server(
    platform: FakeLinePlatform | None = None, *, host: str = "127.0.0.1", port: int = 0
) -> RunningServer:
    """Serve ``platform`` (a new default one if None) in a daemon thread; port 0 picks
    a free port."""
    platform = platform or FakeLinePlatform()
    httpd = _make(platform, host, port)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True, name="fakeline"
    )
    thread.start()
    return RunningServer(platform, httpd, thread)


def serve(platform: FakeLinePlatform, *, host: str = "127.0.0.1", port: int = 8090) -> None:
    """Serve in the foreground until interrupted."""
    httpd = _make(platform, host, port)
    try:
        httpd.serve_forever()
    finally:
        httpd.server_close()
