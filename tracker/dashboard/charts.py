"""Plotly figure dicts built from the selectors' plain rows. Pure: no ORM, no plotly.py, no clock.

Safety: Plotly renders a pseudo-HTML subset (<a href>, <b>, <br>, …) in text, hover text, trace
names and annotations. Every string that comes from users, editors or feeds goes through `esc()`
(`& < >` → entities, which Plotly shows literally) and reaches hover labels only through `customdata`
or `meta`; every `hovertemplate` is a constant of this module.

Size: a timeline sends only the change points of each step line, plus one marker per statement with
a short quote (the full quote is one click away). Speakers and outlets repeat, so marker `customdata`
holds indexes into one string table (`layout.meta.strings`); the trace's `_lookup` lists those columns.
Marker dates are whole days since the trace's `_x0`. static/js/dashboard.js turns both back before
`Plotly.newPlot` (`hydrate()` below is the same step in Python, for tests). The weapon-scope lines
start hidden, so the page has only their legend entries (`scope_placeholder`); their points come
from `scope_traces()` when a reader switches one on. A 500-statement track stays under 50 KB.
"""

from datetime import date, timedelta
from html import escape as _html_escape

# Okabe–Ito: distinguishable with the common colour-vision deficiencies; black last.
LINE_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999933", "#000000"]
LINE_DASHES = ["solid", "dash", "dot", "dashdot"]
OVERALL_COLOUR = "#1d2330"
EVENT_COLOUR = "#8a5a00"

# Certainty → marker symbol (Plotly symbol numbers: 0 circle, 102 diamond-open, 105 triangle-up-open):
# filled for on record, open for the weaker voices.
CERTAINTY_SYMBOLS = {"on_record": 0, "attributed": 102, "media_report": 105}
SHORT_CERTAINTY = {"on_record": "on record", "attributed": "attributed", "media_report": "media report"}

QUOTE_CHARS = 44  # hover quote length; the statement page has the full text
EVENT_LABEL_CHARS = 32
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13, "color": "#1d2330"}

STATEMENT_HOVER = (
    "%{x|%d %b %Y}<br><b>%{customdata[4]}</b> · %{customdata[3]}<br>%{customdata[0]}<br>“%{customdata[1]}”"
    "<br><i>%{customdata[2]}</i><extra>%{meta[0]}</extra>"
)
SUGGESTION_HOVER = (
    "%{x|%d %b %Y} · not yet reviewed<br><b>%{customdata[0]}</b> (confidence %{customdata[1]})"
    "<br>“%{customdata[2]}”<br><i>%{customdata[3]}</i><extra></extra>"
)
MAP_HOVER = "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>since %{customdata[2]}<extra></extra>"


def esc(value) -> str:
    """Escape a user/feed string for Plotly's pseudo-HTML: `&`, `<`, `>` become entities."""
    return _html_escape("" if value is None else str(value), quote=False)


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary and add an ellipsis; collapse whitespace."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(",;:.") + "…"


def iso(day: date) -> str:
    return day.isoformat()


class StringTable:
    """Interns repeated strings (speakers, outlets) of one figure; marker customdata holds indexes."""

    def __init__(self):
        self.index: dict[str, int] = {}

    def __call__(self, value: str) -> int:
        return self.index.setdefault(value, len(self.index))

    def as_list(self) -> list[str]:
        return list(self.index)


def hydrate(figure: dict) -> dict:
    """What dashboard.js does before plotting: marker x from day offsets back to dates (`_x0`) and
    string-table indexes back to the strings (`_lookup`)."""
    strings = (figure.get("layout", {}).get("meta") or {}).get("strings", [])
    for trace in figure["data"]:
        x0 = trace.pop("_x0", None)
        if x0:
            start = date.fromisoformat(x0)
            trace["x"] = [iso(start + timedelta(days=d)) for d in trace["x"]]
        cols = trace.pop("_lookup", None)
        if cols:
            trace["customdata"] = [
                [strings[v] if i in cols else v for i, v in enumerate(r)] for r in trace["customdata"]
            ]
    return figure


