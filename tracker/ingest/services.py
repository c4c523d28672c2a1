"""Ingestion writes: feeds (add, dispatch, poll) and articles (enqueue, process, ingest now).

Every function here is safe to run twice and safe to run concurrently:
- a feed poll claims its feed with a conditional UPDATE (a lease), so one poll is in flight per feed
  and a crashed poll's claim expires by itself; this works on SQLite (the embedded default) too;
- an article is created under the unique canonical-URL hash, and processed under a PostgreSQL
  advisory lock held by the processing session (released by PostgreSQL if the worker is SIGKILLed),
  with a bounded `attempts` counter so a poison article ends FAILED instead of looping;
- the dedupe step (find the first copy, then index this one) is serialised by a transaction-level
  advisory lock, so two copies processed at the same moment cannot both be "first".
Tasks are published after commit; a broker outage is logged, and the periodic sweep re-enqueues.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from celery.exceptions import Retry, SoftTimeLimitExceeded
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from tracker.ingest.feeds import FeedParseError, parse_feed
from tracker.sources import fetching
from tracker.sources.canonical import canonical_url, registrable_domain, url_hash
from tracker.sources.fetching import FetchError, PermanentFetchError, TransientFetchError
from tracker.sources.models import Article, Feed, Outlet
from tracker.sources.services import outlet_get_or_create_for_url

logger = logging.getLogger(__name__)

# --- Tunables (docs/architecture.md explains the scheduling) -------------------------------------
MIN_POLL_MINUTES = 10
MAX_POLL_MINUTES = 24 * 60
# A poll that finds nothing new waits longer next time; a busy feed is polled sooner.
SLOWER, FASTER, MUCH_FASTER = 1.5, 0.75, 0.5
# Failure weights as in Media Cloud's rss-fetcher: hard (404, blocked, not a feed at all) 1,
# soft (parse trouble) 0.5, transient (timeouts, 5xx) 0.25. At FAILING_SCORE automatic polls stop.
HARD, SOFT, TRANSIENT = 1.0, 0.5, 0.25
FAILING_SCORE = 4.0
# Poll lease: longer than the hard task time limit, so a live poll is never stolen.
POLL_LEASE = timedelta(minutes=5)
# Two poll requests for one feed within this gap (a duplicate message, two ticks) cause one poll.
MIN_POLL_GAP = timedelta(minutes=1)
# A dispatched feed is not dispatched again for this long; its poll sets the real next time.
DISPATCH_GRACE = timedelta(minutes=15)
# Feeds per beat tick: 500 poll messages is a few hundred KB in Redis and seconds of work to publish.
DISPATCH_BATCH = 500
# Attempts per article (runs that got as far as starting): after that it is FAILED, visibly.
MAX_ARTICLE_ATTEMPTS = 5
# Articles queued but untouched for this long lost their message (broker outage): enqueue again.
STALE_QUEUED_AFTER = timedelta(minutes=15)
STALE_BATCH = 500

ACTIVE_FEED_STATUSES = (Feed.Status.NEW, Feed.Status.OK, Feed.Status.ERROR)
IN_PIPELINE = (Article.Status.QUEUED, Article.Status.EXTRACTED)
ADVISORY_ARTICLE = 1 << 40  # namespaces for pg advisory lock keys
ADVISORY_DEDUPE = 2 << 40


def _strip_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; pages and feeds sometimes carry them.
    return (value or "").replace("\x00", "")


# --- Publishing tasks -------------------------------------------------------------------------
def _publish(task_name: str, *args) -> None:
    from tracker.ingest import tasks  # the tasks module imports this one

    task = getattr(tasks, task_name)
    try:
        task.delay(*args)
    except Retry:
        pass  # eager mode (no broker): the retries already ran in-process and the row records the outcome
    except (BrokerError, ConnectionError, OSError) as exc:
        # The row is committed; the periodic sweep (articles_requeue_stale / the next tick) retries.
        logger.warning("could not publish %s%s: %s", task_name, args, exc)


def enqueue_on_commit(task_name: str, *args) -> None:
    """`task.delay_on_commit(*args)`, except that a broker outage is logged instead of raised."""
    transaction.on_commit(functools.partial(_publish, task_name, *args))


# --- Feeds ------------------------------------------------------------------------------------
@dataclass
class PollResult:
    feed_id: int
    outcome: str  # "ok", "not_modified", "skipped", "error"
    status_code: int | None = None
    entries: int = 0
    new_article_ids: list[int] = field(default_factory=list)
    error: str = ""

    @property
    def new(self) -> int:
        return len(self.new_article_ids)


@transaction.atomic
def feed_add(*, url: str, outlet_name: str, approve: bool = False, user=None) -> Feed:
    """Register a feed (and its outlet, pending review unless `approve`). Idempotent per URL."""
    url = fetching.validate_public_url(url)
    outlet = outlet_get_or_create_for_url(url=url, name=outlet_name)
    changed = []
    if outlet_name and outlet.name != outlet_name and outlet.name == outlet.domain:
        outlet.name = outlet_name
        changed.append("name")
    if approve and outlet.review_status != Outlet.ReviewStatus.APPROVED:
        outlet.review_status = Outlet.ReviewStatus.APPROVED
        outlet.reviewed_by = user
        outlet.reviewed_at = timezone.now()
        changed += ["review_status", "reviewed_by", "reviewed_at"]
    if changed:
        outlet.save(update_fields=[*changed, "updated_at"])
    feed = Feed.objects.filter(url=url).first()
    if feed is None:
        feed = Feed(url=url, outlet=outlet, next_poll_at=timezone.now())
        feed.full_clean()
        feed.save()
    return feed


def _due_feeds(now: datetime):
    return (
        Feed.objects.filter(status__in=ACTIVE_FEED_STATUSES)
        .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        .exclude(outlet__review_status=Outlet.ReviewStatus.BLOCKED)
    )


def feeds_dispatch_due(*, now: datetime | None = None) -> int:
    """One beat tick: enqueue a poll for each due feed, at most once per feed. Returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        # skip_locked: two ticks running at once split the feeds instead of both dispatching them.
        ids = list(
            _due_feeds(now)
            .order_by("next_poll_at", "id")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("id", flat=True)[:DISPATCH_BATCH]
        )
        Feed.objects.filter(id__in=ids).update(next_poll_at=now + DISPATCH_GRACE)
        for feed_id in ids:
            enqueue_on_commit("poll_feed", feed_id)
    return len(ids)


