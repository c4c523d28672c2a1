"""Main text and metadata from a fetched page: trafilatura on bytes we fetched ourselves.

Never trafilatura's `fetch_url`: its downloader retries without certificate checks
(`INSECURE_SSL_FALLBACK`), so the fetch helper's guarded client does the network part and hands us bytes.
"""

import functools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import trafilatura
from lxml import html as lxml_html
from py3langid.langid import MODEL_FILE, LanguageIdentifier
from trafilatura.settings import use_config
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


def _extract(html: str, url: str, *, precision: bool):
    return trafilatura.bare_extraction(
        html,
        url=url,
        favor_precision=precision,
        include_comments=False,
        include_tables=False,
        with_metadata=True,
        # Not trafilatura's `deduplicate`: its cache is process-global, so a retry or a syndicated copy
        # of a text seen earlier in the same worker would come back empty. Our dedupe module handles copies.
        deduplicate=False,
        date_extraction_params={"extensive_search": True, "original_date": True},
        config=_trafilatura_config(),
    )


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def extract_article(body: bytes, *, url: str, content_type: str = "text/html") -> Extracted:
    """The article in `body`, or `ExtractionRejected` if it is not one (binary, empty, too little text)."""
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
        tree = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError) as exc:
        raise ExtractionRejected("unparseable", f"The page could not be parsed as HTML: {exc}") from exc

    # Precision first (less boilerplate); if that leaves too little, a default pass before giving up,
    # so a short wire brief between heavy navigation still counts.
    doc = _extract(html, url, precision=True)
    text = (doc.text or "").strip() if doc else ""
    if _word_count(text) < MIN_WORDS or len(text) < MIN_CHARS:
        fallback = _extract(html, url, precision=False)
        fallback_text = (fallback.text or "").strip() if fallback else ""
        if _word_count(fallback_text) > _word_count(text):
            doc, text = fallback, fallback_text
    words = _word_count(text)
    if words < MIN_WORDS or len(text) < MIN_CHARS:
        raise ExtractionRejected(
            "no_main_text", f"Too little main text: {words} words (at least {MIN_WORDS} needed for an article)."
        )

    title = (doc.title or "").strip() if doc else ""
    published_at = _published_time_meta(tree) or _parse_date(doc.date if doc else None)
    return Extracted(
        title=title[:500],
        text=text,
        published_at=published_at,
        language=detect_language(f"{title}\n{text}"),
        canonical_url=_canonical_href(tree),
    )
