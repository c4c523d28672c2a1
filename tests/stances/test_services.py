from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import (
    ArticleFactory,
    ConditionFactory,
    OutletFactory,
    StatementFactory,
    TrackFactory,
    UserFactory,
    country,
    level,
)
from tracker.sources.models import Outlet
from tracker.stances import selectors, services
from tracker.stances.models import Condition, Statement

pytestmark = pytest.mark.django_db


def create(**overrides):
    kwargs = {
        "track": TrackFactory(),
        "level": level("considering_lethal"),
        "stated_on": date(2024, 10, 22),
        "speaker": "Yoon Suk Yeol",
        "quote": "We will not rule out the provision of weapons.",
        "sources": [ArticleFactory()],
    }
    kwargs.update(overrides)
    return services.statement_create(**kwargs)


# --- validation ----------------------------------------------------------------------------------
def test_a_statement_dated_in_the_future_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as exc:
        create(stated_on=timezone.localdate() + timedelta(days=1))
    assert "in the future" in exc.value.message_dict["stated_on"][0]


def test_a_statement_without_a_quote_is_refused():
    with pytest.raises(ValidationError) as exc:
        create(quote="   ")
    assert exc.value.message_dict["quote"] == ["Quote the statement: the exact words are the evidence."]


def test_a_statement_without_a_source_is_refused():
    with pytest.raises(ValidationError) as exc:
        create(sources=[])
    assert "at least one source" in exc.value.message_dict["sources"][0]


def test_a_statement_citing_a_blocked_outlet_is_refused():
    blocked = OutletFactory(domain="propaganda.example", name="Propaganda", review_status=Outlet.ReviewStatus.BLOCKED)
    with pytest.raises(ValidationError) as exc:
        create(sources=[ArticleFactory(outlet=blocked)])
    assert "blocked outlet: Propaganda (propaganda.example)" in exc.value.message_dict["sources"][0]
    assert not Statement.objects.exists()


def test_a_track_from_a_country_to_itself_is_refused():
    with pytest.raises(ValidationError) as exc:
        services.track_get_or_create(donor="KOR", recipient="KOR")
    assert exc.value.message_dict["recipient"] == ["Donor and recipient must be different countries."]


def test_conditions_of_another_track_are_refused():
    other = ConditionFactory(track=TrackFactory(donor=country("DEU")))
    with pytest.raises(ValidationError) as exc:
        create(conditions=[other])
    assert "same track" in exc.value.message_dict["conditions"][0]


def test_new_condition_texts_become_conditions_of_the_track_and_are_reused():
    first = create(new_conditions=["Further North Korean deployments"])
    second = create(new_conditions=["further north korean deployments"], stated_on=date(2024, 10, 23))
    assert Condition.objects.count() == 1
    assert list(first.conditions.all()) == list(second.conditions.all())


# --- optimistic locking --------------------------------------------------------------------------
def test_a_save_with_a_stale_version_is_refused_and_names_who_changed_it():
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    statement = create(user=alice)
    opened_version = statement.version
    # Given both editors opened version 1, Alice saves first
    services.statement_update(
        statement_id=statement.pk, expected_version=opened_version, user=alice, speaker="Presidential office"
    )
    # When Bob saves the version he opened
    with pytest.raises(services.StatementConflict) as exc:
        services.statement_update(statement_id=statement.pk, expected_version=opened_version, user=bob, speaker="Bob")
    # Then it is refused, says who and when, and Alice's change stands
    assert "changed by alice at" in str(exc.value)
    assert "since you opened it" in str(exc.value)
    statement.refresh_from_db()
    assert statement.speaker == "Presidential office"
    assert statement.version == opened_version + 1


def test_each_save_bumps_the_version():
    statement = create()
    updated = services.statement_update(statement_id=statement.pk, expected_version=1, speaker="Ministry")
    updated = services.statement_update(statement_id=statement.pk, expected_version=2, speaker="Ministry of Defense")
    assert updated.version == 3


def test_editing_keeps_sources_unless_new_ones_are_given():
    statement = create()
    source = statement.sources.get()
    updated = services.statement_update(statement_id=statement.pk, expected_version=1, quote="Changed quote.")
    assert list(updated.sources.all()) == [source]


