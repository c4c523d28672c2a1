"""Feed bytes → entries. feedparser is given bytes the guarded client fetched, never a URL.

feedparser handles RSS 0.9x/1.0/2.0 and Atom, defuses entity expansion (its `replace_doctype` keeps
only entities that reference nothing else, so billion-laughs does not expand), and never fetches
external entities or DTDs when it is handed bytes. A malformed feed keeps whatever entries the
parser recovered; the problem ("bozo") is reported so the feed's health can show it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import feedparser

# Bound the work one poll can cause; a feed with more items is read again next time.
MAX_ENTRIES = 200
MAX_TITLE = 500


class FeedParseError(Exception):
    """Nothing usable: not a feed, or an empty body."""


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str
    published_at: datetime | None


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    version: str  # feedparser's name for the format, e.g. "rss20", "atom10", "rss10"
    entries: list[FeedEntry]
    problem: str  # "" when the feed was well-formed


def _clean(text: str, limit: int) -> str:
    return " ".join((text or "").replace("\x00", "").split())[:limit]


def _when(entry) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _link(entry, base: str) -> str:
    candidates = [entry.get("link", "")]
    candidates += [
        link.get("href", "") for link in entry.get("links", []) if link.get("rel", "alternate") == "alternate"
    ]
    if not entry.get("link") and entry.get("id", "").startswith(("http://", "https://")):
        candidates.append(entry["id"])  # Atom ids that are permalinks
    for candidate in candidates:
        candidate = (candidate or "").replace("\x00", "").strip()
        if not candidate:
            continue
        absolute = urljoin(base, candidate)
        if urlsplit(absolute).scheme in ("http", "https"):
            return absolute
    return ""


def parse_feed(body: bytes, *, url: str, content_type: str = "") -> ParsedFeed:
    """Parse feed bytes. Raises FeedParseError when nothing in them is a feed."""
    if not body or not body.strip():
        raise FeedParseError("The feed answered with an empty body.")
    # No Content-Type at all is common and harmless; let feedparser sniff instead of complaining.
    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    problem = ""
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        problem = _clean(f"{type(exc).__name__}: {exc}", 500) if exc else "malformed feed"

    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for entry in parsed.entries[:MAX_ENTRIES]:
        link = _link(entry, url)
        if not link or link in seen:
            continue
        seen.add(link)
        entries.append(FeedEntry(url=link, title=_clean(entry.get("title", ""), MAX_TITLE), published_at=_when(entry)))

    version = parsed.get("version", "") or ""
    if not entries and not version:
        raise FeedParseError(f"Not a feed ({problem or 'no RSS or Atom elements found'}).")
    return ParsedFeed(
        title=_clean(parsed.feed.get("title", ""), 300),
        version=version,
        entries=entries,
        problem=problem,
    )
