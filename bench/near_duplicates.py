"""Near-duplicate lookup cost as the signature table grows (target: flat from 10k to 200k articles).

Synthetic signatures are bulk-inserted with SQL (25 LSH band rows per article, random keys, as real
keys are uniformly spread hashes); a set of real articles is indexed through `index_article`, and the
probes are real `find_duplicate` calls: half are syndicated copies that must be found, half new texts.
Everything inserted is deleted at the end.
"""

import random
import statistics
import time

from django.db import connection, transaction

from tracker.ingest import dedupe
from tracker.sources.canonical import url_hash
from tracker.sources.models import Article, Outlet

SIZES = (10_000, 200_000)
PROBES = 200  # 100 copies + 100 new texts per size
REAL_ARTICLES = 100
BENCH_DOMAIN = "bench-near-duplicates.example"
FLAT_TARGET = 1.5  # p50 at 200k / p50 at 10k

_WORDS = [
    "government",
    "minister",
    "said",
    "weapons",
    "ukraine",
    "seoul",
    "berlin",
    "aid",
    "shells",
    "tanks",
    "missiles",
    "defence",
    "package",
    "troops",
    "border",
    "talks",
    "officials",
    "report",
    "week",
    "army",
    "support",
    "supply",
    "decision",
    "review",
    "allies",
    "pressure",
    "security",
    "council",
    "parliament",
    "budget",
    "winter",
    "front",
    "drones",
    "factory",
    "export",
    "law",
    "policy",
    "deal",
    "plan",
]


def _text(rng: random.Random, words: int = 220) -> str:
    return " ".join(rng.choice(_WORDS) + str(rng.randrange(60)) for _ in range(words))


def _syndicated(text: str, rng: random.Random) -> str:
    words = text.split()
    cut = words[8 : len(words) - 25]  # new dateline, last paragraph trimmed
    for _ in range(6):  # a few edited words
        cut[rng.randrange(len(cut))] = rng.choice(_WORDS)
    return " ".join(["LONDON", "(Partner)", "-", *cut, "This", "story", "was", "provided", "by", "Wire."])


def _insert_synthetic(outlet_id: int, start: int, count: int) -> None:
    """`count` articles with random band keys, straight in SQL (ORM inserts would dominate the run)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO sources_article (url, canonical_url, canonical_url_hash, outlet_id, title, text, language,
                content_hash, status, error, attempts, created_at, updated_at)
            SELECT 'https://bench-near-duplicates.example/s/' || g, 'https://bench-near-duplicates.example/s/' || g,
                md5('bench-nd-' || g) || md5('bench-nd-x-' || g), %s, '', '', 'en', '', 'analysed', '', 0, now(), now()
            FROM generate_series(%s, %s) AS g
            """,
            [outlet_id, start, start + count - 1],
        )
        cursor.execute(
            """
            INSERT INTO ingest_nearduplicateband (article_id, band, key)
            SELECT a.id, b, (floor(random() * 18446744073709551615::numeric) - 9223372036854775808)::bigint
            FROM sources_article a CROSS JOIN generate_series(0, %s) AS b
            WHERE a.outlet_id = %s AND a.url LIKE 'https://bench-near-duplicates.example/s/%%'
              AND NOT EXISTS (SELECT 1 FROM ingest_nearduplicateband n WHERE n.article_id = a.id)
            """,
            [dedupe.BANDS - 1, outlet_id],
        )
        cursor.execute("ANALYZE ingest_nearduplicateband")
        cursor.execute("ANALYZE sources_article")


def _probe(outlet_copy: Outlet, probes: list[tuple[str, int | None]]) -> tuple[list[float], list[float], int]:
    """(full lookup ms, band-query ms, correct answers) for each probe text."""
    full, sql, correct = [], [], 0
    for i, (text, expected) in enumerate(probes):
        article = Article(
            pk=None, outlet=outlet_copy, outlet_id=outlet_copy.pk, text=text, url=f"https://copy.example/{i}"
        )
        keys = dedupe.band_keys(dedupe.minhash(dedupe.shingles(text)))
        started = time.perf_counter()
        list(dedupe.NearDuplicateBand.objects.filter(key__in=keys).values_list("article_id", flat=True).distinct())
        sql.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        found = dedupe.find_duplicate(article=article)
        full.append((time.perf_counter() - started) * 1000)
        correct += (found.pk if found else None) == expected
    return full, sql, correct


