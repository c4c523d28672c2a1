"""Security properties: CSRF on every form, login throttling per username+IP, cookies, CSP."""

import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import ConditionFactory, FeedFactory, StatementFactory, SuggestionFactory, UserFactory
from tests.test_permissions import MATRIX

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # UserFactory's password

# Pages whose form posts back to themselves (GET shows the form, POST submits it).
SELF_POSTING = [
    ("stances:statement_create", []),
    ("stances:statement_edit", ["statement"]),
    ("stances:condition_create", []),
    ("stances:condition_edit", ["condition"]),
    ("stances:event_create", []),
    ("review:edit", ["suggestion"]),
    ("review:follows", []),
    ("sources:outlet_edit", ["outlet"]),
]
POST_ENDPOINTS = [(name, args) for name, args, method, _ in MATRIX if method == "post"] + SELF_POSTING


@pytest.fixture
def objects():
    statement = StatementFactory()
    return {
        "statement": statement.pk,
        "suggestion": SuggestionFactory().pk,
        "outlet": statement.sources.get().outlet_id,
        "feed": FeedFactory().pk,
        "condition": ConditionFactory().pk,
        "code": "KOR",
    }


@pytest.fixture
def csrf_client():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def _csrf_token(client: Client) -> str:
    """The token a browser would send: from a page with a form (this also sets the csrftoken cookie)."""
    page = client.get(reverse("review:follows")).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize(("name", "args"), POST_ENDPOINTS, ids=[n for n, _ in POST_ENDPOINTS])
def test_every_form_refuses_a_post_without_the_csrf_token(csrf_client, objects, monkeypatch, name, args):
    monkeypatch.setattr("tracker.ingest.tasks.poll_feed.delay", lambda *a, **k: None)
    url = reverse(name, args=[objects[a] for a in args])
    assert csrf_client.post(url).status_code == 403
    # ... and accepts the same post with the token the page hands out
    token = _csrf_token(csrf_client)
    assert csrf_client.post(url, {"csrfmiddlewaretoken": token}).status_code != 403


def test_the_login_form_needs_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    UserFactory(username="alice")
    assert client.post(reverse("login"), {"username": "alice", "password": PASSWORD}).status_code == 403


@pytest.mark.parametrize(
    "name", ["review:queue", "stances:statement_create", "review:follows", "sources:outlet_list", "sources:feed_list"]
)
def test_every_post_form_on_a_page_carries_a_csrf_token(csrf_client, objects, name):
    FeedFactory()
    page = csrf_client.get(reverse(name)).content.decode()
    forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", page, flags=re.S)
    assert forms
    assert all("csrfmiddlewaretoken" in form for form in forms)


# --- login throttling (django-axes, username + IP) -------------------------------------------------
def _login(username: str, password: str, ip: str):
    return Client().post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_failed_logins_lock_that_username_from_that_address_only():
    UserFactory(username="alice")
    UserFactory(username="bob")
    statuses = [
        _login("alice", "wrong password", "203.0.113.7").status_code for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    # The form again with an error, until the limit-th failure locks the pair
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    # Alice from the same address is locked out, even with the right password
    locked = _login("alice", PASSWORD, "203.0.113.7")
    assert locked.status_code == 429
    assert "_auth_user_id" not in locked.client.session
    # A colleague behind the same NAT is not
    bob = _login("bob", PASSWORD, "203.0.113.7")
    assert bob.status_code == 302
    assert bob.client.session["_auth_user_id"]
    # Nor is Alice from another address
    elsewhere = _login("alice", PASSWORD, "198.51.100.20")
    assert elsewhere.status_code == 302


def test_fewer_failures_than_the_limit_do_not_lock():
    UserFactory(username="carol")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login("carol", "typo", "203.0.113.9")
    assert _login("carol", PASSWORD, "203.0.113.9").status_code == 302


# --- production settings -----------------------------------------------------------------------
def test_production_settings_secure_the_cookies_and_transport():
    env = {
        **os.environ,
        "DJANGO_PRODUCTION": "1",
        "DJANGO_SECRET_KEY": "x" * 64,
        "DJANGO_ALLOWED_HOSTS": "stanceline.example.org",
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
    }
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({k: getattr(s, k)"
        " for k in ['DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY',"
        " 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_CONTENT_TYPE_NOSNIFF', 'X_FRAME_OPTIONS']}))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    values = json.loads(out.stdout.strip().splitlines()[-1])
    assert values == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "X_FRAME_OPTIONS": "DENY",
    }


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env.update({"DJANGO_PRODUCTION": "1", "DJANGO_SETTINGS_MODULE": "tracker.settings"})
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True
    )
    assert out.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in out.stderr


# --- Content-Security-Policy -------------------------------------------------------------------
def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in header.split(";")) if d}


@pytest.mark.parametrize(
    "name", ["review:queue", "stances:statement_create", "stances:statement_list", "sources:feed_list", "login"]
)
def test_pages_send_a_csp_without_inline_scripts(csrf_client, name):
    response = csrf_client.get(reverse(name))
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy.get("script-src", [])
    assert "'unsafe-eval'" not in policy.get("script-src", [])
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    # and the page itself keeps to it: every script is a file or JSON data, none inline
    for tag in re.findall(r"<script\b[^>]*>", response.content.decode()):
        assert 'src="' in tag or 'type="application/json"' in tag, tag