def _claim_feed(feed_id: int, now: datetime, *, force: bool) -> datetime | None:
    if Feed.objects.filter(id=feed_id, outlet__review_status=Outlet.ReviewStatus.BLOCKED).exists():
        return None
    lease = now + POLL_LEASE
    # Only conditions on the feed's own row, so PostgreSQL re-checks them after waiting for a
    # concurrent claimer's row lock (a join would turn this into `id IN (subquery)`, which is not
    # re-checked): exactly one concurrent caller updates the row.
    row = Q(id=feed_id, status__in=ACTIVE_FEED_STATUSES)
    row &= Q(poll_claimed_until__isnull=True) | Q(poll_claimed_until__lte=now)
    if not force:
        row &= Q(last_polled_at__isnull=True) | Q(last_polled_at__lte=now - MIN_POLL_GAP)
    # .update() also keeps this bookkeeping out of the feed's edit history.
    return lease if Feed.objects.filter(row).update(poll_claimed_until=lease) else None


def _next_interval(feed: Feed, new: int) -> int:
    current = feed.poll_interval_minutes or 60
    factor = MUCH_FASTER if new >= 5 else FASTER if new > 0 else SLOWER
    return int(min(MAX_POLL_MINUTES, max(MIN_POLL_MINUTES, round(current * factor))))


def _record_success(feed: Feed, lease: datetime, now: datetime, *, values: dict, new: int) -> None:
    interval = _next_interval(feed, new)
    Feed.objects.filter(id=feed.id, poll_claimed_until=lease).update(
        status=Feed.Status.OK,
        poll_interval_minutes=interval,
        next_poll_at=now + timedelta(minutes=interval),
        last_polled_at=now,
        last_success_at=now,
        failure_score=0,
        consecutive_failures=0,
        last_error="",
        poll_claimed_until=None,
        updated_at=now,
        **values,
    )


def _record_failure(
    feed: Feed,
    lease: datetime,
    now: datetime,
    *,
    weight: float,
    error: str,
    status_code=None,
    retry_after: float | None = None,
) -> None:
    score = feed.failure_score + weight
    failures = feed.consecutive_failures + 1
    status = Feed.Status.FAILING if score >= FAILING_SCORE else Feed.Status.ERROR
    # Back off exponentially from the feed's interval, capped; honour a longer Retry-After.
    wait = min(MAX_POLL_MINUTES, max(MIN_POLL_MINUTES, feed.poll_interval_minutes) * 2 ** min(failures - 1, 8))
    if retry_after:
        wait = min(MAX_POLL_MINUTES, max(wait, retry_after / 60))
    Feed.objects.filter(id=feed.id, poll_claimed_until=lease).update(
        status=status,
        failure_score=score,
        consecutive_failures=failures,
        last_error=_strip_nul(error)[:2000],
        last_status_code=status_code,
        last_polled_at=now,
        next_poll_at=now + timedelta(minutes=wait),
        poll_claimed_until=None,
        updated_at=now,
    )
    logger.info("feed %s failed (%s, score %.2f → %s): %s", feed.id, weight, score, status, error)