# --- history -------------------------------------------------------------------------------------
def test_history_rows_carry_the_editor_and_a_field_level_diff():
    editor = UserFactory(username="ed")
    statement = create(user=editor, level=level("non_lethal"))
    services.statement_update(
        statement_id=statement.pk, expected_version=1, user=editor, level=level("considering_lethal")
    )
    assert set(statement.history.values_list("history_user__username", flat=True)) == {"ed"}
    entries = selectors.statement_history(statement)
    assert entries[0]["kind"] == "changed"
    assert entries[0]["user"] == editor
    assert {
        "field": "level",
        "old": "1 · Non-lethal aid only",
        "new": "3 · Actively considering lethal aid",
    } in entries[0]["changes"]
    assert entries[-1]["kind"] == "created"


def test_history_shows_a_source_added_to_the_statement():
    editor = UserFactory(username="ed")
    statement = create(user=editor)
    extra = ArticleFactory(title="Yonhap report")
    services.statement_add_source(statement_id=statement.pk, article=extra, user=editor)
    changes = selectors.statement_history(statement)[0]["changes"]
    sources_change = next(c for c in changes if c["field"] == "sources")
    assert "Yonhap report" in sources_change["new"]
    assert "Yonhap report" not in sources_change["old"]


# --- retraction ----------------------------------------------------------------------------------
def test_a_retracted_statement_keeps_its_reason_and_its_history():
    editor = UserFactory(username="ed")
    statement = create(user=editor)
    services.statement_retract(statement_id=statement.pk, reason="Misattributed quote", user=editor)
    statement.refresh_from_db()
    assert statement.status == Statement.Status.RETRACTED
    assert statement.retraction_reason == "Misattributed quote"
    assert selectors.statement_history(statement)[0]["kind"] == "retracted"
    assert statement.history.count() >= 2


def test_retracting_needs_a_reason():
    statement = create()
    with pytest.raises(ValidationError):
        services.statement_retract(statement_id=statement.pk, reason=" ")
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED


def test_a_retracted_statement_cannot_be_edited():
    statement = create()
    services.statement_retract(statement_id=statement.pk, reason="Wrong")
    with pytest.raises(ValidationError):
        services.statement_update(statement_id=statement.pk, expected_version=2, speaker="x")


# --- blocked outlets -----------------------------------------------------------------------------
def test_blocking_the_only_outlet_of_a_statement_flags_it():
    outlet = OutletFactory()
    alone = StatementFactory(sources=[ArticleFactory(outlet=outlet)])
    corroborated = StatementFactory(sources=[ArticleFactory(outlet=outlet), ArticleFactory()])
    assert not selectors.statements_flagged().exists()
    outlet.review_status = Outlet.ReviewStatus.BLOCKED
    outlet.save()
    assert list(selectors.statements_flagged()) == [alone]
    assert selectors.statement_is_flagged(alone)
    assert not selectors.statement_is_flagged(corroborated)


def test_a_source_from_a_blocked_outlet_cannot_be_added():
    statement = create()
    blocked = ArticleFactory(outlet=OutletFactory(review_status=Outlet.ReviewStatus.BLOCKED))
    with pytest.raises(ValidationError):
        services.statement_add_source(statement_id=statement.pk, article=blocked)
    assert statement.sources.count() == 1


# --- conditions ----------------------------------------------------------------------------------
def test_marking_a_condition_met_needs_a_date_and_records_the_user():
    editor = UserFactory(username="ed")
    condition = ConditionFactory()
    with pytest.raises(ValidationError) as exc:
        services.condition_update(condition_id=condition.pk, status=Condition.Status.MET, user=editor)
    assert "resolved_on" in exc.value.message_dict
    services.condition_update(
        condition_id=condition.pk, status=Condition.Status.MET, resolved_on=date(2024, 11, 5), user=editor
    )
    condition.refresh_from_db()
    assert (condition.status, condition.resolved_on) == (Condition.Status.MET, date(2024, 11, 5))
    assert condition.history.latest().history_user == editor


def test_a_condition_cannot_be_resolved_before_it_was_stated():
    condition = ConditionFactory(stated_on=date(2024, 10, 28))
    with pytest.raises(ValidationError):
        services.condition_update(
            condition_id=condition.pk, status=Condition.Status.WITHDRAWN, resolved_on=date(2024, 10, 1)
        )


def test_setting_a_condition_back_to_pending_clears_its_date():
    condition = ConditionFactory(status=Condition.Status.MET, resolved_on=date(2024, 11, 1))
    services.condition_update(condition_id=condition.pk, status=Condition.Status.PENDING)
    condition.refresh_from_db()
    assert condition.resolved_on is None
