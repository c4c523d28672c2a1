"""Writes for outlets, feeds and articles: the ingestion side's outlet lookups and the source admins'
review (approve / block / reliability / notes) and feed controls.

Audited rows are saved one by one (never `QuerySet.update`) so simple-history records who, when and what.
"""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from tracker.sources.canonical import canonical_url, registrable_domain, url_hash
from tracker.sources.models import Article, Feed, Outlet


def outlet_get_or_create_for_url(*, url: str, name: str = "") -> Outlet:
    """The outlet that owns `url`'s registrable domain; a new one arrives pending review."""
    domain = registrable_domain(url)
    outlet, _ = Outlet.objects.get_or_create(domain=domain, defaults={"name": name or domain})
    return outlet


@transaction.atomic
def article_reference_get_or_create(
    *, url: str, title: str = "", outlet_name: str = "", published_at: datetime | None = None
) -> Article:
    """An article cited as a source but not fetched (e.g. an editor's citation, demo sources)."""
    existing = Article.objects.filter(canonical_url_hash=url_hash(url)).first()
    if existing:
        return existing
    outlet = outlet_get_or_create_for_url(url=url, name=outlet_name)
    article = Article(
        url=url,
        canonical_url=canonical_url(url),
        canonical_url_hash=url_hash(url),
        outlet=outlet,
        title=title,
        published_at=published_at,
        status=Article.Status.REFERENCE,
    )
    article.full_clean()
    article.save()
    return article


@transaction.atomic
def outlet_review(
    *,
    outlet_id: int,
    user: AbstractBaseUser | None,
    review_status: str | None = None,
    reliability: str | None = None,
    notes: str | None = None,
    name: str | None = None,
    country=None,
) -> Outlet:
    """Set an outlet's review status and/or rating; a status change records the reviewer and the time."""
    outlet = Outlet.objects.select_for_update().get(pk=outlet_id)
    changed = False
    if review_status is not None and review_status != outlet.review_status:
        outlet.review_status = review_status
        outlet.reviewed_by = user
        outlet.reviewed_at = timezone.now()
        changed = True
    for field, value in (("reliability", reliability), ("notes", notes), ("name", name)):
        if value is not None and value != getattr(outlet, field):
            setattr(outlet, field, value)
            changed = True
    if country is not None and country != outlet.country:
        outlet.country = country
        changed = True
    if changed:
        outlet._history_user = user
        outlet.full_clean()
        outlet.save()
    return outlet


def outlet_approve(*, outlet_id: int, user: AbstractBaseUser) -> Outlet:
    return outlet_review(outlet_id=outlet_id, user=user, review_status=Outlet.ReviewStatus.APPROVED)


def outlet_block(*, outlet_id: int, user: AbstractBaseUser) -> Outlet:
    """Block an outlet: its suggestions leave the queue and statements resting on it alone are flagged
    (both are computed from the status, so unblocking undoes them)."""
    return outlet_review(outlet_id=outlet_id, user=user, review_status=Outlet.ReviewStatus.BLOCKED)


@transaction.atomic
def feed_pause(*, feed_id: int, user: AbstractBaseUser) -> Feed:
    feed = Feed.objects.select_for_update().get(pk=feed_id)
    if feed.status != Feed.Status.PAUSED:
        feed.status = Feed.Status.PAUSED
        feed._history_user = user
        feed.save()
    return feed


@transaction.atomic
def feed_resume(*, feed_id: int, user: AbstractBaseUser | None = None) -> Feed:
    """Resume a PAUSED or FAILING feed: failure counters cleared, due at the next tick."""
    feed = Feed.objects.select_for_update().get(pk=feed_id)
    if feed.status in (Feed.Status.PAUSED, Feed.Status.FAILING):
        feed.status = Feed.Status.OK if feed.last_success_at else Feed.Status.NEW
        feed.failure_score = 0
        feed.consecutive_failures = 0
        feed.next_poll_at = timezone.now()
        feed._history_user = user
        feed.save()
    return feed


def feed_poll_now(*, feed_id: int) -> None:
    """Queue one poll of the feed after the current transaction commits."""
    from tracker.ingest.tasks import poll_feed

    Feed.objects.only("pk").get(pk=feed_id)  # a missing feed is the caller's 404, not the worker's
    poll_feed.delay_on_commit(feed_id)
