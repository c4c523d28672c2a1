"""The Celery tasks: thin, ids in, idempotent, retry only transient errors with bounded jittered backoff."""

import pytest
from celery.contrib.django.task import DjangoTask
from celery.exceptions import Retry
from django.conf import settings

from tests.factories import ArticleFactory, FeedFactory
from tests.httpd import Route, allow_loopback, serve_http
from tests.ingest.pages import KOREA_CONSIDERING, article_page
from tracker.celery import app
from tracker.ingest import services, tasks
from tracker.ingest.schedules import BEAT_SCHEDULE
from tracker.sources.fetching import PermanentFetchError, TransientFetchError
from tracker.sources.models import Article

httpd = pytest.fixture(serve_http)
fetch_settings = pytest.fixture(allow_loopback)


@pytest.mark.parametrize("task", [tasks.dispatch_due_feeds, tasks.poll_feed, tasks.process_article])
def test_ingest_tasks_enqueue_on_commit_and_are_registered(task):
    assert isinstance(task, DjangoTask)
    assert hasattr(task, "delay_on_commit")
    assert task.name in app.tasks


def test_only_transient_errors_are_retried_with_bounded_jittered_backoff():
    task = tasks.process_article

    assert TransientFetchError in task.autoretry_for
    assert not any(issubclass(PermanentFetchError, exc) for exc in task.autoretry_for)
    assert task.retry_jitter is True
    assert task.retry_backoff
    assert task.retry_backoff_max < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert task.max_retries == services.MAX_ARTICLE_ATTEMPTS


def test_the_beat_schedule_has_one_minute_tick_that_expires_before_the_next():
    entry = settings.CELERY_BEAT_SCHEDULE["ingest-dispatch-due-feeds"]

    assert settings.CELERY_BEAT_SCHEDULE is BEAT_SCHEDULE
    assert entry["task"] == tasks.dispatch_due_feeds.name
    assert entry["schedule"] == 60
    assert 0 < entry["options"]["expires"] < 60
    assert all(e["task"] in app.tasks for e in BEAT_SCHEDULE.values())


@pytest.mark.django_db
def test_process_article_runs_the_service_and_a_second_run_changes_nothing(httpd, fetch_settings):
    url = httpd.add("/a/1", Route(body=article_page("Seoul weighs lethal aid", KOREA_CONSIDERING)))
    article = ArticleFactory(url=url, status=Article.Status.QUEUED, text="", canonical_url=url)

    first = tasks.process_article.apply(args=[article.id]).get()
    before = Article.objects.values().get(id=article.id)
    second = tasks.process_article.apply(args=[article.id]).get()

    assert (first, second) == ("analysed", "analysed")
    assert Article.objects.values().get(id=article.id) == before
    assert len(httpd.hits) == 1


@pytest.mark.django_db
def test_a_permanent_error_is_recorded_not_retried(httpd, fetch_settings):
    article = ArticleFactory(url=httpd.add("/gone", Route(status=410)), status=Article.Status.QUEUED, text="")

    result = tasks.process_article.apply(args=[article.id])

    assert result.get() == "rejected"
    assert len(httpd.hits) == 1


@pytest.mark.django_db
def test_a_transient_error_asks_celery_for_a_retry_and_leaves_the_article_queued(httpd, fetch_settings):
    # (Retries with real backoff on a real worker: test_worker_reliability.py.)
    article = ArticleFactory(url=httpd.add("/busy", Route(status=503)), status=Article.Status.QUEUED, text="")

    with pytest.raises(Retry):
        tasks.process_article.apply(args=[article.id])

    article.refresh_from_db()
    assert article.status == Article.Status.QUEUED
    assert 1 <= article.attempts < services.MAX_ARTICLE_ATTEMPTS
    assert "503" in article.error


@pytest.mark.django_db
def test_tasks_for_rows_that_no_longer_exist_are_no_ops():
    assert tasks.process_article.apply(args=[987654]).get() == "gone"
    assert tasks.poll_feed.apply(args=[987654]).get() == "skipped"


@pytest.mark.django_db
def test_poll_feed_polls_once_and_a_duplicate_message_is_skipped(
    httpd, fetch_settings, django_capture_on_commit_callbacks
):
    body = b'<rss version="2.0"><channel><title>x</title></channel></rss>'
    feed = FeedFactory(url=httpd.add("/feed.xml", Route(body=body, content_type="application/rss+xml")))

    assert tasks.poll_feed.apply(args=[feed.id]).get() == "ok"
    assert tasks.poll_feed.apply(args=[feed.id]).get() == "skipped"
    assert len(httpd.hits) == 1


@pytest.mark.django_db
def test_dispatch_task_queues_due_feeds(django_capture_on_commit_callbacks):
    FeedFactory.create_batch(2, next_poll_at=None)

    with django_capture_on_commit_callbacks() as callbacks:
        assert tasks.dispatch_due_feeds.apply().get() == 2
    assert [c.args[0] for c in callbacks] == ["poll_feed", "poll_feed"]
