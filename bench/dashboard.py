"""Dashboard speed on a large synthetic data set (PostgreSQL).

- server time of the track page (500 statements), compare (10 donors) and the overview, p50/p95,
  each as a ratio to a bare SELECT + json.dumps of the same rows in the same run (target ≤ 2×);
- queries per page (constant whatever the data size);
- figure JSON size of the 500-statement track (target ≤ 50 KB);
- bytes on a cold first view, compressed, and time to chart painted in headless Chromium on
  loopback (targets ≤ 1.2 MB and ≤ 1 s), against a production-mode server (whitenoise, gzip).
"""

import contextlib
import gzip
import io
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DONORS, STATEMENTS, ARTICLES = 200, 100_000, 1_000_000
REPEAT = 25


def _ensure_data() -> str:
    from django.core.management import call_command

    from tracker.dashboard.management.commands.generate_synthetic import DOMAIN_SUFFIX, MARK
    from tracker.sources.models import Article
    from tracker.stances.models import Statement

    have_statements = Statement.objects.filter(notes=MARK).count()
    have_articles = Article.objects.filter(outlet__domain__endswith=DOMAIN_SUFFIX).count()
    if have_statements >= STATEMENTS and have_articles >= ARTICLES:
        how = f"reused the existing synthetic set ({have_statements:,} statements, {have_articles:,} articles)"
    else:
        started = time.perf_counter()
        call_command(
            "generate_synthetic", donors=DONORS, statements=STATEMENTS, articles=ARTICLES, stdout=io.StringIO()
        )
        how = f"generated in {time.perf_counter() - started:.0f} s"
    return how + "; " + _vacuum()


def _vacuum() -> str:
    """VACUUM ANALYZE before measuring. A regenerated set leaves the old rows dead (1.2M of them), and
    with autovacuum off (as on this machine) they stay: every plan then reads thousands of dead index
    entries (8 ms planning instead of 0.5 ms), which slowed the page and the bare SELECT alike and
    hid the page's own overhead. A production database is vacuumed; so is this one. ~2 s when clean."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_dead_tup), 0) FROM pg_stat_user_tables WHERE relname LIKE 'stances_%%' "
            "OR relname LIKE 'sources_%%' OR relname LIKE 'review_%%'"
        )
        dead = cursor.fetchone()[0]
        started = time.perf_counter()
        cursor.execute("VACUUM ANALYZE")
    return f"VACUUM ANALYZE first: {dead:,} dead rows, {time.perf_counter() - started:.0f} s"


def _p(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def _bare(sql: str, params) -> callable:
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cols = [c.name for c in cursor.description]
            rows = [dict(zip(cols, r, strict=True)) for r in cursor.fetchall()]
        return json.dumps(rows, default=str)

    return run


STATEMENT_SQL = """
SELECT s.id, s.stated_on, s.speaker, s.speaker_role, s.certainty, s.channel, s.quote, s.weapons,
       s.trigger_event_id, l.rank, l.code, l.label, w.code AS scope, a.url, o.name AS outlet
