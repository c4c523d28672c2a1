"""Reads for the review queue. Plain data for templates; all escaping is left to the template engine."""

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, Left
from django.utils import timezone

from tracker.ingest.analysis import countries_named_with_arms
from tracker.review.models import Follow, Suggestion
from tracker.sources.models import Article, Outlet
from tracker.stances.models import Country, StanceLevel, Statement

ORDERINGS = {
    "recent": ["-created_at", "-id"],
    "confident": ["-confidence", "-created_at", "-id"],
}
# Characters of article text shown on either side of the evidence sentence.
CONTEXT_CHARS = 400


def queue(
    *,
    donor: str | None = None,
    recipient: str | None = None,
    outlet: int | None = None,
    level: str | None = None,
    order: str = "recent",
) -> QuerySet[Suggestion]:
    """Pending suggestions an editor should see: never those from blocked outlets."""
    qs = (
        Suggestion.objects.filter(status=Suggestion.Status.PENDING)
        .exclude(article__outlet__review_status=Outlet.ReviewStatus.BLOCKED)
        .select_related("article__outlet", "donor", "recipient", "level", "scope")
    )
    if donor:
        qs = qs.filter(donor_id=donor)
    if recipient:
        qs = qs.filter(recipient_id=recipient)
    if outlet:
        qs = qs.filter(article__outlet_id=outlet)
    if level:
        qs = qs.filter(level__code=level)
    return qs.order_by(*ORDERINGS.get(order, ORDERINGS["recent"]))


def queue_filter_options() -> dict:
    """The choices the queue's filters offer: only values that occur among visible pending suggestions."""
    pending = queue()
    return {
        "donors": Country.objects.filter(code__in=pending.values("donor_id")).order_by("name"),
        "recipients": Country.objects.filter(code__in=pending.values("recipient_id")).order_by("name"),
        "outlets": Outlet.objects.filter(pk__in=pending.values("article__outlet_id")).order_by("name"),
        "levels": StanceLevel.objects.filter(codebook__is_current=True).order_by("rank"),
    }


def suggestion_stated_on(suggestion: Suggestion) -> date:
    """The date a suggestion speaks for: its article's publication (else its creation), never the future."""
    published = suggestion.article.published_at or suggestion.created_at
    return min(timezone.localdate(published), timezone.localdate())


def _on_tracks(pairs: set[tuple[str, str]]) -> Q:
    """Statements on any of these (donor, recipient) tracks."""
    wanted = Q()
    for donor, recipient in pairs:
        wanted |= Q(track__donor_id=donor, track__recipient_id=recipient)
    return wanted


LevelHistory = dict[tuple[str, str, int | None], list[tuple[date, StanceLevel]]]


def level_histories(pairs: set[tuple[str, str]]) -> LevelHistory:
    """Published levels in date order per (donor, recipient, scope id) of the given tracks; None scope = overall."""
    if not pairs:
        return {}
    wanted = _on_tracks(pairs)
    histories: LevelHistory = {}
    rows = (
        Statement.objects.filter(wanted, status=Statement.Status.PUBLISHED)
        .select_related("level", "track")
        .order_by("stated_on", "id")
    )
    for statement in rows:
        key = (statement.track.donor_id, statement.track.recipient_id, statement.scope_id)
        histories.setdefault(key, []).append((statement.stated_on, statement.level))
    return histories


def level_on(history: list[tuple[date, StanceLevel]], day: date) -> StanceLevel | None:
    """The level in force on `day`: the last statement on or before it."""
    at = bisect_right([stated_on for stated_on, _ in history], day)
    return history[at - 1][1] if at else None


@dataclass(frozen=True)
class Highlight:
    before: str
    match: str
    after: str
    found: bool
    clipped_start: bool
    clipped_end: bool


def _evidence_pattern(evidence: str) -> re.Pattern | None:
    words = re.findall(r"\w+", evidence)
    if not words:
        return None
    # Whitespace, quotes and punctuation differ between the extracted text and the stored sentence.
    return re.compile(r"\W+".join(re.escape(w) for w in words), re.IGNORECASE)


def highlight(text: str, evidence: str, *, context: int = CONTEXT_CHARS) -> Highlight:
    """Split `text` around `evidence` (exact, else whitespace/punctuation-insensitive) for a <mark>."""
    start = text.find(evidence) if evidence else -1
    end = start + len(evidence)
    if start < 0:
        pattern = _evidence_pattern(evidence)
        found = pattern.search(text) if pattern else None
        if not found:
            return Highlight("", evidence, "", False, False, False)
        start, end = found.span()
    lo = max(0, start - context)
    hi = min(len(text), end + context)
    # Cut at word boundaries so the window doesn't start mid-word.
    if lo > 0:
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else lo
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space >= 0 else hi
    return Highlight(text[lo:start], text[start:end], text[end:hi], True, lo > 0, hi < len(text))


