"""Feed parsing: every RSS flavour and Atom, and the hostile feeds of the reliability table (rows 1-3, 10)."""

import time
import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import FeedFactory
from tests.httpd import Route, allow_loopback, serve_http
from tracker.ingest.feeds import FeedParseError, parse_feed
from tracker.ingest.services import feed_poll
from tracker.sources.models import Article, Feed

httpd = pytest.fixture(serve_http)
fetch_settings = pytest.fixture(allow_loopback)

BASE = "https://news.example/feed.xml"

RSS_091 = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "">
<rss version="0.91"><channel><title>Wire 0.91</title><link>https://news.example/</link>
<description>d</description><language>en</language>
<item><title>Seoul weighs shells</title><link>https://news.example/a/1</link></item>
</channel></rss>"""

RSS_092 = b"""<?xml version="1.0"?><rss version="0.92"><channel><title>Wire 0.92</title>
<item><title>One</title><link>https://news.example/a/1</link></item>
<item><title>Two</title><link>https://news.example/a/2</link></item></channel></rss>"""

RSS_10 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://news.example/"><title>Wire 1.0</title><link>https://news.example/</link>
<description>d</description></channel>
<item rdf:about="https://news.example/a/1"><title>One</title><link>https://news.example/a/1</link>
<dc:date>2024-10-21T09:00:00Z</dc:date></item>
</rdf:RDF>"""

RSS_20 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Wire 2.0</title><link>https://news.example/</link><description>d</description>
<item><title>Seoul considers lethal aid</title><link>https://news.example/a/1?utm_source=rss</link>
<pubDate>Mon, 21 Oct 2024 09:00:00 +0900</pubDate><guid>a1</guid></item>
<item><title>Relative link</title><link>/a/2</link></item>
<item><title>Script link</title><link>javascript:alert(1)</link></item>
<item><title>Duplicate</title><link>https://news.example/a/1?utm_source=rss</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire Atom</title><id>urn:x</id><updated>2024-10-21T00:00:00Z</updated>
<entry><title>Atom one</title><id>urn:1</id><link rel="alternate" href="https://news.example/atom/1"/>
<updated>2024-10-22T10:00:00Z</updated></entry>
<entry><title>Atom two</title><id>https://news.example/atom/2</id><updated>2024-10-23T10:00:00Z</updated></entry>
</feed>"""


@pytest.mark.parametrize(
    ("body", "version", "first_url"),
    [
        (RSS_091, "rss091n", "https://news.example/a/1"),
        (RSS_092, "rss092", "https://news.example/a/1"),
        (RSS_10, "rss10", "https://news.example/a/1"),
        (RSS_20, "rss20", "https://news.example/a/1?utm_source=rss"),
        (ATOM, "atom10", "https://news.example/atom/1"),
    ],
)
def test_it_reads_every_rss_flavour_and_atom(body, version, first_url):
    parsed = parse_feed(body, url=BASE)

    assert parsed.version == version
    assert parsed.entries[0].url == first_url
    assert parsed.problem == ""


def test_it_resolves_relative_links_drops_scripts_and_duplicates_and_reads_dates():
    parsed = parse_feed(RSS_20, url=BASE)

    assert [e.url for e in parsed.entries] == ["https://news.example/a/1?utm_source=rss", "https://news.example/a/2"]
    assert parsed.entries[0].published_at.isoformat() == "2024-10-21T00:00:00+00:00"
    assert parsed.title == "Wire 2.0"


def test_atom_entries_without_a_link_use_a_permalink_id():
    parsed = parse_feed(ATOM, url=BASE)

    assert [e.url for e in parsed.entries] == ["https://news.example/atom/1", "https://news.example/atom/2"]


# --- Row 1: billion laughs --------------------------------------------------------------------
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>https://news.example/lol</link></item></channel></rss>"""


def test_a_billion_laughs_feed_parses_fast_in_little_memory_without_expanding():
    tracemalloc.start()
    started = time.monotonic()
    try:
        try:
            parsed = parse_feed(BILLION_LAUGHS, url=BASE)
            titles = [parsed.title] + [e.title for e in parsed.entries]
            problem = parsed.problem
        except FeedParseError as exc:
            titles, problem = [], str(exc)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert time.monotonic() - started < 2
    assert peak < 50 * 1024 * 1024
    assert all(len(t) < 1000 for t in titles)  # a billion "lol"s would be 3 GB
    assert problem  # flagged


