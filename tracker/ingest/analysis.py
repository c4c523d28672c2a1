"""Stance signals → pending Suggestions for the review queue."""

import threading

from django.db import transaction

from tracker.ingest.detector import DETECTOR_VERSION, AliasTable, Signal, detect
from tracker.review.models import Suggestion
from tracker.sources.models import Article, Outlet
from tracker.stances import reference
from tracker.stances.models import Country, StanceLevel, WeaponCategory

# The detector's lexicon is English; other languages would only produce noise.
ANALYSED_LANGUAGES = {"en", "und", ""}

_alias_lock = threading.Lock()
_alias_table: AliasTable | None = None


def alias_table() -> AliasTable:
    """Country aliases from the database (editable in the admin) plus the reference table, built once
    per process. `reset_alias_table()` after editing aliases in a long-running process."""
    global _alias_table
    with _alias_lock:
        if _alias_table is None:
            table: dict[str, set[str]] = {}
            for code, name, aliases in Country.objects.values_list("code", "name", "aliases"):
                table[code] = {name, *aliases}
            for code, aliases in reference.COUNTRY_ALIASES.items():
                if code in table:
                    table[code].update(aliases)
            _alias_table = AliasTable.from_mapping(table)
        return _alias_table


def reset_alias_table() -> None:
    global _alias_table
    with _alias_lock:
        _alias_table = None


def signals_for(*, article: Article) -> list[Signal]:
    """The detector's signals for an article (no writes)."""
    return detect(text=article.text, title=article.title, aliases=alias_table())


def _skip(article: Article) -> bool:
    return (
        article.duplicate_of_id is not None
        or article.status == Article.Status.DUPLICATE
        or article.outlet.review_status == Outlet.ReviewStatus.BLOCKED
        or not article.text.strip()
        or article.language not in ANALYSED_LANGUAGES
    )


@transaction.atomic
def analyse_article(*, article: Article) -> list[Suggestion]:
    """One pending Suggestion per (donor, recipient, scope) the detector finds; none for duplicates,
    blocked outlets or non-English text. Idempotent: a second run returns the same rows."""
    if _skip(article):
        return []
    signals = signals_for(article=article)
    if not signals:
        return []
    levels = {level.code: level for level in StanceLevel.objects.filter(codebook__is_current=True)}
    scopes = {category.code: category for category in WeaponCategory.objects.all()}
    known = set(
        Country.objects.filter(code__in={s.donor for s in signals} | {s.recipient for s in signals}).values_list(
            "code", flat=True
        )
    )
    suggestions = []
    for signal in signals:
        level = levels.get(signal.level)
        if level is None or signal.donor not in known or signal.recipient not in known:
            continue
        scope = scopes.get(signal.scope) if signal.scope else None
        suggestion, _ = Suggestion.objects.get_or_create(
            article=article,
            donor_id=signal.donor,
            recipient_id=signal.recipient,
            scope=scope,
            detector_version=DETECTOR_VERSION,
            defaults={
                "level": level,
                "evidence": signal.evidence,
                "reason": signal.reason,
                "confidence": signal.confidence,
                "certainty": signal.certainty,
                "weapons": list(signal.weapons),
                "conditions": list(signal.conditions),
                "speaker": signal.speaker[:200],
            },
        )
        suggestions.append(suggestion)
    return suggestions
