"""Source admins' writes: outlet review (approve / block / reliability / notes) and feed controls.

Kept apart from `services.py` (the ingestion side) so the two can change independently. Every write
saves the row (never `QuerySet.update`) so simple-history records who, when and what.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from tracker.sources.models import Feed, Outlet


@transaction.atomic
def outlet_review(
    *,
    outlet_id: int,
    user: AbstractBaseUser,
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
def feed_resume(*, feed_id: int, user: AbstractBaseUser) -> Feed:
    """Un-pause a feed and make it due now; its failure counters stay as the poller left them."""
    feed = Feed.objects.select_for_update().get(pk=feed_id)
    if feed.status == Feed.Status.PAUSED:
        feed.status = Feed.Status.OK if feed.last_success_at else Feed.Status.NEW
        feed.next_poll_at = timezone.now()
        feed._history_user = user
        feed.save()
    return feed


def feed_poll_now(*, feed_id: int) -> None:
    """Queue one poll of the feed after the current transaction commits."""
    from tracker.ingest.tasks import poll_feed

    Feed.objects.only("pk").get(pk=feed_id)  # a missing feed is the caller's 404, not the worker's
    poll_feed.delay_on_commit(feed_id)
