"""Run every benchmark on a dedicated PostgreSQL database and write docs/benchmarks.md.

Usage: `make bench` (or `python -m bench [name ...]` to run some of them; the file is still rewritten
with only those sections).
"""

import importlib
import os
import platform
import subprocess
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

MODULES = ["detection", "near_duplicates", "ingest_pipeline", "dashboard", "review"]
BENCH_DB = "stanceline_bench"
OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def _bench_database_url() -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/stanceline")
    parts = urlsplit(base)
    if not parts.scheme.startswith("postgres"):
        sys.exit("The benchmarks need PostgreSQL: set DATABASE_URL=postgres://… (make bench does).")
    return urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


def _ensure_database(url: str) -> None:
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    system = f"{platform.system()} {platform.release()}"
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {system}"


def main(names: list[str]) -> int:
    url = _bench_database_url()
    _ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("FETCH_ALLOW_PRIVATE", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]

    sections = []
    failed = 0
    for name in names or MODULES:
        started = time.perf_counter()
        print(f"== bench.{name}", flush=True)
        try:
            module = importlib.import_module(f"bench.{name}")
            section = module.run()
        except Exception:
            failed += 1
            section = f"## {name}\n\nThe benchmark failed:\n\n```\n{traceback.format_exc()}```\n"
        elapsed = time.perf_counter() - started
        print(section, flush=True)
        sections.append(f"{section.rstrip()}\n\n_Run time of this section: {elapsed:.0f} s._\n")

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    header = (
        "# Benchmarks\n\n"
        f"Written by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit `{commit or '?'}`.\n"
        f"Machine: {_machine()}; PostgreSQL {pg_version}; Redis on loopback.\n"
        "Every ratio is measured side by side in one run; absolute times vary with the machine.\n"
    )
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(header + "\n" + "\n".join(sections))
    print(f"Wrote {OUTPUT}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
