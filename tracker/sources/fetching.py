"""The one guarded HTTP client for feeds and article pages (SSRF rules, caps, deadlines, politeness).

Why hand-written on `http.client` rather than requests + requests-hardened:
- we need an *overall* deadline per request (a slow-drip server defeats per-operation timeouts), which
  requires owning the socket: every socket operation (TLS handshake, send, each receive) gets the
  per-operation timeout cut down to what is left of the deadline, so no operation can outlast it;
- we need caps on raw *and* decompressed bytes with incremental decompression; requests'
  `iter_content` decompresses transparently and one decoded chunk can be huge (psf/requests#4035);
- pinning the connection to the address we validated is a few lines when we open the socket
  ourselves: resolve once, check every address, connect to that IP, send the real Host header and
  use the hostname for SNI and certificate checks. Every redirect hop goes through the same path.

Rules (docs/architecture.md): http/https only; no userinfo; ports 80, 443 and unprivileged ports
(>= 1024; news sites do serve on 8080/8443, and the address rule already keeps us on public hosts);
no numeric-host tricks (decimal/hex/octal IPv4); every resolved address must be globally routable
unless `settings.FETCH_ALLOW_PRIVATE` (tests, demo) lifts the address rule.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import io
import ipaddress
import logging
import re
import socket
import ssl
import time
import zlib
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError

from tracker.sources.canonical import registrable_domain

logger = logging.getLogger(__name__)

USER_AGENT = "Stanceline/0.1 (+https://stanceline.example.org/about/crawler; policy-research bot)"
ALLOWED_SCHEMES = {"http", "https"}
MAX_REDIRECTS = 5
READ_CHUNK = 64 * 1024
DECODE_STEP = 1024 * 1024
# How long one fetch may wait for its turn on a busy domain before giving up (retried later).
MAX_POLITENESS_WAIT = 10.0

_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}\.?$", re.IGNORECASE)


# --- Errors -----------------------------------------------------------------------------------
class FetchError(Exception):
    """Base of every fetch failure; `str(exc)` is a short human explanation."""

    kind = "error"


class TransientFetchError(FetchError):
    """Might work next time: timeouts, resets, 5xx, 429. `retry_after` is the server's hint, in seconds."""

    kind = "transient"

    def __init__(self, message: str, *, retry_after: float | None = None, status: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after
        self.status = status


class PermanentFetchError(FetchError):
    """Will not work by retrying: 404/410, policy rejections, caps exceeded, wrong content type."""

    kind = "permanent"

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status


class BlockedURLError(PermanentFetchError):
    """The URL breaks the address/scheme rules (SSRF guard). Raised before any connection is made."""

    kind = "blocked"


# --- Policies ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class FetchPolicy:
    name: str
    content_types: frozenset[str]
    max_raw_bytes: int
    max_decoded_bytes: int
    deadline: float = 30.0  # seconds for the whole request, redirects included
    connect_timeout: float = 10.0
    read_timeout: float = 15.0  # per socket operation; the deadline bounds the total
    accept: str = "*/*"


FEED = FetchPolicy(
    name="feed",
    # Many servers label feeds text/xml, text/plain or nothing at all; feedparser sniffs the rest.
    content_types=frozenset(
        {
            "application/rss+xml",
            "application/atom+xml",
            "application/rdf+xml",
            "application/xml",
            "text/xml",
            "application/x-rss+xml",
            "text/plain",
            "",
        }
    ),
    max_raw_bytes=5 * 1024 * 1024,
    max_decoded_bytes=10 * 1024 * 1024,
    accept="application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1",
)
PAGE = FetchPolicy(
    name="page",
    content_types=frozenset({"text/html", "application/xhtml+xml", ""}),
    max_raw_bytes=10 * 1024 * 1024,
    max_decoded_bytes=20 * 1024 * 1024,
    accept="text/html, application/xhtml+xml;q=0.9, */*;q=0.1",
)


@dataclass(frozen=True)
class FetchResult:
    url: str  # the final URL, after redirects
    status: int
    body: bytes
    content_type: str  # media type only, lower case ("" if the server sent none)
    charset: str
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    redirects: tuple[str, ...] = ()

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str:
        return self.headers.get("etag", "")

    @property
    def last_modified(self) -> str:
        return self.headers.get("last-modified", "")


# --- URL and address rules --------------------------------------------------------------------
def _allow_private() -> bool:
    return bool(getattr(settings, "FETCH_ALLOW_PRIVATE", False))


def check_url_shape(url: str) -> tuple[str, str, int]:
    """Scheme, userinfo, host and port rules that need no DNS. Returns (scheme, host, port)."""
    if not isinstance(url, str) or not url.strip():
        raise BlockedURLError("Empty URL.")
    if any(ch in url for ch in "\x00\r\n\t "):
        raise BlockedURLError("The URL contains whitespace or control characters.")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise BlockedURLError(f"Malformed URL ({exc}).") from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise BlockedURLError(f"Only http and https URLs can be fetched, not {scheme or 'a relative URL'}:.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise BlockedURLError("URLs with a user name or password are not allowed.")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise BlockedURLError("The URL has no host.")
    port = port or (443 if scheme == "https" else 80)
    if port not in (80, 443) and port < 1024:
        raise BlockedURLError(f"Port {port} is not allowed (80, 443 or 1024 and above).")
    if _NUMERIC_HOST.match(host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            # 2130706433, 0x7f000001, 0177.0.0.1, 127.1: legal to inet_aton, never a real news site.
            raise BlockedURLError(f"Numeric host {host!r} is not a dotted-quad IPv4 address.") from None
    return scheme, host, port


def _address_is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    # IPv4-mapped (::ffff:127.0.0.1), 6to4 and Teredo embed an IPv4 address: refuse outright.
    if isinstance(ip, ipaddress.IPv6Address) and (
        ip.ipv4_mapped is not None or ip.sixtofour is not None or ip.teredo is not None
    ):
        return False
    # is_global excludes loopback, RFC 1918, link-local (incl. 169.254.169.254), CGNAT 100.64/10,
    # 0.0.0.0/8, unique-local fc00::/7, documentation and reserved ranges.
    return ip.is_global and not ip.is_multicast


def resolve_public(host: str, port: int) -> list[str]:
    """Resolve `host` and return its addresses, refusing if any of them is not public."""
    override = _resolve_override(host)
    if override:
        return override[0]
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
        except UnicodeError:
            raise BlockedURLError(f"Host {host!r} is not a valid name.") from None
        except socket.gaierror as exc:
            if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5)):
                raise PermanentFetchError(f"Host {host!r} does not exist.") from None
            raise TransientFetchError(f"DNS lookup for {host!r} failed ({exc}).") from None
        addresses = list(dict.fromkeys(info[4][0].split("%", 1)[0] for info in infos))
    if not addresses:
        raise PermanentFetchError(f"Host {host!r} has no address.")
    if not _allow_private():
        for address in addresses:
            if not _address_is_public(ipaddress.ip_address(address)):
                raise BlockedURLError(f"{host} resolves to a non-public address ({address}).")
    return addresses


def _resolve_override(host: str) -> tuple[list[str], int] | None:
    """settings.FETCH_RESOLVE_OVERRIDES, for the demo and tests only (ignored unless private fetches
    are allowed): `{"seoulherald.example": "127.0.0.1:8765"}` connects there instead of resolving."""
    target = getattr(settings, "FETCH_RESOLVE_OVERRIDES", {}).get(host.lower()) if _allow_private() else None
    if not target:
        return None
    address, _, port = target.rpartition(":")
    return [address], int(port)


def validate_public_url(url: str) -> str:
    """Check a URL against every fetch rule, DNS included; return it stripped. Raises BlockedURLError
    (str(exc) is a sentence suitable for a form error) or PermanentFetchError/TransientFetchError when
    the host does not resolve."""
    url = (url or "").strip()
    _, host, port = check_url_shape(url)
    resolve_public(host, port)
    return url


def public_url_validator(value: str) -> None:
    """A Django field validator: `forms.URLField(validators=[public_url_validator])`."""
    try:
        validate_public_url(value)
    except FetchError as exc:
        raise ValidationError(str(exc), code="blocked_url") from None


# --- Politeness -------------------------------------------------------------------------------
def _politeness_interval() -> float:
    return float(getattr(settings, "FETCH_DOMAIN_INTERVAL", 1.0))


def _wait_for_domain(url: str, deadline: float) -> None:
    """At most one request per domain per interval, shared by every process through the cache
    (Redis in production: `SET NX EX`). If the cache is down we fetch anyway: politeness is a
    courtesy, not a reason to stop ingesting."""
    interval = _politeness_interval()
    if interval <= 0:
        return
    key = f"fetch:polite:{registrable_domain(url)}"
    give_up = min(deadline, time.monotonic() + MAX_POLITENESS_WAIT)
    while True:
        try:
            if cache.add(key, 1, timeout=max(1, round(interval))):
                return
        except Exception as exc:  # noqa: BLE001 - the cache backend's own errors (redis.ConnectionError…)
            logger.warning("politeness cache unavailable (%s); fetching %s without it", exc, url)
            return
        if time.monotonic() >= give_up:
            raise TransientFetchError(f"{registrable_domain(url)} was fetched moments ago; try again later.")
        time.sleep(0.1)


# --- The request itself -----------------------------------------------------------------------
class _DeadlineExceeded(TimeoutError):
    """The overall deadline passed before a socket operation could start."""


def _op_timeout(policy: FetchPolicy, deadline: float, per_op: float | None = None) -> float:
    """The timeout for the next socket operation: the per-operation limit, never past the deadline."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _DeadlineExceeded("overall deadline exceeded")
    return min(policy.read_timeout if per_op is None else per_op, remaining)


class _DeadlineReader(io.RawIOBase):
    """The raw reader under http.client's response: before every receive, the socket's timeout is set
    to the per-read timeout or what is left of the overall deadline, whichever is shorter. A server
    that drips one byte at a time (headers or body) therefore cannot stretch a request past the
    deadline, and no watchdog thread is needed. The socket's own `makefile` reader underneath keeps
    its reference counting (http.client closes the connection while the response is still read)."""

    def __init__(self, sock: socket.socket, policy: FetchPolicy, deadline: float):
        super().__init__()
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)
        self._policy = policy
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int | None:
        self._sock.settimeout(_op_timeout(self._policy, self._deadline))
        return self._raw.readinto(b)

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


class _DeadlineReads:
    """What http.client's response sees as its socket: it only calls `makefile("rb")`."""

    def __init__(self, sock: socket.socket, policy: FetchPolicy, deadline: float):
        self._sock = sock
        self._policy = policy
        self._deadline = deadline

    def makefile(self, mode: str = "rb") -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock, self._policy, self._deadline))


