"""Fault drills with real Celery workers on a throwaway Redis (rows 18-24 of the reliability table).

Each drill starts its own `redis-server` on a free port and its own worker processes
(`celery -A tests.ingest.drill_app worker`), against the test PostgreSQL database, and stops them
afterwards; the machine's shared Redis is never touched. The test process publishes to the drill
Redis through the project's Celery app, as the web app would.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.utils import timezone

from tests.factories import FeedFactory, UserFactory
from tests.httpd import Route, serve_http
from tests.ingest.pages import KOREA_CONSIDERING, article_page
from tracker import roles
from tracker.celery import app
from tracker.ingest import services, tasks
from tracker.review.models import Suggestion
from tracker.sources.models import Article, Feed

pytestmark = [pytest.mark.worker, pytest.mark.timeout(180)]

ROOT = Path(__file__).resolve().parents[2]
httpd = pytest.fixture(serve_http)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class DrillRedis:
    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tmp_path
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--dir", str(self.dir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        wait_for(lambda: self._ping(client), 10, "redis-server to answer")

    @staticmethod
    def _ping(client):
        try:
            return client.ping()
        except redis.RedisError:
            return False

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None


class Worker:
    def __init__(self, name: str, log: Path, env: dict):
        self.name = name
        self.log = log
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tests.ingest.drill_app", "worker", "-P", "prefork", "-c", "1"]
            + ["-n", f"{name}@%h", "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "INFO"],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so a SIGKILL takes the children too
        )
        wait_for(lambda: " ready." in self.output() or self.proc.poll() is not None, 60, f"worker {name}")
        assert self.proc.poll() is None, self.output()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def drill_redis(tmp_path):
    server = DrillRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def publish_to_drill(drill_redis):
    """Point the project's Celery app (used by the services' on-commit publishing) at the drill Redis."""
    old = app.conf.broker_url
    app.conf.broker_url = drill_redis.url
    app._pool = None
    app.amqp._producer_pool = None
    yield
    app.conf.broker_url = old
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def start_worker(reference_data, drill_redis, publish_to_drill, tmp_path):
    """Start drill workers: `start_worker("w1", visibility_timeout=3, fault="")`."""
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    workers = []

    def start(name: str, *, visibility_timeout: float = 3600, fault: str = "") -> Worker:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": drill_redis.url,
            "FETCH_ALLOW_PRIVATE": "1",
            "DRILL_VISIBILITY_TIMEOUT": str(visibility_timeout),
            "DRILL_FAULT": fault,
        }
        worker = Worker(name, tmp_path / f"{name}.log", env)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
    connection.close()


@pytest.fixture(autouse=True)
def _no_politeness(settings):
    settings.FETCH_ALLOW_PRIVATE = True
    settings.FETCH_DOMAIN_INTERVAL = 0


def korea_page() -> bytes:
    return article_page("South Korea weighs lethal aid to Ukraine", KOREA_CONSIDERING)


def status_of(article_id: int) -> str:
    return Article.objects.get(id=article_id).status


# --- Row 19: SIGKILL mid-task ---------------------------------------------------------------------
def test_a_worker_killed_mid_task_is_redelivered_and_yields_one_article_and_one_suggestion(httpd, start_worker):
    # Given a page whose first request hangs, so the first worker is mid-task when we kill it
    requests_seen = []

    def page(handler):
        requests_seen.append(time.monotonic())
        if len(requests_seen) == 1:
            time.sleep(20)
        body = korea_page()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    first = start_worker("first", visibility_timeout=3)
    article = services.article_enqueue(url=httpd.add("/a/1", page))  # published on commit
    wait_for(lambda: requests_seen, 30, "the first worker to start fetching")
    assert Article.objects.get(id=article.id).attempts == 1

    # When the worker is SIGKILLed mid-fetch and another worker comes up
    first.kill()
    start_worker("second", visibility_timeout=3)

    # Then the message is redelivered and processed exactly once more
    wait_for(lambda: status_of(article.id) == Article.Status.ANALYSED, 60, "redelivery")
    article.refresh_from_db()
    assert Article.objects.count() == 1
    assert article.attempts == 2
    suggestions = Suggestion.objects.filter(article=article)
    assert suggestions.filter(donor="KOR", recipient="UKR", scope__isnull=True).count() == 1
    assert suggestions.count() == len({(s.donor_id, s.recipient_id, s.scope_id) for s in suggestions})


# --- Rows 20 and 24: two workers, one feed ----------------------------------------------------------
def test_two_workers_given_the_same_feed_make_one_poll(httpd, start_worker):
    def slow_feed(handler):
        time.sleep(1.5)
        body = (
            f'<rss version="2.0"><channel><title>w</title><item><link>{httpd.url("/a/1")}</link></item></channel></rss>'
        )
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body.encode())

    httpd.add("/a/1", Route(body=korea_page()))
    feed = FeedFactory(url=httpd.add("/feed.xml", slow_feed), next_poll_at=None)
    workers = [start_worker("one"), start_worker("two")]

    # The same poll message twice (a duplicate delivery) plus two beat ticks arriving together
    tasks.poll_feed.delay(feed.id)
    tasks.poll_feed.delay(feed.id)
    tasks.dispatch_due_feeds.delay()
    tasks.dispatch_due_feeds.delay()

    def logs():
        return "".join(w.output() for w in workers)

    def finished(task: str) -> list[str]:
        return re.findall(rf"tracker\.ingest\.{task}\[[^\]]+\] succeeded in [\d.]+s: '?(\w+)'?", logs())

    dispatched = wait_for(
        lambda: len(finished("dispatch_due_feeds")) == 2 and finished("dispatch_due_feeds"), 60, "ticks"
    )
    expected_polls = 2 + sum(int(n) for n in dispatched)
    wait_for(lambda: len(finished("poll_feed")) == expected_polls, 60, "every poll message")
    wait_for(lambda: Article.objects.filter(status=Article.Status.ANALYSED).exists(), 60, "the article")

    assert finished("poll_feed").count("ok") == 1
    assert len(httpd.hits_for("/feed.xml")) == 1
    assert Article.objects.count() == 1
    assert Feed.objects.get(id=feed.id).poll_claimed_until is None


# --- Row 18: transient errors retried with backoff; 404/410 not retried ------------------------------
def test_transient_errors_are_retried_with_backoff_and_gone_pages_are_not(httpd, start_worker):
    hits = []

    def flaky(handler):
        hits.append(time.monotonic())
        if len(hits) <= 2:
            handler.send_response(503)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        body = korea_page()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    worker = start_worker("retrier")
    flaky_article = services.article_enqueue(url=httpd.add("/flaky", flaky))
    gone_article = services.article_enqueue(url=httpd.add("/gone", Route(status=410)))

    wait_for(lambda: status_of(flaky_article.id) == Article.Status.ANALYSED, 90, "the retries to succeed")
    wait_for(lambda: status_of(gone_article.id) == Article.Status.REJECTED, 30, "the 410")

    flaky_article.refresh_from_db()
    assert len(hits) == 3
    assert flaky_article.attempts == 3
    retries = re.findall(r"process_article\[[^\]]+\] retry: Retry in (\d+)s", worker.output())
    assert len(retries) == 2
    assert all(0 <= int(seconds) <= 600 for seconds in retries)
    assert len(httpd.hits_for("/gone")) == 1
    gone_article.refresh_from_db()
    assert gone_article.attempts == 1
    assert "410" in gone_article.error


# --- Row 23: a poison task ends FAILED after bounded attempts ----------------------------------------
def test_a_poison_article_that_kills_its_worker_ends_failed_after_bounded_attempts(httpd, start_worker):
    worker = start_worker("poisoned", fault="crash_in_extraction")
    article = services.article_enqueue(url=httpd.add("/a/1", Route(body=korea_page())))

    wait_for(lambda: status_of(article.id) == Article.Status.FAILED, 120, "the poison article to be given up")

    article.refresh_from_db()
    assert article.attempts == services.MAX_ARTICLE_ATTEMPTS
    assert "Gave up after 5 attempts" in article.error
    assert len(httpd.hits_for("/a/1")) == services.MAX_ARTICLE_ATTEMPTS
    assert worker.output().count("WorkerLostError") >= services.MAX_ARTICLE_ATTEMPTS
    assert worker.proc.poll() is None  # the worker itself survived and keeps serving


# --- Row 22: Redis stopped → pages serve; polling resumes when it is back -------------------------------
def test_with_redis_stopped_pages_serve_and_polling_resumes_when_it_is_back(
    httpd, start_worker, drill_redis, settings, client
):
    # Given the web app's cache and broker on the drill Redis, and a worker
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": drill_redis.url}
    }
    start_worker("survivor")
    httpd.add("/a/1", Route(body=korea_page()))
    feed_body = f'<rss version="2.0"><channel><item><link>{httpd.url("/a/1")}</link></item></channel></rss>'
    feed = FeedFactory(url=httpd.add("/feed.xml", Route(body=feed_body.encode(), content_type="application/rss+xml")))
    client.force_login(UserFactory(username="analyst-drill", roles=[roles.ANALYST]))

    # When Redis stops
    drill_redis.stop()

    # Then pages still serve, and enqueueing logs instead of failing
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 200
    queued = services.article_enqueue(url=httpd.url("/a/1"))
    assert status_of(queued.id) == Article.Status.QUEUED

    # And once Redis is back, polling and processing resume
    drill_redis.start()
    tasks.poll_feed.delay(feed.id)
    wait_for(lambda: Feed.objects.get(id=feed.id).last_polled_at is not None, 60, "the poll after the outage")
    services.articles_requeue_stale(now=timezone.now() + services.STALE_QUEUED_AFTER * 2)
    wait_for(lambda: status_of(queued.id) == Article.Status.ANALYSED, 60, "the swept article")
    assert Feed.objects.get(id=feed.id).status == Feed.Status.OK