# --- Row 2: external entities and DTDs ----------------------------------------------------------
XXE_FILE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>t &xxe;</title>
<item><title>leak &xxe;</title><link>https://news.example/x</link><description>&xxe;</description></item>
</channel></rss>"""


def test_an_external_file_entity_is_never_read():
    parsed = parse_feed(XXE_FILE, url=BASE)

    everything = parsed.title + " ".join(e.title for e in parsed.entries)
    assert "root:" not in everything
    assert [e.url for e in parsed.entries] == ["https://news.example/x"]


@pytest.mark.django_db
def test_an_external_dtd_is_never_requested_and_nothing_leaks_into_the_database(httpd, fetch_settings):
    # Given a feed pointing at an external DTD and a parameter entity on the same server
    httpd.add("/evil.dtd", body=b'<!ENTITY leak SYSTEM "file:///etc/passwd">', content_type="application/xml-dtd")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{httpd.url("/evil.dtd")}">'
        f'<!DOCTYPE x [<!ENTITY % remote SYSTEM "{httpd.url("/evil.dtd")}"> %remote;]>'
        '<rss version="2.0"><channel><title>t</title><item><title>hi &leak;</title>'
        "<link>https://news.example/dtd</link></item></channel></rss>"
    ).encode()
    feed = FeedFactory(url=httpd.add("/feed.xml", body=body, content_type="application/rss+xml"))

    # When it is polled
    feed_poll(feed_id=feed.id)

    # Then the DTD was never fetched and no file content was stored
    assert httpd.hits_for("/evil.dtd") == []
    assert not Article.objects.filter(title__contains="root:").exists()


# --- Row 3: truncated, wrong charset, BOM, empty --------------------------------------------------
def test_a_truncated_feed_keeps_the_complete_entries_and_records_the_problem():
    body = RSS_092[: RSS_092.index(b"<item><title>Two")] + b"<item><title>Tw"

    parsed = parse_feed(body, url=BASE)

    assert [e.url for e in parsed.entries] == ["https://news.example/a/1"]
    assert parsed.problem


def test_a_wrongly_declared_charset_still_yields_entries():
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Café</title>'
        "<item><title>Défense: Séoul envisage</title><link>https://news.example/fr/1</link></item></channel></rss>"
    ).encode("cp1252")

    parsed = parse_feed(body, url=BASE, content_type="application/rss+xml; charset=utf-8")

    assert [e.url for e in parsed.entries] == ["https://news.example/fr/1"]
    assert parsed.entries[0].title.startswith("D")
    assert parsed.problem


def test_a_byte_order_mark_is_fine():
    parsed = parse_feed(b"\xef\xbb\xbf" + RSS_092, url=BASE)

    assert len(parsed.entries) == 2
    assert parsed.problem == ""


@pytest.mark.parametrize("body", [b"", b"   \n", b"<html><body>Not a feed</body></html>", b"\x00\x01\x02"])
def test_empty_or_non_feed_bodies_raise_feed_parse_error(body):
    with pytest.raises(FeedParseError):
        parse_feed(body, url=BASE)


def test_nul_bytes_never_reach_titles_or_links():
    body = RSS_092.replace(b"<title>One</title>", b"<title>O\x00ne</title>")

    parsed = parse_feed(body, url=BASE)

    assert all("\x00" not in e.title and "\x00" not in e.url for e in parsed.entries)


@given(st.binary(max_size=2000))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_arbitrary_bytes_either_parse_or_raise_feed_parse_error(body):
    try:
        parsed = parse_feed(body, url=BASE)
    except FeedParseError:
        return
    assert all(e.url.startswith(("http://", "https://")) for e in parsed.entries)


# --- Through a poll: the feed's health follows what the parser saw --------------------------------
@pytest.mark.django_db
def test_an_empty_200_is_a_soft_failure_on_the_feed(httpd, fetch_settings):
    feed = FeedFactory(url=httpd.add("/feed.xml", body=b"", content_type="application/rss+xml"))

    result = feed_poll(feed_id=feed.id)

    feed.refresh_from_db()
    assert result.outcome == "error"
    assert feed.status == Feed.Status.ERROR
    assert feed.failure_score == 0.5
    assert "empty" in feed.last_error


@pytest.mark.django_db
def test_a_malformed_feed_with_entries_is_a_success_with_a_warning(httpd, fetch_settings):
    body = RSS_092[: RSS_092.index(b"<item><title>Two")] + b"<item><title>Tw"
    feed = FeedFactory(url=httpd.add("/feed.xml", Route(body=body, content_type="application/rss+xml")))

    result = feed_poll(feed_id=feed.id)

    feed.refresh_from_db()
    assert result.outcome == "ok"
    assert result.new == 1
    assert feed.status == Feed.Status.OK
    assert feed.parse_warning
    assert feed.last_error == ""


@pytest.mark.django_db
def test_nul_bytes_in_a_feed_are_stored_safely(httpd, fetch_settings):
    title = "O\x00ne \u200f\u0639\u0631\u0628\u064a 🚀".encode()  # NUL, RTL mark, Arabic, emoji
    body = RSS_092.replace(b"<title>One</title>", b"<title>" + title + b"</title>")
    feed = FeedFactory(url=httpd.add("/feed.xml", body=body, content_type="application/rss+xml"))

    result = feed_poll(feed_id=feed.id)

    assert result.new == 2
    titles = set(Article.objects.values_list("title", flat=True))
    assert any(t.startswith("One") and "🚀" in t for t in titles)
