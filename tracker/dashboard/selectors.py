"""Read-side queries for the analyst pages.

Every selector returns plain rows (dicts of str/int/date), never querysets, and runs a FIXED number of
queries whatever the data size: related rows (sources, conditions) come from a join or one extra
query each, folded in Python, never one query per statement. charts.py and the downloads consume these rows.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from tracker.dashboard.models import FeedToken
from tracker.review.models import Suggestion
from tracker.stances.models import Condition, Country, Event, StanceLevel, Statement, Track

PUBLISHED = Statement.Status.PUBLISHED

# Minimum-certainty filter: a statement passes if its certainty is at least this firm.
CERTAINTY_RANK = {
    Statement.Certainty.MEDIA_REPORT: 0,
    Statement.Certainty.ATTRIBUTED: 1,
    Statement.Certainty.ON_RECORD: 2,
}
CERTAINTY_LABELS = dict(Statement.Certainty.choices)
CHANNEL_LABELS = dict(Statement.Channel.choices)

# Upper bounds that keep a page's payload bounded whatever the data size.
MAX_SHIFTS = 200  # recent shifts listed on the overview / in the feed
MAX_SUGGESTIONS = 500  # faint "not yet reviewed" markers on one timeline


@dataclass(frozen=True)
class Filters:
    """The query-string filters shared by every page (validated by forms.FilterForm)."""

    date_from: date | None = None
    date_to: date | None = None
    min_certainty: str = ""

    def certainties(self) -> list[str]:
        floor = CERTAINTY_RANK.get(self.min_certainty, 0)
        return [c for c, rank in CERTAINTY_RANK.items() if rank >= floor]

    def statement_q(self, prefix: str = "") -> Q:
        """Published statements up to date_to with enough certainty (date_from only narrows the view)."""
        q = Q(**{f"{prefix}status": PUBLISHED})
        if CERTAINTY_RANK.get(self.min_certainty, 0) > 0:  # no filter, no IN list to plan
            q &= Q(**{f"{prefix}certainty__in": self.certainties()})
        if self.date_to:
            q &= Q(**{f"{prefix}stated_on__lte": self.date_to})
        return q

    def in_range(self, day: date) -> bool:
        return (self.date_from is None or day >= self.date_from) and (self.date_to is None or day <= self.date_to)


NO_FILTERS = Filters()


# --- Reference rows ---------------------------------------------------------------------------
def codebook_levels() -> list[dict]:
    """Every stance level (current codebook first, by rank). One query."""
    rows = StanceLevel.objects.order_by("-codebook__is_current", "codebook_id", "rank").values(
        "id", "rank", "code", "label", "color", is_current=F("codebook__is_current")
    )
    return list(rows)


def current_levels(levels: list[dict]) -> list[dict]:
    return [lv for lv in levels if lv["is_current"]]


def countries() -> list[dict]:
    return list(Country.objects.order_by("name").values("code", "name"))


def recipients_with_tracks() -> list[dict]:
    """Countries that are the recipient of at least one track, for the recipient picker. One query."""
    return list(
        Country.objects.filter(tracks_as_recipient__isnull=False).distinct().order_by("name").values("code", "name")
    )


def donors_for_recipient(recipient: str) -> list[dict]:
    """Donors with a track towards `recipient` (compare page picker). One query."""
    return list(
        Track.objects.filter(recipient_id=recipient)
        .order_by("donor__name")
        .values(code=F("donor_id"), name=F("donor__name"))
    )


# --- Statements and what hangs off them ------------------------------------------------------
_STATEMENT_PLAIN = [
    "id",
    "track_id",
    "level_id",
    "stated_on",
    "speaker",
    "speaker_role",
    "certainty",
    "channel",
    "quote",
    "weapons",
    "trigger_event_id",
]
_STATEMENT_JOINED = {
    "donor": F("track__donor_id"),
    "donor_name": F("track__donor__name"),
    "recipient": F("track__recipient_id"),
    "recipient_name": F("track__recipient__name"),
    "level_rank": F("level__rank"),
    "level_code": F("level__code"),
    "level_label": F("level__label"),
    "scope_code": F("scope__code"),  # renamed to "scope" in the rows (the model has a `scope` field)
    "scope_label": F("scope__label"),
}


def _statement_values(qs, **extra):
    rows = list(qs.values(*_STATEMENT_PLAIN, **_STATEMENT_JOINED, **extra))
    for r in rows:
        r["scope"] = r.pop("scope_code")
    return rows


def _prepare(rows: list[dict]) -> dict[int, dict]:
    for r in rows:
        r["sources"] = []
        r["conditions"] = []
        r["certainty_label"] = CERTAINTY_LABELS.get(r["certainty"], r["certainty"])
        r["channel_label"] = CHANNEL_LABELS.get(r["channel"], r["channel"])
    return {r["id"]: r for r in rows}


def _attach_sources(by_id: dict[int, dict]) -> None:
    """One query for the sources of the given statements (an index scan on the through table)."""
    for s in (
        Statement.sources.through.objects.filter(statement_id__in=list(by_id))
        .order_by("statement_id", "article__published_at", "article_id")
        .values(
            "statement_id",
            url=F("article__url"),
            title=F("article__title"),
            outlet=F("article__outlet__name"),
            published_at=F("article__published_at"),
        )
    ):
        by_id[s.pop("statement_id")]["sources"].append(s)


def _attach_conditions(by_id: dict[int, dict], statement_q: Q | None = None) -> None:
    """One query for the conditions the statements name (a small table).

    With `statement_q` the statements are matched by a subquery instead of a long list of ids.
    """
    match = (
        Q(statement_id__in=Statement.objects.filter(statement_q).values("id"))
        if statement_q is not None
        else Q(statement_id__in=list(by_id))
    )
    for c in (
        Statement.conditions.through.objects.filter(match)
        .order_by("statement_id", "condition__stated_on")
        .values("statement_id", text=F("condition__text"))
    ):
        if c["statement_id"] in by_id:
            by_id[c["statement_id"]]["conditions"].append(c["text"])


def _attach_sources_and_conditions(rows: list[dict]) -> list[dict]:
    """Add `sources` and `conditions` lists to statement rows: two queries whatever the row count."""
    by_id = _prepare(rows)
    if by_id:
        _attach_sources(by_id)
        _attach_conditions(by_id)
    return rows


_SOURCE_COLUMNS = ("sources__url", "sources__outlet__name")
_SOURCE_DETAIL_COLUMNS = ("sources__title", "sources__published_at")
_TRACK_COLUMNS = ("track__donor_id", "track__donor__name", "track__recipient_id", "track__recipient__name")
_LEVEL_COLUMNS = ("level__rank", "level__code", "level__label")
_ROW_COLUMNS = (
    "id",
    "track_id",
    "level_id",
    "stated_on",
    "speaker",
    "speaker_role",
    "certainty",
    "channel",
    "quote",
    "trigger_event_id",
    "scope__code",
    "scope__label",
)

_COLUMN_NAMES = {
    "weapons": "weapons",
    "track__donor_id": "donor",
    "track__donor__name": "donor_name",
    "track__recipient_id": "recipient",
    "track__recipient__name": "recipient_name",
    "level__rank": "level_rank",
    "level__code": "level_code",
    "level__label": "level_label",
}


def statements(
    statement_q: Q, *, tracks: list[dict] | None = None, levels: list[dict] | None = None, full: bool = True
) -> list[dict]:
    """Statement rows (date order) with their sources and conditions: two queries.

    The sources come in the same query (LEFT JOIN: one row per statement × source, folded here), which
    PostgreSQL runs as index lookups; a second query by id made it scan the whole through table.

    Speed (a 500-statement track): tuples from `values_list`, not dicts; donor/recipient names and the
    level fields are filled from the `tracks` / `levels` rows the page has already fetched (three fewer
    joins to plan and fewer columns to send) — without them they are joined. `full=False` leaves out what
    the HTML pages do not show (weapons, a JSON column, and the sources' titles and dates; the downloads
    and the API show them): `weapons` is None and a source is only `url` and `outlet`.
    """
    track_by_id = {t["id"]: t for t in tracks} if tracks is not None else None
    level_by_id = {lv["id"]: lv for lv in levels} if levels is not None else None
    cols = list(_ROW_COLUMNS)
    if full:
        cols.append("weapons")
    if track_by_id is None:
        cols += _TRACK_COLUMNS
    if level_by_id is None:
        cols += _LEVEL_COLUMNS
    n_extra = len(cols) - len(_ROW_COLUMNS)
    extra_names = [_COLUMN_NAMES[c] for c in cols[len(_ROW_COLUMNS) :]]
    first_source = len(cols)
    cols += _SOURCE_COLUMNS + (_SOURCE_DETAIL_COLUMNS if full else ())
    qs = Statement.objects.filter(statement_q).order_by("stated_on", "id", "sources__published_at", "sources__id")
    rows: list[dict] = []
    last_id = None
    for t in qs.values_list(*cols):
        if t[0] != last_id:
            last_id = t[0]
            r = {
                "id": t[0],
                "track_id": t[1],
                "level_id": t[2],
                "stated_on": t[3],
                "speaker": t[4],
                "speaker_role": t[5],
                "certainty": t[6],
                "channel": t[7],
                "quote": t[8],
                "trigger_event_id": t[9],
                "scope": t[10],
                "scope_label": t[11],
                "weapons": None,
                "sources": [],
                "conditions": [],
                "certainty_label": CERTAINTY_LABELS.get(t[6], t[6]),
                "channel_label": CHANNEL_LABELS.get(t[7], t[7]),
            }
            if n_extra:
                r.update(zip(extra_names, t[len(_ROW_COLUMNS) : first_source], strict=True))
            if track_by_id is not None:
                tr = track_by_id[t[1]]
                r["donor"], r["donor_name"] = tr["donor_id"], tr["donor_name"]
                r["recipient"], r["recipient_name"] = tr["recipient_id"], tr["recipient_name"]
            if level_by_id is not None:
                lv = level_by_id[t[2]]
                r["level_rank"], r["level_code"], r["level_label"] = lv["rank"], lv["code"], lv["label"]
            rows.append(r)
        if t[first_source] is not None:
            source = {"url": t[first_source], "outlet": t[first_source + 1]}
            if full:
                source["title"], source["published_at"] = t[first_source + 2], t[first_source + 3]
            rows[-1]["sources"].append(source)
    by_id = {r["id"]: r for r in rows}
    if by_id:
        _attach_conditions(by_id, statement_q)
    return rows


def statement_detail(statement_id: int, *, include_unpublished: bool = False) -> dict | None:
    """One statement with everything the detail page shows, or None (unknown, or not published)."""
    q = Q(id=statement_id)
    if not include_unpublished:
        q &= Q(status=PUBLISHED)
    rows = _statement_values(
        Statement.objects.filter(q),
        status_code=F("status"),
        retraction=F("retraction_reason"),
        trigger_title=F("trigger_event__title"),
        trigger_date=F("trigger_event__occurred_on"),
        trigger_url=F("trigger_event__source_url"),
        level_color=F("level__color"),
    )
    if not rows:
        return None
    return _attach_sources_and_conditions(rows)[0]


# --- Events, conditions, suggestions ----------------------------------------------------------
def events_for(*, countries: list[str], track_ids: list[int], filters: Filters = NO_FILTERS) -> list[dict]:
    """Events about any of the countries, or linked as the trigger of a statement on one of the tracks."""
    # Two IN-subqueries, not an OR across two joins + DISTINCT (10× slower on 100k statements).
    about = Event.countries.through.objects.filter(country_id__in=countries).values("event_id")
    triggers = Statement.objects.filter(
        track_id__in=track_ids, status=PUBLISHED, trigger_event_id__isnull=False
    ).values("trigger_event_id")
    qs = Event.objects.filter(Q(id__in=about) | Q(id__in=triggers))
    if filters.date_to:
        qs = qs.filter(occurred_on__lte=filters.date_to)
    return list(qs.order_by("occurred_on", "id").values("id", "occurred_on", "title", "source_url"))


def pending_conditions(track_ids: list[int]) -> list[dict]:
    """Active conditions / red lines (status pending) on the tracks."""
    return list(
        Condition.objects.filter(track_id__in=track_ids, status=Condition.Status.PENDING)
        .order_by("stated_on", "id")
        .values("id", "text", "kind", "stated_on", donor=F("track__donor_id"), recipient=F("track__recipient_id"))
    )


def pending_suggestions(*, donor: str, recipient: str, filters: Filters = NO_FILTERS) -> list[dict]:
    """Machine suggestions not yet reviewed for one pair (newest first, capped)."""
    qs = Suggestion.objects.filter(donor_id=donor, recipient_id=recipient, status=Suggestion.Status.PENDING)
    rows = list(
        qs.order_by("-created_at", "-id").values(
            "id",
            "evidence",
            "confidence",
            "speaker",
            "created_at",
            level_rank=F("level__rank"),
            level_label=F("level__label"),
            scope_code=F("scope__code"),
            published_at=F("article__published_at"),
            outlet=F("article__outlet__name"),
            url=F("article__url"),
        )[:MAX_SUGGESTIONS]
    )
    for r in rows:
        r["date"] = (r["published_at"] or r["created_at"]).date()
    if filters.date_to:
        rows = [r for r in rows if r["date"] <= filters.date_to]
    rows.sort(key=lambda r: (r["date"], r["id"]))
    return rows


# --- Pages --------------------------------------------------------------------------------------
def _track(donor: str, recipient: str) -> dict | None:
    return (
        Track.objects.filter(donor_id=donor, recipient_id=recipient)
        .values("id", "donor_id", "recipient_id", donor_name=F("donor__name"), recipient_name=F("recipient__name"))
        .first()
    )


def track_page(*, donor: str, recipient: str, filters: Filters = NO_FILTERS, full: bool = True) -> dict | None:
    """Everything the track timeline shows: 7 queries, whatever the number of statements."""
    track = _track(donor, recipient)
    if track is None:
        return None
    q = filters.statement_q() & Q(track_id=track["id"])
    levels = codebook_levels()
    return {
        "track": track,
        "levels": levels,
        "statements": statements(q, tracks=[track], levels=levels, full=full),
        "events": events_for(countries=[donor, recipient], track_ids=[track["id"]], filters=filters),
        "conditions": pending_conditions([track["id"]]),
        "suggestions": pending_suggestions(donor=donor, recipient=recipient, filters=filters),
    }


def track_scopes_page(*, donor: str, recipient: str, filters: Filters = NO_FILTERS) -> dict | None:
    """The scoped statements of one track (the legend-only scope lines, fetched when switched on): 4 queries."""
    track = _track(donor, recipient)
    if track is None:
        return None
    q = filters.statement_q() & Q(track_id=track["id"], scope__isnull=False)
    levels = codebook_levels()
    return {"track": track, "levels": levels, "statements": statements(q, tracks=[track], levels=levels, full=False)}


def tracks_page(*, track_q: Q, event_countries: list[str], filters: Filters = NO_FILTERS, full: bool = True) -> dict:
    """Several tracks' overall lines (compare page, country page): 6 queries whatever the data size."""
    tracks = list(
        Track.objects.filter(track_q)
        .order_by("donor__name", "recipient__name")
        .values("id", "donor_id", "recipient_id", donor_name=F("donor__name"), recipient_name=F("recipient__name"))
    )
    track_ids = [t["id"] for t in tracks]
    q = filters.statement_q() & Q(track_id__in=track_ids, scope__isnull=True)
    levels = codebook_levels()
    return {
        "tracks": tracks,
        "levels": levels,
        "statements": statements(q, tracks=tracks, levels=levels, full=full) if track_ids else [],
        "events": events_for(countries=event_countries, track_ids=track_ids, filters=filters),
        "conditions": pending_conditions(track_ids),
    }


