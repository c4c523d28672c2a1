"""Editorial workflow speed and correctness (PostgreSQL).

- review queue page (20 items, evidence highlighted) over 5,000 pending suggestions: server time
  p50/p95 and queries per page, for both orderings and a filtered view (target p95 ≤ 300 ms, queries
  constant whatever the queue size);
- accepting a suggestion (claim + statement + history + shift check): p50/p95 (target p95 ≤ 60 ms);
- the statement page with a 50-version history (field-level diffs): p50/p95 (target p95 ≤ 400 ms);
- double submits: two threads accept the same suggestion at once, 30 times → statements created
  (target: exactly one per suggestion).

Data lives on tracks to Antarctica (ATA), which no other data set uses, and is removed afterwards.
"""

import statistics
import threading
import time
from datetime import date, timedelta

QUEUE_SIZE = 5_000
ACCEPTS = 100
HISTORY_VERSIONS = 50
RACES = 30
REPEAT = 20
RECIPIENT = "ATA"
DONORS = ["KOR", "DEU", "JPN", "USA", "FRA"]
MARK = "bench-review"


def _ms(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    return statistics.median(samples) * 1000, p95 * 1000


def _cleanup() -> None:
    from tracker.review.models import Suggestion
    from tracker.sources.models import Article, Outlet
    from tracker.stances.models import Condition, Statement, Track

    Suggestion.objects.filter(detector_version=MARK).delete()
    Statement.objects.filter(track__recipient_id=RECIPIENT).delete()
    Condition.objects.filter(track__recipient_id=RECIPIENT).delete()
    Track.objects.filter(recipient_id=RECIPIENT).delete()
    Article.objects.filter(outlet__domain__endswith=f".{MARK}.example").delete()
    Outlet.objects.filter(domain__endswith=f".{MARK}.example").delete()


def _make_data(editor) -> None:
    from tracker.review.models import Suggestion
    from tracker.sources.canonical import canonical_url, url_hash
    from tracker.sources.models import Article, Outlet
    from tracker.stances import services
    from tracker.stances.models import Country, StanceLevel

    levels = list(StanceLevel.objects.filter(codebook__is_current=True).order_by("rank"))
    outlets = [
        Outlet.objects.create(domain=f"o{i}.{MARK}.example", name=f"Bench outlet {i}", review_status="approved")
        for i in range(20)
    ]
    outlets[-1].review_status = "blocked"
    outlets[-1].save()
    paragraph = "Officials discussed the situation at length without committing to anything specific. " * 30
    articles = []
    for i in range(QUEUE_SIZE):
        url = f"https://o{i % 20}.{MARK}.example/news/{i}"
        articles.append(
            Article(
                url=url,
                canonical_url=canonical_url(url),
                canonical_url_hash=url_hash(url),
                outlet=outlets[i % 20],
                title=f"Bench article {i}",
                text=f"{paragraph} The minister said weapons would be considered ({i}). {paragraph}",
                status="analysed",
            )
        )
    Article.objects.bulk_create(articles, batch_size=1000)
    articles = list(Article.objects.filter(outlet__domain__endswith=f".{MARK}.example").order_by("id"))
    donors = {c.code: c for c in Country.objects.filter(code__in=DONORS)}
    recipient = Country.objects.get(code=RECIPIENT)
    for code in DONORS:  # one published point per track, so "what accepting changes" has work to do
        track = services.track_get_or_create(donor=code, recipient=RECIPIENT)
        services.statement_create(
            track=track,
            level=levels[1],
            stated_on=date(2024, 1, 1),
            speaker="Bench ministry",
            quote="Non-lethal only.",
            sources=[articles[0]],
            user=editor,
        )
    Suggestion.objects.bulk_create(
        [
            Suggestion(
                article=article,
                donor=donors[DONORS[i % len(DONORS)]],
                recipient=recipient,
                level=levels[2 + i % 4],
                evidence=f"The minister said weapons would be considered ({i}).",
                reason="cue 'considered'",
                confidence=(i % 100) / 100,
                detector_version=MARK,
            )
            for i, article in enumerate(articles)
        ],
        batch_size=1000,
    )


def _queue(client) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = []
    views = (
        ("newest first", ""),
        ("most confident", "?order=confident"),
        ("donor + level", "?donor=DEU&level=pledged_lethal"),
    )
    for label, query in views:
        url = f"/review/{query}"
        assert client.get(url).status_code == 200
        samples = []
        for _ in range(REPEAT):
            t0 = time.perf_counter()
            client.get(url)
            samples.append(time.perf_counter() - t0)
        # A full query log (9,000 entries, left by earlier sections) would make the count 0.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        p50, p95 = _ms(samples)
        rows.append(f"| queue, {label} | {p50:.0f} | {p95:.0f} | {len(ctx.captured_queries)} | p95 ≤ 300 ms |")
    return rows


def _accepts(editor) -> str:
    from tracker.review import services
    from tracker.review.models import Suggestion

    ids = list(
        Suggestion.objects.filter(detector_version=MARK, status="pending")
        .exclude(article__outlet__review_status="blocked")
        .values_list("id", flat=True)[:ACCEPTS]
    )
    samples = []
    for pk in ids:
        t0 = time.perf_counter()
        services.suggestion_accept(suggestion_id=pk, user=editor)
        samples.append(time.perf_counter() - t0)
    p50, p95 = _ms(samples)
    return f"| accept one suggestion ({len(ids)} in a row) | {p50:.1f} | {p95:.1f} | – | p95 ≤ 60 ms |"


def _history(client, editor) -> str:
    from tracker.stances import services
    from tracker.stances.models import Statement

    statement = Statement.objects.filter(track__recipient_id=RECIPIENT, status="published").first()
    for i in range(HISTORY_VERSIONS):
        services.statement_update(
            statement_id=statement.pk,
            expected_version=statement.version + i,
            user=editor,
            quote=f"Non-lethal only (revision {i}).",
            stated_on=date(2024, 1, 1) + timedelta(days=i % 2),
        )
    url = f"/statements/{statement.pk}/history/"
    assert client.get(url).status_code == 200
    samples = []
    for _ in range(REPEAT // 2):
        t0 = time.perf_counter()
        client.get(url)
        samples.append(time.perf_counter() - t0)
    p50, p95 = _ms(samples)
    return f"| statement page, {HISTORY_VERSIONS + 1} versions of history | {p50:.0f} | {p95:.0f} | – | p95 ≤ 400 ms |"


def _races(editor) -> str:
    from django.db import connection

    from tracker.review import services
    from tracker.review.models import Suggestion
    from tracker.stances.models import Statement

    ids = list(
        Suggestion.objects.filter(detector_version=MARK, status="pending")
        .exclude(article__outlet__review_status="blocked")
        .values_list("id", flat=True)[:RACES]
    )
    before = Statement.objects.filter(track__recipient_id=RECIPIENT).count()
    refused = []

    def accept(pk: int, barrier: threading.Barrier) -> None:
        barrier.wait()
        try:
            services.suggestion_accept(suggestion_id=pk, user=editor)
        except services.SuggestionAlreadyDecided:
            refused.append(pk)
        finally:
            connection.close()

    for pk in ids:
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=accept, args=(pk, barrier)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    created = Statement.objects.filter(track__recipient_id=RECIPIENT).count() - before
    return (
        f"- Double submits: {len(ids)} suggestions, each accepted by two threads at the same moment → "
        f"{created} statements created, {len(refused)} second clicks refused (target: {len(ids)} and {len(ids)})."
    )


def run() -> str:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from tracker import roles

    roles.sync_roles()
    _cleanup()
    editor, _ = get_user_model().objects.get_or_create(username=f"{MARK}-editor")
    editor.groups.add(Group.objects.get(name=roles.EDITOR))
    started = time.perf_counter()
    _make_data(editor)
    setup = time.perf_counter() - started
    client = Client(HTTP_HOST="localhost")
    client.force_login(editor)
    try:
        rows = _queue(client)
        rows.append(_accepts(editor))
        rows.append(_history(client, editor))
        race = _races(editor)
    finally:
        _cleanup()
    return "\n".join(
        [
            "## Review workflow",
            "",
            f"{QUEUE_SIZE:,} pending suggestions (5 % from a blocked outlet, never shown) on 5 tracks, "
            f"articles of ~2.5k characters; set up in {setup:.0f} s. Server time through Django's test client "
            f"(no network), {REPEAT} runs after a warm-up.",
            "",
            "| what | p50 ms | p95 ms | queries | target |",
            "|---|---|---|---|---|",
            *rows,
            "",
            race,
        ]
    )
