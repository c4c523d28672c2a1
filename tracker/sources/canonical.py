"""URL canonicalisation for deduplication: one article, one canonical URL, one hash."""

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import tldextract
from w3lib.url import canonicalize_url

# tldextract's bundled Public Suffix List snapshot; never fetch the list at run time.
_extract = tldextract.TLDExtract(suffix_list_urls=())

TRACKING_PARAMS = {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref", "ref_src", "cmpid"}


def _is_tracking(key: str) -> bool:
    key = key.lower()
    return key.startswith("utm_") or key in TRACKING_PARAMS


def canonical_url(url: str) -> str:
    """Lower-case host, https, no fragment, no tracking parameters, sorted query, no trailing slash."""
    parts = urlsplit(url.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)])
    host = (parts.hostname or "").lower().removeprefix("www.")
    netloc = host if parts.port in (None, 80, 443) else f"{host}:{parts.port}"
    path = parts.path.rstrip("/") or "/"
    scheme = "https" if parts.scheme in ("http", "https") else parts.scheme
    return canonicalize_url(urlunsplit((scheme, netloc, path, query, "")))


def url_hash(url: str) -> str:
    return hashlib.sha256(canonical_url(url).encode()).hexdigest()


def registrable_domain(url: str) -> str:
    """`https://www.news.bbc.co.uk/x` → `bbc.co.uk`; IPs and localhost come back as they are."""
    host = (urlsplit(url).hostname or "").lower()
    ext = _extract(host)
    return ext.top_domain_under_public_suffix or host
