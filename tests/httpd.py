"""A small threaded HTTP server on 127.0.0.1 for fetch, feed and pipeline tests (real sockets).

Routes map a path to a `Route` (status, headers, body) or to a callable that writes the raw response
itself (slow drips, endless streams, hand-made redirects). Every request is logged in `hits`.
pytest-httpserver (werkzeug) cannot drip bytes or stream forever, which these tests need.

Use in a test module as fixtures: `httpd = pytest.fixture(serve_http)`,
`fetch_settings = pytest.fixture(allow_loopback)`.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"


@dataclass
class Hit:
    path: str
    headers: dict[str, str]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):  # noqa: N802 - http.server's naming
        server: LocalServer = self.server.owner  # type: ignore[attr-defined]
        server.hits.append(Hit(self.path, {k.lower(): v for k, v in self.headers.items()}))
        route = server.routes.get(self.path) or server.routes.get(self.path.split("?", 1)[0])
        if route is None:
            self._send(Route(status=404, body=b"not found", content_type="text/plain"))
            return
        if callable(route):
            # The client giving up on us is what most hostile-server tests expect.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                route(self)
            return
        self._send(route)

    def _send(self, route: Route):
        self.send_response(route.status)
        if route.content_type:
            self.send_header("Content-Type", route.content_type)
        for name, value in route.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(route.body)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Clients that hang up on us (caps, deadlines, resets) are what these tests provoke.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class LocalServer:
    def __init__(self):
        self.routes: dict[str, Route | Callable[[BaseHTTPRequestHandler], None]] = {}
        self.hits: list[Hit] = []
        self._server = _QuietServer(("127.0.0.1", 0), _Handler)
        self._server.owner = self  # type: ignore[attr-defined]
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, route: Route | Callable | None = None, **kwargs) -> str:
        self.routes[path] = route if route is not None else Route(**kwargs)
        return self.url(path)

    def hits_for(self, path: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.path.split("?", 1)[0] == path]

    def close(self):
        self._server.shutdown()
        self._server.server_close()


def serve_http():
    server = LocalServer()
    yield server
    server.close()


def allow_loopback(settings):
    """Let the fetcher reach the loopback test server and skip the per-domain pause."""
    settings.FETCH_ALLOW_PRIVATE = True
    settings.FETCH_DOMAIN_INTERVAL = 0
    return settings
