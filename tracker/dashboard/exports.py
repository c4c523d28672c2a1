"""Export rows in the contract's shapes (DESIGN.md §1) and write them as JSON or CSV.

Each `*_export_rows` is a selector: a fixed number of queries, plain dicts out.
"""

import csv
import json
from collections.abc import Iterable
from typing import IO

from django.db.models import Prefetch, QuerySet

from tracker.review.models import Suggestion
from tracker.sources.models import Article
from tracker.stances.models import Condition, Statement

STATEMENT_FIELDS = [
    "donor",
    "recipient",
    "level",
    "scope",
    "stated_on",
    "speaker",
    "certainty",
    "quote",
    "sources",
    "conditions",
    "weapons",
]
SUGGESTION_FIELDS = [
    "article_url",
    "outlet",
    "published_at",
    "donor",
    "recipient",
    "level",
    "scope",
    "evidence",
    "confidence",
    "status",
]
ARTICLE_FIELDS = ["url", "canonical_url", "outlet", "title", "published_at", "language", "status", "duplicate_of"]


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def statements_export_rows(statements: QuerySet[Statement] | None = None) -> list[dict]:
    """Published statements (or the given queryset), oldest first."""
    if statements is None:
        statements = Statement.objects.filter(status=Statement.Status.PUBLISHED)
    statements = statements.select_related("track", "level", "scope").prefetch_related(
        Prefetch("sources", to_attr="source_list"),
        Prefetch("conditions", queryset=Condition.objects.order_by("stated_on"), to_attr="condition_list"),
    )
    return [
        {
            "donor": s.track.donor_id,
            "recipient": s.track.recipient_id,
            "level": s.level.code,
            "scope": s.scope.code if s.scope_id else None,
            "stated_on": s.stated_on.isoformat(),
            "speaker": s.speaker,
            "certainty": s.certainty,
            "quote": s.quote,
            "sources": [a.url for a in s.source_list],
            "conditions": [c.text for c in s.condition_list],
            "weapons": list(s.weapons),
        }
        for s in statements.order_by("stated_on", "id")
    ]


def suggestions_export_rows(suggestions: QuerySet[Suggestion] | None = None) -> list[dict]:
    if suggestions is None:
        suggestions = Suggestion.objects.all()
    suggestions = suggestions.select_related("article__outlet", "level", "scope")
    return [
        {
            "article_url": s.article.url,
            "outlet": s.article.outlet.name,
            "published_at": _iso(s.article.published_at),
            "donor": s.donor_id,
            "recipient": s.recipient_id,
            "level": s.level.code,
            "scope": s.scope.code if s.scope_id else None,
            "evidence": s.evidence,
            "confidence": round(s.confidence, 3),
            "status": s.status,
        }
        for s in suggestions.order_by("created_at", "id")
    ]


def articles_export_rows(articles: QuerySet[Article] | None = None) -> list[dict]:
    if articles is None:
        articles = Article.objects.all()
    articles = articles.select_related("outlet", "duplicate_of")
    return [
        {
            "url": a.url,
            "canonical_url": a.canonical_url,
            "outlet": a.outlet.name,
            "title": a.title,
            "published_at": _iso(a.published_at),
            "language": a.language,
            "status": a.status,
            "duplicate_of": a.duplicate_of.url if a.duplicate_of_id else None,
        }
        for a in articles.order_by("created_at", "id")
    ]


EXPORTS = {
    "statements": (statements_export_rows, STATEMENT_FIELDS),
    "suggestions": (suggestions_export_rows, SUGGESTION_FIELDS),
    "articles": (articles_export_rows, ARTICLE_FIELDS),
}


def write_json(rows: list[dict], out: IO[str]) -> None:
    out.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")


def write_csv(rows: Iterable[dict], fields: list[str], out: IO[str]) -> None:
    """One row per record; list fields are joined with " | " so the file stays one table."""
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: " | ".join(v) if isinstance(v, list) else v for k, v in row.items()})