# --- Axis and lines -----------------------------------------------------------------------------
def level_axis(levels: list[dict]) -> dict:
    """The ordinal codebook axis: one labelled tick per level, in rank order."""
    ranks = [lv["rank"] for lv in levels]
    return {
        "title": {"text": ""},
        "tickmode": "array",
        "tickvals": ranks,
        "ticktext": [esc(lv["label"]) for lv in levels],
        "range": [min(ranks, default=0) - 0.5, max(ranks, default=6) + 0.5],
        "zeroline": False,
        "fixedrange": True,
        "gridcolor": "#e6e8ee",
        "automargin": True,
    }


def step_points(rows: list[dict], *, end: date) -> tuple[list[str], list[int]]:
    """The change points of a step line (rows in date order), held to `end`.

    Consecutive statements at the same level add no step, so only changes are sent. No rows, no line:
    "no data" is not rank 0. The line starts at the first statement, never before.
    """
    xs: list[str] = []
    ys: list[int] = []
    for r in rows:
        if ys and ys[-1] == r["level_rank"]:
            continue
        xs.append(iso(r["stated_on"]))
        ys.append(r["level_rank"])
    if ys and xs[-1] < iso(end):
        xs.append(iso(end))
        ys.append(ys[-1])
    return xs, ys


def _offset(index: int, count: int) -> float:
    """A small vertical offset so lines at the same level on one chart stay visible side by side."""
    if count <= 1:
        return 0.0
    step = min(0.08, 0.6 / count)
    return round((index - (count - 1) / 2) * step, 3)


def series_traces(
    *,
    key: str,
    name: str,
    rows: list[dict],
    levels: dict[int, dict],
    end: date,
    colour: str,
    strings: StringTable,
    dash: str = "solid",
    visible=True,
    offset: float = 0.0,
) -> list[dict]:
    """One step line plus one marker trace (a marker per statement), grouped in the legend.

    Marker colour is the level rank on the codebook colour scale and the symbol the certainty; both
    scale and the hover template live once in `layout.template` (see `_layout`).
    """
    xs, ys = step_points(rows, end=end)
    if not xs:
        return []
    line = {
        "mode": "lines",
        "name": esc(name),
        "legendgroup": key,
        "x": xs,
        "y": [round(y + offset, 3) for y in ys] if offset else ys,
        "line": {"shape": "hv", "color": colour, "width": 2.5, "dash": dash},
        "hoverinfo": "skip",
        "visible": visible,
    }
    y = round(offset, 3)
    cache: dict = {}

    def interned(kind: int, raw, make) -> int:
        """The string-table index of a repeated value, escaped and cut once per figure, not per marker."""
        ix = cache.get((kind, raw))
        if ix is None:
            ix = cache[(kind, raw)] = strings(make())
        return ix

    markers = {
        "mode": "markers",
        "legendgroup": key,
        "showlegend": False,
        "visible": visible,
        # days since `_x0` (3 digits, not a 12-byte date string); hydrate() turns them back into dates
        "_x0": iso(rows[0]["stated_on"]),
        "x": [(r["stated_on"] - rows[0]["stated_on"]).days for r in rows],
        "y": [r["level_rank"] + y if y else r["level_rank"] for r in rows],
        "marker": {
            "symbol": [CERTAINTY_SYMBOLS.get(r["certainty"], 0) for r in rows],
            "color": [r["level_rank"] for r in rows],
            # on the trace, not in the template: Plotly only turns auto-ranging off for trace values
            "cmin": min(levels, default=0) - 0.5,
            "cmax": max(levels, default=6) + 0.5,
        },
        # [speaker, short quote, outlet, certainty, level, statement id], escaped, shown through
        # STATEMENT_HOVER; the repeated strings as indexes into the figure's string table.
        "customdata": [
            [
                interned(0, (r["speaker"], r.get("speaker_role")), lambda r=r: esc(shorten(_speaker(r), 48))),
                esc(shorten(r["quote"], QUOTE_CHARS)),
                interned(1, _outlet(r), lambda r=r: esc(_outlet(r))),
                interned(2, r["certainty"], lambda r=r: SHORT_CERTAINTY.get(r["certainty"], esc(r["certainty"]))),
                interned(
                    3, r["level_rank"], lambda r=r: esc(levels.get(r["level_rank"], {}).get("label", r["level_rank"]))
                ),
                r["id"],
            ]
            for r in rows
        ],
        "_lookup": [0, 2, 3, 4],
        "meta": [esc(name)],
    }
    return [line, markers]


