import pytest

from tracker.sources.canonical import canonical_url, registrable_domain, url_hash

ONE_ARTICLE = "https://example.com/news/kor-ukraine"


@pytest.mark.parametrize(
    "variant",
    [
        "http://example.com/news/kor-ukraine",
        "https://www.example.com/news/kor-ukraine",
        "https://EXAMPLE.com/news/kor-ukraine/",
        "https://example.com/news/kor-ukraine#comments",
        "https://example.com:443/news/kor-ukraine",
        "https://example.com/news/kor-ukraine?utm_source=rss&utm_medium=feed",
        "https://example.com/news/kor-ukraine?fbclid=abc&gclid=def",
        "  https://example.com/news/kor-ukraine  ",
    ],
)
def test_scheme_host_slash_fragment_and_tracking_variants_share_one_canonical_url(variant):
    assert canonical_url(variant) == ONE_ARTICLE
    assert url_hash(variant) == url_hash(ONE_ARTICLE)


def test_meaningful_query_parameters_are_kept_and_sorted():
    assert (
        canonical_url("https://example.com/story?page=2&id=7&utm_campaign=x") == "https://example.com/story?id=7&page=2"
    )


def test_different_articles_keep_different_hashes():
    assert url_hash("https://example.com/story?id=7") != url_hash("https://example.com/story?id=8")
    assert url_hash("https://example.com/a") != url_hash("https://example.org/a")


def test_a_non_default_port_stays_in_the_url():
    assert canonical_url("http://127.0.0.1:8081/feed/") == "https://127.0.0.1:8081/feed"


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.news.bbc.co.uk/x", "bbc.co.uk"),
        ("https://en.yna.co.kr/view/AEN2024", "yna.co.kr"),
        ("https://www.reuters.com/world/", "reuters.com"),
        ("http://127.0.0.1:8000/page", "127.0.0.1"),
        ("http://localhost/page", "localhost"),
    ],
)
def test_the_registrable_domain_groups_subdomains_under_one_outlet(url, domain):
    assert registrable_domain(url) == domain
