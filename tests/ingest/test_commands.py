"""The contract's commands: add_feed, poll_feeds [--all], ingest_url, and ingest_folder."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.httpd import Route, allow_loopback, serve_http
from tests.ingest.pages import GERMANY_TAURUS, KOREA_CONSIDERING, article_page
from tracker.ingest import services
from tracker.review.models import Suggestion
from tracker.sources.models import Article, Feed, Outlet

httpd = pytest.fixture(serve_http)
fetch_settings = pytest.fixture(allow_loopback)


@pytest.fixture
def eager(monkeypatch):
    """The embedded default: no broker, tasks run in-process right after commit."""
    from tracker.celery import app

    monkeypatch.setattr(app.conf, "task_always_eager", True)


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def rss(*links: str) -> bytes:
    items = "".join(f"<item><title>T{i}</title><link>{link}</link></item>" for i, link in enumerate(links))
    return f'<rss version="2.0"><channel><title>Local wire</title>{items}</channel></rss>'.encode()


@pytest.mark.django_db
def test_add_feed_registers_the_feed_and_approves_the_outlet(fetch_settings):
    output = run("add_feed", "http://127.0.0.1:8999/rss.xml", "--outlet", "Local Wire", "--approve")

    feed = Feed.objects.get()
    assert feed.outlet.name == "Local Wire"
    assert feed.outlet.review_status == Outlet.ReviewStatus.APPROVED
    assert f"feed {feed.id}: http://127.0.0.1:8999/rss.xml" in output


@pytest.mark.django_db
def test_add_feed_refuses_a_forbidden_url(fetch_settings):
    with pytest.raises(CommandError, match="Only http and https"):
        run("add_feed", "file:///etc/passwd", "--outlet", "Nope")
    assert Feed.objects.count() == 0


def test_poll_feeds_all_fills_the_review_queue_and_prints_one_line_per_feed(
    reference_data, httpd, fetch_settings, eager
):
    # Given a feed with two stories (and a quiet second feed)
    korea = httpd.add("/a/1", Route(body=article_page("Seoul weighs lethal aid", KOREA_CONSIDERING)))
    germany = httpd.add("/a/2", Route(body=article_page("Scholz rules out Taurus", GERMANY_TAURUS)))
    httpd.add("/feed.xml", Route(body=rss(korea, germany), content_type="application/rss+xml"))
    httpd.add("/quiet.xml", Route(status=304, content_type=""))
    run("add_feed", httpd.url("/feed.xml"), "--outlet", "Local Wire", "--approve")
    run("add_feed", httpd.url("/quiet.xml"), "--outlet", "Local Wire")

    # When every feed is polled
    output = run("poll_feeds", "--all", "--timeout", "30")

    # Then the articles went through the pipeline and one line per feed was printed
    lines = output.strip().splitlines()
    assert len(lines) == 2
    assert "feed.xml>: ok (HTTP 200), 2 entries, 2 new: 2 analysed" in lines[0]
    assert "quiet.xml>: not_modified (HTTP 304)" in lines[1]
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.ANALYSED}
    assert Suggestion.objects.filter(donor="KOR", recipient="UKR").exists()
    assert Suggestion.objects.filter(donor="DEU", recipient="UKR").exists()

    # And a second run finds nothing new
    again = run("poll_feeds", "--all", "--timeout", "5")
    assert "2 entries, 0 new" in again
    assert Article.objects.count() == 2


def test_poll_feeds_without_all_polls_only_due_feeds(reference_data, httpd, fetch_settings, eager):
    from datetime import timedelta

    from django.utils import timezone

    httpd.add("/due.xml", Route(body=rss(), content_type="application/rss+xml"))
    httpd.add("/later.xml", Route(body=rss(), content_type="application/rss+xml"))
    run("add_feed", httpd.url("/due.xml"), "--outlet", "Local")
    run("add_feed", httpd.url("/later.xml"), "--outlet", "Local")
    Feed.objects.filter(url__endswith="later.xml").update(next_poll_at=timezone.now() + timedelta(hours=1))

    output = run("poll_feeds")

    assert "due.xml" in output
    assert "later.xml" not in output
    assert httpd.hits_for("/later.xml") == []


def test_poll_feeds_says_so_when_no_worker_takes_the_articles(reference_data, httpd, fetch_settings, monkeypatch):
    # Given a broker that accepts messages but no worker consumes them
    published = []
    monkeypatch.setattr(services, "_publish", lambda name, *args: published.append((name, *args)))
    httpd.add("/feed.xml", Route(body=rss(httpd.url("/a/1")), content_type="application/rss+xml"))
    run("add_feed", httpd.url("/feed.xml"), "--outlet", "Local")

    with pytest.raises(CommandError, match="still in the pipeline"):
        run("poll_feeds", "--all", "--timeout", "1")

    assert published == [("process_article", Article.objects.get().id)]


@pytest.mark.django_db
def test_poll_feeds_with_nothing_due_says_so():
    assert "No feeds are due" in run("poll_feeds")


@pytest.mark.django_db
def test_ingest_url_prints_the_outcome(httpd, fetch_settings):
    url = httpd.add("/a/1", Route(body=article_page("Seoul weighs lethal aid", KOREA_CONSIDERING)))

    output = run("ingest_url", url, "--outlet", "Local Wire")

    article = Article.objects.get()
    assert output.startswith(f"article {article.id}: analysed;")
    assert "suggestion(s)" in output
    assert article.outlet.name == "Local Wire"


@pytest.mark.django_db
def test_ingest_url_fails_loudly_on_a_404(httpd, fetch_settings):
    with pytest.raises(CommandError, match="rejected"):
        run("ingest_url", httpd.add("/gone", Route(status=404)))


@pytest.mark.django_db
def test_ingest_folder_prints_each_page_and_a_summary(tmp_path):
    (tmp_path / "a.html").write_bytes(article_page("Seoul weighs lethal aid", KOREA_CONSIDERING))
    (tmp_path / "b.html").write_bytes(b"<html><body>too short</body></html>")

    output = run("ingest_folder", str(tmp_path))

    assert "analysed  https://saved.invalid/a.html" in output
    assert "rejected  https://saved.invalid/b.html" in output
    assert output.strip().endswith("2 page(s): 1 analysed, 1 rejected")


def test_ingest_folder_refuses_a_missing_folder(tmp_path):
    with pytest.raises(CommandError, match="not a folder"):
        run("ingest_folder", str(tmp_path / "missing"))
