from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ArticleFactory, FeedFactory, OutletFactory, StatementFactory, SuggestionFactory
from tracker.review import selectors as review_selectors
from tracker.sources.models import Feed, Outlet
from tracker.stances import selectors as stance_selectors

pytestmark = pytest.mark.django_db


def test_outlets_list_pending_first_with_their_status(source_admin_client):
    OutletFactory(name="Approved Daily", review_status=Outlet.ReviewStatus.APPROVED)
    OutletFactory(name="New Wire", review_status=Outlet.ReviewStatus.PENDING)
    response = source_admin_client.get(reverse("sources:outlet_list"))
    names = [o.name for o in response.context["page"].object_list]
    assert names == ["New Wire", "Approved Daily"]
    filtered = source_admin_client.get(reverse("sources:outlet_list"), {"status": "approved"})
    assert [o.name for o in filtered.context["page"].object_list] == ["Approved Daily"]


def test_approving_records_the_reviewer_and_time(source_admin_client, source_admin):
    outlet = OutletFactory(review_status=Outlet.ReviewStatus.PENDING)
    source_admin_client.post(reverse("sources:outlet_approve", args=[outlet.pk]))
    outlet.refresh_from_db()
    assert outlet.review_status == Outlet.ReviewStatus.APPROVED
    assert outlet.reviewed_by == source_admin
    assert timezone.now() - outlet.reviewed_at < timedelta(minutes=1)
    assert outlet.history.latest().history_user == source_admin


def test_blocking_hides_suggestions_and_flags_statements_relying_on_it_alone(source_admin_client, source_admin):
    outlet = OutletFactory(name="Dubious")
    article = ArticleFactory(outlet=outlet)
    suggestion = SuggestionFactory(article=article)
    alone = StatementFactory(sources=[article])
    corroborated = StatementFactory(sources=[ArticleFactory(outlet=outlet), ArticleFactory()])
    assert list(review_selectors.queue()) == [suggestion]

    response = source_admin_client.post(reverse("sources:outlet_block", args=[outlet.pk]), follow=True)

    page = response.content.decode()
    assert "Blocked Dubious: 1 pending suggestion(s) hidden from the queue, 1 published statement(s)" in page
    assert list(review_selectors.queue()) == []
    assert list(stance_selectors.statements_flagged()) == [alone]
    assert corroborated not in stance_selectors.statements_flagged()
    outlet.refresh_from_db()
    assert (outlet.review_status, outlet.reviewed_by) == (Outlet.ReviewStatus.BLOCKED, source_admin)


def test_the_outlet_form_sets_reliability_and_notes_with_history(source_admin_client, source_admin):
    outlet = OutletFactory(reliability="F")
    response = source_admin_client.post(
        reverse("sources:outlet_edit", args=[outlet.pk]),
        {"name": outlet.name, "country": "KOR", "review_status": "approved", "reliability": "B", "notes": "Wire"},
    )
    assert response.status_code == 302
    outlet.refresh_from_db()
    assert (outlet.reliability, outlet.notes, outlet.country_id) == ("B", "Wire", "KOR")
    latest = outlet.history.latest()
    assert latest.history_user == source_admin
    assert latest.diff_against(latest.prev_record).changed_fields


def test_feed_health_shows_polls_errors_and_items_per_day(source_admin_client):
    feed = FeedFactory(
        status=Feed.Status.ERROR,
        last_error="HTTP 503",
        last_polled_at=timezone.now() - timedelta(minutes=5),
        next_poll_at=timezone.now() + timedelta(minutes=25),
    )
    ArticleFactory.create_batch(14, outlet=feed.outlet, feed=feed)
    response = source_admin_client.get(reverse("sources:feed_list"))
    row = response.context["rows"][0]
    assert row["items_per_day"] == 2.0
    page = response.content.decode()
    assert "HTTP 503" in page
    assert "Error (retrying)" in page


def test_pause_and_resume_a_feed(source_admin_client, source_admin):
    feed = FeedFactory(status=Feed.Status.OK, next_poll_at=timezone.now() + timedelta(hours=3))
    source_admin_client.post(reverse("sources:feed_pause", args=[feed.pk]))
    feed.refresh_from_db()
    assert feed.status == Feed.Status.PAUSED
    assert feed.history.latest().history_user == source_admin
    source_admin_client.post(reverse("sources:feed_resume", args=[feed.pk]))
    feed.refresh_from_db()
    assert feed.status == Feed.Status.NEW
    assert feed.next_poll_at <= timezone.now()


def test_a_failing_feed_offers_resume_and_resuming_clears_its_failures(source_admin_client, source_admin):
    feed = FeedFactory(status=Feed.Status.FAILING, failure_score=4, consecutive_failures=6, last_error="HTTP 500")
    page = source_admin_client.get(reverse("sources:feed_list"))
    assert reverse("sources:feed_resume", args=[feed.pk]) in page.content.decode()
    source_admin_client.post(reverse("sources:feed_resume", args=[feed.pk]))
    feed.refresh_from_db()
    assert (feed.status, feed.failure_score, feed.consecutive_failures) == (Feed.Status.NEW, 0, 0)
    assert feed.history.latest().history_user == source_admin


def test_poll_now_queues_one_poll_after_commit(source_admin_client, monkeypatch, django_capture_on_commit_callbacks):
    feed = FeedFactory()
    queued = []
    monkeypatch.setattr("tracker.ingest.tasks.poll_feed.delay", lambda feed_id: queued.append(feed_id))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = source_admin_client.post(reverse("sources:feed_poll", args=[feed.pk]))
    assert response.status_code == 302
    assert len(callbacks) == 1
    assert queued == [feed.pk]


def test_feed_actions_are_post_only(source_admin_client):
    feed = FeedFactory()
    assert source_admin_client.get(reverse("sources:feed_pause", args=[feed.pk])).status_code == 405
