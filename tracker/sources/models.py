"""Outlets, their feeds, and the articles fetched from them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from tracker.common import TimeStampedModel


class Outlet(TimeStampedModel):
    """A publisher, keyed by its registrable domain, reviewed by a source admin."""

    class ReviewStatus(models.TextChoices):
        PENDING = "pending", "Pending review"
        APPROVED = "approved", "Approved"
        BLOCKED = "blocked", "Blocked"

    class Reliability(models.TextChoices):
        # Admiralty scale for source reliability.
        A = "A", "A · Completely reliable"
        B = "B", "B · Usually reliable"
        C = "C", "C · Fairly reliable"
        D = "D", "D · Not usually reliable"
        E = "E", "E · Unreliable"
        F = "F", "F · Cannot be judged"

    domain = models.CharField(max_length=253, unique=True)
    name = models.CharField(max_length=200)
    country = models.ForeignKey("stances.Country", on_delete=models.SET_NULL, null=True, blank=True)
    review_status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    reliability = models.CharField(max_length=1, choices=Reliability.choices, default=Reliability.F)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["review_status", "name"], name="outlet_review_status_idx")]

    def __str__(self) -> str:
        return self.name


class Feed(TimeStampedModel):
    """An RSS/Atom feed polled on its own adaptive schedule."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        OK = "ok", "OK"
        ERROR = "error", "Error (retrying)"
        FAILING = "failing", "Failing"
        PAUSED = "paused", "Paused"

    url = models.URLField(max_length=1000, unique=True)
    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="feeds")
    title = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    poll_interval_minutes = models.PositiveIntegerField(default=60)
    next_poll_at = models.DateTimeField(null=True, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    failure_score = models.FloatField(default=0, help_text="Weighted failures: hard 1, soft 0.5, transient 0.25.")
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    items_last_poll = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    parse_warning = models.TextField(blank=True, help_text="What the feed parser complained about last time.")
    # Per-feed lease: a poll claims the feed with a conditional UPDATE and clears it when done, so one
    # poll is in flight per feed; a crashed poll's lease simply expires.
    poll_claimed_until = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["poll_claimed_until"])

    class Meta:
        ordering = ["outlet__name", "url"]
        indexes = [
            # Beat tick: active feeds whose next poll is due.
            models.Index(fields=["status", "next_poll_at"], name="feed_due_idx"),
        ]

    def __str__(self) -> str:
        return self.url


class Article(TimeStampedModel):
    """A fetched (or merely cited) news article and where it is in the pipeline."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        EXTRACTED = "extracted", "Extracted"
        ANALYSED = "analysed", "Analysed"
        DUPLICATE = "duplicate", "Duplicate"
        REJECTED = "rejected", "Rejected"
        FAILED = "failed", "Failed"
        REFERENCE = "reference", "Reference only (not fetched)"

    class Triage(models.TextChoices):
        """An analysed article that names arms and two countries but yielded no suggestion waits for an
        editor's look (/review/articles/): the detector misses stances, an editor need not."""

        NONE = "", "Not needed"
        PENDING = "pending", "Awaiting an editor's look"
        DISMISSED = "dismissed", "Looked at: no stance"

    url = models.URLField(max_length=2000)
    canonical_url = models.URLField(max_length=2000)
    canonical_url_hash = models.CharField(max_length=64, help_text="sha256 of canonical_url")
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="articles")
    feed = models.ForeignKey(Feed, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles")
    title = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    text = models.TextField(blank=True)
    language = models.CharField(max_length=8, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    fetched_at = models.DateTimeField(null=True, blank=True)
    triage = models.CharField(
        max_length=12, choices=Triage.choices, default=Triage.NONE, db_default=Triage.NONE, blank=True
    )
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["canonical_url_hash"], name="article_unique_canonical_url_hash"),
        ]
        indexes = [
            # Exact-duplicate lookup by normalised text hash.
            models.Index(fields=["content_hash"], name="article_content_hash_idx", condition=~Q(content_hash="")),
            # Admin and pipeline views: newest articles in a status.
            models.Index(fields=["status", "-created_at"], name="article_status_created_idx"),
            # Editors' list of articles without signals, in the list's own order: those awaiting a look
            # newest first (an undated one by when it was fetched; SQLite has no NULLS LAST in indexes),
            # and those marked as no stance latest decision first.
            models.Index(
                Coalesce("published_at", "created_at").desc(),
                F("id").desc(),
                name="article_triage_pending_idx",
                condition=Q(triage="pending"),
            ),
            models.Index(
                fields=["-triaged_at", "-id"], name="article_triage_dismissed_idx", condition=Q(triage="dismissed")
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url
