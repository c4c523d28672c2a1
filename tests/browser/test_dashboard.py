"""The dashboard in Debian's Chromium (Playwright) against live_server: charts render from our own
static files, steps/markers match the data, hover and click work, nothing leaves localhost, and a
hostile quote stays text. Screenshots of the main pages go to docs/screenshots/.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.dashboard.story import HOSTILE, build_story
from tests.factories import UserFactory
from tracker import roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
POINTS = ".scatterlayer .trace .points path.point"
LINES = ".scatterlayer .trace path.js-line"


@pytest.fixture
def story(reference_data):
    return build_story()


@pytest.fixture
def browser_page(page, live_server, reference_data):
    """A logged-in analyst's page that records every request, console error and page error."""
    user = UserFactory(username="browser-analyst", roles=[roles.ANALYST])
    client = Client()
    client.force_login(user)  # axes blocks plain authenticate() without a request
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.requests_seen = []
    page.console_errors = []
    page.on("request", lambda req: page.requests_seen.append(req.url))
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    page.set_viewport_size({"width": 1100, "height": 800})
    return page


def open_chart(page, url: str, chart: str = "#chart"):
    page.goto(url)
    page.wait_for_selector(f"{chart}.chart-ready", timeout=15_000)


def centre(locator):
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def assert_only_localhost(page, live_server):
    outside = [u for u in page.requests_seen if not (u.startswith(live_server.url) or u.startswith("data:"))]
    assert outside == []


def steps_in(path_d: str) -> int:
    """Vertical moves of a Plotly hv step path ("M x,y H x V y …") that change y: one per level change."""
    y = float(re.match(r"M[-\d.]+,([-\d.]+)", path_d).group(1))
    steps = 0
    for v in re.findall(r"V([-\d.]+)", path_d):
        if float(v) != y:
            steps, y = steps + 1, float(v)
    return steps


def test_the_kor_ukr_timeline_draws_one_step_per_change_and_one_marker_per_published_statement(
    browser_page, live_server, story
):
    # Given the KOR→UKR story: 4 published overall statements, 3 distinct levels (2 changes),
    # a scoped line and suggestions that start hidden, and a draft and a retracted statement.
    # When the analyst opens the timeline
    open_chart(browser_page, f"{live_server.url}/tracks/KOR/UKR/")
    # Then the SVG has one visible line with two steps and one marker per published overall statement
    lines = browser_page.locator(LINES)
    assert lines.count() == 1
    assert steps_in(lines.first.get_attribute("d")) == 2
    assert browser_page.locator(POINTS).count() == len(story.published) == 4
    # coloured by level from the codebook: "Actively considering" is #21918c in the default palette
    colours = browser_page.eval_on_selector_all(
        POINTS, "els => els.map(e => e.style.fill === 'none' ? e.style.stroke : e.style.fill)"
    )
    assert colours == ["rgb(68, 57, 131)", "rgb(68, 57, 131)", "rgb(49, 104, 142)", "rgb(33, 145, 140)"]
    # and the events are drawn as labelled vertical lines, the pending red line listed beside the chart
    assert browser_page.locator(".layer-below .shapelayer path, .shapelayer path").count() >= 2
    assert any("North Korean troops deployed" in t for t in browser_page.locator(".annotation").all_text_contents())
    assert story.condition.text in browser_page.locator("aside.conditions").inner_text()
    assert browser_page.console_errors == []
    assert_only_localhost(browser_page, live_server)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser_page.screenshot(path=str(SCREENSHOTS / "track.png"), clip={"x": 0, "y": 0, "width": 1100, "height": 800})


def test_the_legend_switches_the_scoped_line_and_the_unreviewed_signals_on(browser_page, live_server, story):
    open_chart(browser_page, f"{live_server.url}/tracks/KOR/UKR/")
    # The scope line's points are not in the page: switching it on fetches them (once)
    assert not any("/scopes.json" in u for u in browser_page.requests_seen)
    browser_page.locator(".legend .traces", has_text="Scope: ").first.click()
    expect(browser_page.locator(LINES)).to_have_count(2)  # (wait_for_function would need unsafe-eval)
    expect(browser_page.locator(POINTS)).to_have_count(len(story.published) + len(story.scoped))
    assert [u for u in browser_page.requests_seen if "/scopes.json" in u] == [
        f"{live_server.url}/tracks/KOR/UKR/scopes.json"
    ]
    # and off and on again from the legend, without another fetch
    browser_page.locator(".legend .traces", has_text="Scope: ").first.click()
    expect(browser_page.locator(LINES)).to_have_count(1)
    browser_page.locator(".legend .traces", has_text="Scope: ").first.click()
    expect(browser_page.locator(LINES)).to_have_count(2)
    assert len([u for u in browser_page.requests_seen if "/scopes.json" in u]) == 1
    browser_page.locator(".legend .traces", has_text="Signals not yet reviewed").click()
    expect(browser_page.locator(POINTS)).to_have_count(6)
    assert browser_page.console_errors == []
    assert_only_localhost(browser_page, live_server)


