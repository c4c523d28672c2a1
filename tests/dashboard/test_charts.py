"""charts.py is pure: plain rows in, Plotly figure dicts out. No database."""

import json
from datetime import date

from tracker.dashboard import charts

LEVELS = [
    {"rank": 0, "code": "prohibits", "label": "Rules out military aid", "color": "#440154"},
    {"rank": 1, "code": "non_lethal", "label": "Non-lethal aid only", "color": "#443983"},
    {"rank": 2, "code": "open_to_lethal", "label": "Not ruling out lethal aid", "color": "#31688e"},
    {"rank": 3, "code": "considering_lethal", "label": "Actively considering lethal aid", "color": "#21918c"},
    {"rank": 4, "code": "conditional_lethal", "label": "Conditional commitment", "color": "#35b779"},
]
TODAY = date(2026, 11, 26)
HOSTILE = '<a href="javascript:alert(1)">x</a></script><script>alert(1)</script> & co'


def row(id, day, rank, *, certainty="on_record", scope=None, quote="A quote.", speaker="MoD", outlet="Yonhap"):
    return {
        "id": id,
        "stated_on": day,
        "level_rank": rank,
        "certainty": certainty,
        "scope": scope,
        "scope_label": scope.replace("_", " ").title() if scope else None,
        "quote": quote,
        "speaker": speaker,
        "speaker_role": "",
        "sources": [{"outlet": outlet, "url": "https://example.org/a"}] if outlet else [],
    }


STORY = [
    row(1, date(2022, 4, 11), 1),
    row(2, date(2023, 5, 20), 1, certainty="attributed"),
    row(3, date(2024, 6, 21), 2),
    row(4, date(2024, 10, 22), 3, certainty="media_report"),
]


def figure(statements=STORY, events=(), suggestions=(), **kw):
    """The figure as the browser plots it (string-table indexes swapped back in)."""
    return charts.hydrate(raw_figure(statements, events, suggestions, **kw))


def raw_figure(statements=STORY, events=(), suggestions=(), **kw):
    return charts.track_figure(
        levels=LEVELS,
        statements=list(statements),
        events=list(events),
        suggestions=list(suggestions),
        today=TODAY,
        **kw,
    )


def traces(fig, role=None, series=None):
    out = []
    for t in fig["data"]:
        is_line = t["mode"] == "lines"
        if role == "line" and not is_line:
            continue
        if role == "markers" and (is_line or t.get("legendgroup") == "suggestions"):
            continue
        if series and t.get("legendgroup") != series:
            continue
        out.append(t)
    return out


def test_the_step_line_holds_each_level_until_the_next_change_and_is_extended_to_today():
    (line,) = traces(figure(), "line")
    assert line["line"]["shape"] == "hv"
    # Two statements at level 1 make one step, not two; the last level is held to today.
    assert line["x"] == ["2022-04-11", "2024-06-21", "2024-10-22", "2026-11-26"]
    assert line["y"] == [1, 2, 3, 3]


def test_the_line_ends_at_the_end_of_the_date_range_when_one_is_given():
    (line,) = traces(figure(STORY[:3], date_to=date(2025, 1, 1)), "line")
    assert line["x"][-1] == "2025-01-01"
    assert figure(date_from=date(2024, 1, 1))["layout"]["xaxis"]["range"][0] == "2024-01-01"


def test_there_is_no_line_and_no_marker_before_the_first_statement():
    fig = figure()
    xs = [x for t in fig["data"] for x in t["x"]]
    assert min(xs) == "2022-04-11"  # no point (so no line) in the "no data" period before it
    assert traces(figure([]), "line") == []  # no statements at all: nothing drawn, not a rank-0 line


