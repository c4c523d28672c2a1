"""Shared fixtures: named actors, logged-in clients, reference data, and the services check.

Tests run on real PostgreSQL and Redis (`make test` points DATABASE_URL/REDIS_URL at them).
"""

import os

import pytest
import redis
from django.conf import settings

from tests.factories import UserFactory
from tracker import roles

# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    """Refuse to run on SQLite or without Redis: no test may be silently skipped for a missing service."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        raise pytest.UsageError(
            "The tests need PostgreSQL. Run them with `make test`, or set "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/stanceline (install: apt-get install postgresql)."
        )
    if not settings.REDIS_URL:
        raise pytest.UsageError(
            "The tests need Redis. Run them with `make test`, or set REDIS_URL=redis://127.0.0.1:6379/0 "
            "(install: apt-get install redis-server)."
        )
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        raise pytest.UsageError(
            f"Redis at {settings.REDIS_URL} is not answering ({exc}). Start it: redis-server"
        ) from None


@pytest.fixture(autouse=True)
def _clear_cache():
    """The cache is real Redis; start every test from an empty one."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def reference_data(transactional_db):
    """Re-seed countries, codebook, categories and roles after a transactional test's flush."""
    from tracker.stances.seeding import seed_reference_data

    seed_reference_data()
    roles.sync_roles()
    # New rows (new ids) after the flush: drop the ingest analysis' per-process copy of them.
    from tracker.ingest.analysis import reset_alias_table

    reset_alias_table()


@pytest.fixture
def analyst(db):
    return UserFactory(username="analyst", roles=[roles.ANALYST])


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", roles=[roles.EDITOR], is_staff=True)


@pytest.fixture
def source_admin(db):
    return UserFactory(username="sourceadmin", roles=[roles.SOURCE_ADMIN], is_staff=True)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def _client_for(client, user):
    # force_login: django-axes' backend needs a request, which client.login() does not pass.
    client.force_login(user)
    return client


@pytest.fixture
def analyst_client(client, analyst):
    return _client_for(client, analyst)


@pytest.fixture
def editor_client(client, editor):
    return _client_for(client, editor)


@pytest.fixture
def source_admin_client(client, source_admin):
    return _client_for(client, source_admin)


# --- Playwright on Debian's Chromium (never `playwright install`) -----------------------------
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        raise pytest.UsageError(f"{CHROMIUM} is missing: run `make deps-system` (apt-get install chromium).")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-unsafe-swiftshader",
        ],
    }