def test_hovering_a_marker_shows_its_quote_and_clicking_opens_the_statement(browser_page, live_server, story):
    open_chart(browser_page, f"{live_server.url}/tracks/KOR/UKR/")
    last = story.published[-1]
    # The markers are grouped by level; the last statement is the only "considering" one (the top marker).
    points = browser_page.locator(POINTS)
    ys = [points.nth(i).bounding_box()["y"] for i in range(points.count())]
    top = points.nth(ys.index(min(ys)))
    x, y = centre(top)
    browser_page.mouse.move(x, y)
    hover = browser_page.locator(".hoverlayer .hovertext")
    hover.wait_for(timeout=5_000)
    assert "In response to North Korea" in hover.text_content()
    assert "Senior government official" in hover.text_content()
    browser_page.mouse.click(x, y)
    browser_page.wait_for_url(f"**/statements/{last.id}/")
    assert last.quote in browser_page.locator("blockquote").inner_text()
    assert "155mm artillery shells" in browser_page.locator(".facts").inner_text()
    browser_page.screenshot(path=str(SCREENSHOTS / "statement.png"))
    assert browser_page.console_errors == []


def test_the_compare_page_draws_one_line_per_donor(browser_page, live_server, story):
    open_chart(browser_page, f"{live_server.url}/compare/?recipient=UKR&donor=KOR&donor=DEU&donor=USA")
    assert browser_page.locator(LINES).count() == 3
    legend = browser_page.locator(".legend").text_content()
    assert "South Korea" in legend
    assert "Germany" in legend
    assert browser_page.console_errors == []
    assert_only_localhost(browser_page, live_server)
    browser_page.screenshot(path=str(SCREENSHOTS / "compare.png"), clip={"x": 0, "y": 0, "width": 1100, "height": 800})


def test_the_world_map_renders_from_our_own_topojson(browser_page, live_server, story):
    open_chart(browser_page, f"{live_server.url}/?recipient=UKR&days=3000", chart="#map")
    # Then the donors are filled countries on the map
    assert browser_page.locator(".choroplethlayer path.choroplethlocation").count() >= 4
    assert any(u.endswith("/static/vendor/plotly/topojson/world_110m.json") for u in browser_page.requests_seen)
    assert_only_localhost(browser_page, live_server)
    assert browser_page.console_errors == []
    assert "South Korea" in browser_page.locator("#current").inner_text()
    browser_page.screenshot(path=str(SCREENSHOTS / "overview.png"), clip={"x": 0, "y": 0, "width": 1100, "height": 800})


def test_the_timeline_reads_on_a_phone(browser_page, live_server, story):
    browser_page.set_viewport_size({"width": 390, "height": 844})
    open_chart(browser_page, f"{live_server.url}/tracks/KOR/UKR/")
    assert browser_page.locator(POINTS).count() == 4
    width = browser_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400  # no sideways scrolling of the page (wide tables scroll inside their box)
    browser_page.screenshot(path=str(SCREENSHOTS / "track-phone.png"))


def test_a_hostile_quote_event_and_outlet_stay_inert_text(page, live_server, reference_data):
    build_story(hostile=True)
    user = UserFactory(username="xss-analyst", roles=[roles.ANALYST])
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_viewport_size({"width": 1100, "height": 800})
    open_chart(page, f"{live_server.url}/tracks/KOR/UKR/")
    points = page.locator(POINTS)
    for i in range(points.count()):
        x, y = centre(points.nth(i))
        page.mouse.move(x, y)
        page.wait_for_timeout(100)
    # The hostile quote (level open_to_lethal) shows up literally in a hover label and in the table
    assert page.evaluate("window.__xss") is None
    assert "<img src=x" in page.locator("#points").inner_text()
    assert page.locator("#points a[href^='javascript']").count() == 0
    assert page.locator(".annotation-text a, .hovertext a").count() == 0
    assert any("<img" in t for t in page.locator(".annotation").all_text_contents())
    assert errors == []
    assert page.evaluate("window.__xss") is None
    assert HOSTILE  # the same string the story used
