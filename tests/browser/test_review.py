"""An editor works the review queue in Chromium; the analyst's timeline then shows the new point."""

import json
from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.factories import ArticleFactory, StatementFactory, SuggestionFactory, TrackFactory, UserFactory, level
from tracker import roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POINTS = ".scatterlayer .trace .points path.point"
EVIDENCE = "Seoul is actively considering sending 155mm artillery shells to Ukraine, officials said."


def log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)  # axes blocks authenticate() without a request; the session is real
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_an_editor_accepts_a_suggestion_and_the_analyst_timeline_shows_it(page, live_server, reference_data):
    # Given a KOR→UKR track with one published point and a pending suggestion from a later article
    track = TrackFactory()
    StatementFactory(track=track, level=level("non_lethal"), stated_on=date(2024, 3, 1))
    article = ArticleFactory(
        title="Seoul weighs lethal aid",
        text=f"<b>Intro</b> paragraph. {EVIDENCE} More text follows.",
        published_at="2024-10-22T08:00:00Z",
    )
    SuggestionFactory(article=article, evidence=EVIDENCE, speaker="Presidential office")
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Failed responses, except the favicon Chromium asks for on the bare JSON page
    page.on(
        "response",
        lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico") and errors.append(f"{r.status} {r.url}"),
    )

    # When the editor opens the queue and presses "a" on the first (selected) suggestion
    log_in(page, live_server, UserFactory(username="browser-editor", roles=[roles.EDITOR]))
    page.goto(f"{live_server.url}/review/")
    item = page.locator(".suggestion").first
    expect(item).to_have_class("suggestion card current")
    expect(item.locator("mark")).to_have_text(EVIDENCE)
    expect(item.locator(".context")).to_contain_text("<b>Intro</b>")  # feed markup shown as text
    expect(item.locator(".change")).to_contain_text("Non-lethal aid only → Actively considering lethal aid")
    page.keyboard.press("a")

    # Then the queue is empty and says what was published
    expect(page.locator(".messages")).to_contain_text("Accepted: published statement")
    expect(page.locator(".suggestion")).to_have_count(0)

    # And the analyst's timeline and API show the new point
    log_in(page, live_server, UserFactory(username="browser-analyst", roles=[roles.ANALYST]))
    page.goto(f"{live_server.url}/api/v1/tracks/KOR/UKR/")
    payload = json.loads(page.locator("body").inner_text())
    quotes = [s["quote"] for s in payload["statements"]]
    assert EVIDENCE in quotes
    assert len(quotes) == 2
    page.goto(f"{live_server.url}/tracks/KOR/UKR/")
    page.wait_for_selector("#chart.chart-ready", timeout=15_000)
    expect(page.locator(POINTS)).to_have_count(2)
    assert errors == []