def _outlet(row: dict) -> str:
    return (row["sources"][0]["outlet"] or "") if row.get("sources") else ""


def _speaker(row: dict) -> str:
    return f"{row['speaker']} ({row['speaker_role']})" if row.get("speaker_role") else row["speaker"]


SHAPE_DEFAULTS = {
    "type": "line",
    "xref": "x",
    "yref": "paper",
    "y0": 0,
    "y1": 1,
    "line": {"color": EVENT_COLOUR, "width": 1, "dash": "dot"},
    "layer": "below",
}
ANNOTATION_DEFAULTS = {
    "xref": "x",
    "yref": "paper",
    "y": 1,
    "showarrow": False,
    "textangle": -90,
    "xanchor": "right",
    "yanchor": "top",
    "font": {"size": 11, "color": EVENT_COLOUR},
}


def event_shapes(events: list[dict]) -> tuple[list[dict], list[dict]]:
    """Vertical dotted lines + rotated labels (shapes/annotations: add_vline is buggy on dates, plotly.py#3065).

    Only the per-event values are sent; the common style is `layout.template.layout.shapedefaults` /
    `annotationdefaults` (SHAPE_DEFAULTS, ANNOTATION_DEFAULTS).
    """
    shapes, annotations = [], []
    for e in events:
        x = iso(e["occurred_on"])
        shapes.append({"x0": x, "x1": x})
        label = shorten(e["title"], EVENT_LABEL_CHARS)
        note = {"x": x, "text": esc(label)}
        if label != " ".join(e["title"].split()):
            note["hovertext"] = esc(e["title"])  # the full title, only when the label is cut
        annotations.append(note)
    return shapes, annotations


def suggestion_trace(suggestions: list[dict], levels: dict[int, dict]) -> list[dict]:
    """Pending machine suggestions as faint open markers, off until switched on in the legend."""
    if not suggestions:
        return []
    return [
        {
            "mode": "markers",
            "name": "Signals not yet reviewed",
            "legendgroup": "suggestions",
            "visible": "legendonly",
            "x": [iso(s["date"]) for s in suggestions],
            "y": [s["level_rank"] for s in suggestions],
            "opacity": 0.45,
            "marker": {
                "symbol": "circle-open",
                "size": 10,
                "color": [levels.get(s["level_rank"], {}).get("color", "#777777") for s in suggestions],
                "line": {"width": 2},
            },
            "customdata": [
                [
                    esc(s["level_label"]),
                    f"{round(s['confidence'] * 100)}%",
                    esc(shorten(s["evidence"], QUOTE_CHARS)),
                    esc(s["outlet"] or ""),
                ]
                for s in suggestions
            ],
            "hovertemplate": SUGGESTION_HOVER,
            "meta": {"role": "suggestions"},
        }
    ]


