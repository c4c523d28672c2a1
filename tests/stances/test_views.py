import http.server
import threading
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ArticleFactory,
    ConditionFactory,
    EventFactory,
    OutletFactory,
    StatementFactory,
    TrackFactory,
    UserFactory,
    level,
)
from tracker import roles
from tracker.sources.models import Article, Outlet
from tracker.stances.models import Condition, Event, Statement

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "donor": "KOR",
        "recipient": "UKR",
        "level": level("considering_lethal").pk,
        "scope": "",
        "stated_on": "2024-10-22",
        "speaker": "Yoon Suk Yeol",
        "speaker_role": "President",
        "certainty": "on_record",
        "quote": "We will actively implement phased measures.",
        "channel": "direct",
        "weapons": "155mm shells, Cheongung",
        "new_conditions": "Further North Korean deployments",
        "source_urls": ArticleFactory().url,
        "notes": "",
    }
    data.update(overrides)
    return data


def test_an_editor_publishes_a_statement_from_the_form(editor_client, editor):
    response = editor_client.post(reverse("stances:statement_create"), form_data())
    statement = Statement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("stances:statement_detail", args=[statement.pk])
    assert statement.status == Statement.Status.PUBLISHED
    assert statement.weapons == ["155mm shells", "Cheongung"]
    assert statement.speaker_role == "President"
    assert [c.text for c in statement.conditions.all()] == ["Further North Korean deployments"]
    assert statement.history.latest().history_user == editor


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"stated_on": (date.today() + timedelta(days=2)).isoformat()}, "stated_on", "is in the future"),
        ({"quote": "   "}, "quote", "Quote the statement: the exact words are the evidence."),
        ({"recipient": "KOR"}, "recipient", "Donor and recipient must be different countries."),
        ({"source_urls": ""}, "source_urls", "Add at least one source"),
        ({"source_urls": "not a url"}, "source_urls", "Not a web address: not a url"),
    ],
)
def test_each_invalid_statement_gets_a_clear_message(editor_client, overrides, field, message):
    response = editor_client.post(reverse("stances:statement_create"), form_data(**overrides))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not Statement.objects.exists()


def test_a_source_from_a_blocked_outlet_is_refused_on_the_form(editor_client):
    blocked = OutletFactory(domain="blocked.example", name="Blocked News", review_status=Outlet.ReviewStatus.BLOCKED)
    article = ArticleFactory(outlet=blocked)
    response = editor_client.post(reverse("stances:statement_create"), form_data(source_urls=article.url))
    assert (
        "Source from a blocked outlet: Blocked News (blocked.example)"
        in response.context["form"].errors["source_urls"][0]
    )
    assert not Statement.objects.exists()


def test_a_new_url_from_a_blocked_outlet_is_refused_without_fetching(editor_client, monkeypatch):
    OutletFactory(domain="blocked.example", name="Blocked News", review_status=Outlet.ReviewStatus.BLOCKED)

    def never(**kwargs):
        raise AssertionError("must not fetch")

    monkeypatch.setattr("tracker.ingest.services.ingest_url", never)
    response = editor_client.post(
        reverse("stances:statement_create"), form_data(source_urls="https://blocked.example/new-story")
    )
    assert "blocked outlet" in response.context["form"].errors["source_urls"][0]


class _ArticleHandler(http.server.BaseHTTPRequestHandler):
    body = (
        "<html><head><title>Seoul weighs lethal aid</title></head><body><article><h1>Seoul weighs lethal aid</h1>"
        + "<p>South Korea is actively considering sending 155mm artillery shells to Ukraine, officials said.</p>"
        + "".join(
            f"<p>Paragraph {n}: the presidential office said the government would respond in phases to the "
            f"deployment of North Korean troops, keeping every option open as the situation develops.</p>"
            for n in range(6)
        )
        + "</article></body></html>"
    ).encode()

    def do_GET(self):  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def article_server(settings):
    settings.FETCH_ALLOW_PRIVATE = True
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ArticleHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_new_source_url_is_fetched_when_the_statement_is_saved(editor_client, article_server):
    url = f"{article_server}/news/seoul-weighs-lethal-aid"
    response = editor_client.post(reverse("stances:statement_create"), form_data(source_urls=url))
    assert response.status_code == 302, response.context["form"].errors
    article = Statement.objects.get().sources.get()
    assert article.url == url
    assert "155mm artillery shells" in article.text


