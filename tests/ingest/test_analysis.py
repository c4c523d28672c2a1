"""Signals become pending Suggestions: idempotent, and never for duplicates or blocked outlets."""

import pytest

from tests.factories import ArticleFactory, OutletFactory
from tracker.ingest.analysis import analyse_article, reset_alias_table
from tracker.ingest.detector import DETECTOR_VERSION
from tracker.review.models import Suggestion
from tracker.sources.models import Article, Outlet

TEXT = (
    "SEOUL, Oct 29 (Wire) - South Korea is actively considering sending 155mm artillery shells to Ukraine, "
    "two government officials said on Tuesday, speaking on condition of anonymity.\n"
    "Separately, Germany will not send Taurus cruise missiles to Ukraine, Chancellor Olaf Scholz said in Berlin."
)


@pytest.fixture(autouse=True)
def _fresh_aliases():
    reset_alias_table()
    yield
    reset_alias_table()


@pytest.fixture
def article(db):
    return ArticleFactory(title="Seoul weighs shells", text=TEXT, status=Article.Status.EXTRACTED)


def test_it_creates_pending_suggestions_with_evidence_and_reason(article):
    suggestions = analyse_article(article=article)

    rows = {(s.donor_id, s.recipient_id, s.level.code, s.scope.code if s.scope else None): s for s in suggestions}
    assert set(rows) == {
        ("KOR", "UKR", "considering_lethal", "artillery_ammo"),
        ("DEU", "UKR", "prohibits", "long_range_missiles"),
    }
    korea = rows[("KOR", "UKR", "considering_lethal", "artillery_ammo")]
    assert korea.status == Suggestion.Status.PENDING
    assert korea.evidence.startswith("South Korea is actively considering")
    assert "'actively considering'" in korea.reason
    assert korea.certainty == "attributed"
    assert korea.weapons == ["155mm artillery shells"]
    assert korea.detector_version == DETECTOR_VERSION
    assert 0 < korea.confidence < 1
    germany = rows[("DEU", "UKR", "prohibits", "long_range_missiles")]
    assert germany.speaker == "Chancellor Olaf Scholz"
    assert germany.certainty == "on_record"


def test_running_it_twice_changes_nothing(article):
    first = analyse_article(article=article)
    before = list(Suggestion.objects.order_by("pk").values())

    second = analyse_article(article=article)

    assert [s.pk for s in second] == [s.pk for s in first]
    assert list(Suggestion.objects.order_by("pk").values()) == before


def test_an_article_from_a_blocked_outlet_yields_none(db):
    blocked = OutletFactory(domain="propaganda.example", review_status=Outlet.ReviewStatus.BLOCKED)
    article = ArticleFactory(text=TEXT, outlet=blocked)
    assert analyse_article(article=article) == []
    assert not Suggestion.objects.exists()


def test_a_duplicate_yields_none(article):
    copy = ArticleFactory(text=TEXT, duplicate_of=article, status=Article.Status.DUPLICATE)
    assert analyse_article(article=copy) == []
    assert not Suggestion.objects.filter(article=copy).exists()


def test_a_non_english_article_yields_none(db):
    article = ArticleFactory(text=TEXT, language="de")
    assert analyse_article(article=article) == []


def test_an_article_with_no_stance_yields_none(db):
    article = ArticleFactory(
        text="Hanwha Aerospace said on Tuesday it would raise output of K9 howitzers for Poland and Romania."
    )
    assert analyse_article(article=article) == []


def test_aliases_edited_in_the_database_are_used(article):
    from tracker.stances.models import Country

    Country.objects.filter(code="KOR").update(aliases=["South Korea", "Hanguk"])
    reset_alias_table()
    article.text = "Hanguk will send air defence systems to Ukraine, the defence ministry said."
    article.save()
    (suggestion,) = analyse_article(article=article)
    assert (suggestion.donor_id, suggestion.level.code) == ("KOR", "pledged_lethal")


def test_the_pipeline_halves_build_without_writing_then_store_once(article, django_assert_num_queries):
    from tracker.ingest.analysis import alias_table, suggestions_build, suggestions_store

    alias_table()  # reference data cached, as in a running worker
    with django_assert_num_queries(0):
        pending = suggestions_build(article=article)
    assert {(s.donor_id, s.recipient_id, s.level.code) for s in pending} == {
        ("KOR", "UKR", "considering_lethal"),
        ("DEU", "UKR", "prohibits"),
    }
    assert not Suggestion.objects.exists()

    with django_assert_num_queries(1):
        suggestions_store(suggestions=pending)
    suggestions_store(suggestions=suggestions_build(article=article))  # a repeat stores nothing new

    assert Suggestion.objects.filter(article=article).count() == 2


def test_reference_data_is_read_once_and_reloaded_after_the_ttl(article, django_assert_num_queries, monkeypatch):
    from tracker.ingest import analysis

    analysis.alias_table()  # loads countries, levels and categories
    with django_assert_num_queries(0):
        analysis.alias_table()
    monkeypatch.setattr(analysis, "REFERENCE_TTL_SECONDS", -1)
    with django_assert_num_queries(3):
        analysis.alias_table()
