"""Reads for the editor pages: statement history as field-level diffs, flagged statements, lists."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from tracker.sources.models import Article, Outlet
from tracker.stances.models import Condition, Event, Statement

# History fields not worth showing: bookkeeping, not content.
HIDDEN_HISTORY_FIELDS = {"id", "version", "created_at", "updated_at"}


def statement_initial_from_article(article_id: int) -> dict:
    """The new-statement form's start when an editor codes a stored article: its URL as the source and
    its publication date; {} for an unknown article."""
    article = Article.objects.filter(pk=article_id).values("url", "published_at").first()
    if article is None:
        return {}
    initial = {"source_urls": article["url"]}
    if article["published_at"]:
        # The local date, as the review queue judges suggestions; never the future (the form refuses it).
        initial["stated_on"] = min(timezone.localdate(article["published_at"]), timezone.localdate())
    return initial


def statements_flagged() -> QuerySet[Statement]:
    """Published statements whose every source comes from a blocked outlet: they rest on nothing trusted."""
    return (
        Statement.objects.filter(status=Statement.Status.PUBLISHED)
        .annotate(
            n_sources=Count("sources", distinct=True),
            n_trusted=Count(
                "sources", filter=~Q(sources__outlet__review_status=Outlet.ReviewStatus.BLOCKED), distinct=True
            ),
        )
        .filter(n_sources__gt=0, n_trusted=0)
        .select_related("track__donor", "track__recipient", "level", "scope")
        .order_by("-stated_on", "-id")
    )


def statement_is_flagged(statement: Statement) -> bool:
    return statements_flagged().filter(pk=statement.pk).exists()


def statement_list(*, status: str | None = None, donor: str | None = None, recipient: str | None = None):
    qs = Statement.objects.select_related("track__donor", "track__recipient", "level", "scope").order_by(
        "-stated_on", "-id"
    )
    if status:
        qs = qs.filter(status=status)
    if donor:
        qs = qs.filter(track__donor_id=donor)
    if recipient:
        qs = qs.filter(track__recipient_id=recipient)
    return qs


def condition_list(*, donor: str | None = None, recipient: str | None = None) -> QuerySet[Condition]:
    qs = Condition.objects.select_related("track__donor", "track__recipient").order_by("-stated_on", "-id")
    if donor:
        qs = qs.filter(track__donor_id=donor)
    if recipient:
        qs = qs.filter(track__recipient_id=recipient)
    return qs


def event_list() -> QuerySet[Event]:
    return Event.objects.prefetch_related("countries").order_by("-occurred_on", "-id")


def _display(field, value) -> str:
    """A history value as an editor reads it: labels for choices, names for related rows."""
    if value is None or value == "" or value == []:
        return "—"
    if getattr(field, "choices", None):
        return str(dict(field.choices).get(value, value))
    if field.many_to_many:
        other = field.m2m_reverse_field_name()
        return "; ".join(str(row.get(other)) for row in value) or "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _changes(new, old) -> list[dict]:
    delta = new.diff_against(old, excluded_fields=HIDDEN_HISTORY_FIELDS, foreign_keys_are_objs=True)
    rows = []
    for change in delta.changes:
        field = Statement._meta.get_field(change.field)
        old_text, new_text = _display(field, change.old), _display(field, change.new)
        if old_text != new_text:
            rows.append({"field": field.verbose_name, "old": old_text, "new": new_text})
    return rows


def statement_history(statement: Statement) -> list[dict]:
    """Who changed what and when, newest first; one entry per edit, with a field-level diff."""
    records = list(statement.history.select_related("history_user").order_by("history_date", "history_id"))
    groups: list[list] = []
    for record in records:
        # One service call writes one version: its save plus the m2m updates (one row each).
        last = groups[-1][-1] if groups else None
        if last is not None and (record.version, record.history_user_id) == (last.version, last.history_user_id):
            groups[-1].append(record)
        else:
            groups.append([record])
    entries = []
    previous = None
    for group in groups:
        newest = group[-1]
        if previous is None:
            kind = "created"
            changes = [
                {"field": "status", "old": "", "new": newest.get_status_display()},
                {"field": "level", "old": "", "new": str(newest.level)},
            ]
            sources = "; ".join(str(row.article) for row in newest.sources.select_related("article"))
            if sources:
                changes.append({"field": "sources", "old": "", "new": sources})
        else:
            changes = _changes(newest, previous)
            kind = "retracted" if newest.status == Statement.Status.RETRACTED != previous.status else "changed"
        entries.append(
            {
                "kind": kind,
                "user": group[0].history_user,
                "date": group[0].history_date,
                "version": newest.version,
                "changes": changes,
            }
        )
        previous = newest
    entries.reverse()
    return entries
