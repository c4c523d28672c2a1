"""Selectors: plain rows, published statements only, shifts per line (track × scope)."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db.models import Q

from tests.factories import ArticleFactory, StatementFactory, TrackFactory, country, level, scope
from tracker.dashboard import selectors
from tracker.dashboard.management.commands.generate_synthetic import MARK
from tracker.sources.models import Article
from tracker.stances.models import Statement, Track

pytestmark = pytest.mark.django_db
SINCE = date(2024, 1, 1)


def test_statement_rows_are_plain_dicts_with_sources_and_conditions_in_date_order():
    track = TrackFactory()
    a, b = ArticleFactory(), ArticleFactory()
    later = StatementFactory(track=track, stated_on=date(2024, 5, 1), sources=[a, b])
    earlier = StatementFactory(track=track, stated_on=date(2024, 1, 1), sources=[])
    rows = selectors.statements(Q(track=track, status="published"))
    assert [r["id"] for r in rows] == [earlier.id, later.id]
    assert isinstance(rows[0], dict)
    assert rows[0]["sources"] == []
    assert sorted(s["url"] for s in rows[1]["sources"]) == sorted([a.url, b.url])
    assert rows[1]["level_code"] == "non_lethal"
    assert rows[1]["certainty_label"] == "On record"


def test_drafts_and_retractions_never_count_as_the_previous_level():
    track = TrackFactory()
    StatementFactory(track=track, level=level("non_lethal"), stated_on=date(2024, 1, 5))
    StatementFactory(track=track, level=level("prohibits"), stated_on=date(2024, 2, 1), status="draft")
    StatementFactory(
        track=track, level=level("prohibits"), stated_on=date(2024, 2, 2), status="retracted", retraction_reason="x"
    )
    StatementFactory(track=track, level=level("non_lethal"), stated_on=date(2024, 3, 1))
    assert selectors.recent_shifts(since=SINCE) == []  # non_lethal → non_lethal is no shift


def test_shifts_are_computed_per_line_so_a_scoped_statement_does_not_shift_the_overall_line():
    track = TrackFactory()
    StatementFactory(track=track, level=level("non_lethal"), stated_on=date(2023, 6, 1))
    StatementFactory(track=track, level=level("prohibits"), scope=scope("tanks"), stated_on=date(2023, 7, 1))
    StatementFactory(track=track, level=level("pledged_lethal"), scope=scope("tanks"), stated_on=date(2024, 2, 1))
    StatementFactory(track=track, level=level("non_lethal"), stated_on=date(2024, 3, 1))
    shifts = selectors.recent_shifts(since=SINCE)
    assert [(s["scope"], s["from_code"], s["level_code"]) for s in shifts] == [("tanks", "prohibits", "pledged_lethal")]


def test_two_statements_on_one_day_are_ordered_by_id():
    track = TrackFactory()
    day = date(2024, 6, 1)
    StatementFactory(track=track, level=level("non_lethal"), stated_on=day)
    second = StatementFactory(track=track, level=level("open_to_lethal"), stated_on=day)
    (shift,) = selectors.recent_shifts(since=SINCE)
    assert (shift["id"], shift["from_code"], shift["direction"]) == (second.id, "non_lethal", "up")


def test_the_minimum_certainty_filter_applies_to_the_previous_level_too():
    track = TrackFactory()
    StatementFactory(track=track, level=level("non_lethal"), stated_on=date(2023, 1, 1))
    StatementFactory(track=track, level=level("prohibits"), stated_on=date(2023, 6, 1), certainty="media_report")
    StatementFactory(track=track, level=level("open_to_lethal"), stated_on=date(2024, 2, 1))
    filters = selectors.Filters(min_certainty="on_record")
    (shift,) = selectors.recent_shifts(since=SINCE, filters=filters)
    assert shift["from_code"] == "non_lethal"


def test_current_levels_take_the_latest_overall_statement_of_each_track():
    kor, deu = TrackFactory(), TrackFactory(donor=country("DEU"))
    StatementFactory(track=kor, level=level("non_lethal"), stated_on=date(2022, 1, 1))
    StatementFactory(track=kor, level=level("considering_lethal"), stated_on=date(2024, 10, 22))
    StatementFactory(track=kor, level=level("prohibits"), scope=scope("tanks"), stated_on=date(2025, 1, 1))
    StatementFactory(track=deu, level=level("delivering_lethal"), stated_on=date(2022, 6, 1))
    TrackFactory(donor=country("FRA"))  # a track without statements has no current level
    rows = selectors.current_levels_for(track_q=Q(recipient_id="UKR"))
    assert [(r["donor"], r["level_code"]) for r in rows] == [
        ("DEU", "delivering_lethal"),
        ("KOR", "considering_lethal"),
    ]


def test_generate_synthetic_builds_a_marked_data_set_and_replaces_it_on_a_second_run():
    call_command("generate_synthetic", donors=3, statements=600, articles=700)
    assert Statement.objects.filter(notes=MARK).count() == 600
    assert Track.objects.filter(statements__notes=MARK).distinct().count() == 15  # 3 donors × 5 recipients
    longest = max(Track.objects.filter(statements__notes=MARK).distinct(), key=lambda t: t.statements.count())
    assert longest.statements.count() == 500
    assert Article.objects.filter(outlet__domain__endswith=".synthetic.example").count() == 700
    # Running again replaces the set instead of adding to it
    call_command("generate_synthetic", donors=3, statements=600, articles=700)
    assert Statement.objects.filter(notes=MARK).count() == 600
    assert Article.objects.filter(outlet__domain__endswith=".synthetic.example").count() == 700
    assert selectors.recent_shifts(since=date.today() - timedelta(days=4000))