FROM stances_statement s
JOIN stances_stancelevel l ON l.id = s.level_id
LEFT JOIN stances_weaponcategory w ON w.id = s.scope_id
LEFT JOIN stances_statement_sources ss ON ss.statement_id = s.id
LEFT JOIN sources_article a ON a.id = ss.article_id
LEFT JOIN sources_outlet o ON o.id = a.outlet_id
WHERE s.status = 'published' AND s.track_id = ANY(%s) {extra}
ORDER BY s.stated_on, s.id
"""
CURRENT_SQL = """
SELECT DISTINCT ON (s.track_id) s.id, s.stated_on, s.certainty, t.donor_id, c.name, l.rank, l.code, l.label, l.color
FROM stances_statement s JOIN stances_track t ON t.id = s.track_id
JOIN stances_country c ON c.code = t.donor_id JOIN stances_stancelevel l ON l.id = s.level_id
WHERE s.status = 'published' AND s.scope_id IS NULL AND t.recipient_id = %s
ORDER BY s.track_id, s.stated_on DESC, s.id DESC
"""
SHIFTS_SQL = """
SELECT x.*, l.rank, l.label, pl.label AS from_label, a.url, o.name AS outlet FROM (
  SELECT s.id, s.track_id, s.level_id, s.scope_id, s.stated_on, s.speaker, s.quote, s.certainty,
         LAG(s.level_id) OVER (PARTITION BY s.track_id, COALESCE(s.scope_id, 0) ORDER BY s.stated_on, s.id) AS prev
  FROM stances_statement s JOIN stances_track t ON t.id = s.track_id
  WHERE s.status = 'published' AND t.recipient_id = %s
) x
JOIN stances_stancelevel l ON l.id = x.level_id JOIN stances_stancelevel pl ON pl.id = x.prev
LEFT JOIN stances_statement_sources ss ON ss.statement_id = x.id
LEFT JOIN sources_article a ON a.id = ss.article_id LEFT JOIN sources_outlet o ON o.id = a.outlet_id
WHERE x.stated_on >= %s AND x.prev <> x.level_id
ORDER BY x.stated_on DESC, x.id DESC
"""


# The other rows each page shows, so the baseline selects everything the page does (not only the
# statements): the codebook, the track(s), each statement's conditions, the events, the pending
# conditions and the pending suggestions (track), the pickers' rows (compare, overview).
LEVELS_SQL = """
SELECT l.id, l.rank, l.code, l.label, l.color, v.is_current FROM stances_stancelevel l
JOIN stances_codebookversion v ON v.id = l.codebook_id ORDER BY v.is_current DESC, l.codebook_id, l.rank
"""
TRACKS_SQL = """
SELECT t.id, t.donor_id, t.recipient_id, d.name AS donor_name, r.name AS recipient_name FROM stances_track t
JOIN stances_country d ON d.code = t.donor_id JOIN stances_country r ON r.code = t.recipient_id
WHERE t.id = ANY(%s) ORDER BY d.name, r.name
"""
STATEMENT_CONDITIONS_SQL = """
SELECT sc.statement_id, c.text FROM stances_statement_conditions sc
JOIN stances_condition c ON c.id = sc.condition_id JOIN stances_statement s ON s.id = sc.statement_id
WHERE s.status = 'published' AND s.track_id = ANY(%s) {extra} ORDER BY sc.statement_id, c.stated_on
"""
EVENTS_SQL = """
SELECT e.id, e.occurred_on, e.title, e.source_url FROM stances_event e
WHERE e.id IN (SELECT event_id FROM stances_event_countries WHERE country_id = ANY(%s))
   OR e.id IN (SELECT trigger_event_id FROM stances_statement
               WHERE track_id = ANY(%s) AND status = 'published' AND trigger_event_id IS NOT NULL)
ORDER BY e.occurred_on, e.id
"""
PENDING_CONDITIONS_SQL = """
SELECT c.id, c.text, c.kind, c.stated_on, t.donor_id, t.recipient_id FROM stances_condition c
JOIN stances_track t ON t.id = c.track_id WHERE c.track_id = ANY(%s) AND c.status = 'pending'
ORDER BY c.stated_on, c.id
"""
SUGGESTIONS_SQL = """
SELECT g.id, g.evidence, g.confidence, g.speaker, g.created_at, l.rank, l.label, w.code AS scope,
       a.published_at, o.name AS outlet, a.url