def feed_poll(*, feed_id: int, force: bool = False) -> PollResult:
    """Poll one feed: conditional GET, parse, enqueue new articles, update its schedule and health.

    Skipped (no request) if another poll holds the feed, if it was polled under a minute ago (unless
    `force`), or if it is FAILING/PAUSED or its outlet is blocked."""
    now = timezone.now()
    lease = _claim_feed(feed_id, now, force=force)
    if lease is None:
        return PollResult(feed_id=feed_id, outcome="skipped")
    feed = Feed.objects.select_related("outlet").get(id=feed_id)
    try:
        response = fetching.fetch(feed.url, policy=fetching.FEED, etag=feed.etag, last_modified=feed.last_modified)
    except TransientFetchError as exc:
        _record_failure(
            feed,
            lease,
            now,
            weight=TRANSIENT,
            error=f"transient: {exc}",
            status_code=exc.status,
            retry_after=exc.retry_after,
        )
        return PollResult(feed_id=feed_id, outcome="error", status_code=exc.status, error=str(exc))
    except PermanentFetchError as exc:
        _record_failure(feed, lease, now, weight=HARD, error=f"{exc.kind}: {exc}", status_code=exc.status)
        return PollResult(feed_id=feed_id, outcome="error", status_code=exc.status, error=str(exc))
    except BaseException:
        Feed.objects.filter(id=feed_id, poll_claimed_until=lease).update(poll_claimed_until=None)
        raise

    if response.not_modified:
        # 304: nothing to read, no article rows written.
        _record_success(feed, lease, now, values={"items_last_poll": 0, "last_status_code": 304}, new=0)
        return PollResult(feed_id=feed_id, outcome="not_modified", status_code=304)

    try:
        parsed = parse_feed(response.body, url=response.url, content_type=response.headers.get("content-type", ""))
    except FeedParseError as exc:
        _record_failure(feed, lease, now, weight=SOFT, error=f"parse: {exc}", status_code=response.status)
        return PollResult(feed_id=feed_id, outcome="error", status_code=response.status, error=str(exc))

    new_ids = []
    try:
        for entry in parsed.entries:
            try:
                article, created = _article_get_or_create(
                    url=entry.url, feed=feed, title=entry.title, published_at=entry.published_at
                )
            except FetchError as exc:  # an entry link that breaks the URL rules
                logger.info("feed %s: skipped entry %s (%s)", feed.id, entry.url, exc)
                continue
            if created:
                new_ids.append(article.id)
    except BaseException:
        Feed.objects.filter(id=feed_id, poll_claimed_until=lease).update(poll_claimed_until=None)
        raise
    values = {
        "etag": _strip_nul(response.etag)[:500],
        "last_modified": _strip_nul(response.last_modified)[:100],
        "items_last_poll": len(new_ids),
        "last_status_code": response.status,
        "parse_warning": _strip_nul(parsed.problem)[:2000],
    }
    if not feed.title and parsed.title:
        values["title"] = parsed.title[:300]
    _record_success(feed, lease, now, values=values, new=len(new_ids))
    return PollResult(
        feed_id=feed_id,
        outcome="ok",
        status_code=response.status,
        entries=len(parsed.entries),
        new_article_ids=new_ids,
        error=parsed.problem,
    )


# --- Articles ---------------------------------------------------------------------------------
def _outlet_for(url: str, feed: Feed | None, outlet: Outlet | None, outlet_name: str = "") -> Outlet:
    if outlet is not None:
        return outlet
    if feed is not None and registrable_domain(url) == feed.outlet.domain:
        return feed.outlet
    # A new domain (a feed linking elsewhere, an editor's URL) arrives as a pending outlet.
    return outlet_get_or_create_for_url(url=url, name=outlet_name)


