"""Main text and metadata from a fetched page: trafilatura on bytes we fetched ourselves.

Never trafilatura's `fetch_url`: its downloader retries without certificate checks
(`INSECURE_SSL_FALLBACK`), so the fetch helper's guarded client does the network part and hands us bytes.
"""

import contextlib
import functools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import trafilatura
from htmldate import find_date
from lxml import html as lxml_html
from py3langid.langid import MODEL_FILE, LanguageIdentifier
from trafilatura.metadata import examine_meta, extract_meta_json, extract_title
from trafilatura.settings import use_config
from trafilatura.utils import load_html
from w3lib.encoding import html_to_unicode

# A 100-word wire brief is about 550-650 characters of text; navigation stubs, cookie walls and
# "subscribe to read" teasers rarely reach 40 words of running prose once boilerplate is gone.
MIN_WORDS = 40
MIN_CHARS = 200
# Language guesses below this normalised probability (or on very short text) are reported as "und".
MIN_LANGUAGE_CONFIDENCE = 0.80
MIN_LANGUAGE_CHARS = 40

HTML_TYPES = {"text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml", ""}

_WORD = re.compile(r"\w+", re.UNICODE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# rel="canonical" in any case and among other rel tokens ("canonical amphtml" pages exist).
_CANONICAL_XPATH = (
    '//link[contains(concat(" ", normalize-space(translate(@rel, "CANONICAL", "canonical")), " "),'
    ' " canonical ")]/@href'
)


@dataclass(frozen=True)
class Extracted:
    title: str
    text: str
    published_at: datetime | None
    language: str
    canonical_url: str  # the page's rel=canonical href, or ""


class ExtractionRejected(Exception):
    """The page is not an article we can read; `reason` is a short machine code, str(exc) is for humans."""

    def __init__(self, reason: str, message: str = ""):
        self.reason = reason
        super().__init__(message or reason)


@functools.cache
def _trafilatura_config():
    config = use_config()
    # We apply our own minimum below (in words); trafilatura's 250-character floor would make it
    # fall back to noisier whole-page heuristics on a short wire brief.
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "120")
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


@functools.cache
def _language_identifier() -> LanguageIdentifier:
    # py3langid is deterministic (a naive Bayes model, no sampling); normalised probabilities let us
    # say "und" when it is unsure instead of guessing.
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str:
    sample = text[:4000]
    if len(sample.strip()) < MIN_LANGUAGE_CHARS:
        return "und"
    lang, prob = _language_identifier().classify(sample)
    return lang if prob >= MIN_LANGUAGE_CONFIDENCE else "und"


def _media_type(content_type: str) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _sniff_binary(body: bytes) -> str | None:
    head = body[:16]
    signatures = {
        b"%PDF": "PDF document",
        b"\x89PNG": "PNG image",
        b"\xff\xd8\xff": "JPEG image",
        b"GIF8": "GIF image",
        b"PK\x03\x04": "ZIP archive (office document?)",
        b"RIFF": "RIFF media (WebP, WAV, AVI)",
    }
    for magic, name in signatures.items():
        if head.startswith(magic):
            return name
    return None


def decode_html(body: bytes, content_type: str = "text/html") -> str:
    """Bytes → text: BOM, then the HTTP charset, then <meta charset>, then a guess. NUL bytes dropped."""
    _, text = html_to_unicode(content_type or None, body)
    return text.replace("\x00", "")


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(value[:10]), time(0, 0))
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _published_time_meta(tree) -> datetime | None:
    """The full timestamp when the page states one; htmldate (via trafilatura) gives only the day."""
    for xpath in (
        '//meta[@property="article:published_time"]/@content',
        '//meta[@itemprop="datePublished"]/@content',
        '//time[@itemprop="datePublished"]/@datetime',
    ):
        for value in tree.xpath(xpath):
            parsed = _parse_date(value.strip())
            if parsed:
                return parsed
    return None


def _canonical_href(tree) -> str:
    for href in tree.xpath(_CANONICAL_XPATH):
        href = href.strip()
        if href.startswith(("http://", "https://")):
            return href
    return ""