def compare_page(*, recipient: str, donors: list[str], filters: Filters = NO_FILTERS, full: bool = True) -> dict:
    return tracks_page(
        track_q=Q(recipient_id=recipient, donor_id__in=donors),
        event_countries=[recipient],
        filters=filters,
        full=full,
    )


def country_page(*, donor: str, filters: Filters = NO_FILTERS, full: bool = True) -> dict:
    page = tracks_page(track_q=Q(donor_id=donor), event_countries=[donor], filters=filters, full=full)
    page["current"] = current_levels_for(track_q=Q(donor_id=donor), filters=filters)
    return page


def current_levels_for(*, track_q: Q, filters: Filters = NO_FILTERS) -> list[dict]:
    """The latest published overall statement of each track matching `track_q` (one query).

    "Latest" is as of `date_to` when given. One correlated subquery per track walks the timeline
    index (track, status, stated_on) backwards, so the cost grows with tracks, not statements.
    """
    latest = (
        Statement.objects.filter(filters.statement_q(), track_id=OuterRef("pk"), scope__isnull=True)
        .order_by("-stated_on", "-id")
        .values("id")[:1]
    )
    latest_ids = Track.objects.filter(track_q).annotate(latest=Subquery(latest)).values("latest")
    qs = Statement.objects.filter(id__in=latest_ids).values(
        "id",
        "stated_on",
        "certainty",
        "speaker",
        donor=F("track__donor_id"),
        donor_name=F("track__donor__name"),
        recipient=F("track__recipient_id"),
        recipient_name=F("track__recipient__name"),
        level_rank=F("level__rank"),
        level_code=F("level__code"),
        level_label=F("level__label"),
        level_color=F("level__color"),
    )
    rows = list(qs)
    rows.sort(key=lambda r: (-r["level_rank"], r["donor_name"], r["recipient_name"]))
    return rows