def test_there_is_one_marker_per_statement_styled_by_certainty_and_coloured_by_level():
    fig = figure()
    (markers,) = traces(fig, "markers")
    assert markers["x"] == ["2022-04-11", "2023-05-20", "2024-06-21", "2024-10-22"]
    assert markers["y"] == [1, 1, 2, 3]
    assert markers["marker"]["symbol"] == [0, 102, 0, 105]  # circle, diamond-open, circle, triangle-up-open
    assert markers["marker"]["color"] == [1, 1, 2, 3]  # level rank on the codebook colour scale
    assert [cd[3] for cd in markers["customdata"]] == ["on record", "attributed", "on record", "media report"]
    assert markers["customdata"][3][4] == "Actively considering lethal aid"
    assert markers["showlegend"] is False
    assert markers["legendgroup"] == "overall"
    # the scale maps each rank to its level's colour (bands of width 1 centred on the ranks)
    defaults = fig["layout"]["template"]["data"]["scatter"][0]
    assert (markers["marker"]["cmin"], markers["marker"]["cmax"]) == (-0.5, 4.5)
    assert defaults["marker"]["colorscale"][6:8] == [[0.6, "#21918c"], [0.8, "#21918c"]]
    assert defaults["hovertemplate"] == charts.STATEMENT_HOVER


def test_the_hover_shows_date_level_speaker_short_quote_and_outlet_through_customdata():
    long_quote = "We will keep all options open and make a policy decision " * 5
    (marker,) = traces(figure([row(9, date(2024, 1, 1), 2, quote=long_quote)]), "markers")
    speaker, quote, outlet, certainty, level_label, statement_id = marker["customdata"][0]
    assert (speaker, outlet, certainty, level_label, statement_id) == (
        "MoD",
        "Yonhap",
        "on record",
        "Not ruling out lethal aid",
        9,
    )
    assert quote.startswith("We will keep all options open")
    assert quote.endswith("…")
    assert len(quote) <= charts.QUOTE_CHARS
    assert "hovertemplate" not in marker  # from the layout template: code only, never data
    for field in ["%{x|%d %b %Y}", "%{customdata[0]}", "%{customdata[1]}", "%{customdata[2]}", "%{customdata[4]}"]:
        assert field in charts.STATEMENT_HOVER


def test_scoped_statements_are_their_own_lines_hidden_until_switched_on_in_the_legend():
    scoped = [row(5, date(2023, 1, 1), 0, scope="tanks"), row(6, date(2024, 2, 1), 4, scope="tanks")]
    fig = figure(STORY + scoped)
    (overall,) = traces(fig, "line", "overall")
    (placeholder,) = traces(fig, "line", "tanks")
    assert overall["visible"] is True
    # In the page: only a legend entry (no points), marked for dashboard.js to fetch
    assert placeholder["visible"] == "legendonly"
    assert placeholder["name"] == "Scope: Tanks"
    assert placeholder["meta"] == {"lazy": "tanks"}
    assert placeholder["x"] == [None]
    assert traces(fig, "markers", "tanks") == []
    # the overall line ignores scoped statements
    assert overall["y"] == [1, 2, 3, 3]
    # What the scopes URL sends when it is switched on: the line and its markers, same name and colour
    tanks, markers = charts.scope_traces(levels=LEVELS, statements=scoped, today=TODAY)
    assert (tanks["name"], tanks["legendgroup"], tanks["line"]) == ("Scope: Tanks", "tanks", placeholder["line"])
    assert [round(y) for y in tanks["y"]] == [0, 4, 4]
    assert tanks["x"] == ["2023-01-01", "2024-02-01", "2026-11-26"]
    assert markers["x"] == ["2023-01-01", "2024-02-01"]
    assert markers["visible"] == tanks["visible"] == "legendonly"
    assert [cd[-1] for cd in markers["customdata"]] == [5, 6]
    assert markers["customdata"][0][0] == "MoD"  # hydrated: strings, no string-table indexes


def test_each_scope_keeps_its_colour_whatever_else_is_on_the_track():
    scoped = [row(5, date(2023, 1, 1), 0, scope="tanks"), row(6, date(2024, 2, 1), 4, scope="drones")]
    page = {t["legendgroup"]: t["line"]["color"] for t in traces(figure(STORY + scoped), "line")}
    fetched = {
        t["legendgroup"]: t["line"]["color"]
        for t in charts.scope_traces(levels=LEVELS, statements=scoped, today=TODAY)
        if t["mode"] == "lines"
    }
    assert fetched == {k: v for k, v in page.items() if k != "overall"}
    assert fetched["drones"] != fetched["tanks"]