def _extract(tree, url: str, *, precision: bool, fast: bool):
    # `tree` is not modified: bare_extraction works on a copy of a tree it is given.
    return trafilatura.bare_extraction(
        tree,
        url=url,
        fast=fast,
        favor_precision=precision,
        include_comments=False,
        include_tables=False,
        # Metadata is read below from the same tree: trafilatura's with_metadata=True also looks for
        # authors, licences, categories and tags (half of its time on a page with heavy navigation),
        # none of which we store.
        with_metadata=False,
        # Not trafilatura's `deduplicate`: its cache is process-global, so a retry or a syndicated copy
        # of a text seen earlier in the same worker would come back empty. Our dedupe module handles copies.
        deduplicate=False,
        config=_trafilatura_config(),
    )


def _text_of(doc) -> str:
    return (doc.text or "").strip() if doc else ""


def _paragraph_chars(tree) -> int:
    """Characters of running text in the page's <p> elements: what the main text could be at most,
    give or take comments and teasers."""
    return sum(len(" ".join(p.text_content().split())) for p in tree.iter("p"))


def _main_text(tree, url: str) -> str:
    """The main text: trafilatura's own extractor in precision mode first (fast: no readability or
    jusText comparison). Only when that pass looks doubtful (too short for an article, or under half of
    the page's paragraph text, i.e. it may have kept one block of a split story) does the full cascade
    run: precision with trafilatura's fallbacks, then its default mode. On a clean article page the
    fast pass is the whole cost; on the doubtful ones the result is what the full cascade gives."""
    text = _text_of(_extract(tree, url, precision=True, fast=True))
    if _is_article(text) and 2 * len(text) >= _paragraph_chars(tree):
        return text
    for precision in (True, False):
        candidate = _text_of(_extract(tree, url, precision=precision, fast=False))
        if _is_article(candidate) and precision:
            return candidate
        if _word_count(candidate) > _word_count(text):
            text = candidate
    return text


def _title(tree) -> str:
    """The title as trafilatura's metadata step finds it: <meta> (og:title, …), then JSON-LD, then
    <title>/<h1>."""
    metadata = examine_meta(tree)
    # As in trafilatura's extract_metadata: its JSON-LD reader can fail on odd markup; the title has fallbacks.
    with contextlib.suppress(Exception):
        metadata = extract_meta_json(tree, metadata)
    return metadata.title or extract_title(tree) or ""


def _published_at(tree, url: str) -> datetime | None:
    """The full timestamp when the page states one, else htmldate's day (original date, extensive search)."""
    published = _published_time_meta(tree)
    if published:
        return published
    # As trafilatura's metadata step did: the page's own canonical URL first (dates in URL paths).
    page_url = _canonical_href(tree) or url
    return _parse_date(find_date(tree, extensive_search=True, original_date=True, url=page_url))


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _is_article(text: str) -> bool:
    return len(text) >= MIN_CHARS and _word_count(text) >= MIN_WORDS


def extract_article(body: bytes, *, url: str, content_type: str = "text/html") -> Extracted:
    """The article in `body`, or `ExtractionRejected` if it is not one (binary, empty, too little text).

    The page is parsed once (trafilatura's own parser settings); the main text, title, date and
    canonical link all come from that one tree."""
    media_type = _media_type(content_type)
    sniffed = _sniff_binary(body)
    if sniffed or media_type not in HTML_TYPES:
        what = sniffed or media_type
        raise ExtractionRejected("not_html", f"Not an HTML page ({what}); only HTML articles are extracted.")
    # lxml refuses str input that still carries an XML encoding declaration; the bytes are decoded already.
    html = _XML_DECLARATION.sub("", decode_html(body, content_type)).strip()
    if not html:
        raise ExtractionRejected("empty", "The page is empty.")
    try:
        tree = load_html(html)
    except (ValueError, lxml_html.etree.ParserError) as exc:
        raise ExtractionRejected("unparseable", f"The page could not be parsed as HTML: {exc}") from exc
    if tree is None:
        raise ExtractionRejected("unparseable", "The page could not be parsed as HTML.")

    text = _main_text(tree, url)
    words = _word_count(text)
    if not _is_article(text):
        raise ExtractionRejected(
            "no_main_text", f"Too little main text: {words} words (at least {MIN_WORDS} needed for an article)."
        )
    title = _title(tree).strip()
    return Extracted(
        title=title[:500],
        text=text,
        published_at=_published_at(tree, url),
        language=detect_language(f"{title}\n{text}"),
        canonical_url=_canonical_href(tree),
    )
