from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError

from tests.factories import (
    ArticleFactory,
    OutletFactory,
    StatementFactory,
    SuggestionFactory,
    TrackFactory,
    UserFactory,
    level,
    scope,
)
from tracker.review import services
from tracker.review.models import Suggestion
from tracker.sources.models import Outlet
from tracker.stances.models import Condition, Statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def ed():
    return UserFactory(username="ed")


def test_accepting_publishes_a_statement_prefilled_from_the_suggestion(ed):
    article = ArticleFactory(published_at=datetime(2024, 10, 22, 9, 0, tzinfo=UTC))
    suggestion = SuggestionFactory(
        article=article,
        scope=scope("artillery_ammo"),
        speaker="Yoon Suk Yeol",
        certainty="on_record",
        weapons=["155mm shells"],
        conditions=["Further North Korean deployments"],
    )
    statement = services.suggestion_accept(suggestion_id=suggestion.pk, user=ed)
    assert statement.status == Statement.Status.PUBLISHED
    assert (statement.track.donor_id, statement.track.recipient_id) == ("KOR", "UKR")
    assert statement.level == level("considering_lethal")
    assert statement.scope == scope("artillery_ammo")
    assert statement.quote == suggestion.evidence
    assert statement.speaker == "Yoon Suk Yeol"
    assert statement.certainty == Statement.Certainty.ON_RECORD
    assert statement.stated_on == date(2024, 10, 22)
    assert statement.weapons == ["155mm shells"]
    assert [c.text for c in statement.conditions.all()] == ["Further North Korean deployments"]
    assert list(statement.sources.all()) == [article]
    assert (statement.created_by, statement.reviewed_by) == (ed, ed)
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.statement, suggestion.reviewed_by) == ("accepted", statement, ed)
    assert suggestion.reviewed_at is not None


def test_a_suggestion_without_a_speaker_is_published_as_a_media_report():
    suggestion = SuggestionFactory(speaker="", certainty="")
    statement = services.suggestion_accept(suggestion_id=suggestion.pk, user=UserFactory())
    assert statement.certainty == Statement.Certainty.MEDIA_REPORT
    assert statement.speaker == f"As reported by {suggestion.article.outlet.name}"


def test_a_suggestion_can_be_decided_only_once(ed):
    suggestion = SuggestionFactory()
    services.suggestion_accept(suggestion_id=suggestion.pk, user=ed)
    with pytest.raises(services.SuggestionAlreadyDecided, match="already accepted by ed"):
        services.suggestion_accept(suggestion_id=suggestion.pk, user=UserFactory(username="other"))
    with pytest.raises(services.SuggestionAlreadyDecided):
        services.suggestion_reject(suggestion_id=suggestion.pk, user=ed, reason="late")
    assert Statement.objects.count() == 1


def test_accepting_with_edits_uses_the_editors_fields(ed):
    suggestion = SuggestionFactory()
    track = TrackFactory()
    statement = services.suggestion_accept(
        suggestion_id=suggestion.pk,
        user=ed,
        statement_fields={
            "track": track,
            "level": level("open_to_lethal"),
            "stated_on": date(2024, 10, 24),
            "speaker": "Presidential office",
            "quote": "We will keep all options open.",
            "sources": [suggestion.article],
            "new_conditions": ["Russia's actions"],
        },
    )
    assert statement.level == level("open_to_lethal")
    assert statement.quote == "We will keep all options open."
    assert Condition.objects.get().text == "Russia's actions"


def test_an_accept_that_does_not_validate_leaves_the_suggestion_pending(ed):
    blocked = OutletFactory(review_status=Outlet.ReviewStatus.BLOCKED)
    suggestion = SuggestionFactory(article=ArticleFactory(outlet=blocked))
    with pytest.raises(ValidationError):
        services.suggestion_accept(suggestion_id=suggestion.pk, user=ed)
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.PENDING
    assert not Statement.objects.exists()


def test_rejecting_needs_a_reason_and_records_it(ed):
    suggestion = SuggestionFactory()
    with pytest.raises(ValidationError):
        services.suggestion_reject(suggestion_id=suggestion.pk, user=ed, reason="  ")
    services.suggestion_reject(suggestion_id=suggestion.pk, user=ed, reason="About DPRK-Russia, not Ukraine aid")
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.REJECTED
    assert suggestion.review_reason == "About DPRK-Russia, not Ukraine aid"
    assert suggestion.reviewed_by == ed


def test_marking_a_duplicate_adds_the_article_as_evidence_to_the_statement(ed):
    statement = StatementFactory()
    suggestion = SuggestionFactory()
    services.suggestion_mark_duplicate(suggestion_id=suggestion.pk, statement_id=statement.pk, user=ed)
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.DUPLICATE
    assert suggestion.statement == statement
    assert suggestion.article in statement.sources.all()
    assert statement.sources.count() == 2
    assert statement.history.latest().history_user == ed


def test_a_suggestion_cannot_duplicate_a_retracted_statement(ed):
    statement = StatementFactory(status=Statement.Status.RETRACTED, retraction_reason="wrong")
    suggestion = SuggestionFactory()
    with pytest.raises(ValidationError):
        services.suggestion_mark_duplicate(suggestion_id=suggestion.pk, statement_id=statement.pk, user=ed)
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.PENDING


def test_bulk_reject_rejects_only_the_pending_ones_with_one_reason(ed):
    pending = SuggestionFactory.create_batch(3)
    accepted = SuggestionFactory(status=Suggestion.Status.ACCEPTED)
    count = services.suggestions_bulk_reject(
        suggestion_ids=[s.pk for s in pending] + [accepted.pk], user=ed, reason="Distractor: sports pages"
    )
    assert count == 3
    assert set(Suggestion.objects.filter(status="rejected").values_list("review_reason", flat=True)) == {
        "Distractor: sports pages"
    }
    accepted.refresh_from_db()
    assert accepted.status == Suggestion.Status.ACCEPTED


def test_bulk_reject_needs_a_reason(ed):
    suggestion = SuggestionFactory()
    with pytest.raises(ValidationError):
        services.suggestions_bulk_reject(suggestion_ids=[suggestion.pk], user=ed, reason="")
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.PENDING


def test_following_is_idempotent_and_can_be_undone(ed):
    services.follow_set(user=ed, country_code="KOR", follow=True)
    services.follow_set(user=ed, country_code="KOR", follow=True)
    assert list(ed.follows.values_list("country_id", flat=True)) == ["KOR"]
    services.follow_set(user=ed, country_code="KOR", follow=False)
    assert not ed.follows.exists()