def _article_get_or_create(
    *,
    url: str,
    feed: Feed | None = None,
    outlet: Outlet | None = None,
    outlet_name: str = "",
    title: str = "",
    published_at: datetime | None = None,
    enqueue: bool = True,
) -> tuple[Article, bool]:
    url = _strip_nul(url).strip()
    fetching.check_url_shape(url)  # scheme/userinfo/port rules; addresses are checked at fetch time
    digest = url_hash(url)
    existing = Article.objects.filter(canonical_url_hash=digest).first()
    if existing:
        return existing, False
    with transaction.atomic():
        article, created = Article.objects.get_or_create(
            canonical_url_hash=digest,
            defaults={
                "url": url[:2000],
                "canonical_url": canonical_url(url)[:2000],
                "outlet": _outlet_for(url, feed, outlet, outlet_name),
                "feed": feed,
                "title": _strip_nul(title)[:500],
                "published_at": published_at,
                "status": Article.Status.QUEUED,
            },
        )
        if created and enqueue:
            enqueue_on_commit("process_article", article.id)
    return article, created


def article_enqueue(
    *, url: str, feed: Feed | None = None, outlet: Outlet | None = None, title: str = "", published_at=None
) -> Article:
    """Get or create the article for `url` (one per canonical URL) and queue it for processing after
    commit. Calling it again for the same URL changes nothing."""
    article, _ = _article_get_or_create(url=url, feed=feed, outlet=outlet, title=title, published_at=published_at)
    return article


