"""Writes for tracks, statements, conditions and events. Views and commands call these, nothing else.

Every write sets the simple-history user explicitly (`_history_user`), so rows written outside a
request (commands, tasks) carry the right author too.
"""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tracker.review import alerts
from tracker.sources.canonical import registrable_domain, url_hash
from tracker.sources.models import Article, Outlet
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

# Fields an editor may change on a statement (everything but status, authorship and the version).
EDITABLE_FIELDS = (
    "track",
    "level",
    "scope",
    "stated_on",
    "speaker",
    "speaker_role",
    "certainty",
    "quote",
    "channel",
    "weapons",
    "trigger_event",
    "notes",
)


class StatementConflict(Exception):
    """Someone saved the statement after the editor opened it; their save is refused, not merged."""

    def __init__(self, statement: Statement, expected_version: int):
        self.statement = statement
        self.expected_version = expected_version
        last = statement.history.order_by("-history_date").first()
        self.changed_by = getattr(last, "history_user", None) if last else None
        self.changed_at = last.history_date if last else statement.updated_at
        who = self.changed_by.get_username() if self.changed_by else "someone"
        when = timezone.localtime(self.changed_at).strftime("%Y-%m-%d %H:%M:%S %Z")
        super().__init__(
            f"This statement was changed by {who} at {when} since you opened it "
            f"(version {expected_version} → {statement.version}). Your changes were not saved: "
            "review the current version and apply them again."
        )


def current_codebook() -> CodebookVersion:
    return CodebookVersion.objects.get(is_current=True)


def level_by_code(code: str) -> StanceLevel:
    return StanceLevel.objects.get(codebook__is_current=True, code=code)


def _set_history_user(obj, user) -> None:
    if user is not None:
        obj._history_user = user


def track_get_or_create(*, donor: str, recipient: str) -> Track:
    if donor == recipient:
        raise ValidationError({"recipient": "Donor and recipient must be different countries."})
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
    _set_history_user(event, user)
    event.full_clean()
    event.save()
    event.countries.set(countries)
    return event


def _validate_condition(condition: Condition) -> None:
    if condition.status == Condition.Status.PENDING:
        condition.resolved_on = None
    elif condition.resolved_on is None:
        raise ValidationError({"resolved_on": "Give the date the condition was met or withdrawn."})
    if condition.resolved_on and condition.resolved_on < condition.stated_on:
        raise ValidationError({"resolved_on": "A condition cannot be resolved before it was stated."})
    if condition.stated_on > timezone.localdate():
        raise ValidationError({"stated_on": "The date is in the future."})
    condition.full_clean()


@transaction.atomic
def condition_create(
    *,
    track: Track,
    text: str,
    stated_on: date,
    kind: str = Condition.Kind.PRECONDITION,
    status: str = Condition.Status.PENDING,
    resolved_on: date | None = None,
    user: AbstractBaseUser | None = None,
) -> Condition:
    condition = Condition(
        track=track, text=text, stated_on=stated_on, kind=kind, status=status, resolved_on=resolved_on
    )
    _validate_condition(condition)
    _set_history_user(condition, user)
    condition.save()
    return condition


@transaction.atomic
def condition_update(*, condition_id: int, user: AbstractBaseUser | None = None, **fields) -> Condition:
    """Change a condition's text, kind or status (met / withdrawn need a date; pending clears it)."""
    condition = Condition.objects.select_for_update().get(pk=condition_id)
    for name, value in fields.items():
        if name not in {"text", "kind", "status", "stated_on", "resolved_on"}:
            raise TypeError(f"condition_update() got an unexpected field {name!r}")
        setattr(condition, name, value)
    _validate_condition(condition)
    _set_history_user(condition, user)
    condition.save()
    return condition


def conditions_for_texts(*, track: Track, texts: list[str], stated_on: date, user=None) -> list[Condition]:
    """The track's conditions with these texts (case-insensitive), creating pending preconditions as needed."""
    conditions = []
    for text in (t.strip() for t in texts):
        if not text:
            continue
        existing = Condition.objects.filter(track=track, text__iexact=text).first()
        conditions.append(existing or condition_create(track=track, text=text, stated_on=stated_on, user=user))
    return conditions


def _validate_sources(sources: list[Article]) -> None:
    if not sources:
        raise ValidationError({"sources": "Add at least one source: an article already stored or a URL."})
    blocked = [a for a in sources if a.outlet.review_status == Outlet.ReviewStatus.BLOCKED]
    if blocked:
        names = ", ".join(f"{a.outlet.name} ({a.outlet.domain})" for a in blocked)
        raise ValidationError({"sources": f"Source from a blocked outlet: {names}. Cite another outlet."})


