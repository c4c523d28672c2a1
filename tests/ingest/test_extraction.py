"""Extraction from bytes: main text, metadata, language, canonical link, and clean rejections."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracker.ingest.extraction import ExtractionRejected, detect_language, extract_article

DEMO = Path(__file__).resolve().parents[2] / "tracker" / "ingest" / "demo_pages"
BASE = "http://127.0.0.1:8765"


def demo_page(name: str) -> bytes:
    return (DEMO / name).read_text().replace("{base}", BASE).encode()


def page(paragraphs: list[str], *, title: str = "A story", head: str = "", charset: str = "utf-8") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title>{head}</head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>{title}</h1>{body}</article>
<footer><p>Copyright 2024 Example News. All rights reserved.</p></footer></body></html>"""


def test_it_extracts_text_title_date_language_and_canonical_from_a_news_page():
    extracted = extract_article(
        demo_page("seoul-weighs-155mm-shells.html"), url=f"{BASE}/seoul-weighs-155mm-shells.html"
    )
    assert extracted.title == "South Korea weighs sending artillery shells to Ukraine, officials say"
    assert "actively considering sending 155mm artillery shells" in extracted.text
    assert "More stories" not in extracted.text
    assert "Subscribe" not in extracted.text
    assert extracted.published_at == datetime(2024, 10, 28, 23, 15, tzinfo=UTC)
    assert extracted.language == "en"
    assert extracted.canonical_url == f"{BASE}/seoul-weighs-155mm-shells.html"


def test_it_keeps_a_100_word_wire_brief():
    extracted = extract_article(demo_page("no-cheongung-for-now.html"), url=f"{BASE}/no-cheongung-for-now.html")
    assert 90 <= len(extracted.text.split()) <= 120
    assert "Cheongung" in extracted.text


@pytest.mark.parametrize("name", sorted(p.name for p in DEMO.glob("*.html")))
def test_every_demo_page_extracts_as_an_english_article(name):
    extracted = extract_article(demo_page(name), url=f"{BASE}/{name}")
    assert extracted.language == "en"
    assert extracted.published_at is not None
    assert len(extracted.text.split()) >= 90


def test_the_canonical_link_is_empty_when_the_page_has_none():
    html = page(["Ukraine asked its partners for more air defence on Monday. " * 8])
    assert extract_article(html.encode(), url="https://news.example/a").canonical_url == ""


def test_a_relative_canonical_link_is_ignored():
    html = page(
        ["Ukraine asked its partners for more air defence on Monday. " * 8], head='<link rel="canonical" href="/a">'
    )
    assert extract_article(html.encode(), url="https://news.example/a?x=1").canonical_url == ""


def test_the_date_comes_from_the_page_when_there_is_no_timestamp_meta():
    html = page(
        ["Ukraine asked its partners for more air defence on Monday. " * 8],
        head='<meta name="date" content="2024-11-07">',
    )
    assert extract_article(html.encode(), url="https://news.example/a").published_at.date().isoformat() == "2024-11-07"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj", "application/pdf"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj", "text/html"),  # mislabelled
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
    ],
)
def test_pdfs_and_images_are_rejected_as_not_html(body, content_type):
    with pytest.raises(ExtractionRejected) as caught:
        extract_article(body, url="https://news.example/file", content_type=content_type)
    assert caught.value.reason == "not_html"
    assert "Not an HTML page" in str(caught.value)


def test_a_page_with_too_little_main_text_is_rejected():
    html = page(["Subscribe to read the full story.", "Already a member? Log in."])
    with pytest.raises(ExtractionRejected) as caught:
        extract_article(html.encode(), url="https://news.example/teaser")
    assert caught.value.reason == "no_main_text"
    assert "words" in str(caught.value)


def test_an_empty_body_is_rejected():
    with pytest.raises(ExtractionRejected) as caught:
        extract_article(b"   ", url="https://news.example/empty")
    assert caught.value.reason == "empty"


def test_nul_bytes_are_stripped():
    html = page(["Seoul said\x00 it was reviewing the supply of artillery shells to Kyiv on Tuesday. " * 6])
    extracted = extract_article(html.encode(), url="https://news.example/nul")
    assert "\x00" not in extracted.text
    assert "Seoul said it was reviewing" in extracted.text


def test_a_legacy_charset_declared_in_the_page_survives():
    text = "Министерство обороны Украины сообщило во вторник о поставке новых систем противовоздушной обороны. " * 5
    body = page([text], title="Новости", charset="windows-1251").encode("cp1251")
    extracted = extract_article(body, url="https://news.example/ru")
    assert "Министерство обороны Украины" in extracted.text
    assert extracted.language == "ru"


def test_the_http_charset_wins_for_latin_1_pages():
    text = "Die Bundesregierung in Berlin prüft die Lieferung weiterer Flugabwehrsysteme an die Ukraine, hieß es. " * 5
    body = page([text], charset="iso-8859-1").encode("latin-1")
    extracted = extract_article(body, url="https://news.example/de", content_type="text/html; charset=ISO-8859-1")
    assert "prüft die Lieferung" in extracted.text
    assert extracted.language == "de"


def test_language_is_und_for_text_too_short_to_tell():
    assert detect_language("Kyiv, Seoul") == "und"


SPLIT_STORY = [
    "Germany will send four more IRIS-T air defence systems to Ukraine by the end of the year, the defence "
    "ministry in Berlin said on Friday, adding that training of Ukrainian crews had already begun.",
    "The ministry said the systems would be delivered in two batches and that the first would arrive before "
    "winter, when Russian strikes on power plants usually intensify.",
    "Officials in Kyiv welcomed the announcement and said the new launchers would protect cities in the east.",
    "The government has faced criticism at home for the pace of deliveries, with opposition lawmakers calling "
    "for faster decisions.",
    "Chancellor Olaf Scholz said the decision showed that Germany remained one of Ukraine's biggest backers.",
    "Analysts said the new batch would fill a gap left by delayed deliveries from other allies.",
]


def test_a_story_split_around_an_advert_is_extracted_whole():
    # trafilatura's own extractor keeps only the first block here; its readability comparison (the
    # full cascade, run when the quick pass holds under half of the page's paragraph text) finds both.
    first, second = SPLIT_STORY[:2], SPLIT_STORY[2:]
    html = f"""<html><head><title>Berlin to send more IRIS-T</title></head><body><nav><a href="/">Home</a></nav>
    <div class="story-body">{"".join(f"<p>{p}</p>" for p in first)}</div>
    <div class="advert">Advertisement</div>
    <div class="story-body-2">{"".join(f"<p>{p}</p>" for p in second)}</div>
    <footer><p>Copyright 2024</p></footer></body></html>"""

    extracted = extract_article(html.encode(), url="https://news.example/iris-t")

    assert "four more IRIS-T air defence systems" in extracted.text
    assert "fill a gap left by delayed deliveries" in extracted.text


def test_a_story_in_bare_divs_without_paragraphs_is_still_found():
    html = f"<html><head><title>IRIS-T</title></head><body><div>{'</div><div>'.join(SPLIT_STORY)}</div></body></html>"

    extracted = extract_article(html.encode(), url="https://news.example/divs")

    assert extracted.text.startswith("Germany will send four more IRIS-T")
    assert "fill a gap left by delayed deliveries" in extracted.text
