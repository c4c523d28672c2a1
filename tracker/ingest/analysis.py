"""Stance signals → pending Suggestions for the review queue."""

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from tracker.ingest.detector import (
    DETECTOR_VERSION,
    AliasTable,
    Signal,
    countries_near_arms,
    detect,
    mentions_arms_aid,
)
from tracker.review.models import Suggestion
from tracker.sources.models import Article, Outlet
from tracker.stances import reference
from tracker.stances.models import Country, StanceLevel, WeaponCategory

# The detector's lexicon is English; other languages would only produce noise.
ANALYSED_LANGUAGES = {"en", "und", ""}
# Reference data (aliases, codebook levels, weapon categories) is read once per process and kept this
# long: editing an alias or publishing a new codebook reaches running workers within this time (or at
# once with `reset_alias_table()`), instead of costing three queries per article.
REFERENCE_TTL_SECONDS = 60


@dataclass(frozen=True)
class _Reference:
    aliases: AliasTable
    countries: frozenset[str]
    levels: dict  # code -> StanceLevel of the current codebook
    scopes: dict  # code -> WeaponCategory
    loaded_at: float


_reference_lock = threading.Lock()
_reference: _Reference | None = None


def _load_reference() -> _Reference:
    table: dict[str, set[str]] = {}
    for code, name, aliases in Country.objects.values_list("code", "name", "aliases"):
        table[code] = {name, *aliases}
    for code, aliases in reference.COUNTRY_ALIASES.items():
        if code in table:
            table[code].update(aliases)
    return _Reference(
        aliases=AliasTable.from_mapping(table),
        countries=frozenset(table),
        levels={level.code: level for level in StanceLevel.objects.filter(codebook__is_current=True)},
        scopes={category.code: category for category in WeaponCategory.objects.all()},
        loaded_at=time.monotonic(),
    )


def _reference_data() -> _Reference:
    global _reference
    with _reference_lock:
        if _reference is None or time.monotonic() - _reference.loaded_at > REFERENCE_TTL_SECONDS:
            _reference = _load_reference()
        return _reference


def alias_table() -> AliasTable:
    """Country aliases from the database (editable in the admin) plus the reference table, built once
    per process (see REFERENCE_TTL_SECONDS). `reset_alias_table()` after editing aliases."""
    return _reference_data().aliases


def reset_alias_table() -> None:
    """Forget the cached reference data (aliases, levels, weapon categories); the next use reloads it."""
    global _reference
    with _reference_lock:
        _reference = None


def needs_editor_look(*, article: Article) -> bool:
    """An analysed article without signals that still names arms and two countries (see
    `Article.Triage`); never a duplicate, a blocked outlet's or one in a language we do not analyse."""
    return not _skip(article) and mentions_arms_aid(text=article.text, title=article.title, aliases=alias_table())


def countries_named_with_arms(*, article: Article, known: Iterable[str] = ()) -> list[str]:
    """Codes of the countries named in the article's sentences about arms, other than the `known` ones
    (see `countries_near_arms`)."""
    return countries_near_arms(text=article.text, title=article.title, aliases=alias_table(), known=known)


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


def suggestions_build(*, article: Article) -> list[Suggestion]:
    """The unsaved pending Suggestions for an article: one per (donor, recipient, scope) the detector
    finds; none for duplicates, blocked outlets or non-English text. No writes, and no queries once the
    per-process reference data is loaded."""
    if _skip(article):
        return []
    signals = signals_for(article=article)
    if not signals:
        return []
    ref = _reference_data()
    rows: dict[tuple, Suggestion] = {}
    for signal in signals:
        level = ref.levels.get(signal.level)
        if level is None or signal.donor not in ref.countries or signal.recipient not in ref.countries:
            continue
        scope = ref.scopes.get(signal.scope) if signal.scope else None
        key = (signal.donor, signal.recipient, scope.pk if scope else None)
        if key in rows:
            continue  # the first signal for a (donor, recipient, scope) wins, as the constraint would
        rows[key] = Suggestion(
            article=article,
            donor_id=signal.donor,
            recipient_id=signal.recipient,
            scope=scope,
            detector_version=DETECTOR_VERSION,
            level=level,
            evidence=signal.evidence,
            reason=signal.reason,
            confidence=signal.confidence,
            certainty=signal.certainty,
            weapons=list(signal.weapons),
            conditions=list(signal.conditions),
            speaker=signal.speaker[:200],
        )
    return list(rows.values())


def suggestions_store(*, suggestions: list[Suggestion]) -> None:
    """One INSERT … ON CONFLICT DO NOTHING for all of them: the unique constraints on (article, donor,
    recipient, scope, detector version) make a repeat a no-op."""
    if suggestions:
        Suggestion.objects.bulk_create(suggestions, ignore_conflicts=True)


@transaction.atomic(savepoint=False)
def analyse_article(*, article: Article) -> list[Suggestion]:
    """Build and store an article's suggestions and return the stored rows. Idempotent: a second run
    returns the same rows. (The pipeline calls the two halves itself, to keep the detector outside
    its transaction and read nothing back.)"""
    pending = suggestions_build(article=article)
    if not pending:
        return []
    suggestions_store(suggestions=pending)
    stored = {
        (s.donor_id, s.recipient_id, s.scope_id): s
        for s in Suggestion.objects.filter(article=article, detector_version=DETECTOR_VERSION).select_related(
            "level", "scope"
        )
    }
    keys = [(s.donor_id, s.recipient_id, s.scope_id) for s in pending]
    return [stored[key] for key in keys if key in stored]
