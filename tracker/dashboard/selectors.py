"""Read-side queries for the analyst pages. They return plain rows (dicts), never querysets."""

from django.db.models import OuterRef, Subquery

from tracker.stances.models import Statement, Track


def track_summaries() -> list[dict]:
    """Every track with its latest published overall level, in one query."""
    latest = Statement.objects.filter(
        track=OuterRef("pk"), status=Statement.Status.PUBLISHED, scope__isnull=True
    ).order_by("-stated_on", "-id")
    rows = (
        Track.objects.annotate(
            level_label=Subquery(latest.values("level__label")[:1]),
            level_rank=Subquery(latest.values("level__rank")[:1]),
            stated_on=Subquery(latest.values("stated_on")[:1]),
        )
        .select_related("donor", "recipient")
        .order_by("recipient__name", "donor__name")
    )
    return [
        {
            "donor": t.donor_id,
            "donor_name": t.donor.name,
            "recipient": t.recipient_id,
            "recipient_name": t.recipient.name,
            "level_label": t.level_label,
            "level_rank": t.level_rank,
            "stated_on": t.stated_on,
        }
        for t in rows
    ]
