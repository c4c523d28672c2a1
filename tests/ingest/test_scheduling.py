"""Scheduling and polling: the beat tick, the per-feed claim, adaptive intervals, weighted failures,
conditional GET (rows 6, 14, 20, 24 of the reliability table)."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import FeedFactory, OutletFactory
from tests.httpd import Route, allow_loopback, serve_http
from tracker.ingest import services
from tracker.ingest.services import feed_add, feed_poll, feeds_dispatch_due
from tracker.sources.models import Article, Feed, Outlet
from tracker.sources.services import feed_resume

httpd = pytest.fixture(serve_http)
fetch_settings = pytest.fixture(allow_loopback)


def rss(*links: str) -> bytes:
    items = "".join(f"<item><title>Item {i}</title><link>{link}</link></item>" for i, link in enumerate(links))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'.encode()


def feed_route(body: bytes, etag: str = '"v1"') -> Route:
    return Route(
        body=body,
        content_type="application/rss+xml",
        headers={"ETag": etag, "Last-Modified": "Mon, 21 Oct 2024 09:00:00 GMT"},
    )


def conditional_feed(body: bytes, etag: str = '"v1"'):
    """A server that honours If-None-Match like a real one."""

    def handler(request):
        if request.headers.get("If-None-Match") == etag:
            request.send_response(304)
            request.send_header("ETag", etag)
            request.end_headers()
            return
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml")
        request.send_header("ETag", etag)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    return handler


# --- feed_add ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_feed_add_registers_a_pending_outlet_and_a_due_feed(fetch_settings):
    feed = feed_add(url="http://127.0.0.1:8999/rss.xml", outlet_name="Local Wire")

    assert feed.status == Feed.Status.NEW
    assert feed.next_poll_at <= timezone.now()
    assert feed.outlet.name == "Local Wire"
    assert feed.outlet.review_status == Outlet.ReviewStatus.PENDING


@pytest.mark.django_db
def test_feed_add_with_approve_marks_the_outlet_approved_and_is_idempotent(fetch_settings, source_admin):
    first = feed_add(url="http://127.0.0.1:8999/rss.xml", outlet_name="Local Wire", approve=True, user=source_admin)
    second = feed_add(url="http://127.0.0.1:8999/rss.xml", outlet_name="Local Wire", approve=True, user=source_admin)

    assert first.id == second.id
    assert Feed.objects.count() == 1
    second.outlet.refresh_from_db()
    assert second.outlet.review_status == Outlet.ReviewStatus.APPROVED
    assert second.outlet.reviewed_by == source_admin


@pytest.mark.django_db
def test_feed_add_refuses_a_private_address_in_production_mode(settings):
    settings.FETCH_ALLOW_PRIVATE = False

    with pytest.raises(services.fetching.BlockedURLError):
        feed_add(url="http://127.0.0.1/rss.xml", outlet_name="Nope")
    assert Feed.objects.count() == 0


# --- The beat tick ----------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_tick_dispatches_only_due_active_feeds_of_unblocked_outlets(django_capture_on_commit_callbacks):
    now = timezone.now()
    due = FeedFactory(next_poll_at=now - timedelta(minutes=1), status=Feed.Status.OK)
    new = FeedFactory(next_poll_at=None)
    FeedFactory(next_poll_at=now + timedelta(minutes=5))
    FeedFactory(next_poll_at=now - timedelta(minutes=1), status=Feed.Status.FAILING)
    FeedFactory(next_poll_at=now - timedelta(minutes=1), status=Feed.Status.PAUSED)
    blocked = OutletFactory(review_status=Outlet.ReviewStatus.BLOCKED)
    FeedFactory(next_poll_at=now - timedelta(minutes=1), outlet=blocked)
    published = []

    with django_capture_on_commit_callbacks() as callbacks:
        count = feeds_dispatch_due(now=now)
    for callback in callbacks:
        published.append(callback.args)

    assert count == 2
    assert sorted(published) == sorted([("poll_feed", due.id), ("poll_feed", new.id)])


@pytest.mark.django_db
def test_a_second_tick_does_not_dispatch_the_same_feeds_again(django_capture_on_commit_callbacks):
    now = timezone.now()
    FeedFactory.create_batch(3, next_poll_at=now - timedelta(minutes=1))

    with django_capture_on_commit_callbacks() as first:
        assert feeds_dispatch_due(now=now) == 3
    with django_capture_on_commit_callbacks() as second:
        assert feeds_dispatch_due(now=now + timedelta(minutes=1)) == 0

    assert len(first) == 3
    assert second == []


@pytest.mark.django_db
def test_nothing_is_published_when_the_dispatching_transaction_rolls_back(django_capture_on_commit_callbacks):
    from django.db import transaction

    FeedFactory(next_poll_at=None)
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                feeds_dispatch_due()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass

    assert callbacks == []


# --- Polling: conditional GET, 304, validators ignored -------------------------------------------
@pytest.mark.django_db
def test_the_first_poll_creates_queued_articles_and_stores_validators(httpd, fetch_settings):
    links = [httpd.url("/a/1"), httpd.url("/a/2")]
    feed = FeedFactory(url=httpd.add("/feed.xml", feed_route(rss(*links))))

    result = feed_poll(feed_id=feed.id)

    feed.refresh_from_db()
    assert result.outcome == "ok"
    assert result.new == 2
    assert set(Article.objects.values_list("url", flat=True)) == set(links)
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.QUEUED}
    assert feed.etag == '"v1"'
    assert feed.last_modified == "Mon, 21 Oct 2024 09:00:00 GMT"
    assert feed.status == Feed.Status.OK
    assert feed.title == "Wire"
    assert feed.poll_claimed_until is None


@pytest.mark.django_db
def test_the_second_poll_sends_validators_and_a_304_writes_no_rows(httpd, fetch_settings):
    feed = FeedFactory(url=httpd.add("/feed.xml", conditional_feed(rss(httpd.url("/a/1")))))
    feed_poll(feed_id=feed.id)
    articles_before = list(Article.objects.values_list("id", "updated_at"))

    result = feed_poll(feed_id=feed.id, force=True)

    assert result.outcome == "not_modified"
    assert httpd.hits_for("/feed.xml")[1].headers["if-none-match"] == '"v1"'
    assert list(Article.objects.values_list("id", "updated_at")) == articles_before
    feed.refresh_from_db()
    assert feed.last_status_code == 304


@pytest.mark.django_db
def test_a_server_ignoring_validators_yields_no_new_articles(httpd, fetch_settings):
    feed = FeedFactory(url=httpd.add("/feed.xml", feed_route(rss(httpd.url("/a/1"), httpd.url("/a/2")))))
    feed_poll(feed_id=feed.id)

    result = feed_poll(feed_id=feed.id, force=True)

    assert result.outcome == "ok"
    assert result.entries == 2
    assert result.new == 0
    assert Article.objects.count() == 2


@pytest.mark.django_db
def test_url_variants_in_a_feed_become_one_article(httpd, fetch_settings):
    links = [
        "https://news.example/a/1?utm_source=rss&utm_medium=feed",
        "http://news.example/a/1",
        "https://www.news.example/a/1/",
        "https://news.example/a/1#comments",
    ]
    feed = FeedFactory(url=httpd.add("/feed.xml", feed_route(rss(*links))))

    result = feed_poll(feed_id=feed.id)

    assert result.new == 1
    assert Article.objects.count() == 1


# --- The per-feed claim -----------------------------------------------------------------------
@pytest.mark.django_db
def test_a_poll_while_another_holds_the_feed_is_skipped_without_a_request(httpd, fetch_settings):
    feed = FeedFactory(url=httpd.add("/feed.xml", feed_route(rss())))
    Feed.objects.filter(id=feed.id).update(poll_claimed_until=timezone.now() + timedelta(minutes=4))

    result = feed_poll(feed_id=feed.id)

    assert result.outcome == "skipped"
    assert httpd.hits == []


@pytest.mark.django_db
def test_an_expired_claim_does_not_block_polling(httpd, fetch_settings):
    feed = FeedFactory(url=httpd.add("/feed.xml", feed_route(rss())))
    Feed.objects.filter(id=feed.id).update(poll_claimed_until=timezone.now() - timedelta(seconds=1))

    assert feed_poll(feed_id=feed.id).outcome == "ok"


@pytest.mark.django_db
def test_a_duplicate_poll_message_within_a_minute_is_skipped(httpd, fetch_settings):
    feed = FeedFactory(url=httpd.add("/feed.xml", feed_route(rss())))

    first = feed_poll(feed_id=feed.id)
    second = feed_poll(feed_id=feed.id)

    assert (first.outcome, second.outcome) == ("ok", "skipped")
    assert len(httpd.hits) == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_polls_of_one_feed_make_one_request(httpd, fetch_settings):
    def slow_feed(request):
        time.sleep(0.5)
        body = rss(httpd.url("/a/1"))
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    feed = FeedFactory(url=httpd.add("/feed.xml", slow_feed))
    outcomes = []

    def poll():
        try:
            outcomes.append(feed_poll(feed_id=feed.id).outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=poll) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["ok", "skipped", "skipped", "skipped"]
    assert len(httpd.hits_for("/feed.xml")) == 1
    assert Article.objects.count() == 1


# --- Adaptive intervals -----------------------------------------------------------------------
@pytest.mark.django_db
def test_a_busy_feed_is_polled_sooner_and_a_quiet_one_later(httpd, fetch_settings):
    busy = FeedFactory(url=httpd.add("/busy.xml", feed_route(rss(*[httpd.url(f"/b/{i}") for i in range(6)]))))
    quiet = FeedFactory(url=httpd.add("/quiet.xml", Route(status=304, content_type="")))

    feed_poll(feed_id=busy.id)
    feed_poll(feed_id=quiet.id)

    busy.refresh_from_db()
    quiet.refresh_from_db()
    assert busy.poll_interval_minutes == 30
    assert quiet.poll_interval_minutes == 90
    assert timedelta(minutes=29) < busy.next_poll_at - timezone.now() <= timedelta(minutes=30)


@pytest.mark.django_db
def test_intervals_stay_within_their_bounds(httpd, fetch_settings):
    quiet = FeedFactory(url=httpd.add("/quiet.xml", Route(status=304, content_type="")), poll_interval_minutes=1400)
    busy = FeedFactory(
        url=httpd.add("/busy.xml", feed_route(rss(*[httpd.url(f"/b/{i}") for i in range(6)]))),
        poll_interval_minutes=12,
    )

    feed_poll(feed_id=quiet.id)
    feed_poll(feed_id=busy.id)

    quiet.refresh_from_db()
    busy.refresh_from_db()
    assert quiet.poll_interval_minutes == services.MAX_POLL_MINUTES
    assert busy.poll_interval_minutes == services.MIN_POLL_MINUTES


# --- Failures: weights, backoff, FAILING, resume ---------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("route", "weight"),
    [
        (Route(status=404), 1.0),
        (Route(status=410), 1.0),
        (Route(status=503), 0.25),
        (Route(body=b"<html>not a feed</html>", content_type="text/xml"), 0.5),
        (Route(body=b"<html>a page</html>", content_type="text/html"), 1.0),
    ],
)
def test_failures_are_weighted_and_recorded(route, weight, httpd, fetch_settings):
    feed = FeedFactory(url=httpd.add("/feed.xml", route))

    result = feed_poll(feed_id=feed.id)

    feed.refresh_from_db()
    assert result.outcome == "error"
    assert feed.failure_score == weight
    assert feed.consecutive_failures == 1
    assert feed.status == Feed.Status.ERROR
    assert feed.last_error
    assert feed.next_poll_at > timezone.now() + timedelta(minutes=59)
    assert feed.poll_claimed_until is None


@pytest.mark.django_db
def test_backoff_grows_with_consecutive_failures_and_honours_retry_after(httpd, fetch_settings):
    feed = FeedFactory(url=httpd.add("/feed.xml", Route(status=503, headers={"Retry-After": "10800"})))

    feed_poll(feed_id=feed.id)
    feed.refresh_from_db()
    first_wait = feed.next_poll_at - timezone.now()
    feed_poll(feed_id=feed.id, force=True)
    feed.refresh_from_db()
    second_wait = feed.next_poll_at - timezone.now()

    assert first_wait > timedelta(minutes=179)  # Retry-After: 3 h beats the 1 h interval
    assert second_wait > timedelta(minutes=179)
    assert feed.consecutive_failures == 2


@pytest.mark.django_db
def test_it_marks_the_feed_failing_after_4_hard_errors_and_stops_polling_it(httpd, fetch_settings):
    feed = FeedFactory(url=httpd.add("/feed.xml", Route(status=404)))

    for _ in range(4):
        feed_poll(feed_id=feed.id, force=True)

    feed.refresh_from_db()
    assert feed.status == Feed.Status.FAILING
    assert feed.failure_score == 4
    assert "404" in feed.last_error
    Feed.objects.filter(id=feed.id).update(next_poll_at=timezone.now() - timedelta(days=1))
    assert feeds_dispatch_due() == 0
    assert feed_poll(feed_id=feed.id, force=True).outcome == "skipped"
    assert len(httpd.hits) == 4


@pytest.mark.django_db
def test_a_success_clears_the_failure_score(httpd, fetch_settings):
    feed = FeedFactory(
        url=httpd.add("/feed.xml", feed_route(rss())), failure_score=2.5, consecutive_failures=3, status="error"
    )

    feed_poll(feed_id=feed.id)

    feed.refresh_from_db()
    assert (feed.status, feed.failure_score, feed.consecutive_failures, feed.last_error) == ("ok", 0, 0, "")


@pytest.mark.django_db
def test_an_admin_resume_makes_a_failing_feed_due_again(django_capture_on_commit_callbacks):
    feed = FeedFactory(status=Feed.Status.FAILING, failure_score=4, consecutive_failures=4)

    feed_resume(feed_id=feed.id)

    feed.refresh_from_db()
    assert (feed.status, feed.failure_score) == (Feed.Status.NEW, 0)  # never polled successfully yet
    with django_capture_on_commit_callbacks():
        assert feeds_dispatch_due() == 1


@pytest.mark.django_db
def test_a_redirect_to_loopback_marks_the_feed_in_error(httpd, settings, monkeypatch):
    settings.FETCH_ALLOW_PRIVATE = False
    settings.FETCH_DOMAIN_INTERVAL = 0
    real = services.fetching.resolve_public
    monkeypatch.setattr(
        services.fetching,
        "resolve_public",
        lambda host, port: ["127.0.0.1"] if host == "feeds.example" else real(host, port),
    )
    httpd.add("/feed.xml", status=302, headers={"Location": f"http://127.0.0.1:{httpd.port}/internal.xml"})
    httpd.add("/internal.xml", feed_route(rss("https://news.example/secret")))
    feed = FeedFactory(url=f"http://feeds.example:{httpd.port}/feed.xml")

    result = feed_poll(feed_id=feed.id)

    feed.refresh_from_db()
    assert result.outcome == "error"
    assert feed.last_error.startswith("blocked:")
    assert feed.failure_score == 1
    assert httpd.hits_for("/internal.xml") == []
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_entries_linking_to_forbidden_schemes_or_userinfo_are_skipped(httpd, fetch_settings):
    links = ["ftp://news.example/a", "https://user:pw@news.example/b", httpd.url("/ok")]
    feed = FeedFactory(url=httpd.add("/feed.xml", feed_route(rss(*links))))

    result = feed_poll(feed_id=feed.id)

    assert result.new == 1
    assert list(Article.objects.values_list("url", flat=True)) == [httpd.url("/ok")]


@pytest.mark.django_db
def test_articles_from_a_new_domain_arrive_with_a_pending_outlet(httpd, fetch_settings):
    feed = FeedFactory(url=httpd.add("/feed.xml", feed_route(rss("https://elsewhere.example/story"))))

    feed_poll(feed_id=feed.id)

    article = Article.objects.get()
    assert article.outlet.domain == "elsewhere.example"
    assert article.outlet.review_status == Outlet.ReviewStatus.PENDING
    assert article.feed == feed


@pytest.mark.django_db
def test_a_source_admin_resumes_a_failing_feed_from_the_admin(source_admin_client):
    feed = FeedFactory(status=Feed.Status.FAILING, failure_score=4.5, last_error="hard: HTTP 404")

    response = source_admin_client.post(
        "/admin/sources/feed/", {"action": "resume_polling", "_selected_action": [feed.id]}, follow=True
    )

    feed.refresh_from_db()
    assert response.status_code == 200
    assert (feed.status, feed.failure_score) == (Feed.Status.NEW, 0)  # never polled successfully yet
    assert feed.next_poll_at <= timezone.now()
