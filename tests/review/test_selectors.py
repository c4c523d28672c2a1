from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from tests.factories import (
    ArticleFactory,
    OutletFactory,
    StatementFactory,
    SuggestionFactory,
    TrackFactory,
    country,
    level,
)
from tracker.review import selectors
from tracker.review.models import Suggestion
from tracker.sources.models import Outlet


def test_highlight_splits_the_text_around_the_evidence():
    text = "Intro. Seoul said it was considering sending shells. Outro."
    hl = selectors.highlight(text, "Seoul said it was considering sending shells.")
    assert (hl.before, hl.match, hl.after, hl.found) == (
        "Intro. ",
        "Seoul said it was considering sending shells.",
        " Outro.",
        True,
    )


def test_highlight_tolerates_whitespace_and_quote_differences():
    text = "He said:\n“We  will keep all options open,” on Monday."
    hl = selectors.highlight(text, '"We will keep all options open"')
    assert hl.found
    assert hl.match == "We  will keep all options open"


def test_highlight_keeps_only_a_window_of_context():
    text = "word " * 500 + "THE EVIDENCE" + " word" * 500
    hl = selectors.highlight(text, "THE EVIDENCE", context=50)
    assert hl.clipped_start
    assert hl.clipped_end
    assert len(hl.before) <= 50
    assert len(hl.after) <= 50


def test_highlight_reports_evidence_missing_from_the_text():
    hl = selectors.highlight("Nothing relevant here.", "Seoul will send tanks")
    assert not hl.found
    assert hl.match == "Seoul will send tanks"


@pytest.mark.django_db
def test_the_queue_is_newest_first_or_most_confident_first():
    now = timezone.now()
    old_sure = SuggestionFactory(confidence=0.95)
    new_unsure = SuggestionFactory(confidence=0.4)
    middle = SuggestionFactory(confidence=0.7)
    for s, age in ((old_sure, 3), (new_unsure, 1), (middle, 2)):
        Suggestion.objects.filter(pk=s.pk).update(created_at=now - timedelta(hours=age))
    assert list(selectors.queue(order="recent")) == [new_unsure, middle, old_sure]
    assert list(selectors.queue(order="confident")) == [old_sure, middle, new_unsure]


@pytest.mark.django_db
def test_the_queue_filters_by_donor_recipient_outlet_and_level():
    outlet = OutletFactory()
    kor_ukr = SuggestionFactory(article=ArticleFactory(outlet=outlet))
    deu_ukr = SuggestionFactory(donor=country("DEU"), level=level("pledged_lethal"))
    kor_pol = SuggestionFactory(recipient=country("POL"))
    assert set(selectors.queue(donor="KOR")) == {kor_ukr, kor_pol}
    assert set(selectors.queue(recipient="UKR")) == {kor_ukr, deu_ukr}
    assert list(selectors.queue(outlet=outlet.pk)) == [kor_ukr]
    assert list(selectors.queue(level="pledged_lethal")) == [deu_ukr]
    assert list(selectors.queue(donor="KOR", recipient="POL")) == [kor_pol]


@pytest.mark.django_db
def test_the_queue_shows_only_pending_suggestions_and_none_from_blocked_outlets():
    visible = SuggestionFactory()
    SuggestionFactory(status=Suggestion.Status.REJECTED)
    SuggestionFactory(article=ArticleFactory(outlet=OutletFactory(review_status=Outlet.ReviewStatus.BLOCKED)))
    assert list(selectors.queue()) == [visible]
    assert selectors.queue_counts() == {"pending": 2, "hidden_blocked": 1}


@pytest.mark.django_db
def test_queue_items_say_what_accepting_would_change():
    track = TrackFactory()
    StatementFactory(track=track, level=level("non_lethal"))
    suggestion = SuggestionFactory(level=level("considering_lethal"))
    fresh = SuggestionFactory(donor=country("DEU"))
    items = {i["suggestion"]: i for i in selectors.queue_items([suggestion, fresh])}
    assert items[suggestion]["change"] == "Non-lethal aid only → Actively considering lethal aid"
    assert items[suggestion]["direction"] == 1
    assert items[suggestion]["current_level"] == level("non_lethal")
    assert items[fresh]["change"] == "No data → Actively considering lethal aid"


@pytest.mark.django_db
def test_a_suggestion_about_an_older_date_is_judged_against_the_level_in_force_then():
    track = TrackFactory()
    StatementFactory(track=track, level=level("non_lethal"), stated_on=date(2024, 3, 1))
    StatementFactory(track=track, level=level("pledged_lethal"), stated_on=date(2025, 6, 1))
    old_news = SuggestionFactory(
        level=level("considering_lethal"),
        article=ArticleFactory(published_at=datetime(2024, 11, 5, 9, tzinfo=UTC)),
    )
    [item] = selectors.queue_items([old_news])
    assert item["current_level"] == level("pledged_lethal")
    assert item["direction"] == 1  # up from non-lethal, the level in force on 2024-11-05
    assert item["change"] == (
        "Non-lethal aid only → Actively considering lethal aid on 2024-11-05; "
        "later statements keep the track at Lethal aid pledged"
    )


def test_level_on_picks_the_last_statement_on_or_before_the_day():
    a, b = object(), object()
    history = [(date(2024, 1, 1), a), (date(2024, 6, 1), b)]
    assert selectors.level_on(history, date(2023, 12, 31)) is None
    assert selectors.level_on(history, date(2024, 1, 1)) is a
    assert selectors.level_on(history, date(2024, 5, 31)) is a
    assert selectors.level_on(history, date(2025, 1, 1)) is b


@pytest.mark.django_db
def test_queue_items_name_the_other_countries_a_roundup_mentions_with_arms():
    article = ArticleFactory(
        text=(
            "South Korea is considering sending 155mm shells to Ukraine, officials said. "
            "Italy ruled out sending troops, and Australia said it was open to supplying artillery ammunition. "
            "Japan hosted a trade fair on Tuesday."
        )
    )
    korea = SuggestionFactory(article=article)  # KOR → UKR
    SuggestionFactory(article=article, donor=country("ITA"), status=Suggestion.Status.REJECTED)
    lone = SuggestionFactory()  # the factory's one-sentence article: nothing else named

    items = {i["suggestion"]: i for i in selectors.queue_items([korea, lone])}

    assert items[korea]["other_countries"] == ["Australia"]  # Italy has a suggestion; Japan is not near arms
    assert items[lone]["other_countries"] == []
