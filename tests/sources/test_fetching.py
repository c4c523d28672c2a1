"""The guarded HTTP client: SSRF rules before any connection, caps, deadlines, redirects, politeness.

Hostile servers are real sockets on 127.0.0.1 (tests.httpd). Guard tests patch DNS and `connect`
so that a rejected URL provably opens no connection; nothing is ever sent to a private range.
"""

import dataclasses
import gzip
import os
import socket
import ssl
import struct
import subprocess
import threading
import time
import tracemalloc
import zlib
from http.server import ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError

from tests.httpd import Route, _Handler, allow_loopback, serve_http
from tracker.sources import fetching
from tracker.sources.fetching import (
    FEED,
    PAGE,
    USER_AGENT,
    BlockedURLError,
    PermanentFetchError,
    TransientFetchError,
    fetch,
    public_url_validator,
    validate_public_url,
)

httpd = pytest.fixture(serve_http)
fetch_settings = pytest.fixture(allow_loopback)
PUBLIC_IP = "93.184.216.34"  # never contacted: connections are patched in every test that uses it


@pytest.fixture
def no_connections(monkeypatch):
    """Fail the test if anything tries to open a TCP connection."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"a connection was attempted: {args}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


@pytest.fixture
def fake_dns(monkeypatch):
    """Resolve names from a table instead of the network; records every lookup."""
    table: dict[str, list[str]] = {}
    lookups: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        lookups.append(host)
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        family = lambda a: socket.AF_INET6 if ":" in a else socket.AF_INET  # noqa: E731
        return [(family(a), socket.SOCK_STREAM, 6, "", (a, port)) for a in table[host]]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return table, lookups


# --- URL shape: scheme, userinfo, ports, numeric hosts ------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/feed.xml",
        "gopher://example.org/",
        "data:text/html,<h1>hi</h1>",
        "javascript:alert(1)",
        "//example.org/no-scheme",
        "http://user:pass@example.org/",
        "http://user@example.org/",
        "http://example.org:22/",
        "http://example.org:25/",
        "http://2130706433/",
        "http://0x7f000001/",
        "http://0177.0.0.1/",
        "http://127.1/",
        "http://0x7f.0.0.1/",
        "http://example.org/a b",
    ],
)
def test_it_rejects_bad_url_shapes_before_resolving_or_connecting(url, settings, fake_dns, no_connections):
    settings.FETCH_ALLOW_PRIVATE = False
    _, lookups = fake_dns

    with pytest.raises(BlockedURLError):
        fetch(url)

    assert lookups == []
    assert no_connections == []


def test_allow_private_lifts_only_the_address_rule(settings, fake_dns, no_connections):
    settings.FETCH_ALLOW_PRIVATE = True

    for url in ("file:///etc/passwd", "http://u:p@localhost/", "http://2130706433/", "ftp://localhost/"):
        with pytest.raises(BlockedURLError):
            fetch(url)
    assert no_connections == []


# --- Addresses: every resolved address must be public -------------------------------------------
@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.9.9.9",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "100.127.255.254",
        "0.0.0.0",  # noqa: S104
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "::ffff:8.8.8.8",
        "2002:7f00:1::1",
        "224.0.0.1",
    ],
)
def test_it_blocks_a_name_resolving_to_a_non_public_address_before_connecting(
    address, settings, fake_dns, no_connections
):
    settings.FETCH_ALLOW_PRIVATE = False
    table, _ = fake_dns
    table["evil.example"] = [address]

    with pytest.raises(BlockedURLError, match="non-public"):
        fetch("http://evil.example/feed.xml", policy=FEED)

    assert no_connections == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://100.64.1.1/",
        "http://0.0.0.0/",
        "http://localhost/",
    ],
)
def test_it_blocks_private_literals_and_localhost(url, settings, no_connections):
    settings.FETCH_ALLOW_PRIVATE = False
    with pytest.raises(BlockedURLError):
        fetch(url)
    assert no_connections == []


def test_a_name_with_one_private_address_among_public_ones_is_blocked(settings, fake_dns, no_connections):
    settings.FETCH_ALLOW_PRIVATE = False
    table, _ = fake_dns
    table["mixed.example"] = [PUBLIC_IP, "10.0.0.5"]

    with pytest.raises(BlockedURLError):
        fetch("http://mixed.example/")


def test_it_connects_to_the_address_it_validated_and_resolves_once(settings, fake_dns, monkeypatch):
    # Given a name that resolves public first and private afterwards (DNS rebinding)
    settings.FETCH_ALLOW_PRIVATE = False
    settings.FETCH_DOMAIN_INTERVAL = 0
    table, lookups = fake_dns
    answers = iter([[PUBLIC_IP], ["127.0.0.1"]])

    def rebinding_getaddrinfo(host, port, *args, **kwargs):
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in next(answers)]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_getaddrinfo)
    connected_to = []

    def fake_connect(address, timeout=None, **kwargs):
        connected_to.append(address)
        raise ConnectionRefusedError("test: no real connection")

    monkeypatch.setattr(socket, "create_connection", fake_connect)

    # When fetching it
    with pytest.raises(TransientFetchError):
        fetch("http://rebind.example/")

    # Then the connection went to the validated address, and the name was looked up only once
    assert connected_to == [(PUBLIC_IP, 80)]
    assert lookups == ["rebind.example"]


def test_a_real_loopback_server_sees_no_request_when_private_addresses_are_blocked(httpd, settings):
    settings.FETCH_ALLOW_PRIVATE = False
    url = httpd.add("/secret", body=b"internal")

    with pytest.raises(BlockedURLError):
        fetch(url)

    assert httpd.hits == []


def test_a_redirect_to_loopback_is_blocked_at_the_hop(httpd, settings, monkeypatch):
    # Given a "public" site (the test server, vouched for by a patched resolver) that redirects to loopback
    settings.FETCH_ALLOW_PRIVATE = False
    settings.FETCH_DOMAIN_INTERVAL = 0
    real_resolve = fetching.resolve_public
    monkeypatch.setattr(
        fetching,
        "resolve_public",
        lambda host, port: ["127.0.0.1"] if host == "news.example" else real_resolve(host, port),
    )
    httpd.add("/article", status=302, headers={"Location": f"http://127.0.0.1:{httpd.port}/admin"})
    httpd.add("/admin", body=b"internal")

    # When fetching the public URL
    with pytest.raises(BlockedURLError):
        fetch(f"http://news.example:{httpd.port}/article")

    # Then the first hop was requested, the loopback hop never
    assert len(httpd.hits_for("/article")) == 1
    assert httpd.hits_for("/admin") == []


def test_validate_public_url_returns_the_url_or_raises_a_form_friendly_error(settings, fake_dns, no_connections):
    settings.FETCH_ALLOW_PRIVATE = False
    table, _ = fake_dns
    table["news.example"] = [PUBLIC_IP]
    table["intranet.example"] = ["192.168.0.10"]

    assert validate_public_url("  https://news.example/rss  ") == "https://news.example/rss"
    with pytest.raises(ValidationError) as excinfo:
        public_url_validator("http://intranet.example/")
    assert "non-public" in excinfo.value.messages[0]
    with pytest.raises(ValidationError):
        public_url_validator("file:///etc/passwd")
    assert no_connections == []


# --- Ordinary responses -----------------------------------------------------------------------
def test_it_fetches_a_page_with_an_honest_user_agent(httpd, fetch_settings):
    url = httpd.add("/a", body=b"<html><body>hello</body></html>")

    result = fetch(url)

    assert result.status == 200
    assert result.body == b"<html><body>hello</body></html>"
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    hit = httpd.hits_for("/a")[0]
    assert hit.headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("Stanceline/0.1 (+")
    assert hit.headers["host"] == f"127.0.0.1:{httpd.port}"


def test_it_sends_validators_and_reports_304(httpd, fetch_settings):
    url = httpd.add("/feed.xml", status=304, content_type="")

    result = fetch(url, policy=FEED, etag='"v1"', last_modified="Wed, 01 Oct 2025 10:00:00 GMT")

    assert result.not_modified
    assert result.body == b""
    hit = httpd.hits_for("/feed.xml")[0]
    assert hit.headers["if-none-match"] == '"v1"'
    assert hit.headers["if-modified-since"] == "Wed, 01 Oct 2025 10:00:00 GMT"


def test_it_decodes_gzip_bodies(httpd, fetch_settings):
    page = b"<html>" + b"word " * 1000 + b"</html>"
    url = httpd.add("/gz", body=gzip.compress(page), headers={"Content-Encoding": "gzip"})

    assert fetch(url).body == page


def test_it_decodes_raw_and_zlib_deflate(httpd, fetch_settings):
    page = b"<html>deflated</html>"
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    url_raw = httpd.add("/raw", body=raw.compress(page) + raw.flush(), headers={"Content-Encoding": "deflate"})
    url_zlib = httpd.add("/zlib", body=zlib.compress(page), headers={"Content-Encoding": "deflate"})

    assert fetch(url_raw).body == page
    assert fetch(url_zlib).body == page


def test_it_follows_up_to_five_redirects(httpd, fetch_settings):
    for i in range(5):
        httpd.add(f"/r{i}", status=301, headers={"Location": f"/r{i + 1}"})
    httpd.add("/r5", body=b"<html>end</html>")

    result = fetch(httpd.url("/r0"))

    assert result.url == httpd.url("/r5")
    assert len(result.redirects) == 5


def test_it_gives_up_after_more_than_five_redirects(httpd, fetch_settings):
    for i in range(7):
        httpd.add(f"/r{i}", status=302, headers={"Location": f"/r{i + 1}"})

    with pytest.raises(PermanentFetchError, match="redirects"):
        fetch(httpd.url("/r0"))
    assert len(httpd.hits) == 6


def test_it_stops_a_redirect_loop(httpd, fetch_settings):
    httpd.add("/a", status=302, headers={"Location": "/b"})
    httpd.add("/b", status=302, headers={"Location": "/a"})

    with pytest.raises(PermanentFetchError, match="loop"):
        fetch(httpd.url("/a"))
    assert len(httpd.hits) == 2


def test_a_redirect_to_file_scheme_is_blocked(httpd, fetch_settings):
    httpd.add("/a", status=302, headers={"Location": "file:///etc/passwd"})

    with pytest.raises(BlockedURLError):
        fetch(httpd.url("/a"))


@pytest.mark.parametrize("status", [404, 410, 403, 400])
def test_client_errors_are_permanent(status, httpd, fetch_settings):
    url = httpd.add("/gone", status=status)

    with pytest.raises(PermanentFetchError) as excinfo:
        fetch(url)
    assert excinfo.value.status == status
    assert not isinstance(excinfo.value, TransientFetchError)


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429, 408])
def test_server_errors_and_throttling_are_transient(status, httpd, fetch_settings):
    url = httpd.add("/busy", status=status, headers={"Retry-After": "120"})

    with pytest.raises(TransientFetchError) as excinfo:
        fetch(url)
    assert excinfo.value.status == status
    assert excinfo.value.retry_after == 120


def test_a_connection_reset_is_transient(httpd, fetch_settings):
    def reset(handler):
        # SO_LINGER 0 then close: the kernel answers with RST instead of FIN.
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        os.close(handler.connection.detach())

    url = httpd.add("/reset", reset)

    with pytest.raises(TransientFetchError):
        fetch(url)


def test_a_refused_connection_is_transient(fetch_settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, never listening: the connection is refused
        with pytest.raises(TransientFetchError):
            fetch(f"http://127.0.0.1:{port}/")


@pytest.mark.parametrize(
    ("policy", "content_type"),
    [(PAGE, "application/pdf"), (PAGE, "image/png"), (PAGE, "application/octet-stream"), (FEED, "text/html")],
)
def test_it_refuses_content_types_outside_the_allowlist(policy, content_type, httpd, fetch_settings):
    url = httpd.add("/x", body=b"%PDF-1.7", content_type=content_type)

    with pytest.raises(PermanentFetchError, match="Content type"):
        fetch(url, policy=policy)


def test_feed_types_are_accepted(httpd, fetch_settings):
    for i, ctype in enumerate(["application/rss+xml", "application/atom+xml; charset=utf-8", "text/xml", ""]):
        url = httpd.add(f"/f{i}", body=b"<rss/>", content_type=ctype)
        assert fetch(url, policy=FEED).body == b"<rss/>"


# --- Caps and deadlines -----------------------------------------------------------------------
def test_a_declared_50_mb_body_is_refused_without_reading_it(httpd, fetch_settings):
    def huge(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(50 * 1024 * 1024))
        handler.end_headers()
        handler.wfile.write(b"x" * 65536)

    url = httpd.add("/huge", huge)

    with pytest.raises(PermanentFetchError, match="cap"):
        fetch(url)


def test_an_undeclared_50_mb_body_is_aborted_at_the_raw_cap(httpd, fetch_settings):
    def huge(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Connection", "close")
        handler.end_headers()
        block = b"x" * (1024 * 1024)
        for _ in range(50):
            handler.wfile.write(block)

    url = httpd.add("/huge", huge)
    policy = dataclasses.replace(PAGE, max_raw_bytes=2 * 1024 * 1024, max_decoded_bytes=4 * 1024 * 1024)

    with pytest.raises(PermanentFetchError, match="larger than 2097152"):
        fetch(url, policy=policy)


def test_an_endless_chunked_stream_is_aborted_at_the_cap(httpd, fetch_settings):
    sent = []

    def endless(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        chunk = b"<item>" + b"a" * 8000 + b"</item>"
        while True:
            handler.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            sent.append(len(chunk))

    url = httpd.add("/endless", endless)
    started = time.monotonic()

    with pytest.raises(PermanentFetchError, match="larger than"):
        fetch(url, policy=FEED)

    assert time.monotonic() - started < 10
    assert sum(sent) >= FEED.max_raw_bytes  # it really was streaming, and we stopped reading


@pytest.fixture(scope="module")
def gzip_bomb():
    """~1 GB of zeros gzipped into about 1 MB."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(16 * 1024 * 1024)
    parts = [compressor.compress(block) for _ in range(64)]
    parts.append(compressor.flush())
    return b"".join(parts)


