"""`manage.py poll_feeds [--all]`: poll due feeds (or every active one) and wait for their articles."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import timezone

from tracker.celery import app
from tracker.ingest import services
from tracker.sources.models import Article, Feed, Outlet


class Command(BaseCommand):
    help = (
        "Poll due feeds (--all: every active feed), then wait until the articles they found are fetched, "
        "extracted and analysed. One summary line per feed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Poll every active feed, due or not.")
        parser.add_argument("--timeout", type=float, default=300, help="Seconds to wait for the workers (default 300).")

    def handle(self, *args, all, timeout, **options):  # noqa: A002 - the contract's flag name
        if all:
            feeds = Feed.objects.filter(status__in=services.ACTIVE_FEED_STATUSES).exclude(
                outlet__review_status=Outlet.ReviewStatus.BLOCKED
            )
        else:
            feeds = services._due_feeds(timezone.now())
        feeds = list(feeds.select_related("outlet").order_by("id"))
        if not feeds:
            self.stdout.write("No feeds to poll." if all else "No feeds are due (use --all to poll every feed).")
            return

        # Polling here, in this process; the articles go to the workers (or run in-process when there
        # is no broker), and we wait for them by watching their status.
        results = [(feed, services.feed_poll(feed_id=feed.id, force=True)) for feed in feeds]
        # Without a broker the articles were processed in-process already; anything still queued is
        # waiting for a retry that only a worker (or a later run) will make.
        eager = bool(app.conf.task_always_eager)
        pending = self._wait([i for _, r in results for i in r.new_article_ids], 0 if eager else timeout)

        for feed, result in results:
            self.stdout.write(self._summary(feed, result))
        if pending and not eager:
            raise CommandError(
                f"{len(pending)} article(s) still in the pipeline after {timeout:.0f}s. Is a Celery worker running?"
            )

    def _wait(self, ids: list[int], timeout: float) -> list[int]:
        deadline = time.monotonic() + timeout
        while True:
            pending = list(
                Article.objects.filter(id__in=ids, status__in=services.IN_PIPELINE).values_list("id", flat=True)
            )
            if not pending or time.monotonic() >= deadline:
                return pending
            time.sleep(0.5)

    def _summary(self, feed: Feed, result: services.PollResult) -> str:
        head = f"{feed.outlet.name} <{feed.url}>: {result.outcome}"
        if result.status_code:
            head += f" (HTTP {result.status_code})"
        if result.outcome == "error":
            return f"{head} - {result.error}"
        if result.outcome != "ok":
            return head
        articles = Article.objects.filter(id__in=result.new_article_ids)
        counts = dict(articles.values_list("status").annotate(n=Count("id")).order_by())
        suggestions = articles.aggregate(n=Count("suggestions"))["n"]
        parts = [f"{counts.get(s, 0)} {s}" for s in ("analysed", "duplicate", "rejected", "failed")]
        waiting = counts.get("queued", 0) + counts.get("extracted", 0)
        if waiting:
            parts.append(f"{waiting} still queued")
        line = f"{head}, {result.entries} entries, {result.new} new: {', '.join(parts)}; {suggestions} suggestion(s)"
        if result.error:
            line += f" [feed warning: {result.error}]"
        return line
