"""Source admins' reads: outlets with their counts, and feed health."""

from datetime import timedelta

from django.db.models import Case, Count, Q, QuerySet, When
from django.utils import timezone

from tracker.sources.models import Article, Feed, Outlet

# Items per day are averaged over this window.
FEED_RATE_WINDOW = timedelta(days=7)


def outlet_rows(*, status: str | None = None, search: str = "") -> QuerySet[Outlet]:
    qs = Outlet.objects.select_related("reviewed_by", "country").annotate(
        n_articles=Count("articles", distinct=True),
        n_pending=Count("articles__suggestions", filter=Q(articles__suggestions__status="pending"), distinct=True),
        n_feeds=Count("feeds", distinct=True),
    )
    if status:
        qs = qs.filter(review_status=status)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(domain__icontains=search))
    # Pending first: that is the work to do.
    return qs.order_by(
        Case(When(review_status=Outlet.ReviewStatus.PENDING, then=0), default=1), "review_status", "name"
    )


def feed_health() -> list[dict]:
    """Every feed with its last poll, status, error, items per day (last 7 days) and next poll."""
    since = timezone.now() - FEED_RATE_WINDOW
    counts = dict(
        Article.objects.filter(feed__isnull=False, created_at__gte=since)
        .values("feed_id")
        .annotate(n=Count("id"))
        .values_list("feed_id", "n")
    )
    rows = []
    for feed in Feed.objects.select_related("outlet").order_by("outlet__name", "url"):
        rows.append(
            {
                "feed": feed,
                "items_per_day": round(counts.get(feed.pk, 0) / FEED_RATE_WINDOW.days, 1),
                "items_last_7_days": counts.get(feed.pk, 0),
                "overdue": bool(
                    feed.next_poll_at and feed.status != Feed.Status.PAUSED and feed.next_poll_at < timezone.now()
                ),
            }
        )
    return rows
