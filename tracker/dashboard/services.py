"""Writes of the dashboard app: only the feed token."""

import secrets

from django.db import transaction

from tracker.dashboard.models import FeedToken


@transaction.atomic
def feed_token_rotate(*, user) -> FeedToken:
    """Create the user's feed token, or replace its key (the old feed URL stops working)."""
    key = secrets.token_urlsafe(32)
    token, created = FeedToken.objects.get_or_create(user=user, defaults={"key": key})
    if not created:
        token.key = key
        token.full_clean()
        token.save(update_fields=["key", "updated_at"])
    return token


def feed_token_user(*, key: str):
    """The active user a feed key belongs to, if that user may read statements; else None."""
    token = FeedToken.objects.select_related("user").filter(key=key).first()
    if token is None or not token.user.is_active:
        return None
    if not token.user.has_perms(["stances.view_statement", "stances.view_track"]):
        return None
    return token.user
