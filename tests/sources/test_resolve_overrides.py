"""FETCH_RESOLVE_OVERRIDES (the demo's "curl --resolve") only works where private fetches are allowed."""

import socket

import pytest

from tests.httpd import Route, allow_loopback, serve_http
from tracker.sources import fetching

httpd = pytest.fixture(serve_http)


def test_an_override_sends_a_named_host_to_the_local_server(httpd, settings):
    allow_loopback(settings)
    settings.FETCH_RESOLVE_OVERRIDES = {"seoulherald.example": f"127.0.0.1:{httpd.port}"}
    httpd.add("/story.html", Route(body=b"<html><body>hello</body></html>"))

    result = fetching.fetch("http://seoulherald.example/story.html")

    assert result.body == b"<html><body>hello</body></html>"
    assert httpd.hits_for("/story.html")[0].headers["host"] == "seoulherald.example"


def test_an_override_is_ignored_when_private_fetches_are_off(settings, monkeypatch):
    settings.FETCH_ALLOW_PRIVATE = False
    settings.FETCH_RESOLVE_OVERRIDES = {"seoulherald.example": "127.0.0.1:8765"}

    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    monkeypatch.setattr(socket.socket, "connect", lambda *a: pytest.fail("nothing may connect"))
    with pytest.raises(fetching.PermanentFetchError, match="does not exist"):
        fetching.fetch("http://seoulherald.example/story.html")