def _validate_statement(statement: Statement, *, sources: list[Article], conditions: list[Condition]) -> None:
    errors: dict[str, list[str]] = {}
    if statement.track_id and statement.track.donor_id == statement.track.recipient_id:
        errors.setdefault("track", []).append("Donor and recipient must be different countries.")
    if statement.stated_on and statement.stated_on > timezone.localdate():
        errors.setdefault("stated_on", []).append(
            f"The date {statement.stated_on:%Y-%m-%d} is in the future: statements record what was already said."
        )
    if not (statement.quote or "").strip():
        errors.setdefault("quote", []).append("Quote the statement: the exact words are the evidence.")
    if not (statement.speaker or "").strip():
        errors.setdefault("speaker", []).append("Name the speaker (a person, office or 'unnamed officials').")
    foreign = [c for c in conditions if c.track_id != statement.track_id]
    if foreign:
        errors.setdefault("conditions", []).append(
            "Conditions must belong to the same track: " + "; ".join(c.text for c in foreign)
        )
    try:
        _validate_sources(sources)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    statement.full_clean()


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
    new_conditions: list[str] | None = None,
) -> Statement:
    """Create a statement (published by default). `new_conditions`: texts of conditions to add to the track."""
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
    _set_history_user(statement, user)
    _validate_statement(statement, sources=sources, conditions=conditions or [])
    conditions = list(conditions or []) + conditions_for_texts(
        track=track, texts=new_conditions or [], stated_on=stated_on, user=user
    )
    statement.save()
    statement.sources.set(sources)
    statement.conditions.set(conditions)
    alerts.shift_alert_record(statement=statement)
    return statement


@transaction.atomic
def statement_update(
    *,
    statement_id: int,
    expected_version: int,
    user: AbstractBaseUser | None = None,
    sources: list[Article] | None = None,
    conditions: list[Condition] | None = None,
    new_conditions: list[str] | None = None,
    **fields,
) -> Statement:
    """Save an editor's changes if nobody saved in between (optimistic locking on `version`).

    The row is locked while comparing, so two concurrent saves of the same version cannot both pass:
    the second one waits, then sees the bumped version and raises StatementConflict.
    """
    statement = Statement.objects.select_for_update().select_related("track").get(pk=statement_id)
    if statement.version != expected_version:
        raise StatementConflict(statement, expected_version)
    if statement.status == Statement.Status.RETRACTED:
        raise ValidationError("A retracted statement cannot be edited.")
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise TypeError(f"statement_update() got an unexpected field {name!r}")
        setattr(statement, name, value if name != "weapons" else list(value or []))
    current_sources = list(statement.sources.all())
    current_conditions = list(statement.conditions.all())
    wanted_sources = current_sources if sources is None else list(sources)
    wanted_conditions = current_conditions if conditions is None else list(conditions)
    _validate_statement(statement, sources=wanted_sources, conditions=wanted_conditions)
    added = conditions_for_texts(
        track=statement.track, texts=new_conditions or [], stated_on=statement.stated_on, user=user
    )
    wanted_conditions += [c for c in added if c not in wanted_conditions]
    statement.version += 1
    if statement.status == Statement.Status.PUBLISHED:
        statement.reviewed_by = user or statement.reviewed_by
    _set_history_user(statement, user)
    statement.save()
    # Only touch the m2m tables when they change: each set() writes another history row.
    if set(wanted_sources) != set(current_sources):
        statement.sources.set(wanted_sources)
    if set(wanted_conditions) != set(current_conditions):
        statement.conditions.set(wanted_conditions)
    alerts.shift_alert_record(statement=statement)
    return statement


@transaction.atomic
def statement_retract(
    *, statement_id: int, reason: str, user: AbstractBaseUser | None = None, expected_version: int | None = None
) -> Statement:
    """Take a statement off the line, keeping it (and its history) with the reason."""
    if not reason.strip():
        raise ValidationError({"retraction_reason": "Say why the statement is retracted."})
    statement = Statement.objects.select_for_update().get(pk=statement_id)
    if expected_version is not None and statement.version != expected_version:
        raise StatementConflict(statement, expected_version)
    if statement.status == Statement.Status.RETRACTED:
        return statement  # a double submit retracts once
    statement.status = Statement.Status.RETRACTED
    statement.retraction_reason = reason.strip()
    statement.version += 1
    _set_history_user(statement, user)
    statement.full_clean()
    statement.save()
    alerts.retraction_alert_record(statement=statement)
    return statement


@transaction.atomic
def statement_add_source(*, statement_id: int, article: Article, user: AbstractBaseUser | None = None) -> Statement:
    """Add one more evidence article to a statement (e.g. a syndicated or later report of it)."""
    statement = Statement.objects.select_for_update().get(pk=statement_id)
    if statement.sources.filter(pk=article.pk).exists():
        return statement
    _validate_sources([article])
    statement.version += 1
    _set_history_user(statement, user)
    statement.save(update_fields=["version", "updated_at"])
    statement.sources.add(article)
    return statement


def article_for_url(*, url: str) -> Article:
    """The stored article for `url`, or a new one fetched, extracted and analysed now.

    Raises ValidationError for a blocked outlet (without fetching) and lets the fetcher's
    `FetchError` through so the form can say what went wrong.
    """
    existing = Article.objects.select_related("outlet").filter(canonical_url_hash=url_hash(url)).first()
    if existing:
        return existing
    outlet = Outlet.objects.filter(domain=registrable_domain(url)).first()
    if outlet and outlet.review_status == Outlet.ReviewStatus.BLOCKED:
        raise ValidationError({"sources": f"Source from a blocked outlet: {outlet.name} ({outlet.domain})."})
    from tracker.ingest.services import ingest_url

    article = ingest_url(url=url)
    if article.status == Article.Status.FAILED:
        raise ValidationError({"sources": f"Could not fetch {url}: {article.error or 'the fetch failed'}."})
    return article
