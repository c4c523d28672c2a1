from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ArticleFactory, OutletFactory, StatementFactory, SuggestionFactory, country, level
from tracker.review.models import Suggestion
from tracker.sources.models import Article, Outlet
from tracker.stances.models import Statement

pytestmark = pytest.mark.django_db


def test_the_queue_shows_the_evidence_highlighted_and_escaped(editor_client):
    article = ArticleFactory(
        text="<script>alert(1)</script> Before. Seoul said it was considering sending 155mm shells to Ukraine. After."
    )
    SuggestionFactory(article=article, reason="cue 'considering' <b>bold</b>")
    page = editor_client.get(reverse("review:queue")).content.decode()
    assert "<mark>Seoul said it was considering sending 155mm shells to Ukraine.</mark>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "No data → Actively considering lethal aid" in page
    assert 'src="/static/js/review.js"' in page


def test_the_queue_filters_and_orders_from_the_query_string(editor_client):
    kor = SuggestionFactory(confidence=0.5)
    deu = SuggestionFactory(donor=country("DEU"), confidence=0.9, level=level("pledged_lethal"))
    response = editor_client.get(reverse("review:queue"), {"donor": "DEU"})
    assert [i["suggestion"] for i in response.context["items"]] == [deu]
    response = editor_client.get(reverse("review:queue"), {"order": "confident"})
    assert [i["suggestion"] for i in response.context["items"]] == [deu, kor]
    response = editor_client.get(reverse("review:queue"), {"level": "pledged_lethal", "recipient": "UKR"})
    assert [i["suggestion"] for i in response.context["items"]] == [deu]


def test_the_queue_never_shows_suggestions_from_blocked_outlets(editor_client):
    blocked = OutletFactory(review_status=Outlet.ReviewStatus.BLOCKED)
    SuggestionFactory(article=ArticleFactory(outlet=blocked), evidence="Blocked outlet sentence.")
    response = editor_client.get(reverse("review:queue"))
    assert response.context["items"] == []
    assert "Blocked outlet sentence." not in response.content.decode()