def _deadline_response(sock, *args, policy: FetchPolicy, deadline: float, **kwargs) -> http.client.HTTPResponse:
    return http.client.HTTPResponse(_DeadlineReads(sock, policy, deadline), *args, **kwargs)


def _decompressor(encoding: str):
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return "deflate"  # zlib-wrapped or raw: decided on the first bytes
    raise PermanentFetchError(f"Unsupported Content-Encoding {encoding!r}.")


class _BodyReader:
    """Incremental decode with a cap: never holds more than `max_decoded + one chunk` in memory."""

    def __init__(self, policy: FetchPolicy, encoding: str):
        self.policy = policy
        self.raw = 0
        self.decoded = 0
        self.parts: list[bytes] = []
        self._d = _decompressor(encoding)

    def feed(self, data: bytes) -> None:
        self.raw += len(data)
        if self.raw > self.policy.max_raw_bytes:
            raise PermanentFetchError(f"Body larger than {self.policy.max_raw_bytes} bytes; aborted.")
        if self._d is None:
            self._add(data)
            return
        if self._d == "deflate":
            wbits = zlib.MAX_WBITS if data[:1] and (data[0] & 0x0F) == 8 else -zlib.MAX_WBITS
            self._d = zlib.decompressobj(wbits)
        buf = data
        try:
            while buf:
                # At most 1 MB per step: zlib builds each output twice (blocks, then one bytes object).
                step = min(DECODE_STEP, self.policy.max_decoded_bytes - self.decoded + 1)
                out = self._d.decompress(buf, step)
                self._add(out)
                buf = self._d.unconsumed_tail
        except zlib.error as exc:
            raise PermanentFetchError(f"Corrupt compressed body ({exc}).") from None

    def _add(self, out: bytes) -> None:
        self.decoded += len(out)
        if self.decoded > self.policy.max_decoded_bytes:
            raise PermanentFetchError(f"Decoded body larger than {self.policy.max_decoded_bytes} bytes; aborted.")
        if out:
            self.parts.append(out)

    def body(self) -> bytes:
        if self._d not in (None, "deflate"):
            with contextlib.suppress(zlib.error):
                self._add(self._d.flush())
        return b"".join(self.parts)