FROM review_suggestion g JOIN stances_stancelevel l ON l.id = g.level_id
LEFT JOIN stances_weaponcategory w ON w.id = g.scope_id LEFT JOIN sources_article a ON a.id = g.article_id
LEFT JOIN sources_outlet o ON o.id = a.outlet_id
WHERE g.donor_id = %s AND g.recipient_id = %s AND g.status = 'pending'
ORDER BY g.created_at DESC, g.id DESC LIMIT 500
"""
DONORS_SQL = """
SELECT t.donor_id AS code, c.name FROM stances_track t JOIN stances_country c ON c.code = t.donor_id
WHERE t.recipient_id = %s ORDER BY c.name
"""
RECIPIENTS_SQL = """
SELECT DISTINCT c.code, c.name FROM stances_country c JOIN stances_track t ON t.recipient_id = c.code ORDER BY c.name
"""


def _server_side(lines: list[str]) -> dict:
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tests.factories import UserFactory
    from tracker import roles
    from tracker.stances.models import Statement, Track

    client = Client(HTTP_HOST="localhost")  # outside pytest "testserver" is not an allowed host
    client.force_login(UserFactory(username="bench-analyst", roles=[roles.ANALYST]))
    long_track = (
        Track.objects.filter(statements__notes="synthetic")
        .values("id", "donor_id", "recipient_id")
        .annotate(n=Count("statements"))
        .order_by("-n")
        .first()
    )
    compare = list(
        Track.objects.filter(recipient_id="UKR", statements__notes="synthetic")
        .distinct()
        .order_by("donor_id")
        .values_list("id", "donor_id")[:10]
    )
    donors = "&".join(f"donor={d}" for _, d in compare)
    since = timezone.localdate() - timezone.timedelta(days=90)
    track_ids = [long_track["id"]]
    compare_ids = [t for t, _ in compare]
    overall = "AND s.scope_id IS NULL"
    # (url, the statements SELECT (the old baseline), the SELECTs of the page's other rows)
    pages = {
        "track (500 statements)": (
            f"/tracks/{long_track['donor_id']}/{long_track['recipient_id']}/",
            [_bare(STATEMENT_SQL.format(extra=""), [track_ids])],
            [
                _bare(TRACKS_SQL, [track_ids]),
                _bare(LEVELS_SQL, []),
                _bare(STATEMENT_CONDITIONS_SQL.format(extra=""), [track_ids]),
                _bare(EVENTS_SQL, [[long_track["donor_id"], long_track["recipient_id"]], track_ids]),
                _bare(PENDING_CONDITIONS_SQL, [track_ids]),
                _bare(SUGGESTIONS_SQL, [long_track["donor_id"], long_track["recipient_id"]]),
            ],
        ),
        "compare (10 donors)": (
            f"/compare/?recipient=UKR&{donors}",
            [_bare(STATEMENT_SQL.format(extra=overall), [compare_ids])],
            [
                _bare(TRACKS_SQL, [compare_ids]),
                _bare(LEVELS_SQL, []),
                _bare(STATEMENT_CONDITIONS_SQL.format(extra=overall), [compare_ids]),
                _bare(EVENTS_SQL, [["UKR"], compare_ids]),
                _bare(PENDING_CONDITIONS_SQL, [compare_ids]),
                _bare(DONORS_SQL, ["UKR"]),
                _bare(RECIPIENTS_SQL, []),
            ],
        ),
        "overview (UKR)": (
            "/?recipient=UKR",
            [_bare(CURRENT_SQL, ["UKR"]), _bare(SHIFTS_SQL, ["UKR", since])],
            [_bare(LEVELS_SQL, []), _bare(RECIPIENTS_SQL, [])],
        ),
    }
    lines.append(
        "| page | p50 ms | p95 ms | bare: all rows shown, p50 / p95 ms | ratio p50 | ratio p95 "
        "| bare: main rows only, p50 / p95 ms | ratio p50 / p95 | queries | rows |"
    )
    lines.append("|---|---|---|---|---|---|---|---|---|---|")
    result = {}
    for name, (url, main_fns, other_fns) in pages.items():
        # A full query log (9,000 entries, left by earlier sections) would make the count 0.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
        all_fns = main_fns + other_fns
        # interleaved, so the page and both baselines see the same machine state
        page_ms, bare_ms, main_ms = [], [], []
        client.get(url)  # warm-up
        for f in all_fns:
            f()
        for _ in range(REPEAT):
            for fn, out in (
                (lambda url=url: client.get(url), page_ms),
                (lambda fns=all_fns: [f() for f in fns], bare_ms),
                (lambda fns=main_fns: [f() for f in fns], main_ms),
            ):
                t0 = time.perf_counter()
                fn()
                out.append((time.perf_counter() - t0) * 1000)
        rows = sum(len(json.loads(f())) for f in all_fns)
        r50 = _p(page_ms, 0.5) / _p(bare_ms, 0.5)
        r95 = _p(page_ms, 0.95) / _p(bare_ms, 0.95)
        m50 = _p(page_ms, 0.5) / _p(main_ms, 0.5)
        m95 = _p(page_ms, 0.95) / _p(main_ms, 0.95)
        lines.append(
            f"| {name} | {_p(page_ms, 0.5):.1f} | {_p(page_ms, 0.95):.1f} | {_p(bare_ms, 0.5):.1f} / "
            f"{_p(bare_ms, 0.95):.1f} | {r50:.2f}× | {r95:.2f}× | {_p(main_ms, 0.5):.1f} / {_p(main_ms, 0.95):.1f} "
            f"| {m50:.2f}× / {m95:.2f}× | {queries} | {rows:,} |"
        )
        result[name] = (url, response)
    n_long = Statement.objects.filter(track_id=long_track["id"], status="published").count()
    return {"pages": result, "long_track_statements": n_long, "client": client}


def _figure_size(response) -> tuple[int, int]:
    html = response.content.decode()
    m = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S)
    body = m.group(1).encode()
    return len(body), len(gzip.compress(body))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _browser(urls: dict[str, str], lines: list[str]) -> None:
    """A production-mode server (DEBUG off, whitenoise with compressed, hashed static files)."""
    from django.conf import settings

    from tests.factories import UserFactory
    from tracker import roles

    env = {
        **os.environ,
        "DJANGO_PRODUCTION": "1",
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_HSTS_SECONDS": "0",
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://localhost:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        # Log in through the form: the server has its own SECRET_KEY, so a session made here would not do.
        UserFactory(username="bench-browser", roles=[roles.ANALYST])
        from playwright.sync_api import sync_playwright

        lines.append("")
        lines.append(
            "| page (browser) | cold bytes (compressed) | requests | cold: chart painted ms | of which Plotly "
            "drawing ms | warm p50 ms |"
        )
        lines.append("|---|---|---|---|---|---|")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--enable-unsafe-swiftshader"],
            )
            login = browser.new_context()
            page = login.new_page()
            page.goto(base + "/accounts/login/")
            page.fill("input[name=username]", "bench-browser")
            page.fill("input[name=password]", "correct horse battery staple")
            page.click("form button[type=submit]")
            page.wait_for_url(base + "/")
            cookies = [c for c in login.cookies() if c["name"] == settings.SESSION_COOKIE_NAME]
            login.close()
            for name, path in urls.items():
                context = browser.new_context(viewport={"width": 1200, "height": 900})
                context.add_cookies(cookies)  # a fresh context: empty cache, logged in
                page = context.new_page()
                finished = []
                page.on("requestfinished", lambda req, finished=finished: finished.append(req))
                page.goto(base + path)
                chart = "#map" if path.startswith("/?") else "#chart"
                try:
                    page.wait_for_selector(f"{chart}.chart-ready", timeout=30_000)
                except Exception:
                    print(page.url, page.content()[:3000], [r.url for r in finished], file=sys.stderr)
                    raise
                page.wait_for_load_state("networkidle")
                cold_ms = page.evaluate("window.__chartPaintedAt")
                draw_ms = page.evaluate("window.__chartPaintedAt - window.__chartStartedAt")
                total, requests = 0, len(finished)
                for req in finished:
                    sizes = req.sizes()
                    total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
                if os.environ.get("BENCH_DEBUG"):
                    print([(r.url[:80], r.sizes()["responseBodySize"]) for r in finished], file=sys.stderr)
                outside = [r.url for r in finished if not r.url.startswith(base)]
                assert not outside, outside
                warm = []
                for _ in range(5):
                    page.reload()
                    page.wait_for_selector(f"{chart}.chart-ready", timeout=30_000)
                    warm.append(page.evaluate("window.__chartPaintedAt"))
                lines.append(
                    f"| {name} | {total / 1024:.0f} KB | {requests} | {cold_ms:.0f} | {draw_ms:.0f} | "
                    f"{statistics.median(warm):.0f} |"
                )
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


OWN_DB_SUFFIX = "_dashboard"


@contextlib.contextmanager
def _own_database():
    """Run on `<bench db>_dashboard`: the 1M synthetic articles must not slow the other benchmarks down.

    The database is kept between runs, so the data set is generated once (~70 s) and reused.
    """
    import psycopg
    from django.core.management import call_command
    from django.db import connection

    original = dict(connection.settings_dict)
    name = original["NAME"] + OWN_DB_SUFFIX
    params = {k: original[k] for k in ("HOST", "PORT", "USER", "PASSWORD") if original.get(k)}
    conninfo = " ".join(f"{k.lower()}={v}" for k, v in params.items()) + " dbname=postgres"
    with psycopg.connect(conninfo, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    url = os.environ.get("DATABASE_URL", "")
    connection.close()
    connection.settings_dict["NAME"] = name
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name if url else url
    try:
        call_command("migrate", verbosity=0)
        yield name
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original["NAME"]
        os.environ["DATABASE_URL"] = url


def run() -> str:
    with _own_database() as name:
        return _run(name)


def _run(database: str) -> str:
    started = time.perf_counter()
    from tracker.sources.models import Article
    from tracker.stances.models import Statement, Track

    how = _ensure_data()
    lines = ["## Dashboard", ""]
    n_statements = Statement.objects.count()
    n_articles = Article.objects.count()
    n_donors = Track.objects.values("donor_id").distinct().count()
    lines.append(
        f"Data: {n_donors} donors, {Track.objects.count():,} tracks, {n_statements:,} statements, "
        f"{n_articles:,} articles in database `{database}` ({how}; `manage.py generate_synthetic "
        f"--donors {DONORS} --statements {STATEMENTS} --articles {ARTICLES}`)."
    )
    lines.append("")
    lines.append(
        f"Server time: Django test client, in process, {REPEAT} requests after a warm-up; the baseline "
        "runs bare SQL SELECTs of the same rows and json.dumps them: of every row the page shows (statements "
        "with sources and conditions, events, conditions, suggestions, codebook, pickers), and for reference of the "
        "main rows only (statements; current + shifts on the overview), interleaved with the page requests. "
        "Targets: ratio ≤ 2×, constant queries."
    )
    lines.append("")
    server = _server_side(lines)
    track_url, track_response = server["pages"]["track (500 statements)"]
    raw, gz = _figure_size(track_response)
    scopes = server["client"].get(track_url + "scopes.json").content
    lines.append("")
    lines.append(
        f"Figure JSON of the {server['long_track_statements']}-statement track: {raw / 1024:.1f} KB "
        f"({gz / 1024:.1f} KB gzipped); target ≤ 50 KB. Track page HTML: {len(track_response.content) / 1024:.0f} KB. "
        f"The hidden weapon-scope lines are not in it: fetched when switched on in the legend, "
        f"{len(scopes) / 1024:.1f} KB ({len(gzip.compress(scopes)) / 1024:.1f} KB gzipped)."
    )
    urls = {name: url for name, (url, _) in server["pages"].items()}
    _browser(urls, lines)
    lines.append("")
    lines.append(
        "Browser: Debian's headless Chromium over loopback against `runserver` in production mode (whitenoise "
        "serving hashed, pre-compressed static files; HTML gzipped by GZipMiddleware). Cold = new context, "
        "empty cache; bytes = response headers + encoded bodies of every request. Chart painted = `performance.now()` "
        "when `Plotly.newPlot` resolved (Plotly drawing: from dashboard.js starting the chart to that). "
        "Targets: ≤ 1.2 MB cold, ≤ 1000 ms."
    )
    lines.append(f"\n_Bench wall time {time.perf_counter() - started:.0f} s._")
    return "\n".join(lines) + "\n"
