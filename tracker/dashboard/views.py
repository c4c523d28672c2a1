"""Analyst pages: thin views over selectors → charts → templates (figures embedded with json_script).

Every view needs a login (LoginRequiredMiddleware) and the read permissions below (analyst and up),
except `shift_feed`, which a feed reader fetches with the owner's secret key instead of a session.
"""

from datetime import UTC, datetime, time, timedelta

from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_POST

from tracker.dashboard import charts, downloads, selectors, services
from tracker.dashboard.forms import FilterForm
from tracker.stances.models import Country

READ_PERMS = ["stances.view_track", "stances.view_statement"]
DEFAULT_RECIPIENT = "UKR"
DEFAULT_SHIFT_DAYS = 90
read_required = permission_required(READ_PERMS, raise_exception=True)


def _country_or_404(code: str) -> dict:
    row = Country.objects.filter(code=code.upper()).values("code", "name").first()
    if row is None:
        raise Http404("Unknown country")
    return row


def _download_format(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format")
    return fmt if fmt in ("csv", "json") else None


def _query_without(request: HttpRequest, *names: str) -> str:
    q = request.GET.copy()
    for name in names:
        q.pop(name, None)
    return q.urlencode()


def _points(statements: list[dict], filters: selectors.Filters) -> list[dict]:
    """The table under a chart (its text alternative): the statements in the date range."""
    return [r for r in statements if filters.in_range(r["stated_on"])]


TABLE_ROWS = 200  # rows of the points table on a first view; `?all=1` shows every row


def _table(request: HttpRequest, points: list[dict]) -> dict:
    """The points table's context: the latest TABLE_ROWS rows (a 1,000-row table is ~0.5 MB of HTML to
    send, parse and lay out before the chart draws) unless `?all=1`, with a link to all of them; the
    downloads always have every row."""
    shown = points if request.GET.get("all") == "1" or len(points) <= TABLE_ROWS else points[-TABLE_ROWS:]
    return {
        "points": shown,
        "points_total": len(points),
        "points_all_query": _query_without(request, "format", "all"),
    }


@read_required
def overview(request: HttpRequest) -> HttpResponse:
    recipients = selectors.recipients_with_tracks()
    form = FilterForm(request.GET or None)
    codes = {r["code"] for r in recipients}
    recipient_code = form.value("recipient") or (DEFAULT_RECIPIENT if DEFAULT_RECIPIENT in codes else "")
    if not recipient_code and recipients:
        recipient_code = recipients[0]["code"]
    filters = form.filters()
    days = form.value("days", DEFAULT_SHIFT_DAYS)
    today = timezone.localdate()
    since = filters.date_from or (filters.date_to or today) - timedelta(days=days)
    page = selectors.overview_page(recipient=recipient_code, since=since, until=filters.date_to, filters=filters)
    recipient = next((r for r in recipients if r["code"] == recipient_code), None)
    fmt = _download_format(request)
    if fmt:
        if request.GET.get("table") == "shifts":
            rows = [downloads.shift_row(r) for r in page["shifts"]]
            return downloads.response(rows, downloads.SHIFT_FIELDS, fmt=fmt, filename=f"shifts-{recipient_code}")
        rows = [downloads.current_row(r) for r in page["current"]]
        return downloads.response(rows, downloads.CURRENT_FIELDS, fmt=fmt, filename=f"stances-{recipient_code}")
    levels = selectors.current_levels(page["levels"])
    token = selectors.feed_key(request.user.pk)
    feed_url = request.build_absolute_uri(reverse("dashboard:shift_feed", args=[token])) if token else ""
    return render(
        request,
        "dashboard/overview.html",
        {
            **page,
            "recipients": recipients,
            "form": form,
            "recipient": recipient,
            "levels": levels,
            "since": since,
            "days": days,
            "figure": charts.map_figure(levels=levels, current=page["current"], recipient=recipient),
            "query": _query_without(request, "format", "table"),
            "feed_url": feed_url,
        },
    )


@read_required
def track(request: HttpRequest, donor: str, recipient: str) -> HttpResponse:
    if donor != donor.upper() or recipient != recipient.upper():
        return redirect("dashboard:track", donor=donor.upper(), recipient=recipient.upper())
    form = FilterForm(request.GET or None)
    filters = form.filters()
    fmt = _download_format(request)
    page = selectors.track_page(donor=donor, recipient=recipient, filters=filters, full=bool(fmt))
    if page is None:
        raise Http404("No such track")
    points = _points(page["statements"], filters)
    if fmt:
        rows = [downloads.statement_row(r) for r in points]
        return downloads.response(rows, downloads.STATEMENTS, fmt=fmt, filename=f"statements-{donor}-{recipient}")
    levels = selectors.current_levels(page["levels"])
    figure = charts.track_figure(
        levels=levels,
        statements=page["statements"],
        events=page["events"],
        suggestions=page["suggestions"],
        today=timezone.localdate(),
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    return render(
        request,
        "dashboard/track.html",
        {
            **page,
            "form": form,
            "levels": levels,
            **_table(request, points),
            "figure": figure,
            "scopes": sorted({(r["scope"], r["scope_label"]) for r in page["statements"] if r["scope"]}),
            "query": _query_without(request, "format"),
        },
    )


@read_required
def track_scopes(request: HttpRequest, donor: str, recipient: str) -> JsonResponse:
    """The track's scope lines as Plotly traces, fetched by dashboard.js when one is switched on in the
    legend (the page sends only their legend entries: a smaller first view). Same filters as the page."""
    filters = FilterForm(request.GET or None).filters()
    page = selectors.track_scopes_page(donor=donor.upper(), recipient=recipient.upper(), filters=filters)
    if page is None:
        return JsonResponse({"error": "no such track"}, status=404)
    data = charts.scope_traces(
        levels=selectors.current_levels(page["levels"]),
        statements=page["statements"],
        today=timezone.localdate(),
        date_to=filters.date_to,
    )
    return JsonResponse({"data": data}, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})


@read_required
def compare(request: HttpRequest) -> HttpResponse:
    recipients = selectors.recipients_with_tracks()
    all_countries = selectors.countries()
    form = FilterForm(request.GET or None, countries=all_countries)
    recipient_code = form.value("recipient") or DEFAULT_RECIPIENT
    donors = form.value("donor", [])
    filters = form.filters()
    fmt = _download_format(request)
    page = selectors.compare_page(recipient=recipient_code, donors=donors, filters=filters, full=bool(fmt))
    # Donors offered in the picker: those with a track to the recipient (one query).
    candidates = selectors.donors_for_recipient(recipient_code)
    points = _points(page["statements"], filters)
    if fmt:
        rows = [downloads.statement_row(r) for r in points]
        return downloads.response(rows, downloads.STATEMENTS, fmt=fmt, filename=f"compare-{recipient_code}")
    levels = selectors.current_levels(page["levels"])
    by_track = selectors.group_by(page["statements"], "track_id")
    series = [(t["donor_id"], t["donor_name"], by_track.get(t["id"], [])) for t in page["tracks"]]
    figure = charts.multi_figure(
        levels=levels,
        series=series,
        events=page["events"],
        today=timezone.localdate(),
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    return render(
        request,
        "dashboard/compare.html",
        {
            **page,
            "form": form,
            "levels": levels,
            "recipients": recipients,
            "recipient_code": recipient_code,
            "selected": set(donors),
            "candidates": candidates,
            **_table(request, points),
            "figure": figure,
            "query": _query_without(request, "format"),
        },
    )


@read_required
def country(request: HttpRequest, code: str) -> HttpResponse:
    if code != code.upper():
        return redirect("dashboard:country", code=code.upper())
    donor = _country_or_404(code)
    form = FilterForm(request.GET or None)
    filters = form.filters()
    fmt = _download_format(request)
    page = selectors.country_page(donor=donor["code"], filters=filters, full=bool(fmt))
    points = _points(page["statements"], filters)
    if fmt:
        rows = [downloads.statement_row(r) for r in points]
        return downloads.response(rows, downloads.STATEMENTS, fmt=fmt, filename=f"statements-{donor['code']}")
    levels = selectors.current_levels(page["levels"])
    by_track = selectors.group_by(page["statements"], "track_id")
    series = [(t["recipient_id"], f"→ {t['recipient_name']}", by_track.get(t["id"], [])) for t in page["tracks"]]
    figure = charts.multi_figure(
        levels=levels,
        series=series,
        events=page["events"],
        today=timezone.localdate(),
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    return render(
        request,
        "dashboard/country.html",
        {
            **page,
            "donor": donor,
            "form": form,
            "levels": levels,
            **_table(request, points),
            "figure": figure,
            "query": _query_without(request, "format"),
        },
    )


@read_required
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.statement_detail(pk, include_unpublished=request.user.has_perm("stances.change_statement"))
    if row is None:
        raise Http404("No such statement")
    return render(request, "dashboard/statement.html", {"s": row})


@read_required
def api_track(request: HttpRequest, donor: str, recipient: str) -> JsonResponse:
    """The track's published statements (with sources and conditions), events and pending conditions."""
    form = FilterForm(request.GET or None)
    filters = form.filters()
    page = selectors.track_page(donor=donor.upper(), recipient=recipient.upper(), filters=filters)
    if page is None:
        return JsonResponse({"error": "no such track"}, status=404)
    t = page["track"]
    levels = selectors.current_levels(page["levels"])
    return JsonResponse(
        {
            "donor": {"code": t["donor_id"], "name": t["donor_name"]},
            "recipient": {"code": t["recipient_id"], "name": t["recipient_name"]},
            "levels": [{"rank": lv["rank"], "code": lv["code"], "label": lv["label"]} for lv in levels],
            "statements": [
                {
                    "id": r["id"],
                    "level": r["level_code"],
                    "level_rank": r["level_rank"],
                    "scope": r["scope"],
                    "stated_on": r["stated_on"].isoformat(),
                    "speaker": r["speaker"],
                    "speaker_role": r["speaker_role"],
                    "certainty": r["certainty"],
                    "channel": r["channel"],
                    "quote": r["quote"],
                    "weapons": list(r["weapons"] or []),
                    "conditions": r["conditions"],
                    "trigger_event": r["trigger_event_id"],
                    "sources": [
                        {
                            "url": s["url"],
                            "title": s["title"],
                            "outlet": s["outlet"],
                            "published_at": s["published_at"].isoformat() if s["published_at"] else None,
                        }
                        for s in r["sources"]
                    ],
                    "url": request.build_absolute_uri(reverse("dashboard:statement", args=[r["id"]])),
                }
                for r in _points(page["statements"], filters)
            ],
            "events": [
                {
                    "id": e["id"],
                    "occurred_on": e["occurred_on"].isoformat(),
                    "title": e["title"],
                    "url": e["source_url"],
                }
                for e in page["events"]
            ],
            "conditions": [
                {"id": c["id"], "text": c["text"], "kind": c["kind"], "stated_on": c["stated_on"].isoformat()}
                for c in page["conditions"]
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_POST
@read_required
def feed_token_reset(request: HttpRequest) -> HttpResponse:
    services.feed_token_rotate(user=request.user)
    return redirect(reverse("dashboard:overview") + "#feed")


class ShiftFeed(Feed):
    """Atom feed of recent shifts (last 30 days; `?recipient=UKR` narrows it). Key in the URL, no session."""

    feed_type = Atom1Feed
    title = "Stanceline: recent stance shifts"
    subtitle = "Moves of one level or more, up or down, on every track."
    days = 30

    def get_object(self, request, key):
        user = services.feed_token_user(key=key)
        if user is None:
            raise Http404("Unknown feed")
        self.request = request
        return request.GET.get("recipient", "").upper()[:3] or None

    def link(self, obj):
        return reverse("dashboard:overview")

    def items(self, obj):
        since = timezone.localdate() - timedelta(days=self.days)
        return selectors.recent_shifts(since=since, recipient=obj)

    def item_title(self, item):
        scope = f" [{item['scope_label']}]" if item["scope"] else ""
        return f"{item['donor_name']} → {item['recipient_name']}{scope}: {item['from_label']} → {item['level_label']}"

    def item_description(self, item):
        # Plain text: the syndication framework escapes it; feed readers render it inert.
        source = item["sources"][0]["url"] if item["sources"] else ""
        return f"{item['stated_on']:%d %b %Y} · {item['speaker']}: “{item['quote']}” {source}".strip()

    def item_link(self, item):
        return reverse("dashboard:statement", args=[item["id"]])

    def item_guid(self, item):
        return f"stanceline-shift-{item['id']}-{item['from_code']}-{item['level_code']}"

    def item_updateddate(self, item):
        return datetime.combine(item["stated_on"], time.min, tzinfo=UTC)

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response


shift_feed = login_not_required(ShiftFeed())


@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