def _cleanup(outlet_ids: list[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM ingest_nearduplicateband WHERE article_id IN "
            "(SELECT id FROM sources_article WHERE outlet_id = ANY(%s))",
            [outlet_ids],
        )
        cursor.execute("DELETE FROM sources_article WHERE outlet_id = ANY(%s)", [outlet_ids])
        cursor.execute("DELETE FROM sources_outlet WHERE id = ANY(%s)", [outlet_ids])


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1]


def run() -> str:
    rng = random.Random(7)
    Outlet.objects.filter(domain__in=[BENCH_DOMAIN, "copy." + BENCH_DOMAIN]).delete()
    outlet = Outlet.objects.create(domain=BENCH_DOMAIN, name="Bench wire")
    outlet_copy = Outlet.objects.create(domain="copy." + BENCH_DOMAIN, name="Bench partner")
    results = []
    try:
        with transaction.atomic():
            originals = []
            for i in range(REAL_ARTICLES):
                url = f"https://{BENCH_DOMAIN}/real/{i}"
                text = _text(rng)
                a = Article.objects.create(
                    url=url,
                    canonical_url=url,
                    canonical_url_hash=url_hash(url),
                    outlet=outlet,
                    text=text,
                    content_hash=dedupe.content_hash(text),
                    status=Article.Status.ANALYSED,
                )
                dedupe.index_article(article=a)
                originals.append(a)
        probes = [(_syndicated(a.text, rng), a.pk) for a in originals[: PROBES // 2]]
        probes += [(_text(rng), None) for _ in range(PROBES - len(probes))]
        inserted = 0
        for size in SIZES:
            started = time.perf_counter()
            _insert_synthetic(outlet.pk, inserted, size - inserted)
            load_s = time.perf_counter() - started
            inserted = size
            _probe(outlet_copy, probes[:20])  # warm caches
            full, sql, correct = _probe(outlet_copy, probes)
            rows = dedupe.NearDuplicateBand.objects.count()
            results.append((size, rows, full, sql, correct, load_s))
    finally:
        _cleanup([outlet.pk, outlet_copy.pk])

    (s1, r1, f1, q1, c1, _), (s2, r2, f2, q2, c2, _) = results
    ratio = statistics.median(f2) / statistics.median(f1)
    sql_ratio = statistics.median(q2) / statistics.median(q1)
    lines = [
        "## Near-duplicate lookup",
        "",
        f"MinHash ({dedupe.NUM_PERM} permutations, word {dedupe.SHINGLE_WORDS}-shingles), LSH with "
        f"{dedupe.BANDS} bands × {dedupe.ROWS} rows persisted in `ingest_nearduplicateband` (b-tree on the band "
        f"key). {PROBES} `find_duplicate` calls per size: {PROBES // 2} syndicated copies of indexed articles "
        f"(new dateline, last paragraph cut, words edited) and {PROBES // 2} new texts. "
        f"Target: lookup cost flat (p50 ratio ≤ {FLAT_TARGET}).",
        "",
        "| stored articles | band rows | lookup p50 (ms) | lookup p95 (ms) | band query p50 (ms) | correct answers |",
        "|---|---|---|---|---|---|",
    ]
    for size, rows, full, sql, correct, _ in results:
        lines.append(
            f"| {size:,} | {rows:,} | {statistics.median(full):.2f} | {_pct(full, 95):.2f} | "
            f"{statistics.median(sql):.2f} | {correct}/{PROBES} |"
        )
    verdict = "flat: target met" if ratio <= FLAT_TARGET else "NOT flat: target missed"
    lines += [
        "",
        f"Ratio 200k / 10k: full lookup p50 ×{ratio:.2f}, band query p50 ×{sql_ratio:.2f} ({verdict}).",
        "The full lookup includes MinHash of the probe text, the exact-hash query, the band query and the "
        "Jaccard confirmation of candidates (which loads their text).",
        "",
    ]
    return "\n".join(lines)
