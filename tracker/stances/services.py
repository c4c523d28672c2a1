"""Writes for tracks, statements, conditions and events. Views and commands call these, nothing else."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from tracker.sources.models import Article
from tracker.stances.models import (
    CodebookVersion,
    Condition,
    Country,
    Event,
    StanceLevel,
    Statement,
    Track,
    WeaponCategory,
)


def current_codebook() -> CodebookVersion:
    return CodebookVersion.objects.get(is_current=True)


def level_by_code(code: str) -> StanceLevel:
    return StanceLevel.objects.get(codebook__is_current=True, code=code)


def track_get_or_create(*, donor: str, recipient: str) -> Track:
    track = Track.objects.filter(donor_id=donor, recipient_id=recipient).first()
    if track:
        return track
    track = Track(donor=Country.objects.get(code=donor), recipient=Country.objects.get(code=recipient))
    track.full_clean()
    track.save()
    return track


@transaction.atomic
def event_create(
    *, occurred_on: date, title: str, countries: list[str], description: str = "", source_url: str = "", user=None
) -> Event:
    event = Event(occurred_on=occurred_on, title=title, description=description, source_url=source_url, created_by=user)
    event.full_clean()
    event.save()
    event.countries.set(countries)
    return event


@transaction.atomic
def condition_create(
    *,
    track: Track,
    text: str,
    stated_on: date,
    kind: str = Condition.Kind.PRECONDITION,
    status: str = Condition.Status.PENDING,
    resolved_on: date | None = None,
) -> Condition:
    condition = Condition(
        track=track, text=text, stated_on=stated_on, kind=kind, status=status, resolved_on=resolved_on
    )
    condition.full_clean()
    condition.save()
    return condition


@transaction.atomic
def statement_create(
    *,
    track: Track,
    level: StanceLevel,
    stated_on: date,
    speaker: str,
    quote: str,
    sources: list[Article],
    speaker_role: str = "",
    scope: WeaponCategory | None = None,
    certainty: str = Statement.Certainty.ON_RECORD,
    channel: str = Statement.Channel.DIRECT,
    weapons: list[str] | None = None,
    conditions: list[Condition] | None = None,
    trigger_event: Event | None = None,
    status: str = Statement.Status.PUBLISHED,
    notes: str = "",
    user: AbstractBaseUser | None = None,
) -> Statement:
    statement = Statement(
        track=track,
        level=level,
        scope=scope,
        stated_on=stated_on,
        speaker=speaker,
        speaker_role=speaker_role,
        certainty=certainty,
        quote=quote,
        channel=channel,
        weapons=weapons or [],
        trigger_event=trigger_event,
        status=status,
        notes=notes,
        created_by=user,
        reviewed_by=user if status == Statement.Status.PUBLISHED else None,
    )
    if user is not None:
        statement._history_user = user
    statement.full_clean()
    statement.save()
    statement.sources.set(sources)
    statement.conditions.set(conditions or [])
    return statement