def test_an_unreachable_source_url_is_a_form_error_and_loses_nothing(editor_client, settings):
    settings.FETCH_ALLOW_PRIVATE = True
    with socket_on_free_port() as port:
        url = f"http://127.0.0.1:{port}/gone"
    data = form_data(source_urls=url, quote="Keep this quote.")
    response = editor_client.post(reverse("stances:statement_create"), data)
    assert response.status_code == 200
    assert f"Could not fetch {url}" in response.context["form"].errors["source_urls"][0]
    assert response.context["form"]["quote"].value() == "Keep this quote."
    assert not Statement.objects.exists()


class socket_on_free_port:  # noqa: N801
    """A port that was free a moment ago and has nothing listening on it now."""

    def __enter__(self):
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return self.sock.getsockname()[1]

    def __exit__(self, *exc):
        self.sock.close()


def test_the_edit_form_refuses_a_stale_version_and_shows_the_unsaved_input(editor_client, editor):
    statement = StatementFactory()
    other = UserFactory(username="colleague", roles=[roles.EDITOR])
    url = reverse("stances:statement_edit", args=[statement.pk])
    # Given the editor opened version 1, a colleague saves first
    from tracker.stances import services

    services.statement_update(statement_id=statement.pk, expected_version=1, user=other, speaker="Colleague's fix")
    # When the editor saves what they opened
    data = form_data(source_urls=statement.sources.get().url, speaker="My change", version=1)
    response = editor_client.post(url, data, follow=True)
    # Then nothing is overwritten and the page says who changed it
    statement.refresh_from_db()
    assert statement.speaker == "Colleague's fix"
    page = response.content.decode()
    assert "changed by colleague at" in page
    assert "since you opened it" in page
    assert "My change" in page  # the unsaved input is shown, not lost
    assert response.context["form"].initial["version"] == 2


def test_the_edit_form_saves_with_the_current_version(editor_client):
    statement = StatementFactory()
    url = reverse("stances:statement_edit", args=[statement.pk])
    response = editor_client.get(url)
    assert response.context["form"].initial["version"] == 1
    data = form_data(source_urls=statement.sources.get().url, speaker="Ministry of National Defense", version=1)
    response = editor_client.post(url, data)
    assert response.status_code == 302
    statement.refresh_from_db()
    assert (statement.version, statement.level) == (2, level("considering_lethal"))


def test_the_statement_page_shows_history_to_analysts(client, analyst, editor):
    from tracker.stances import services

    statement = services.statement_create(
        track=TrackFactory(),
        level=level("non_lethal"),
        stated_on=date(2024, 3, 1),
        speaker="MND",
        quote="Non-lethal only.",
        sources=[ArticleFactory()],
        user=editor,
    )
    services.statement_update(statement_id=statement.pk, expected_version=1, user=editor, level=level("open_to_lethal"))
    client.force_login(analyst)
    response = client.get(reverse("stances:statement_detail", args=[statement.pk]))
    assert response.status_code == 200
    history = response.context["history"]
    assert history[0]["user"] == editor
    assert {"field": "level", "old": "1 · Non-lethal aid only", "new": "2 · Not ruling out lethal aid"} in history[0][
        "changes"
    ]
    assert "Edit" not in response.content.decode().split("<h2>History</h2>")[0].split("</table>")[-1]


