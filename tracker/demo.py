"""`load_demo`: reference data, roles, demo users, the curated tracks, and sample articles
run through the real ingestion pipeline. Idempotent: a second run changes nothing."""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from tracker import demo_data, roles
from tracker.sources.services import article_reference_get_or_create
from tracker.stances import services as stances
from tracker.stances.models import Condition, Event, Statement, WeaponCategory
from tracker.stances.seeding import seed_reference_data


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def demo_users_ensure() -> None:
    User = get_user_model()
    for username, password, role, is_staff in demo_data.DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.org"})
        if not user.check_password(password) or user.is_staff != is_staff:
            user.set_password(password)
            user.is_staff = is_staff
            user.save()
        user.groups.add(Group.objects.get(name=role))


def demo_events_ensure() -> dict[str, Event]:
    events = {}
    for key, occurred_on, title, countries, description in demo_data.EVENTS:
        event = Event.objects.filter(occurred_on=_d(occurred_on), title=title).first()
        if event is None:
            event = stances.event_create(
                occurred_on=_d(occurred_on), title=title, countries=countries, description=description
            )
        events[key] = event
    return events


def demo_tracks_ensure(events: dict[str, Event]) -> int:
    created = 0
    for (donor, recipient), spec in demo_data.TRACKS.items():
        track = stances.track_get_or_create(donor=donor, recipient=recipient)
        conditions = {}
        for key, text, kind, status, stated_on, resolved_on in spec["conditions"]:
            condition = Condition.objects.filter(track=track, text=text).first()
            if condition is None:
                condition = stances.condition_create(
                    track=track,
                    text=text,
                    kind=kind,
                    status=status,
                    stated_on=_d(stated_on),
                    resolved_on=_d(resolved_on),
                )
            conditions[key] = condition
        for row in spec["statements"]:
            (stated_on, level, scope, speaker, role, certainty, channel, quote, weapons, cond_keys, event_key, url) = (
                row
            )
            scope_obj = WeaponCategory.objects.get(code=scope) if scope else None
            if Statement.objects.filter(
                track=track, stated_on=_d(stated_on), speaker=speaker, scope=scope_obj
            ).exists():
                continue
            source = article_reference_get_or_create(
                url=url, title=url.rsplit("/", 1)[-1].replace("_", " "), outlet_name="Wikipedia (reference)"
            )
            stances.statement_create(
                track=track,
                level=stances.level_by_code(level),
                scope=scope_obj,
                stated_on=_d(stated_on),
                speaker=speaker,
                speaker_role=role,
                certainty=certainty,
                channel=channel,
                quote=quote,
                weapons=weapons,
                conditions=[conditions[k] for k in cond_keys],
                trigger_event=events[event_key] if event_key else None,
                sources=[source],
            )
            created += 1
    return created


@transaction.atomic
def demo_curated_load() -> int:
    seed_reference_data()
    roles.sync_roles()
    demo_users_ensure()
    events = demo_events_ensure()
    return demo_tracks_ensure(events)


def demo_articles_load() -> str:
    """Serve the bundled sample pages on loopback and run them through the ingestion pipeline."""
    return "Sample articles: not wired yet."
