"""Dashboard views: permissions, fixed query counts, pages, API schema, downloads and the Atom feed."""

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.dashboard.story import HOSTILE, build_story
from tests.factories import (
    ArticleFactory,
    EventFactory,
    StatementFactory,
    TrackFactory,
    UserFactory,
    country,
    level,
    scope,
)
from tracker.dashboard import services
from tracker.dashboard.models import FeedToken

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def story():
    return build_story()


def page_urls(story):
    return [
        "/",
        "/tracks/KOR/UKR/",
        "/compare/?recipient=UKR&donor=KOR&donor=DEU",
        "/countries/KOR/",
        f"/statements/{story.published[0].id}/",
        "/api/v1/tracks/KOR/UKR/",
        "/tracks/KOR/UKR/?format=csv",
        "/?format=json&table=shifts",
    ]


# --- Access ---------------------------------------------------------------------------------------
def test_anonymous_visitors_are_sent_to_the_login_page(client, story):
    for url in page_urls(story):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


def test_a_logged_in_user_without_the_read_permissions_gets_403(client, story):
    client.force_login(UserFactory(username="nobody"))
    for url in page_urls(story):
        assert client.get(url).status_code == 403, url


def test_an_analyst_can_open_every_page(analyst_client, story):
    for url in page_urls(story):
        assert analyst_client.get(url).status_code == 200, url


def test_the_review_link_is_shown_only_to_users_who_can_review(client, analyst, editor, story):
    client.force_login(analyst)
    assert b'href="/review/"' not in client.get("/").content
    client.force_login(editor)
    assert b'href="/review/"' in client.get("/").content