def recent_shifts(*, since: date, until: date | None = None, recipient: str | None = None, filters=NO_FILTERS):
    """Published statements since `since` whose level differs from the previous one on the same line
    (same track and scope), with from → to, date and sources: 4 queries (2 if none); newest first, capped.
    """
    line_key = Coalesce("scope_id", Value(0))
    previous = (
        Statement.objects.filter(
            track_id=OuterRef("track_id"),
            status=PUBLISHED,
            # redundant with the OR below, but lets PostgreSQL walk the timeline index backwards
            stated_on__lte=OuterRef("stated_on"),
            certainty__in=filters.certainties(),
        )
        .filter(Q(stated_on__lt=OuterRef("stated_on")) | Q(id__lt=OuterRef("id")))
        .annotate(line=line_key)
        .filter(line=OuterRef("line"))
        .order_by("-stated_on", "-id")
        .values("level_id")[:1]
    )
    q = Q(status=PUBLISHED, certainty__in=filters.certainties(), stated_on__gte=since)
    if until:
        q &= Q(stated_on__lte=until)
    if recipient:
        q &= Q(track__recipient_id=recipient)
    candidates = _statement_values(
        Statement.objects.filter(q)
        .annotate(line=line_key, previous_level_id=Subquery(previous))
        .order_by("-stated_on", "-id"),
        from_level_id=F("previous_level_id"),
    )
    # Filtered here, not in SQL: a WHERE on the annotation would run the subquery a second time.
    rows = [r for r in candidates if r["from_level_id"] is not None and r["from_level_id"] != r["level_id"]]
    rows = rows[:MAX_SHIFTS]
    levels = {lv["id"]: lv for lv in codebook_levels()}
    for r in rows:
        prev = levels[r["from_level_id"]]
        r["from_rank"], r["from_label"], r["from_code"] = prev["rank"], prev["label"], prev["code"]
        r["direction"] = "up" if r["level_rank"] > prev["rank"] else "down"
    return _attach_sources_and_conditions(rows)