def test_retracting_takes_a_reason_and_keeps_the_statement(editor_client):
    statement = StatementFactory()
    url = reverse("stances:statement_retract", args=[statement.pk])
    response = editor_client.post(url, {"reason": "", "version": 1}, follow=True)
    assert "Say why the statement is retracted." in response.content.decode()
    editor_client.post(url, {"reason": "Misquoted", "version": 1})
    statement.refresh_from_db()
    assert (statement.status, statement.retraction_reason) == (Statement.Status.RETRACTED, "Misquoted")


def test_the_flagged_list_shows_statements_resting_on_blocked_outlets(editor_client):
    outlet = OutletFactory(review_status=Outlet.ReviewStatus.BLOCKED)
    flagged = StatementFactory(sources=[ArticleFactory(outlet=outlet)])
    StatementFactory()
    response = editor_client.get(reverse("stances:statements_flagged"))
    assert list(response.context["statements"]) == [flagged]
    detail = editor_client.get(reverse("stances:statement_detail", args=[flagged.pk]))
    assert detail.context["flagged"] is True
    assert 'id="flagged"' in detail.content.decode()


def test_an_editor_adds_a_red_line_and_marks_it_met(editor_client, editor):
    response = editor_client.post(
        reverse("stances:condition_create"),
        {
            "donor": "KOR",
            "recipient": "UKR",
            "text": "Further North Korean deployments",
            "kind": "red_line",
            "stated_on": "2024-10-28",
            "status": "pending",
            "resolved_on": "",
        },
    )
    assert response.status_code == 302
    condition = Condition.objects.get()
    response = editor_client.post(
        reverse("stances:condition_edit", args=[condition.pk]),
        {"text": condition.text, "kind": "red_line", "status": "met", "resolved_on": "2024-11-04"},
    )
    assert response.status_code == 302
    condition.refresh_from_db()
    assert (condition.status, condition.resolved_on) == ("met", date(2024, 11, 4))
    assert condition.history.latest().history_user == editor


def test_marking_a_condition_withdrawn_without_a_date_is_refused(editor_client):
    condition = ConditionFactory()
    response = editor_client.post(
        reverse("stances:condition_edit", args=[condition.pk]),
        {"text": condition.text, "kind": "red_line", "status": "withdrawn", "resolved_on": ""},
    )
    assert "Give the date the condition was met or withdrawn." in response.context["form"].errors["resolved_on"]


def test_an_editor_adds_a_trigger_event(editor_client, editor):
    response = editor_client.post(
        reverse("stances:event_create"),
        {"occurred_on": "2024-10-18", "title": "DPRK troops deployed to Russia", "countries": ["PRK", "RUS"]},
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert set(event.countries.values_list("code", flat=True)) == {"PRK", "RUS"}
    assert event.created_by == editor


def test_an_event_in_the_future_is_refused(editor_client):
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = editor_client.post(
        reverse("stances:event_create"), {"occurred_on": future, "title": "Later", "countries": ["PRK"]}
    )
    assert "in the future" in response.context["form"].errors["occurred_on"][0]


def test_lists_render_for_analysts(analyst_client):
    StatementFactory()
    ConditionFactory()
    EventFactory()
    for name in ("statement_list", "condition_list", "event_list"):
        assert analyst_client.get(reverse(f"stances:{name}")).status_code == 200
    assert Article.objects.exists()


def test_a_codebook_change_in_the_admin_keeps_who_changed_it(client, superuser):
    client.force_login(superuser)
    stance_level = level("considering_lethal")
    url = reverse("admin:stances_stancelevel_change", args=[stance_level.pk])
    data = {
        "codebook": stance_level.codebook_id,
        "rank": stance_level.rank,
        "code": stance_level.code,
        "label": "Actively weighing lethal aid",
        "description": stance_level.description,
        "color": stance_level.color,
    }
    assert client.post(url, data).status_code == 302
    latest = stance_level.history.latest()
    assert (latest.history_user, latest.history_type, latest.label) == (superuser, "~", "Actively weighing lethal aid")