# --- Fixed query counts ------------------------------------------------------------------------------
def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def add_statements(track, n, start=date(2020, 1, 1)):
    lv = [level("non_lethal"), level("open_to_lethal"), level("considering_lethal")]
    for i in range(n):
        StatementFactory(track=track, level=lv[(i // 5) % 3], stated_on=start + timedelta(days=7 * i))


@pytest.mark.parametrize(
    "url",
    ["/tracks/KOR/UKR/", "/compare/?recipient=UKR&donor=KOR&donor=DEU", "/?recipient=UKR&days=3650", "/countries/KOR/"],
)
def test_pages_run_the_same_number_of_queries_for_2_or_100_statements(
    analyst_client, url, django_assert_max_num_queries
):
    # Given one statement per track and one shift (so the shift list's source query runs too)
    kor, deu = TrackFactory(), TrackFactory(donor=country("DEU"))
    add_statements(kor, 1)
    add_statements(deu, 1)
    StatementFactory(track=kor, level=level("pledged_lethal"), stated_on=timezone.localdate() - timedelta(days=2))
    few = queries_for(analyst_client, url)
    add_statements(kor, 49, start=date(2021, 1, 1))
    add_statements(deu, 49, start=date(2021, 1, 1))
    with django_assert_max_num_queries(few):
        analyst_client.get(url)
    assert few <= 15


def test_the_api_runs_a_fixed_number_of_queries(analyst_client, django_assert_max_num_queries):
    track = TrackFactory()
    add_statements(track, 1)
    few = queries_for(analyst_client, "/api/v1/tracks/KOR/UKR/")
    add_statements(track, 49, start=date(2021, 1, 1))
    with django_assert_max_num_queries(few):
        analyst_client.get("/api/v1/tracks/KOR/UKR/")


# --- Track page ----------------------------------------------------------------------------------------
def embedded_figure(response, element_id="chart-data"):
    html = response.content.decode()
    start = html.index(f'<script id="{element_id}" type="application/json">') + len(
        f'<script id="{element_id}" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def lazy(trace: dict) -> str | None:
    """The scope code of a placeholder trace (a legend entry whose points are fetched on demand)."""
    return trace["meta"].get("lazy") if isinstance(trace.get("meta"), dict) else None


def test_the_track_page_embeds_a_figure_with_only_published_statements(analyst_client, story):
    response = analyst_client.get("/tracks/KOR/UKR/")
    figure = embedded_figure(response)
    ids = {cd[-1] for t in figure["data"] if t["mode"] == "markers" and t.get("_lookup") for cd in t["customdata"]}
    assert ids == {s.id for s in story.published}
    assert not ids & {s.id for s in story.hidden}
    # the scope line is only a legend entry in the page; its points come from the scopes URL on demand
    (placeholder,) = [t for t in figure["data"] if lazy(t)]
    assert placeholder["visible"] == "legendonly"
    assert placeholder["x"] == [None]
    assert 'data-scopes-url="/tracks/KOR/UKR/scopes.json"' in response.content.decode()
    line = next(t for t in figure["data"] if t["mode"] == "lines" and t["legendgroup"] == "overall")
    assert line["x"][:3] == ["2022-04-11", "2024-06-21", "2024-10-22"]
    assert line["x"][-1] == timezone.localdate().isoformat()
    titles = [a.get("hovertext", a["text"]) for a in figure["layout"]["annotations"]]
    assert any("mutual-defence treaty" in t for t in titles)
    assert not any("Unrelated" in t for t in titles)
    # the pending condition is listed, the withdrawn one is not
    html = response.content.decode()
    assert story.condition.text in html
    assert "old, withdrawn condition" not in html


def test_the_scope_lines_are_fetched_as_traces_with_only_published_scoped_statements(analyst_client, story):
    response = analyst_client.get("/tracks/KOR/UKR/scopes.json")
    assert response.status_code == 200
    data = response.json()["data"]
    (placeholder,) = [t for t in embedded_figure(analyst_client.get("/tracks/KOR/UKR/"))["data"] if lazy(t)]
    line, markers = data
    assert line["legendgroup"] == markers["legendgroup"] == placeholder["meta"]["lazy"]
    assert line["name"] == placeholder["name"]
    assert line["line"]["color"] == placeholder["line"]["color"]  # the same colour as its legend entry
    assert {cd[-1] for cd in markers["customdata"]} == {s.id for s in story.scoped}
    assert markers["x"] == [s.stated_on.isoformat() for s in story.scoped]  # dates, ready to plot
    assert isinstance(markers["customdata"][0][0], str)  # speakers as strings, not string-table indexes
    # the page's filters apply: nothing before the end date
    first = min(s.stated_on for s in story.scoped)
    assert analyst_client.get(f"/tracks/KOR/UKR/scopes.json?date_to={first - timedelta(days=1)}").json() == {"data": []}
    assert analyst_client.get("/tracks/KOR/BRA/scopes.json").status_code == 404


def test_the_scope_lines_run_a_fixed_number_of_queries(analyst_client, django_assert_max_num_queries):
    track = TrackFactory()
    StatementFactory(track=track, scope=scope("tanks"))
    few = queries_for(analyst_client, "/tracks/KOR/UKR/scopes.json")
    for i in range(30):
        StatementFactory(track=track, scope=scope("tanks" if i % 2 else "drones"), stated_on=date(2021, 1, 1 + i))
    with django_assert_max_num_queries(few):
        analyst_client.get("/tracks/KOR/UKR/scopes.json")


def test_the_track_page_has_a_table_of_points_as_its_text_alternative(analyst_client, story):
    html = analyst_client.get("/tracks/KOR/UKR/").content.decode()
    table = html[html.index('<table class="data points"') : html.index("</table>", html.index('id="points"'))]
    assert table.count("<tr>") == 1 + len(story.published) + len(story.scoped)
    assert f"/statements/{story.published[-1].id}/" in table


def test_a_long_table_of_points_shows_the_latest_rows_and_links_to_all_of_them(analyst_client, story, monkeypatch):
    monkeypatch.setattr("tracker.dashboard.views.TABLE_ROWS", 2)
    total = len(story.published) + len(story.scoped)
    response = analyst_client.get("/tracks/KOR/UKR/?min_certainty=")
    assert [r["id"] for r in response.context["points"]] == [s.id for s in story.published + story.scoped][-2:]
    assert response.context["points_total"] == total
    html = response.content.decode()
    assert f'<a href="?min_certainty=&amp;all=1#points">show all {total}</a>' in html
    # the figure still has every point, and ?all=1 and the downloads every row
    figure = embedded_figure(response)
    markers = next(t for t in figure["data"] if t["mode"] == "markers" and t.get("legendgroup") == "overall")
    assert len(markers["customdata"]) == len(story.published)
    assert len(analyst_client.get("/tracks/KOR/UKR/?all=1").context["points"]) == total
    rows = list(csv.DictReader(io.StringIO(analyst_client.get("/tracks/KOR/UKR/?format=csv").content.decode())))
    assert len(rows) == total


def test_the_minimum_certainty_filter_drops_weaker_statements(analyst_client, story):
    figure = embedded_figure(analyst_client.get("/tracks/KOR/UKR/?min_certainty=on_record"))
    line = next(t for t in figure["data"] if t["mode"] == "lines" and t["legendgroup"] == "overall")
    assert line["y"][:2] == [1, 2]
    assert len(line["y"]) == 3


def test_the_date_range_narrows_the_table_and_the_view_but_keeps_the_level_in_force(analyst_client, story):
    response = analyst_client.get("/tracks/KOR/UKR/?date_from=2024-01-01&date_to=2024-08-01")
    figure = embedded_figure(response)
    line = next(t for t in figure["data"] if t["mode"] == "lines" and t["legendgroup"] == "overall")
    assert line["x"] == ["2022-04-11", "2024-06-21", "2024-08-01"]  # held to the end of the range
    assert figure["layout"]["xaxis"]["range"][0] == "2024-01-01"
    assert [r["stated_on"] for r in response.context["points"]] == [date(2024, 6, 21)]


def test_an_invalid_filter_is_reported_not_a_crash(analyst_client, story):
    response = analyst_client.get("/tracks/KOR/UKR/?date_from=2024-05-01&date_to=2024-01-01")
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()


def test_an_unknown_track_is_404(analyst_client, story):
    assert analyst_client.get("/tracks/KOR/BRA/").status_code == 404
    assert analyst_client.get("/tracks/kor/ukr/").status_code == 302


def test_a_hostile_quote_is_escaped_in_the_html_and_the_embedded_json(analyst_client):
    build_story(hostile=True)
    html = analyst_client.get("/tracks/KOR/UKR/").content.decode()
    assert "<script>window.__xss" not in html
    assert '<a href="javascript' not in html
    assert "&lt;img src=x" in html  # the table shows it as text
    assert html.count("</script>") == html.count("<script")  # json_script kept the tag closed


# --- Compare, country, overview ------------------------------------------------------------------------
def test_the_compare_page_draws_one_line_per_chosen_donor_and_keeps_the_choice_in_the_url(analyst_client, story):
    response = analyst_client.get("/compare/?recipient=UKR&donor=KOR&donor=DEU")
    figure = embedded_figure(response)
    lines = [t["name"] for t in figure["data"] if t["mode"] == "lines"]
    assert sorted(lines) == ["Germany", "South Korea"]
    html = response.content.decode()
    assert 'value="KOR" checked' in html
    assert 'value="USA">' in html


def test_the_country_page_lists_the_donors_tracks_to_every_recipient(analyst_client, story):
    TrackFactory(donor=country("KOR"), recipient=country("POL"))
    StatementFactory(track=TrackFactory(donor=country("KOR"), recipient=country("POL")), level=level("pledged_lethal"))
    response = analyst_client.get("/countries/KOR/")
    assert [r["recipient"] for r in response.context["current"]] == ["POL", "UKR"]
    lines = [t["name"] for t in embedded_figure(response)["data"] if t["mode"] == "lines"]
    assert sorted(lines) == ["→ Poland", "→ Ukraine"]


def test_the_overview_sorts_donors_by_level_and_lists_recent_shifts_with_from_and_to(analyst_client, story):
    response = analyst_client.get("/?recipient=UKR&days=3650")
    assert [r["donor"] for r in response.context["current"]] == ["DEU", "USA", "KOR"]
    shifts = response.context["shifts"]
    kor = [s for s in shifts if s["donor"] == "KOR" and not s["scope"]]
    assert [(s["from_code"], s["level_code"], s["direction"]) for s in kor] == [
        ("open_to_lethal", "considering_lethal", "up"),
        ("non_lethal", "open_to_lethal", "up"),
    ]
    assert kor[0]["sources"][0]["outlet"] == "Wikitree"
    figure = embedded_figure(response, "map-data")
    assert figure["data"][0]["locations"] == ["DEU", "USA", "KOR"]


def test_a_move_down_is_a_shift_too(analyst_client, story):
    StatementFactory(track=story.track, level=level("prohibits"), stated_on=timezone.localdate() - timedelta(days=3))
    shifts = analyst_client.get("/?recipient=UKR").context["shifts"]
    assert [(s["from_code"], s["level_code"], s["direction"]) for s in shifts] == [
        ("considering_lethal", "prohibits", "down")
    ]


def test_the_current_level_is_as_of_the_end_date(analyst_client, story):
    current = analyst_client.get("/?recipient=UKR&date_to=2024-07-01").context["current"]
    assert {r["donor"]: r["level_code"] for r in current}["KOR"] == "open_to_lethal"


# --- Statement page -----------------------------------------------------------------------------------
def test_the_statement_page_shows_everything_needed_to_verify_it(analyst_client, story):
    s = story.published[-1]
    html = analyst_client.get(f"/statements/{s.id}/").content.decode()
    for text in [
        s.quote.replace("'", "&#x27;"),
        "Senior government official",
        "Media report",
        "155mm artillery shells",
    ]:
        assert text in html
    assert "North Korean troops deployed to Russia" in html  # trigger event
    assert s.sources.first().url in html


def test_drafts_and_retracted_statements_are_hidden_from_analysts_but_not_editors(client, analyst, editor, story):
    client.force_login(analyst)
    for s in story.hidden:
        assert client.get(f"/statements/{s.id}/").status_code == 404
    client.force_login(editor)
    assert "Misattributed quote" in client.get(f"/statements/{story.hidden[1].id}/").content.decode()


# --- API ------------------------------------------------------------------------------------------------
def test_the_api_returns_statements_with_sources_events_and_conditions(analyst_client, story):
    data = analyst_client.get("/api/v1/tracks/KOR/UKR/").json()
    assert set(data) == {"donor", "recipient", "levels", "statements", "events", "conditions"}
    assert data["donor"] == {"code": "KOR", "name": "South Korea"}
    assert [lv["code"] for lv in data["levels"]][:2] == ["prohibits", "non_lethal"]
    statement = data["statements"][-2]
    assert set(statement) == {
        "id", "level", "level_rank", "scope", "stated_on", "speaker", "speaker_role", "certainty", "channel",
        "quote", "weapons", "conditions", "trigger_event", "sources", "url",
    }  # fmt: skip
    assert len(data["statements"]) == len(story.published) + len(story.scoped)
    assert {s["id"] for s in data["statements"]}.isdisjoint({s.id for s in story.hidden})
    src = data["statements"][0]["sources"][0]
    assert set(src) == {"url", "title", "outlet", "published_at"}
    assert src["outlet"] == "Yonhap"
    assert {e["title"] for e in data["events"]} >= {"North Korean troops deployed to Russia"}
    assert data["conditions"][0]["text"] == story.condition.text
    assert data["statements"][3]["trigger_event"] == story.events[1].id


def test_the_api_answers_404_in_json_for_an_unknown_track(analyst_client, story):
    response = analyst_client.get("/api/v1/tracks/KOR/BRA/")
    assert response.status_code == 404
    assert response.json() == {"error": "no such track"}


# --- Downloads -------------------------------------------------------------------------------------------
def test_the_track_csv_is_the_statements_export_shape_of_what_the_page_shows(analyst_client, story):
    response = analyst_client.get("/tracks/KOR/UKR/?format=csv&date_from=2024-01-01")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == [
        "donor", "recipient", "level", "scope", "stated_on", "speaker", "certainty", "quote", "sources",
        "conditions", "weapons",
    ]  # fmt: skip
    assert [r["stated_on"] for r in rows] == ["2024-06-21", "2024-10-22", "2024-10-25"]
    assert rows[1]["weapons"] == "155mm artillery shells"


def test_the_json_download_parses_and_matches_the_csv(analyst_client, story):
    data = json.loads(analyst_client.get("/compare/?recipient=UKR&donor=KOR&donor=DEU&format=json").content)
    assert {r["donor"] for r in data} == {"KOR", "DEU"}
    assert all(isinstance(r["sources"], list) for r in data)


def test_csv_cells_that_look_like_formulas_are_defused(analyst_client, story):
    StatementFactory(track=story.track, quote='=HYPERLINK("http://evil")', stated_on=date(2025, 1, 1))
    rows = list(csv.DictReader(io.StringIO(analyst_client.get("/tracks/KOR/UKR/?format=csv").content.decode())))
    assert rows[-1]["quote"].startswith("'=HYPERLINK")


def test_the_overview_downloads_its_table_and_its_shifts(analyst_client, story):
    current = list(csv.DictReader(io.StringIO(analyst_client.get("/?recipient=UKR&format=csv").content.decode())))
    assert [r["donor"] for r in current] == ["DEU", "USA", "KOR"]
    shifts = json.loads(analyst_client.get("/?recipient=UKR&days=3650&format=json&table=shifts").content)
    assert {"from_level", "to_level", "direction", "sources"} <= set(shifts[0])


# --- Atom feed --------------------------------------------------------------------------------------------
def test_an_analyst_creates_a_private_feed_link_and_the_feed_is_valid_atom(client, analyst_client, analyst, story):
    StatementFactory(track=story.track, level=level("conditional_lethal"), stated_on=timezone.localdate())
    assert analyst_client.post("/feeds/reset/").status_code == 302
    key = FeedToken.objects.get(user=analyst).key
    assert f"/feeds/shifts/{key}/" in analyst_client.get("/").content.decode()
    client.logout()
    response = client.get(f"/feeds/shifts/{key}/?recipient=UKR")  # a feed reader: no session
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "no-store" in response["Cache-Control"]
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed, parsed to prove it is well-formed
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert entries[0].find(f"{ATOM}title").text == (
        "South Korea → Ukraine: Actively considering lethal aid → Conditional commitment"
    )
    assert "/statements/" in entries[0].find(f"{ATOM}link").get("href")


def test_the_feed_is_404_without_a_valid_key_and_stops_when_the_key_is_reset(client, analyst, story):
    assert client.get("/feeds/shifts/not-a-key/").status_code == 404
    old = services.feed_token_rotate(user=analyst).key
    assert client.get(f"/feeds/shifts/{old}/").status_code == 200
    new = services.feed_token_rotate(user=analyst).key
    assert new != old
    assert client.get(f"/feeds/shifts/{old}/").status_code == 404
    analyst.groups.clear()
    assert client.get(f"/feeds/shifts/{new}/").status_code == 404  # lost the read permission
    analyst.is_active = False
    analyst.save()
    assert client.get(f"/feeds/shifts/{new}/").status_code == 404


def test_a_hostile_quote_in_the_feed_is_escaped_xml(client, analyst):
    story = build_story(hostile=True)
    StatementFactory(track=story.track, level=level("prohibits"), quote=HOSTILE, stated_on=timezone.localdate())
    key = services.feed_token_rotate(user=analyst).key
    body = client.get(f"/feeds/shifts/{key}/").content
    root = ET.fromstring(body)  # noqa: S314 - our own feed: still well-formed
    summary = root.find(f"{ATOM}entry").find(f"{ATOM}summary")
    assert "<script>" in summary.text  # as text, not markup
    assert b"<script>" not in body


def test_the_healthcheck_needs_no_login(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_events_without_a_country_of_the_track_are_left_off(analyst_client, story):
    EventFactory(title="Elsewhere", occurred_on=date(2024, 3, 3)).countries.set(["BRA"])
    ArticleFactory()
    figure = embedded_figure(analyst_client.get("/tracks/KOR/UKR/"))
    assert not any("Elsewhere" in a["text"] for a in figure["layout"]["annotations"])


def test_the_events_beside_the_timeline_are_escaped_and_only_http_links(analyst_client):
    story = build_story(hostile=True)
    EventFactory(title="Bad link", occurred_on=date(2024, 3, 3), source_url="javascript:alert(1)").countries.set(
        ["KOR"]
    )
    html = analyst_client.get("/tracks/KOR/UKR/").content.decode()
    events = html[html.index('<ul class="events">') : html.index("</ul>", html.index('<ul class="events">'))]
    assert '<li><span class="nowrap">2024-03-03</span> Bad link</li>' in events  # text, not a link
    assert "&lt;img src=x" in events  # the hostile title as text
    assert "<img" not in events
    assert events.count("<li>") == len(story.events) + 1


def test_a_source_with_a_javascript_url_is_not_linked(analyst_client, story):
    bad = ArticleFactory(url="javascript:alert(1)")
    StatementFactory(track=story.track, stated_on=date(2025, 2, 1), sources=[bad])
    html = analyst_client.get("/tracks/KOR/UKR/").content.decode()
    assert 'href="javascript:' not in html


def test_a_quiet_recipient_shows_the_shifts_up_to_its_latest_statement(analyst_client, story):
    # Given nothing moved in the last 90 days (the story ends in 2024)
    response = analyst_client.get("/?recipient=UKR")
    # Then the overview lays the 90-day window over the latest activity instead of showing nothing
    assert response.context["shifted_window"][1] == date(2024, 10, 25)
    shifts = response.context["shifts"]
    assert [(s["from_code"], s["level_code"]) for s in shifts] == [("open_to_lethal", "considering_lethal")]
    assert "Latest shifts" in response.content.decode()