def overview_page(*, recipient: str, since: date, until: date | None = None, filters: Filters = NO_FILTERS) -> dict:
    """Current level of every donor towards `recipient`, and the shifts in [since, until].

    When nothing moved in that window and no dates were chosen, the same window is laid over the last
    activity instead ("the 90 days up to the latest statement"), so a quiet recipient still shows
    its latest shifts. At most 6 queries, 11 in that case.
    """
    shifts = recent_shifts(since=since, until=until, recipient=recipient, filters=filters)
    shifted_window = None
    if not shifts and filters.date_from is None and filters.date_to is None:
        latest = (
            Statement.objects.filter(filters.statement_q(), track__recipient_id=recipient)
            .order_by("-stated_on")
            .values_list("stated_on", flat=True)
            .first()
        )
        if latest is not None and latest < since:
            width = (until or date.today()) - since
            shifted_window = (latest - width, latest)
            shifts = recent_shifts(since=latest - width, until=latest, recipient=recipient, filters=filters)
    return {
        "levels": codebook_levels(),
        "current": current_levels_for(track_q=Q(recipient_id=recipient), filters=filters),
        "shifts": shifts,
        "shifted_window": shifted_window,
    }


def feed_key(user_id: int) -> str | None:
    return FeedToken.objects.filter(user_id=user_id).values_list("key", flat=True).first()


def group_by(rows: list[dict], key: str) -> dict:
    out: dict = defaultdict(list)
    for r in rows:
        out[r[key]].append(r)
    return out
