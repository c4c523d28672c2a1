"""Shift alerts: followers of a donor or recipient get one email when a track's overall level moves.

A shift is a published overall statement whose level differs from the previous published overall
statement on the same track (by date); retracting the track's latest overall statement shifts it back
to the level before. Each shift is recorded once (unique statement/from/to), and
the email goes out after commit from a task that claims the row with a conditional update, so a
re-save that keeps the level, a double submit or a redelivered task sends nothing new.

Imported by `tracker.stances.services`, so this module must not import that one.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tracker.review.models import ShiftAlert
from tracker.stances.models import Statement


def previous_overall_statement(statement: Statement) -> Statement | None:
    """The published overall statement on the same track just before this one (by date, then id)."""
    before = Q(stated_on__lt=statement.stated_on) | Q(stated_on=statement.stated_on, pk__lt=statement.pk)
    return (
        Statement.objects.filter(before, track_id=statement.track_id, status=Statement.Status.PUBLISHED)
        .filter(scope__isnull=True)
        .exclude(pk=statement.pk)
        .select_related("level")
        .order_by("-stated_on", "-id")
        .first()
    )


def follower_ids(*, countries: list[str]) -> list[int]:
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True, follows__country_id__in=countries)
        .exclude(email="")
        .distinct()
        .values_list("pk", flat=True)
    )


def shift_alert_record(*, statement: Statement) -> ShiftAlert | None:
    """Record the shift this statement makes (if any) and enqueue its email after commit. Idempotent."""
    if statement.status != Statement.Status.PUBLISHED or statement.scope_id is not None:
        return None
    previous = previous_overall_statement(statement)
    if previous is None or previous.level_id == statement.level_id:
        return None  # "no data" is not a level, and an unchanged level is not a shift
    return _record(
        statement, from_level_id=previous.level_id, to_level_id=statement.level_id, kind=ShiftAlert.Kind.SHIFT
    )


def retraction_alert_record(*, statement: Statement) -> ShiftAlert | None:
    """Record the shift back that retracting this statement makes, if it was the level in force. Idempotent."""
    if statement.status != Statement.Status.RETRACTED or statement.scope_id is not None:
        return None
    later = Statement.objects.filter(
        Q(stated_on__gt=statement.stated_on) | Q(stated_on=statement.stated_on, pk__gt=statement.pk),
        track_id=statement.track_id,
        status=Statement.Status.PUBLISHED,
        scope__isnull=True,
    )
    if later.exists():
        return None  # a later statement still sets the level in force
    previous = previous_overall_statement(statement)
    if previous is None or previous.level_id == statement.level_id:
        return None
    return _record(
        statement, from_level_id=statement.level_id, to_level_id=previous.level_id, kind=ShiftAlert.Kind.RETRACTION
    )


def _record(statement: Statement, *, from_level_id: int, to_level_id: int, kind: str) -> ShiftAlert:
    alert, created = ShiftAlert.objects.get_or_create(
        statement=statement, from_level_id=from_level_id, to_level_id=to_level_id, defaults={"kind": kind}
    )
    track = statement.track
    if created and follower_ids(countries=[track.donor_id, track.recipient_id]):
        from tracker.review.tasks import send_shift_alert

        send_shift_alert.delay_on_commit(alert.pk)
    return alert


def _message_for(alert: ShiftAlert) -> tuple[str, str]:
    statement = alert.statement
    track = statement.track
    direction = "up" if alert.to_level.rank > alert.from_level.rank else "down"
    subject = f"Stanceline: {track.donor.name} → {track.recipient.name} moved {direction} to {alert.to_level.label}"
    retracted = []
    if alert.kind == ShiftAlert.Kind.RETRACTION:
        subject += " (statement retracted)"
        retracted = [f"Retracted: {statement.retraction_reason}", "The statement below no longer counts.", ""]
    body = "\n".join(
        retracted
        + [
            f"{track.donor.name} → {track.recipient.name}",
            f"{alert.from_level.label} → {alert.to_level.label}"
            f" (level {alert.from_level.rank} → {alert.to_level.rank})",
            f"Stated on {statement.stated_on:%Y-%m-%d} by {statement.speaker}"
            + (f", {statement.speaker_role}" if statement.speaker_role else ""),
            "",
            f"“{statement.quote}”",
            "",
            f"Statement: {reverse('stances:statement_detail', args=[statement.pk])}",
            "You get this because you follow one of these countries; unfollow on the followed-countries page.",
        ]
    )
    return subject, body


def shift_alert_send(*, alert_id: int) -> int:
    """Email every follower once; returns how many were emailed (0 if already sent or gone)."""
    claimed = ShiftAlert.objects.filter(pk=alert_id, sent_at__isnull=True).update(sent_at=timezone.now())
    if not claimed:
        return 0
    alert = ShiftAlert.objects.select_related(
        "statement__track__donor", "statement__track__recipient", "from_level", "to_level"
    ).get(pk=alert_id)
    track = alert.statement.track
    User = get_user_model()
    users = User.objects.filter(pk__in=follower_ids(countries=[track.donor_id, track.recipient_id]))
    subject, body = _message_for(alert)
    messages = [EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]) for user in users]
    try:
        sent = get_connection().send_messages(messages) or 0
    except Exception:
        # Release the claim so a retry can send it; the claim only guards against double sends.
        ShiftAlert.objects.filter(pk=alert_id).update(sent_at=None)
        raise
    ShiftAlert.objects.filter(pk=alert_id).update(recipients=sent)
    return sent
