"""Celery tasks: thin wrappers that take ids and call one service.

Every task is idempotent (the services claim their work), so acks_late redelivery is harmless.
Only named transient errors are retried, with jittered exponential backoff capped well below the
broker's visibility timeout (3600 s), or Redis would redeliver the waiting task (celery#2599).
"""

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from celery.signals import task_prerun
from django.db import InterfaceError, OperationalError, close_old_connections

from tracker.ingest import services
from tracker.sources.fetching import TransientFetchError
from tracker.sources.models import Article, Feed

# Database connection dropped mid-task: worth another try, like a fetch timeout.
DB_TRANSIENT = (OperationalError, InterfaceError)
RETRY = {
    "retry_backoff": 5,  # 5, 10, 20, 40 … seconds, full jitter
    "retry_backoff_max": 600,  # < visibility_timeout (3600)
    "retry_jitter": True,
}


@task_prerun.connect
def _database_connection_hygiene(task=None, **kwargs) -> None:
    """Before each task on a worker, what Django does before each request: drop a connection that is
    broken or older than CONN_MAX_AGE (settings.CELERY_DB_REUSE_MAX keeps Celery from closing it every
    time). Not for eager runs: they share the caller's connection, maybe inside its transaction."""
    if task is not None and task.request.is_eager:
        return
    close_old_connections()


@shared_task(name="tracker.health")
def health(token: str) -> str:
    """Round-trip check for a worker: echoes its argument."""
    return f"pong:{token}"


@shared_task(name="tracker.ingest.dispatch_due_feeds", base=DjangoTask, ignore_result=True)
def dispatch_due_feeds() -> int:
    """The beat tick: queue one poll per due feed."""
    return services.feeds_dispatch_due()


@shared_task(name="tracker.ingest.requeue_stale_articles", base=DjangoTask, ignore_result=True)
def requeue_stale_articles() -> int:
    """Re-publish articles whose message was lost (e.g. enqueued while the broker was down)."""
    return services.articles_requeue_stale()


@shared_task(
    name="tracker.ingest.poll_feed",
    base=DjangoTask,
    ignore_result=True,
    autoretry_for=DB_TRANSIENT,
    max_retries=3,
    **RETRY,
)
def poll_feed(feed_id: int) -> str:
    """Poll one feed. Fetch failures are not retried here: the feed's own schedule backs off."""
    try:
        return services.feed_poll(feed_id=feed_id).outcome
    except Feed.DoesNotExist:
        return "gone"


@shared_task(
    name="tracker.ingest.process_article",
    base=DjangoTask,
    ignore_result=True,
    autoretry_for=(TransientFetchError, *DB_TRANSIENT),
    max_retries=services.MAX_ARTICLE_ATTEMPTS,
    **RETRY,
)
def process_article(article_id: int) -> str:
    """Fetch, extract, dedupe and analyse one article. Permanent failures end in a status, not a retry."""
    try:
        return services.article_process(article_id=article_id).status
    except Article.DoesNotExist:
        return "gone"
