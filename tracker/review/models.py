"""Machine suggestions waiting for an editor."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from tracker.common import TimeStampedModel


class Suggestion(TimeStampedModel):
    """A stance signal the detector found in an article: evidence, level, confidence, and why."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        DUPLICATE = "duplicate", "Duplicate of a statement"

    article = models.ForeignKey("sources.Article", on_delete=models.CASCADE, related_name="suggestions")
    donor = models.ForeignKey("stances.Country", on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey("stances.Country", on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey("stances.StanceLevel", on_delete=models.PROTECT, related_name="suggestions")
    scope = models.ForeignKey("stances.WeaponCategory", on_delete=models.PROTECT, null=True, blank=True)
    certainty = models.CharField(max_length=20, blank=True)
    evidence = models.TextField(help_text="The sentence the level was read from.")
    reason = models.TextField(blank=True, help_text="The detector's explanation: which cue, which words.")
    weapons = models.JSONField(default=list, blank=True)
    conditions = models.JSONField(default=list, blank=True)
    speaker = models.CharField(max_length=200, blank=True)
    confidence = models.FloatField()
    detector_version = models.CharField(max_length=20)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.TextField(blank=True)
    statement = models.ForeignKey(
        "stances.Statement", on_delete=models.SET_NULL, null=True, blank=True, related_name="suggestions"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "donor", "recipient", "scope", "detector_version"],
                name="suggestion_unique_per_article_pair_scope",
            ),
            # NULL scopes are distinct in a plain unique constraint, so the overall line needs its own.
            models.UniqueConstraint(
                fields=["article", "donor", "recipient", "detector_version"],
                condition=Q(scope__isnull=True),
                name="suggestion_unique_per_article_pair_overall",
            ),
            models.CheckConstraint(condition=Q(confidence__gte=0, confidence__lte=1), name="suggestion_confidence_0_1"),
        ]
        indexes = [
            # Review queue: pending suggestions, newest or most confident first.
            models.Index(fields=["status", "-created_at"], name="suggestion_queue_recent_idx"),
            models.Index(fields=["status", "-confidence"], name="suggestion_queue_confident_idx"),
            # Faint "signals not yet reviewed" markers on one track.
            models.Index(fields=["donor", "recipient", "status"], name="suggestion_track_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.donor_id} → {self.recipient_id}: {self.level.code} ({self.confidence:.2f})"


class Follow(models.Model):
    """A user following a country: they get an email when a track it is part of shifts."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    country = models.ForeignKey("stances.Country", on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["country__name"]
        constraints = [models.UniqueConstraint(fields=["user", "country"], name="follow_unique_user_country")]
        indexes = [
            # Alert fan-out: every follower of a donor or recipient.
            models.Index(fields=["country", "user"], name="follow_country_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.country_id}"


class ShiftAlert(models.Model):
    """One detected shift of a track's overall level; the unique key makes "one email per shift" hold."""

    class Kind(models.TextChoices):
        SHIFT = "shift", "New statement"
        RETRACTION = "retraction", "Statement retracted"

    statement = models.ForeignKey("stances.Statement", on_delete=models.CASCADE, related_name="shift_alerts")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SHIFT)
    from_level = models.ForeignKey("stances.StanceLevel", on_delete=models.PROTECT, related_name="+")
    to_level = models.ForeignKey("stances.StanceLevel", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0, help_text="How many followers were emailed.")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "from_level", "to_level"], name="shiftalert_unique_statement_shift"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement.track}: {self.from_level.code} → {self.to_level.code}"