@contextlib.contextmanager
def _session_lock(key: int):
    """A PostgreSQL session advisory lock (non-blocking). Yields False if someone else holds it.
    PostgreSQL releases it when the holder's connection ends, e.g. when a worker is SIGKILLed.
    On other databases (SQLite, the embedded single-process default) it always succeeds.

    While the lock is held, the session also commits without waiting for the WAL flush
    (`synchronous_commit = off`, set and restored in the same statements as the lock and unlock, so
    it costs no round trip). Everything written under the lock is pipeline bookkeeping that can be
    derived again from the page: if PostgreSQL itself crashes, the last fraction of a second of these
    commits may be lost (never corrupted), and those articles are simply processed again (the sweep
    re-enqueues them). A worker that dies loses nothing: a commit PostgreSQL has acknowledged stays
    committed, whoever crashes. Editorial writes never run under this lock."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT got, previous, CASE WHEN got THEN set_config('synchronous_commit', 'off', false) END"
            " FROM (SELECT pg_try_advisory_lock(%s) AS got, current_setting('synchronous_commit') AS previous) s",
            [key],
        )
        got, previous, _ = cursor.fetchone()
    try:
        yield got
    finally:
        if got:
            # If the connection died, PostgreSQL has already released the lock with the session.
            with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_unlock(%s), set_config('synchronous_commit', %s, false)", [key, previous]
                )


def _pipeline_transaction():
    """A transaction for pipeline bookkeeping. Callers hold the article's `_session_lock`, so on
    PostgreSQL it commits without waiting for the WAL flush (see there). Editorial writes never use this."""
    return transaction.atomic()


def _dedupe_lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_DEDUPE])


def _save(article: Article, *fields: str) -> None:
    article.save(update_fields=[*fields, "updated_at"])


def _finish(article: Article, status: str, error: str = "", *, also: tuple[str, ...] = ()) -> Article:
    article.status = status
    article.error = _strip_nul(error)[:2000]
    _save(article, "status", "error", *also)
    return article


def _gave_up(article: Article) -> Article:
    last = f" Last error: {article.error}" if article.error else ""
    return _finish(article, Article.Status.FAILED, f"Gave up after {article.attempts} attempts.{last}")


def article_process(*, article_id: int) -> Article:
    """Fetch, extract, dedupe and analyse one article. Idempotent: an article that is already past
    the pipeline (analysed, duplicate, rejected, failed, reference) is returned untouched.

    Raises TransientFetchError when the page could not be fetched this time and attempts remain
    (the task retries with backoff); after MAX_ARTICLE_ATTEMPTS the article is FAILED."""
    with _session_lock(ADVISORY_ARTICLE | article_id) as mine:
        article = Article.objects.select_related("outlet").get(id=article_id)
        if not mine or article.status not in IN_PIPELINE:
            return article  # done already, or another live worker is on it (a duplicate delivery)
        if article.attempts >= MAX_ARTICLE_ATTEMPTS:
            return _gave_up(article)
        # Count the attempt before doing anything that can crash or hang, so that a poison article
        # (killed worker, hard time limit) still runs out of attempts.
        article.attempts += 1
        _save(article, "attempts")  # one UPDATE, committed at once (autocommit)
        try:
            return _process_claimed(article)
        except SoftTimeLimitExceeded:
            return _finish(article, Article.Status.REJECTED, "extraction_timeout: processing took too long.")
        except TransientFetchError as exc:
            article.error = _strip_nul(f"transient: {exc}")[:2000]
            _save(article, "error")
            if article.attempts >= MAX_ARTICLE_ATTEMPTS:
                _gave_up(article)
                return article
            raise
        except (OperationalError, InterfaceError):
            raise  # the database went away mid-task: transient, the task retries
        except Exception as exc:
            # A bug or a page that breaks a library: retrying will not help. Visible, then re-raised.
            logger.exception("article %s failed", article_id)
            _finish(article, Article.Status.FAILED, f"{type(exc).__name__}: {exc}")
            raise


def _process_claimed(article: Article) -> Article:
    from tracker.ingest.extraction import ExtractionRejected  # text half, imported lazily

    if article.outlet.review_status == Outlet.ReviewStatus.BLOCKED:
        return _finish(article, Article.Status.REJECTED, "outlet_blocked: the outlet is blocked.")
    if article.status == Article.Status.QUEUED:
        try:
            response = fetching.fetch(article.url, policy=fetching.PAGE)
        except PermanentFetchError as exc:
            return _finish(article, Article.Status.REJECTED, f"fetch_{exc.kind}: {exc}")
        try:
            _extract_and_dedupe(article, response.body, url=response.url, content_type=response.content_type)
        except ExtractionRejected as exc:
            return _finish(article, Article.Status.REJECTED, f"{exc.reason}: {exc}")
    if article.status == Article.Status.DUPLICATE:
        return article
    return _analyse(article)


# Fields written once extraction and dedupe are done (one UPDATE, one commit).
_EXTRACTED_FIELDS = (
    "title",
    "text",
    "language",
    "published_at",
    "fetched_at",
    "canonical_url",
    "canonical_url_hash",
    "content_hash",
    "duplicate_of",
    "status",
    "error",
)


def _extract_and_dedupe(article: Article, body: bytes, *, url: str, content_type: str) -> None:
    """Extract (no database), then in one transaction: canonical URL, content hash, first-copy lookup,
    signature index, and the new status. EXTRACTED therefore means "stored, deduped and indexed",
    so a run that dies before analysis resumes there without fetching again."""
    from tracker.ingest.dedupe import content_hash, find_duplicate, index_article
    from tracker.ingest.extraction import extract_article

    extracted = extract_article(body, url=url, content_type=content_type or "text/html")
    article.title = _strip_nul(extracted.title or article.title)[:500]
    article.text = _strip_nul(extracted.text)
    article.language = _strip_nul(extracted.language)[:8]
    if extracted.published_at:
        article.published_at = extracted.published_at
    article.fetched_at = timezone.now()
    article.content_hash = content_hash(article.text)
    article.status = Article.Status.EXTRACTED
    article.error = ""
    canonical = _strip_nul(extracted.canonical_url).strip()
    with _pipeline_transaction():
        previous_hash = article.canonical_url_hash
        owner = _adopt_canonical(article, canonical, base=url)
        adopted = article.canonical_url_hash != previous_hash
        if owner is not None:
            article.duplicate_of, article.status = owner, Article.Status.DUPLICATE
            _save(article, *_EXTRACTED_FIELDS)
            return
        # Serialise "find the first copy, then index this one" across workers (a few ms per article),
        # so two copies processed at the same moment cannot both be first.
        _dedupe_lock()
        if adopted:
            # Claim the adopted canonical URL first, in a savepoint: its unique hash may be taken.
            try:
                with transaction.atomic():
                    _save(article, "canonical_url", "canonical_url_hash")
            except IntegrityError:  # taken meanwhile
                owner = Article.objects.get(canonical_url_hash=article.canonical_url_hash)
                article.canonical_url_hash, article.canonical_url = url_hash(article.url), canonical_url(article.url)
                article.duplicate_of, article.status = owner, Article.Status.DUPLICATE
                _save(article, *_EXTRACTED_FIELDS)
                return
        first = find_duplicate(article=article)
        if first is not None:
            # A copy (syndicated, or the same text under another URL): kept as evidence, not analysed.
            article.duplicate_of, article.status = first, Article.Status.DUPLICATE
        else:
            index_article(article=article)
        # One UPDATE for everything extraction and dedupe found, the final status included.
        _save(article, *_EXTRACTED_FIELDS)


def _adopt_canonical(article: Article, href: str, *, base: str) -> Article | None:
    """Adopt the page's rel=canonical when it stays on the same registrable domain (in memory; the
    caller saves). Returns the article that already owns that canonical URL, if any."""
    if not href:
        return None
    href = urljoin(base, href)
    if urlsplit(href).scheme not in ("http", "https") or registrable_domain(href) != registrable_domain(article.url):
        return None
    digest = url_hash(href)
    if digest == article.canonical_url_hash:
        return None
    owner = Article.objects.filter(canonical_url_hash=digest).exclude(id=article.id).first()
    if owner is None:
        article.canonical_url, article.canonical_url_hash = canonical_url(href)[:2000], digest
    return owner


def _analyse(article: Article) -> Article:
    """Detector first (no database), then the suggestions and the ANALYSED status in one transaction;
    an article with nothing to suggest (most of them) is one UPDATE."""
    from tracker.ingest.analysis import needs_editor_look, suggestions_build, suggestions_store

    pending = suggestions_build(article=article)
    if not pending:
        # No stance found, yet arms and two countries are named: an editor looks (/review/articles/).
        if needs_editor_look(article=article):
            article.triage = Article.Triage.PENDING
        return _finish(article, Article.Status.ANALYSED, also=("triage",))
    with _pipeline_transaction():
        suggestions_store(suggestions=pending)
        return _finish(article, Article.Status.ANALYSED)


def articles_requeue_stale(*, now: datetime | None = None) -> int:
    """Re-publish articles whose processing message was lost (broker outage, SIGKILL with ETA)."""
    now = now or timezone.now()
    ids = list(
        Article.objects.filter(status__in=IN_PIPELINE, updated_at__lt=now - STALE_QUEUED_AFTER)
        .order_by("updated_at")
        .values_list("id", flat=True)[:STALE_BATCH]
    )
    with transaction.atomic():
        Article.objects.filter(id__in=ids).update(updated_at=now)
        for article_id in ids:
            enqueue_on_commit("process_article", article_id)
    return len(ids)


def ingest_url(*, url: str, outlet_name: str | None = None) -> Article:
    """Fetch, extract, dedupe and analyse one article now, in this process (editors' "add source by
    URL", the `ingest_url` command). Returns the article in whatever state it ended."""
    url = fetching.validate_public_url(url)
    article, _ = _article_get_or_create(url=url, outlet_name=outlet_name or "", enqueue=False)
    if article.status in (Article.Status.REFERENCE, Article.Status.FAILED):
        # Cited but never fetched, or given up on earlier: an explicit request tries again.
        article.status, article.attempts, article.error = Article.Status.QUEUED, 0, ""
        _save(article, "status", "attempts", "error")
    return article_process(article_id=article.id)


def article_ingest_html(*, body: bytes, url: str, outlet_name: str = "") -> Article:
    """Run the pipeline on a page we already have (a saved .html file): no fetching."""
    from tracker.ingest.extraction import ExtractionRejected

    article, created = _article_get_or_create(url=url, outlet_name=outlet_name, enqueue=False)
    if article.status not in IN_PIPELINE:
        return article
    with _session_lock(ADVISORY_ARTICLE | article.id) as mine:
        if not mine:
            return article
        article.refresh_from_db()
        if article.status == Article.Status.QUEUED:
            article.attempts += 1
            _save(article, "attempts")
            try:
                _extract_and_dedupe(article, body, url=url, content_type="text/html")
            except ExtractionRejected as exc:
                return _finish(article, Article.Status.REJECTED, f"{exc.reason}: {exc}")
        if article.status == Article.Status.DUPLICATE:
            return article
        return _analyse(article)


def ingest_folder(*, path: Path, base_url: str = "https://saved.invalid/") -> list[Article]:
    """Every *.html/*.htm file under `path` through the pipeline. A page without rel=canonical gets a
    URL under the reserved `.invalid` domain (never fetched), built from its file name."""
    from tracker.ingest.extraction import ExtractionRejected, extract_article

    articles = []
    for file in sorted(p for p in Path(path).rglob("*") if p.suffix.lower() in (".html", ".htm")):
        body = file.read_bytes()
        url = ""
        try:
            canonical = extract_article(body, url=base_url, content_type="text/html").canonical_url
            if canonical.startswith(("http://", "https://")):
                url = canonical
        except ExtractionRejected:
            pass
        if not url:
            url = base_url.rstrip("/") + "/" + file.relative_to(path).as_posix()
        articles.append(article_ingest_html(body=body, url=url))
    return articles