def _layout(
    *, levels: list[dict], start: date | None, end: date, events: list[dict], strings: StringTable, height: int = 480
) -> dict:
    shapes, annotations = event_shapes(events)
    xaxis = {"type": "date", "gridcolor": "#eef0f4", "automargin": True}
    if start is not None:
        xaxis["range"] = [iso(start), iso(end + timedelta(days=7))]
    return {
        # Defaults for every scatter trace, sent once: the statement hover, marker size/outline and
        # the codebook colour scale (marker colour = level rank). Line traces skip hover.
        "template": {
            "data": {
                "scatter": [
                    {
                        "hovertemplate": STATEMENT_HOVER,
                        "marker": {
                            "size": 11,
                            "line": {"color": OVERALL_COLOUR, "width": 1.5},
                            "colorscale": level_colourscale(levels),
                        },
                    }
                ]
            },
            "layout": {"shapedefaults": SHAPE_DEFAULTS, "annotationdefaults": ANNOTATION_DEFAULTS},
        },
        "height": height,
        "margin": {"l": 10, "r": 20, "t": 30, "b": 10},
        "font": FONT,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hovermode": "closest",
        "hoverlabel": {"align": "left", "bgcolor": "#ffffff", "font": {"size": 13}},
        "showlegend": True,
        "legend": {"orientation": "h", "y": -0.12, "yanchor": "top", "x": 0, "xanchor": "left"},
        "xaxis": xaxis,
        "yaxis": level_axis(levels),
        "shapes": shapes,
        "annotations": annotations,
        "meta": {"strings": strings.as_list()},
    }


def _end(today: date, date_to: date | None) -> date:
    return min(today, date_to) if date_to else today


