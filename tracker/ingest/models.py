"""Near-duplicate index: MinHash LSH bands persisted in PostgreSQL so every worker process sees them."""

from django.db import models


class NearDuplicateBand(models.Model):
    """One LSH band of an article's MinHash signature. Two articles sharing any band key are candidates.

    `key` folds the band number and the band's hash values into one signed 64-bit integer, so a lookup
    is `key IN (<one key per band>)` on a b-tree index: its cost grows with log(rows), not with rows.
    """

    article = models.ForeignKey("sources.Article", on_delete=models.CASCADE, related_name="near_duplicate_bands")
    band = models.PositiveSmallIntegerField()
    key = models.BigIntegerField()

    class Meta:
        constraints = [
            # index_article() is idempotent: a second run inserts nothing.
            models.UniqueConstraint(fields=["article", "band"], name="neardup_unique_article_band"),
        ]
        indexes = [
            # find_duplicate(): candidates whose band keys equal the new article's.
            models.Index(fields=["key"], name="neardup_band_key_idx"),
        ]

    def __str__(self) -> str:
        return f"article {self.article_id} band {self.band}: {self.key}"