def test_a_gzip_bomb_is_aborted_at_the_decoded_cap_with_bounded_memory(httpd, fetch_settings, gzip_bomb):
    url = httpd.add("/bomb", body=gzip_bomb, headers={"Content-Encoding": "gzip"})
    assert len(gzip_bomb) < 2 * 1024 * 1024

    tracemalloc.start()
    try:
        with pytest.raises(PermanentFetchError, match="Decoded body larger"):
            fetch(url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < PAGE.max_decoded_bytes + 8 * 1024 * 1024  # the kept bytes plus a few 1 MB steps


def test_a_slow_drip_body_hits_the_overall_deadline(httpd, fetch_settings):
    def drip(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        for _ in range(100000):
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(0.2)  # well inside any per-read timeout

    url = httpd.add("/drip", drip)
    policy = dataclasses.replace(PAGE, deadline=1.5, read_timeout=1.0)
    started = time.monotonic()

    with pytest.raises(TransientFetchError, match="deadline"):
        fetch(url, policy=policy)

    assert time.monotonic() - started < 3


def test_a_slow_drip_of_headers_hits_the_overall_deadline(httpd, fetch_settings):
    def drip_headers(handler):
        handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for _ in range(1000):
            handler.wfile.write(b"X-Slow: a\r\n")
            handler.wfile.flush()
            time.sleep(0.2)

    url = httpd.add("/dripheaders", drip_headers)
    policy = dataclasses.replace(PAGE, deadline=1.5, read_timeout=1.0)
    started = time.monotonic()

    with pytest.raises(FetchErrorTypes):
        fetch(url, policy=policy)

    assert time.monotonic() - started < 3


@pytest.mark.parametrize("stall_after_headers", [False, True])
def test_a_silent_server_is_cut_off_at_the_deadline_even_when_one_read_may_wait_longer(
    httpd, fetch_settings, stall_after_headers
):
    def stall(handler):
        if stall_after_headers:
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.send_header("Content-Length", "100")
            handler.end_headers()
            handler.wfile.flush()
        time.sleep(5)

    url = httpd.add("/stall", stall)
    policy = dataclasses.replace(PAGE, deadline=1.0, read_timeout=10.0)
    started = time.monotonic()

    with pytest.raises(TransientFetchError, match="deadline"):
        fetch(url, policy=policy)

    assert time.monotonic() - started < 2.5


FetchErrorTypes = (TransientFetchError, PermanentFetchError)


def test_a_silent_server_times_out_as_transient(httpd, fetch_settings):
    def silent(handler):
        time.sleep(3)

    url = httpd.add("/silent", silent)
    policy = dataclasses.replace(PAGE, deadline=5, read_timeout=0.5)

    with pytest.raises(TransientFetchError):
        fetch(url, policy=policy)


# --- Politeness -------------------------------------------------------------------------------
def test_it_spaces_requests_to_one_domain(httpd, settings):
    settings.FETCH_ALLOW_PRIVATE = True
    settings.FETCH_DOMAIN_INTERVAL = 1
    url = httpd.add("/p", body=b"<html>ok</html>")

    started = time.monotonic()
    fetch(url)
    fetch(url)
    elapsed = time.monotonic() - started

    assert elapsed >= 0.5
    assert len(httpd.hits_for("/p")) == 2


def test_politeness_without_a_cache_does_not_stop_fetching(httpd, settings, monkeypatch):
    settings.FETCH_ALLOW_PRIVATE = True
    settings.FETCH_DOMAIN_INTERVAL = 1

    def broken_add(*args, **kwargs):
        raise ConnectionError("cache is down")

    monkeypatch.setattr(fetching.cache, "add", broken_add)
    url = httpd.add("/p", body=b"<html>ok</html>")

    assert fetch(url).status == 200


# --- TLS: SNI and certificate checks use the hostname while the socket goes to the pinned IP ------
@pytest.fixture(scope="module")
def self_signed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=news.example"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


def test_https_uses_the_hostname_for_sni_and_verifies_the_certificate(self_signed, settings, monkeypatch):
    settings.FETCH_ALLOW_PRIVATE = True
    settings.FETCH_DOMAIN_INTERVAL = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.handle_error = lambda request, address: None  # the refused handshake is expected
    server.owner = type("Owner", (), {"hits": [], "routes": {"/": Route(body=b"ok")}})()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*self_signed)
    sni_names = []
    context.sni_callback = lambda sslobj, name, ctx: sni_names.append(name)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, p, *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", p))],
    )
    try:
        with pytest.raises(PermanentFetchError, match="certificate"):
            fetch(f"https://news.example:{port}/")
    finally:
        server.shutdown()
        server.server_close()

    assert sni_names == ["news.example"]