# --- Figures ---------------------------------------------------------------------------------------
def _scope_styles(statements: list[dict]) -> list[tuple[str, str, dict]]:
    """(code, legend name, line style) of each weapon scope on a track, in a fixed order, so the
    placeholders in the page and the traces fetched later get the same colours."""
    names = {r["scope"]: r["scope_label"] for r in statements if r["scope"]}
    return [
        (
            code,
            f"Scope: {names[code]}",
            {
                "shape": "hv",
                "color": LINE_COLOURS[i % len(LINE_COLOURS)],
                "width": 2.5,
                "dash": LINE_DASHES[(i // len(LINE_COLOURS) + 1) % len(LINE_DASHES)],
            },
        )
        for i, code in enumerate(sorted(names))
    ]


def scope_placeholder(*, code: str, name: str, line: dict) -> dict:
    """A legend entry for a scope line whose points are not in the page (see `track_figure`)."""
    return {
        "mode": "lines",
        "name": esc(name),
        "legendgroup": code,
        "x": [None],
        "y": [None],
        "line": line,
        "hoverinfo": "skip",
        "visible": "legendonly",
        "meta": {"lazy": code},
    }


def track_figure(
    *,
    levels: list[dict],
    statements: list[dict],
    events: list[dict],
    suggestions: list[dict],
    today: date,
    date_from: date | None = None,
    date_to: date | None = None,
) -> dict:
    """One track: the overall line (visible) and one legend entry per weapon scope (legend-only).

    The scope lines start hidden, so their points are not sent with the page: each is a placeholder
    (`meta.lazy` = scope code) until the reader switches one on, when dashboard.js fetches
    `scope_traces()` from the track's scopes URL and swaps the placeholders for the real lines.
    """
    by_rank = {lv["rank"]: lv for lv in levels}
    end = _end(today, date_to)
    strings = StringTable()
    overall = [r for r in statements if not r["scope"]]
    traces = series_traces(
        key="overall",
        name="Overall stance",
        rows=overall,
        levels=by_rank,
        end=end,
        colour=OVERALL_COLOUR,
        strings=strings,
    )
    for code, name, line in _scope_styles(statements):
        traces.append(scope_placeholder(code=code, name=name, line=line))
    traces += suggestion_trace(suggestions, by_rank)
    start = date_from or _first_day(statements, events)
    return {"data": traces, "layout": _layout(levels=levels, start=start, end=end, events=events, strings=strings)}


def scope_traces(*, levels: list[dict], statements: list[dict], today: date, date_to: date | None = None) -> list[dict]:
    """The scope lines of a track (line + markers each, legend-only), hydrated: what replaces the
    placeholders of `track_figure` when a reader switches a scope on. `statements` are the scoped ones."""
    by_rank = {lv["rank"]: lv for lv in levels}
    end = _end(today, date_to)
    strings = StringTable()
    by_scope: dict[str, list[dict]] = {}
    for r in statements:
        if r["scope"]:
            by_scope.setdefault(r["scope"], []).append(r)
    traces: list[dict] = []
    for code, name, line in _scope_styles(statements):
        traces += series_traces(
            key=code,
            name=name,
            rows=by_scope[code],
            levels=by_rank,
            end=end,
            colour=line["color"],
            dash=line["dash"],
            visible="legendonly",
            offset=0.12,
            strings=strings,
        )
    return hydrate({"data": traces, "layout": {"meta": {"strings": strings.as_list()}}})["data"]


def multi_figure(
    *,
    levels: list[dict],
    series: list[tuple[str, str, list[dict]]],
    events: list[dict],
    today: date,
    date_from: date | None = None,
    date_to: date | None = None,
) -> dict:
    """Several overall lines on one chart (compare: one per donor; country page: one per recipient).

    `series` is [(key, name, rows)]; each gets its own colour/dash and a small vertical offset.
    """
    by_rank = {lv["rank"]: lv for lv in levels}
    end = _end(today, date_to)
    strings = StringTable()
    traces: list[dict] = []
    for i, (key, name, rows) in enumerate(series):
        traces += series_traces(
            key=key,
            name=name,
            rows=rows,
            levels=by_rank,
            end=end,
            colour=LINE_COLOURS[i % len(LINE_COLOURS)],
            dash=LINE_DASHES[(i // len(LINE_COLOURS)) % len(LINE_DASHES)],
            offset=_offset(i, len(series)),
            strings=strings,
        )
    all_rows = [r for _, _, rows in series for r in rows]
    start = date_from or _first_day(all_rows, events)
    return {"data": traces, "layout": _layout(levels=levels, start=start, end=end, events=events, strings=strings)}


def _first_day(rows: list[dict], events: list[dict]) -> date | None:
    days = [r["stated_on"] for r in rows] + [e["occurred_on"] for e in events]
    return min(days) - timedelta(days=14) if days else None


def level_colourscale(levels: list[dict]) -> list:
    """Discrete bands: value range [min rank − ½, max rank + ½] split into one band per level."""
    n = len(levels)
    scale = []
    for i, lv in enumerate(levels):
        scale += [[round(i / n, 4), lv["color"]], [round((i + 1) / n, 4), lv["color"]]]
    return scale


def map_figure(*, levels: list[dict], current: list[dict], recipient: dict | None) -> dict:
    """World choropleth of each donor's current level (discrete colour bands from the codebook)."""
    colourscale = level_colourscale(levels)
    data = []
    if current:
        data.append(
            {
                "type": "choropleth",
                "locationmode": "ISO-3",
                "locations": [r["donor"] for r in current],
                "z": [r["level_rank"] for r in current],
                "zmin": levels[0]["rank"] - 0.5 if levels else -0.5,
                "zmax": levels[-1]["rank"] + 0.5 if levels else 6.5,
                "colorscale": colourscale,
                "customdata": [[esc(r["donor_name"]), esc(r["level_label"]), iso(r["stated_on"])] for r in current],
                "hovertemplate": MAP_HOVER,
                "marker": {"line": {"color": "#ffffff", "width": 0.5}},
                "showscale": False,  # the page lists the levels with their colours under the map
                "name": "Current stance",
            }
        )
    if recipient:
        data.append(
            {
                "type": "choropleth",
                "locationmode": "ISO-3",
                "locations": [recipient["code"]],
                "z": [1],
                "colorscale": [[0, "#b0b6c3"], [1, "#b0b6c3"]],
                "showscale": False,
                "customdata": [[esc(recipient["name"]), "Recipient", ""]],
                "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
                "name": "Recipient",
            }
        )
    return {
        "data": data,
        "layout": {
            "height": 360,
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "font": FONT,
            "geo": {
                "scope": "world",
                "resolution": 110,
                "projection": {"type": "natural earth", "rotation": {"lon": 10}},
                "center": {"lon": 10, "lat": 15},
                "lonaxis": {"range": [-170, 190]},
                "lataxis": {"range": [-58, 85]},
                "showframe": False,
                "showcoastlines": False,
                "showcountries": True,
                "countrycolor": "#ffffff",
                "showland": True,
                "landcolor": "#e9ebf0",
                "bgcolor": "#ffffff",
            },
        },
    }
