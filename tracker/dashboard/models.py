"""Dashboard-only state: the secret that lets a feed reader fetch one analyst's shift feed."""

from django.conf import settings
from django.db import models

from tracker.common import TimeStampedModel


class FeedToken(TimeStampedModel):
    """A per-user secret in the Atom feed URL (feed readers cannot log in).

    Whoever has the URL reads the feed, so it is shown only to its owner, can be reset (which revokes
    the old URL), and stops working as soon as the owner is deactivated or loses the read permission.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_token")
    key = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"Feed token of {self.user}"