def test_marker_dates_are_sent_as_day_offsets_and_hydrated_back():
    (markers,) = traces(raw_figure(), "markers")
    assert markers["_x0"] == "2022-04-11"
    assert markers["x"] == [0, 404, 802, 925]
    assert traces(figure(), "markers")[0]["x"] == ["2022-04-11", "2023-05-20", "2024-06-21", "2024-10-22"]


def test_events_are_vertical_shapes_with_annotations_on_the_date_axis():
    events = [{"id": 1, "occurred_on": date(2024, 10, 18), "title": "North Korean troops deployed to Russia"}]
    layout = figure(events=events)["layout"]
    defaults = layout["template"]["layout"]
    (shape,) = layout["shapes"]
    shape = {**defaults["shapedefaults"], **shape}
    assert (shape["type"], shape["xref"], shape["yref"], shape["x0"], shape["x1"], shape["y0"], shape["y1"]) == (
        "line",
        "x",
        "paper",
        "2024-10-18",
        "2024-10-18",
        0,
        1,
    )
    (note,) = layout["annotations"]
    note = {**defaults["annotationdefaults"], **note}
    assert note["x"] == "2024-10-18"
    assert note["xref"] == "x"
    assert note["yref"] == "paper"
    assert note["text"].startswith("North Korean troops")
    assert note["showarrow"] is False
    assert note["hovertext"] == "North Korean troops deployed to Russia"  # the label is cut, hover has it all


def test_pending_suggestions_are_faint_markers_off_by_default():
    sugg = [
        {
            "date": date(2024, 11, 1),
            "level_rank": 4,
            "level_label": "Conditional commitment",
            "confidence": 0.82,
            "evidence": "Seoul will supply shells in phases",
            "outlet": "Yonhap",
        }
    ]
    (trace,) = [t for t in figure(suggestions=sugg)["data"] if t.get("legendgroup") == "suggestions"]
    assert trace["visible"] == "legendonly"
    assert trace["opacity"] < 0.5
    assert trace["name"] == "Signals not yet reviewed"
    assert trace["customdata"][0][:2] == ["Conditional commitment", "82%"]


def test_the_level_axis_lists_the_codebook_in_rank_order():
    axis = figure()["layout"]["yaxis"]
    assert axis["tickvals"] == [0, 1, 2, 3, 4]
    assert axis["ticktext"][1] == "Non-lethal aid only"
    assert axis["range"] == [-0.5, 4.5]


def test_every_user_string_is_escaped_for_plotly_pseudo_html():
    stmts = [row(1, date(2024, 1, 1), 2, quote=HOSTILE, speaker=HOSTILE, outlet=HOSTILE)]
    events = [{"id": 1, "occurred_on": date(2024, 2, 1), "title": HOSTILE}]
    levels = [dict(lv, label=HOSTILE if lv["rank"] == 2 else lv["label"]) for lv in LEVELS]
    fig = charts.track_figure(levels=levels, statements=stmts, events=events, suggestions=[], today=TODAY)
    dumped = json.dumps(fig)
    fig = charts.hydrate(fig)
    assert "<a" not in dumped
    assert "<script" not in dumped
    assert "</script" not in dumped
    (marker,) = traces(fig, "markers")
    assert marker["customdata"][0][1].startswith("&lt;a href=")
    assert marker["customdata"][0][4].startswith("&lt;a href=")  # a hostile level label too
    assert marker["customdata"][0][0].startswith("&lt;a href=")  # speaker
    assert marker["customdata"][0][2].endswith("&gt; &amp; co")  # outlet, in full
    assert fig["layout"]["yaxis"]["ticktext"][2].startswith("&lt;a")
    assert fig["layout"]["annotations"][0]["text"].startswith("&lt;a")


