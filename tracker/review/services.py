"""Writes for the review queue: accept, reject, mark duplicate, bulk reject; and following countries.

Every decision first *claims* the suggestion with a conditional UPDATE (`status = pending` in the
WHERE clause) inside the transaction, so a double submit or two editors clicking at once decide it
exactly once; the loser gets SuggestionAlreadyDecided. If anything after the claim fails (e.g. the
statement does not validate) the transaction rolls the claim back and the suggestion stays pending.
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tracker.review.models import Follow, Suggestion
from tracker.review.selectors import suggestion_stated_on
from tracker.sources.models import Article
from tracker.stances import services as stance_services
from tracker.stances.models import Statement


class SuggestionAlreadyDecided(Exception):
    def __init__(self, suggestion: Suggestion):
        self.suggestion = suggestion
        who = suggestion.reviewed_by.get_username() if suggestion.reviewed_by else "someone"
        super().__init__(f"This suggestion was already {suggestion.get_status_display().lower()} by {who}.")


def _claim(*, suggestion_id: int, status: str, user: AbstractBaseUser | None, reason: str = "", **extra) -> Suggestion:
    claimed = Suggestion.objects.filter(pk=suggestion_id, status=Suggestion.Status.PENDING).update(
        status=status, reviewed_by=user, reviewed_at=timezone.now(), review_reason=reason, **extra
    )
    suggestion = Suggestion.objects.select_related("article__outlet", "reviewed_by").get(pk=suggestion_id)
    if not claimed:
        raise SuggestionAlreadyDecided(suggestion)
    return suggestion


def _condition_texts(raw: list[Any]) -> list[str]:
    """The detector stores conditions as strings (or dicts with a "text"); keep the non-empty texts."""
    texts = []
    for item in raw or []:
        text = item.get("text", "") if isinstance(item, dict) else str(item)
        if text.strip():
            texts.append(text.strip()[:500])
    return texts


def suggestion_statement_initial(suggestion: Suggestion) -> dict[str, Any]:
    """What accepting would publish: the statement form's initial data (no writes)."""
    certainty = suggestion.certainty if suggestion.certainty in Statement.Certainty.values else ""
    if not certainty:
        certainty = Statement.Certainty.ON_RECORD if suggestion.speaker else Statement.Certainty.MEDIA_REPORT
    return {
        "donor": suggestion.donor_id,
        "recipient": suggestion.recipient_id,
        "level": suggestion.level_id,
        "scope": suggestion.scope_id,
        "stated_on": suggestion_stated_on(suggestion),
        "speaker": suggestion.speaker or f"As reported by {suggestion.article.outlet.name}",
        "speaker_role": "",
        "certainty": certainty,
        "quote": suggestion.evidence,
        "channel": Statement.Channel.DIRECT,
        "weapons": list(suggestion.weapons or []),
        "new_conditions": _condition_texts(suggestion.conditions),
        "source_urls": [suggestion.article.url],
    }


@transaction.atomic
def suggestion_accept(
    *, suggestion_id: int, user: AbstractBaseUser, statement_fields: dict[str, Any] | None = None
) -> Statement:
    """Publish a statement from a suggestion: as detected, or with the editor's edits (`statement_fields`,
    keyword arguments for `statement_create`, plus `new_conditions`: texts of conditions to add)."""
    suggestion = _claim(suggestion_id=suggestion_id, status=Suggestion.Status.ACCEPTED, user=user)
    if statement_fields is None:
        initial = suggestion_statement_initial(suggestion)
        track = stance_services.track_get_or_create(donor=suggestion.donor_id, recipient=suggestion.recipient_id)
        statement_fields = {
            "track": track,
            "level": suggestion.level,
            "scope": suggestion.scope,
            "stated_on": initial["stated_on"],
            "speaker": initial["speaker"],
            "certainty": initial["certainty"],
            "quote": initial["quote"],
            "weapons": initial["weapons"],
            "sources": [suggestion.article],
            "new_conditions": initial["new_conditions"],
        }
    fields = {**statement_fields, "status": Statement.Status.PUBLISHED, "user": user}
    statement = stance_services.statement_create(**fields)
    Suggestion.objects.filter(pk=suggestion.pk).update(statement=statement)
    return statement


@transaction.atomic
def suggestion_reject(*, suggestion_id: int, user: AbstractBaseUser, reason: str) -> Suggestion:
    if not reason.strip():
        raise ValidationError({"reason": "Say why the suggestion is rejected (e.g. 'not about arms aid')."})
    return _claim(suggestion_id=suggestion_id, status=Suggestion.Status.REJECTED, user=user, reason=reason.strip())


@transaction.atomic
def suggestion_mark_duplicate(*, suggestion_id: int, statement_id: int, user: AbstractBaseUser) -> Statement:
    """The suggestion restates an existing statement: its article becomes extra evidence for that one."""
    statement = Statement.objects.filter(pk=statement_id).exclude(status=Statement.Status.RETRACTED).first()
    if statement is None:
        raise ValidationError({"statement": "Choose a statement that exists and is not retracted."})
    suggestion = _claim(
        suggestion_id=suggestion_id,
        status=Suggestion.Status.DUPLICATE,
        user=user,
        reason=f"Duplicate of statement #{statement_id}",
        statement_id=statement_id,
    )
    return stance_services.statement_add_source(statement_id=statement_id, article=suggestion.article, user=user)


@transaction.atomic
def suggestions_bulk_reject(*, suggestion_ids: list[int], user: AbstractBaseUser, reason: str) -> int:
    """Reject every still-pending suggestion among `suggestion_ids` with one reason; returns how many."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why these suggestions are rejected."})
    return Suggestion.objects.filter(pk__in=suggestion_ids, status=Suggestion.Status.PENDING).update(
        status=Suggestion.Status.REJECTED, reviewed_by=user, reviewed_at=timezone.now(), review_reason=reason.strip()
    )


def articles_dismiss(*, article_ids: list[int], user: AbstractBaseUser) -> int:
    """Mark articles awaiting an editor's look as looked at, no stance (who and when are kept).
    Returns how many changed."""
    return _articles_triage(article_ids, user, Article.Triage.PENDING, Article.Triage.DISMISSED)


def articles_restore(*, article_ids: list[int], user: AbstractBaseUser) -> int:
    """Put articles marked as no stance back on the list awaiting a look. Returns how many changed."""
    return _articles_triage(article_ids, user, Article.Triage.DISMISSED, Article.Triage.PENDING)


def _articles_triage(article_ids: list[int], user: AbstractBaseUser, current: str, new: str) -> int:
    return Article.objects.filter(pk__in=article_ids, triage=current).update(
        triage=new, triaged_by=user, triaged_at=timezone.now()
    )


@transaction.atomic
def follow_set(*, user: AbstractBaseUser, country_code: str, follow: bool) -> bool:
    """Follow or unfollow a country; idempotent. Returns whether the user now follows it."""
    if follow:
        Follow.objects.get_or_create(user=user, country_id=country_code)
    else:
        Follow.objects.filter(user=user, country_id=country_code).delete()
    return follow