def _host_header(host: str, port: int, scheme: str) -> str:
    shown = f"[{host}]" if ":" in host else host
    return shown if port == (443 if scheme == "https" else 80) else f"{shown}:{port}"


def _connect(address: str, port: int, policy: FetchPolicy, deadline: float) -> socket.socket:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TransientFetchError("Deadline exceeded before connecting.")
    sock = socket.create_connection((address, port), timeout=min(policy.connect_timeout, remaining))
    sock.settimeout(policy.read_timeout)
    return sock


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Certificate and hostname checks on (the default context); loading the CA bundle once per process.
    return ssl.create_default_context()


def _wrap_tls(sock: socket.socket, host: str) -> ssl.SSLSocket:
    # server_hostname gives SNI and the name the certificate must match, while the socket itself is
    # already connected to the validated IP address.
    return _tls_context().wrap_socket(sock, server_hostname=host)


def _one_request(url: str, policy: FetchPolicy, headers: dict[str, str], deadline: float):
    """One hop: returns (status, headers, body) with the body capped, or raises a FetchError."""
    scheme, host, port = check_url_shape(url)
    addresses = resolve_public(host, port)
    override = _resolve_override(host)
    connect_port = override[1] if override else port
    _wait_for_domain(url, deadline)
    parts = urlsplit(url)
    target = urlunsplit(("", "", parts.path or "/", parts.query, "")) or "/"

    sock = None
    last_error: Exception | None = None
    for address in addresses:  # every one of them was validated above
        try:
            sock = _connect(address, connect_port, policy, deadline)
            break
        except OSError as exc:
            last_error = exc
    if sock is None:
        raise TransientFetchError(f"Could not connect to {host}:{port} ({last_error}).")

    conn = None
    try:
        if scheme == "https":
            # The whole handshake is one operation for the timeout (the ssl module's own deadline).
            sock.settimeout(_op_timeout(policy, deadline))
            sock = _wrap_tls(sock, host)
        conn = http.client.HTTPConnection(host, port, timeout=policy.read_timeout)
        conn.sock = sock  # already connected to the validated address: http.client never resolves
        conn.response_class = functools.partial(_deadline_response, policy=policy, deadline=deadline)
        conn.putrequest("GET", target, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", _host_header(host, port, scheme))
        conn.putheader("Accept-Encoding", "gzip, deflate")
        for name, value in headers.items():
            conn.putheader(name, value)
        sock.settimeout(_op_timeout(policy, deadline))  # sendall: the timeout bounds the whole send
        conn.endheaders()
        response = conn.getresponse()
        response_headers = {k.lower(): v for k, v in response.getheaders()}
        status = response.status
        if 300 <= status < 400 or status in (204, 304) or status >= 400:
            return status, response_headers, b""
        length = response_headers.get("content-length", "")
        if length.isdigit() and int(length) > policy.max_raw_bytes:
            raise PermanentFetchError(f"Content-Length {length} exceeds the {policy.max_raw_bytes}-byte cap.")
        _check_content_type(response_headers.get("content-type", ""), policy)
        reader = _BodyReader(policy, response_headers.get("content-encoding", ""))
        while True:
            chunk = response.read1(READ_CHUNK)
            if not chunk:
                break
            reader.feed(chunk)
            if time.monotonic() > deadline:
                raise TransientFetchError(f"Overall deadline of {policy.deadline:.0f}s exceeded.")
        return status, response_headers, reader.body()
    except FetchError:
        raise
    except ssl.SSLCertVerificationError as exc:
        raise PermanentFetchError(f"TLS certificate of {host} is not valid ({exc.verify_message}).") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if isinstance(exc, _DeadlineExceeded) or time.monotonic() >= deadline:
            raise TransientFetchError(f"Overall deadline of {policy.deadline:.0f}s exceeded.") from None
        if isinstance(exc, TimeoutError | socket.timeout):
            raise TransientFetchError(f"Timed out talking to {host} ({exc}).") from None
        if isinstance(exc, http.client.LineTooLong | http.client.HTTPException) and not isinstance(
            exc, http.client.IncompleteRead | http.client.RemoteDisconnected
        ):
            raise PermanentFetchError(f"{host} sent a malformed HTTP response ({type(exc).__name__}).") from None
        raise TransientFetchError(f"Connection to {host} failed ({type(exc).__name__}: {exc}).") from None
    finally:
        if conn is not None:
            conn.close()
        else:
            sock.close()


def _media_type(content_type: str) -> tuple[str, str]:
    media, _, params = (content_type or "").partition(";")
    charset = ""
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.strip().lower(), charset


def _check_content_type(content_type: str, policy: FetchPolicy) -> None:
    media, _ = _media_type(content_type)
    if media not in policy.content_types and not (policy is FEED and media.endswith("+xml")):
        raise PermanentFetchError(f"Content type {media!r} is not accepted for a {policy.name}.")


def _retry_after(value: str) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    with contextlib.suppress(TypeError, ValueError, IndexError):
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    return None


def fetch(url: str, *, policy: FetchPolicy = PAGE, etag: str = "", last_modified: str = "") -> FetchResult:
    """GET `url` under `policy`. Returns a FetchResult (status 200 or 304) or raises a FetchError."""
    deadline = time.monotonic() + policy.deadline
    headers = {"User-Agent": USER_AGENT, "Accept": policy.accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url.strip()
    seen: list[str] = []
    while True:
        status, response_headers, body = _one_request(current, policy, headers, deadline)
        if status in (301, 302, 303, 307, 308):
            location = response_headers.get("location", "").strip()
            if not location:
                raise PermanentFetchError(f"Redirect {status} without a Location header.", status=status)
            seen.append(current)
            nxt = urljoin(current, location)
            if nxt in seen:
                raise PermanentFetchError(f"Redirect loop at {nxt}.", status=status)
            if len(seen) > MAX_REDIRECTS:
                raise PermanentFetchError(f"More than {MAX_REDIRECTS} redirects.", status=status)
            current = nxt  # the next hop is checked like the first: shape, DNS, addresses
            continue
        if status in (200, 203, 204, 304):
            media, charset = _media_type(response_headers.get("content-type", ""))
            return FetchResult(
                url=current,
                status=304 if status == 304 else 200,
                body=body,
                content_type=media,
                charset=charset,
                headers=response_headers,
                redirects=tuple(seen),
            )
        if status in (408, 425, 429) or status >= 500:
            raise TransientFetchError(
                f"HTTP {status} from {current}.",
                retry_after=_retry_after(response_headers.get("retry-after", "")),
                status=status,
            )
        raise PermanentFetchError(f"HTTP {status} from {current}.", status=status)