def test_the_compare_figure_has_one_line_per_series_in_distinct_colours():
    series = [
        ("KOR", "South Korea", STORY),
        ("DEU", "Germany", [row(10, date(2022, 2, 26), 1), row(11, date(2022, 6, 1), 4)]),
        ("USA", "United States", [row(12, date(2022, 3, 1), 4)]),
    ]
    fig = charts.hydrate(charts.multi_figure(levels=LEVELS, series=series, events=[], today=TODAY))
    lines = traces(fig, "line")
    assert [t["name"] for t in lines] == ["South Korea", "Germany", "United States"]
    assert len({t["line"]["color"] for t in lines}) == 3
    # small vertical offsets keep overlapping lines apart, but every point stays near its level
    assert lines[1]["y"][0] != lines[2]["y"][0] - 3
    assert abs(lines[2]["y"][0] - 4) < 0.5


def test_the_compare_figure_skips_a_donor_without_statements():
    fig = charts.multi_figure(
        levels=LEVELS, series=[("KOR", "South Korea", []), ("DEU", "Germany", STORY)], events=[], today=TODAY
    )
    assert [t["name"] for t in traces(fig, "line")] == ["Germany"]


def test_the_map_colours_each_donor_by_its_current_level_in_discrete_bands():
    current = [
        {
            "donor": "DEU",
            "donor_name": "Germany",
            "level_rank": 4,
            "level_label": "Conditional",
            "stated_on": date(2022, 6, 1),
        },
        {
            "donor": "KOR",
            "donor_name": "<b>Korea</b>",
            "level_rank": 3,
            "level_label": "Considering",
            "stated_on": date(2024, 10, 22),
        },
    ]
    fig = charts.map_figure(levels=LEVELS, current=current, recipient={"code": "UKR", "name": "Ukraine"})
    donors, recipient = fig["data"]
    assert donors["type"] == "choropleth"
    assert donors["locationmode"] == "ISO-3"
    assert donors["locations"] == ["DEU", "KOR"]
    assert donors["z"] == [4, 3]
    assert (donors["zmin"], donors["zmax"]) == (-0.5, 4.5)
    assert donors["colorscale"][0] == [0.0, "#440154"]
    assert donors["colorscale"][-1] == [1.0, "#35b779"]
    assert donors["customdata"][1][0] == "&lt;b&gt;Korea&lt;/b&gt;"
    assert recipient["locations"] == ["UKR"]


def test_a_500_statement_track_figure_stays_under_50_kb():
    # 500 statements over ten years, the level moving every 10th statement, long quotes
    stmts = [
        row(
            i,
            date.fromordinal(date(2010, 1, 1).toordinal() + i * 7),
            (i // 10) % 5,
            certainty=["on_record", "attributed", "media_report"][i % 3],
            quote="The government said it would consider supplying 155mm shells if the situation changed. " * 3,
            speaker="Ministry of National Defense spokesperson",
            outlet="Yonhap News Agency",
        )
        for i in range(500)
    ]
    size = len(json.dumps(raw_figure(stmts), separators=(",", ":")))
    assert size < 50_000, size


def test_repeated_speakers_and_outlets_are_sent_once_in_the_string_table():
    fig = raw_figure()
    assert fig["layout"]["meta"]["strings"] == [
        "MoD", "Yonhap", "on record", "Non-lethal aid only", "attributed", "Not ruling out lethal aid",
        "media report", "Actively considering lethal aid",
    ]  # fmt: skip
    assert all(t["_lookup"] == [0, 2, 3, 4] for t in traces(fig, "markers"))
    hydrated = charts.hydrate(fig)
    assert all("_lookup" not in t for t in hydrated["data"])
    assert {cd[0] for t in traces(hydrated, "markers") for cd in t["customdata"]} == {"MoD"}


def test_shorten_cuts_at_a_word_boundary():
    assert charts.shorten("one two three four", 10) == "one two…"
    assert charts.shorten("  short   text ", 50) == "short text"