def queue_items(suggestions: list[Suggestion]) -> list[dict]:
    """Each suggestion with its highlighted evidence, the track's current level and what accepting changes.

    The change is judged on the suggestion's own date: an article about last year's stance, accepted
    today, adds a point to last year's line and leaves a newer level in force.
    """
    pairs = {(s.donor_id, s.recipient_id) for s in suggestions}
    histories = level_histories(pairs)
    candidates = duplicate_candidates(pairs)
    others = other_countries(suggestions)
    items = []
    for s in suggestions:
        history = histories.get((s.donor_id, s.recipient_id, s.scope_id), [])
        current = history[-1][1] if history else None
        day = suggestion_stated_on(s)
        then = level_on(history, day)
        if then is None:
            change = "No data → " + s.level.label
        elif then.pk == s.level_id:
            change = f"No change (already {then.label})"
        else:
            change = f"{then.label} → {s.level.label}"
        if history and history[-1][0] > day:
            change += f" on {day:%Y-%m-%d}; later statements keep the track at {current.label}"
        items.append(
            {
                "suggestion": s,
                "highlight": highlight(s.article.text or "", s.evidence),
                "current_level": current,
                "change": change,
                "direction": 0 if then is None else (s.level.rank > then.rank) - (s.level.rank < then.rank),
                "duplicate_candidates": candidates.get((s.donor_id, s.recipient_id), []),
                "other_countries": others.get(s.article_id, []),
            }
        )
    return items


def other_countries(suggestions: list[Suggestion]) -> dict[int, list[str]]:
    """Per article, the names of countries named with arms in it that none of its suggestions names: in
    a roundup of many governments the detector may have caught one and missed the rest. Two queries."""
    articles = {s.article_id: s.article for s in suggestions}
    named: dict[int, set[str]] = {article_id: set() for article_id in articles}
    for article_id, donor, recipient in Suggestion.objects.filter(article_id__in=articles).values_list(
        "article_id", "donor_id", "recipient_id"
    ):
        named[article_id] |= {donor, recipient}
    codes = {
        article_id: countries_named_with_arms(article=article, known=named[article_id])
        for article_id, article in articles.items()
    }
    wanted = {c for found in codes.values() for c in found}
    names = dict(Country.objects.filter(code__in=wanted).values_list("code", "name")) if wanted else {}
    return {article_id: [names.get(c, c) for c in found] for article_id, found in codes.items() if found}


def duplicate_candidates(pairs: set[tuple[str, str]], *, per_track: int = 15) -> dict[tuple[str, str], list]:
    """Recent published statements per track: what a suggestion may duplicate."""
    if not pairs:
        return {}
    wanted = _on_tracks(pairs)
    out: dict[tuple[str, str], list] = {}
    rows = (
        Statement.objects.filter(wanted, status=Statement.Status.PUBLISHED)
        .select_related("track", "level", "scope")
        .order_by("-stated_on", "-id")
    )
    for statement in rows:
        bucket = out.setdefault((statement.track.donor_id, statement.track.recipient_id), [])
        if len(bucket) < per_track:
            bucket.append(statement)
    return out


def queue_counts() -> dict:
    return Suggestion.objects.aggregate(
        pending=Count("id", filter=Q(status=Suggestion.Status.PENDING)),
        hidden_blocked=Count(
            "id",
            filter=Q(status=Suggestion.Status.PENDING, article__outlet__review_status=Outlet.ReviewStatus.BLOCKED),
        ),
    )


ARTICLE_SNIPPET_CHARS = 600


def articles_to_look_at(*, dismissed: bool = False) -> QuerySet[Article]:
    """Analysed articles without signals that name arms and two countries (`Article.Triage.PENDING`),
    newest first (an undated one by when it was fetched), with the start of their text; none from a
    blocked outlet or already a statement's source (an editor coded it). `dismissed=True`: those
    marked as no stance instead, latest decision first."""
    cited = Statement.sources.through.objects.filter(article_id=OuterRef("pk"))
    triage = Article.Triage.DISMISSED if dismissed else Article.Triage.PENDING
    # Each order is that of its partial index (see Article.Meta).
    order = ("-triaged_at", "-id") if dismissed else (Coalesce("published_at", "created_at").desc(), "-id")
    return (
        Article.objects.filter(triage=triage)
        .exclude(outlet__review_status=Outlet.ReviewStatus.BLOCKED)
        .exclude(Exists(cited))
        .select_related("outlet", "triaged_by")
        .only(
            "id",
            "url",
            "title",
            "published_at",
            "language",
            "triaged_at",
            "outlet__name",
            "outlet__review_status",
            "triaged_by__username",
        )
        .annotate(snippet=Left("text", ARTICLE_SNIPPET_CHARS))
        .order_by(*order)
    )


def followed_codes(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(Follow.objects.filter(user=user).values_list("country_id", flat=True))