def test_accept_publishes_and_returns_to_the_filtered_queue(editor_client, editor):
    article = ArticleFactory(published_at=datetime(2024, 10, 22, tzinfo=UTC))
    suggestion = SuggestionFactory(article=article)
    back = reverse("review:queue") + "?donor=KOR"
    response = editor_client.post(reverse("review:accept", args=[suggestion.pk]), {"next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    statement = Statement.objects.get()
    assert statement.status == Statement.Status.PUBLISHED
    assert statement.reviewed_by == editor


def test_a_double_submitted_accept_publishes_once(editor_client):
    suggestion = SuggestionFactory()
    url = reverse("review:accept", args=[suggestion.pk])
    editor_client.post(url)
    response = editor_client.post(url, follow=True)
    assert Statement.objects.count() == 1
    assert "already accepted by editor" in response.content.decode()


def test_accept_never_redirects_off_site(editor_client):
    suggestion = SuggestionFactory()
    response = editor_client.post(reverse("review:accept", args=[suggestion.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("review:queue")


def test_edit_then_accept_prefills_the_form_and_publishes_the_edits(editor_client):
    suggestion = SuggestionFactory(speaker="Yoon Suk Yeol", weapons=["155mm shells"])
    url = reverse("review:edit", args=[suggestion.pk])
    form = editor_client.get(url).context["form"]
    assert form.initial["quote"] == suggestion.evidence
    assert form.initial["speaker"] == "Yoon Suk Yeol"
    assert form.initial["level"] == level("considering_lethal").pk
    assert form.initial["source_urls"] == suggestion.article.url
    assert form.initial["weapons"] == "155mm shells"
    data = {
        "donor": "KOR",
        "recipient": "UKR",
        "level": level("open_to_lethal").pk,
        "stated_on": "2024-10-24",
        "speaker": "Senior official",
        "certainty": "attributed",
        "quote": "We will keep all options open.",
        "channel": "direct",
        "source_urls": suggestion.article.url,
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302
    statement = Statement.objects.get()
    assert (statement.level, statement.certainty) == (level("open_to_lethal"), "attributed")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.statement) == (Suggestion.Status.ACCEPTED, statement)


def test_edit_then_accept_with_an_error_keeps_the_suggestion_pending(editor_client):
    suggestion = SuggestionFactory()
    response = editor_client.post(
        reverse("review:edit", args=[suggestion.pk]),
        {
            "donor": "KOR",
            "recipient": "KOR",
            "level": level("open_to_lethal").pk,
            "stated_on": "2024-10-24",
            "speaker": "x",
            "certainty": "on_record",
            "quote": "q",
            "channel": "direct",
            "source_urls": suggestion.article.url,
        },
    )
    assert response.context["form"].errors["recipient"] == ["Donor and recipient must be different countries."]
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.PENDING


def test_reject_requires_a_reason(editor_client):
    suggestion = SuggestionFactory()
    url = reverse("review:reject", args=[suggestion.pk])
    response = editor_client.post(url, {"reason": ""}, follow=True)
    assert "not rejected" in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.PENDING
    editor_client.post(url, {"reason": "Not about arms aid"})
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.review_reason) == (Suggestion.Status.REJECTED, "Not about arms aid")


def test_mark_duplicate_adds_the_article_to_the_chosen_statement(editor_client):
    statement = StatementFactory()
    suggestion = SuggestionFactory()
    page = editor_client.get(reverse("review:queue")).content.decode()
    assert f'<option value="{statement.pk}">' in page  # offered as a duplicate target
    editor_client.post(reverse("review:duplicate", args=[suggestion.pk]), {"statement": statement.pk})
    assert suggestion.article in statement.sources.all()
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.DUPLICATE


def test_bulk_reject_rejects_the_selected_with_one_reason(editor_client):
    chosen = SuggestionFactory.create_batch(2)
    other = SuggestionFactory()
    response = editor_client.post(
        reverse("review:bulk_reject"), {"ids": [s.pk for s in chosen], "reason": "Sports pages"}, follow=True
    )
    assert "Rejected 2 suggestion(s)." in response.content.decode()
    assert set(Suggestion.objects.filter(status="rejected")) == set(chosen)
    other.refresh_from_db()
    assert other.status == Suggestion.Status.PENDING


def test_bulk_reject_without_a_reason_changes_nothing(editor_client):
    chosen = SuggestionFactory()
    editor_client.post(reverse("review:bulk_reject"), {"ids": [chosen.pk], "reason": ""})
    chosen.refresh_from_db()
    assert chosen.status == Suggestion.Status.PENDING


def test_follow_and_unfollow_from_a_page(analyst_client, analyst):
    url = reverse("review:follow_toggle", args=["KOR"])
    analyst_client.post(url, {"action": "follow", "next": "/tracks/KOR/UKR/"})
    assert list(analyst.follows.values_list("country_id", flat=True)) == ["KOR"]
    page = analyst_client.get(reverse("review:follows")).content.decode()
    assert "Following KOR" in page
    response = analyst_client.post(url, {"action": "unfollow", "next": "/tracks/KOR/UKR/"})
    assert response["Location"] == "/tracks/KOR/UKR/"
    assert not analyst.follows.exists()


def test_the_follows_page_adds_a_country(analyst_client, analyst):
    analyst_client.post(reverse("review:follows"), {"country": "UKR"})
    assert list(analyst.follows.values_list("country_id", flat=True)) == ["UKR"]


# --- Articles without signals -------------------------------------------------------------------
def _waiting(**kwargs):
    return ArticleFactory(triage=Article.Triage.PENDING, **kwargs)


def test_articles_without_signals_list_those_waiting_newest_first_with_their_start(editor_client):
    older = _waiting(title="Older", published_at=datetime(2024, 10, 1, tzinfo=UTC))
    newer = _waiting(title="Newer", published_at=datetime(2024, 11, 1, tzinfo=UTC), text="Hanwha <b>K9</b> output.")
    ArticleFactory(title="Had a signal")  # triage not needed
    ArticleFactory(title="Looked at", triage=Article.Triage.DISMISSED)
    _waiting(title="Blocked", outlet=OutletFactory(review_status=Outlet.ReviewStatus.BLOCKED))
    coded = _waiting(title="Coded")
    StatementFactory(sources=[coded])

    response = editor_client.get(reverse("review:articles"))

    assert [a.title for a in response.context["page"]] == ["Newer", "Older"]
    page = response.content.decode()
    assert "Hanwha &lt;b&gt;K9&lt;/b&gt; output." in page
    assert f"{reverse('stances:statement_create')}?article={newer.pk}" in page
    assert older.url in page


def test_the_queue_links_to_the_articles_waiting_with_their_count(editor_client):
    _waiting()
    _waiting()
    page = editor_client.get(reverse("review:queue")).content.decode()
    assert "Articles without signals (2)" in page


def test_marking_articles_as_no_stance_keeps_who_and_when_and_takes_them_off_the_list(editor_client, editor):
    first, second, third = _waiting(), _waiting(), _waiting()

    response = editor_client.post(reverse("review:articles_dismiss"), {"only": first.pk, "ids": [third.pk]})
    assert response.status_code == 302
    response = editor_client.post(reverse("review:articles_dismiss"), {"ids": [second.pk, third.pk]}, follow=True)

    assert "2 articles marked as no stance." in response.content.decode()
    for article in (first, second, third):
        article.refresh_from_db()
        assert article.triage == Article.Triage.DISMISSED
        assert article.triaged_by == editor
        assert article.triaged_at is not None
    assert list(editor_client.get(reverse("review:articles")).context["page"]) == []


def test_marking_nothing_says_what_to_do(editor_client):
    response = editor_client.post(reverse("review:articles_dismiss"), {"ids": ["x"]}, follow=True)
    assert "Select at least one article." in response.content.decode()


def test_coding_a_statement_from_an_article_starts_the_form_with_its_url_and_date(editor_client):
    article = _waiting(published_at=datetime(2024, 10, 22, 8, tzinfo=UTC))
    form = editor_client.get(reverse("stances:statement_create"), {"article": article.pk}).context["form"]
    assert form.initial["source_urls"] == article.url
    assert str(form.initial["stated_on"]) == "2024-10-22"
    unknown = editor_client.get(reverse("stances:statement_create"), {"article": 999999}).context["form"]
    assert "source_urls" not in unknown.initial


def test_the_queue_offers_to_code_the_other_governments_of_a_roundup(editor_client):
    article = ArticleFactory(
        text="Seoul said it was considering sending 155mm shells to Ukraine. Australia promised more artillery."
    )
    SuggestionFactory(article=article)
    page = editor_client.get(reverse("review:queue")).content.decode()
    assert "Also named with arms in this article: Australia" in page
    assert f"{reverse('stances:statement_create')}?article={article.pk}" in page


def test_an_article_marked_as_no_stance_by_mistake_can_be_put_back_on_the_list(editor_client, editor):
    article = _waiting(title="Marked by mistake")
    editor_client.post(reverse("review:articles_dismiss"), {"only": article.pk})

    listed = editor_client.get(reverse("review:articles"), {"show": "dismissed"})
    assert [a.title for a in listed.context["page"]] == ["Marked by mistake"]
    assert f"marked by {editor.username} on" in listed.content.decode()

    response = editor_client.post(reverse("review:articles_restore"), {"only": article.pk}, follow=True)

    assert "1 article back on the list." in response.content.decode()
    article.refresh_from_db()
    assert article.triage == Article.Triage.PENDING
    assert [a.title for a in editor_client.get(reverse("review:articles")).context["page"]] == ["Marked by mistake"]


def test_an_undated_article_waits_in_the_order_it_was_fetched(editor_client):
    _waiting(title="October", published_at=datetime(2024, 10, 1, tzinfo=UTC))
    _waiting(title="November", published_at=datetime(2024, 11, 1, tzinfo=UTC))
    undated = _waiting(title="Undated, fetched in October", published_at=None)
    Article.objects.filter(pk=undated.pk).update(created_at=datetime(2024, 10, 15, tzinfo=UTC))
    titles = [a.title for a in editor_client.get(reverse("review:articles")).context["page"]]
    assert titles == ["November", "Undated, fetched in October", "October"]


def test_an_article_dated_in_the_future_starts_the_form_today_not_then(editor_client):
    article = _waiting(published_at=timezone.now() + timedelta(days=3))
    form = editor_client.get(reverse("stances:statement_create"), {"article": article.pk}).context["form"]
    assert form.initial["stated_on"] == timezone.localdate()
