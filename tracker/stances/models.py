"""Countries, the versioned stance codebook, weapon categories, tracks, statements, conditions, events."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from tracker.common import TimeStampedModel


class Country(models.Model):
    """An ISO 3166 country. `aliases` holds names, demonyms, capitals and leaders' titles for detection."""

    code = models.CharField("ISO alpha-3", max_length=3, primary_key=True)
    alpha2 = models.CharField("ISO alpha-2", max_length=2, unique=True)
    name = models.CharField(max_length=100)
    aliases = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CodebookVersion(models.Model):
    """One version of the ordinal codebook; exactly one is current."""

    version = models.CharField(max_length=20, unique=True)
    published_on = models.DateField()
    changelog = models.TextField(blank=True)
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["-published_on"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_codebook"),
        ]

    def __str__(self) -> str:
        return f"Codebook {self.version}"


class StanceLevel(models.Model):
    """A rung on the ordinal codebook: 0 rules out military aid … 6 lethal aid delivered."""

    codebook = models.ForeignKey(CodebookVersion, on_delete=models.PROTECT, related_name="levels")
    rank = models.PositiveSmallIntegerField()
    code = models.SlugField(max_length=40)
    label = models.CharField(max_length=80)
    description = models.TextField(blank=True, help_text="Typical wording that places a statement here.")
    color = models.CharField(max_length=7, help_text="Hex colour; the default palette reads in order.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["codebook", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["codebook", "rank"], name="stancelevel_unique_rank_per_codebook"),
            models.UniqueConstraint(fields=["codebook", "code"], name="stancelevel_unique_code_per_codebook"),
        ]

    def __str__(self) -> str:
        return f"{self.rank} · {self.label}"


class WeaponCategory(models.Model):
    """A scope: the class of weapon a statement is about (tanks, air defence, …)."""

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=80)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["label"]
        verbose_name_plural = "weapon categories"

    def __str__(self) -> str:
        return self.label


class Track(TimeStampedModel):
    """One donor → recipient pair; its line is the sequence of its published statements."""

    donor = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="tracks_as_donor")
    recipient = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="tracks_as_recipient")

    class Meta:
        ordering = ["donor__name", "recipient__name"]
        constraints = [
            models.UniqueConstraint(fields=["donor", "recipient"], name="track_unique_donor_recipient"),
            models.CheckConstraint(condition=~Q(donor=F("recipient")), name="track_donor_not_recipient"),
        ]
        indexes = [
            # Overview: every donor's track towards one recipient.
            models.Index(fields=["recipient", "donor"], name="track_recipient_donor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.donor_id} → {self.recipient_id}"


class Event(TimeStampedModel):
    """A trigger event drawn on timelines, e.g. "DPRK troops deployed to Russia"."""

    occurred_on = models.DateField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    countries = models.ManyToManyField(Country, related_name="events", blank=True)
    source_url = models.URLField(max_length=1000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[countries])

    class Meta:
        ordering = ["occurred_on"]
        indexes = [models.Index(fields=["occurred_on"], name="event_occurred_on_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_on:%Y-%m-%d} {self.title}"


class Condition(TimeStampedModel):
    """A red line or precondition a donor has attached to a track."""

    class Kind(models.TextChoices):
        RED_LINE = "red_line", "Red line"
        PRECONDITION = "precondition", "Precondition"
        LEGAL = "legal", "Legal barrier"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        MET = "met", "Met"
        WITHDRAWN = "withdrawn", "Withdrawn"

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="conditions")
    text = models.CharField(max_length=500)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PRECONDITION)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    stated_on = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["stated_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("stated_on")),
                name="condition_resolved_after_stated",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Statement(TimeStampedModel):
    """Who said what, when, and how firmly: one coded point on a track."""

    class Certainty(models.TextChoices):
        ON_RECORD = "on_record", "On record"
        ATTRIBUTED = "attributed", "Attributed to unnamed officials"
        MEDIA_REPORT = "media_report", "Media report"

    class Channel(models.TextChoices):
        DIRECT = "direct", "Direct"
        INDIRECT = "indirect", "Indirect (via a third country)"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETRACTED = "retracted", "Retracted"

    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="statements")
    level = models.ForeignKey(StanceLevel, on_delete=models.PROTECT, related_name="statements")
    scope = models.ForeignKey(
        WeaponCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        help_text="Leave empty for the track's overall stance.",
    )
    stated_on = models.DateField()
    speaker = models.CharField(max_length=200)
    speaker_role = models.CharField(max_length=200, blank=True)
    certainty = models.CharField(max_length=20, choices=Certainty.choices, default=Certainty.ON_RECORD)
    quote = models.TextField()
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.DIRECT)
    weapons = models.JSONField(default=list, blank=True, help_text="Items named, e.g. 155mm shells.")
    conditions = models.ManyToManyField(Condition, related_name="statements", blank=True)
    trigger_event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="triggered_statements"
    )
    sources = models.ManyToManyField("sources.Article", related_name="statements", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    retraction_reason = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every save; optimistic locking.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[conditions, sources])

    class Meta:
        ordering = ["stated_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="retracted") | ~Q(retraction_reason=""),
                name="statement_retraction_has_reason",
            ),
        ]
        indexes = [
            # Timeline: a track's published points in date order.
            models.Index(fields=["track", "status", "stated_on"], name="statement_track_timeline_idx"),
            # Recent shifts: published statements across tracks by date.
            models.Index(fields=["status", "stated_on"], name="statement_status_date_idx"),
        ]

    def __str__(self) -> str:
        scope = f" [{self.scope.code}]" if self.scope_id else ""
        return f"{self.track}{scope} {self.stated_on:%Y-%m-%d}: {self.level.code}"
