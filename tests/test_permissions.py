"""The permission matrix: every URL of the project × every role, in one table.

Rows name routes, not paths, and `test_every_route_is_in_the_table` fails when a new route is added
without a row, so no view can ship without its permissions being stated here.
"""

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import ConditionFactory, FeedFactory, StatementFactory, SuggestionFactory, UserFactory
from tracker import roles

ROLES = ["anonymous", "analyst", "editor", "source_admin", "staff"]
LOGIN = "login"  # anonymous: redirected to the login form
ADMIN_LOGIN = "admin-login"  # the admin's own login redirect

ALL_READERS = {"anonymous": LOGIN, "analyst": 200, "editor": 200, "source_admin": 200, "staff": 200}
EDITORS_ONLY = {"anonymous": LOGIN, "analyst": 403, "editor": 200, "source_admin": 403, "staff": 200}
EDITORS_POST = {"anonymous": LOGIN, "analyst": 403, "editor": 302, "source_admin": 403, "staff": 302}
SOURCE_ADMINS_ONLY = {"anonymous": LOGIN, "analyst": 403, "editor": 403, "source_admin": 200, "staff": 200}
SOURCE_ADMINS_POST = {"anonymous": LOGIN, "analyst": 403, "editor": 403, "source_admin": 302, "staff": 302}
# Admin model pages: LoginRequiredMiddleware catches anonymous users first, the admin non-staff ones.
ADMIN_MODEL_PAGE = {"anonymous": LOGIN, "analyst": ADMIN_LOGIN, "editor": 200, "source_admin": 200, "staff": 200}
READERS_POST = {"anonymous": LOGIN, "analyst": 302, "editor": 302, "source_admin": 302, "staff": 302}

# (route name, argument names, method, expected per role)
MATRIX = [
    # analysts' dashboard
    ("dashboard:overview", [], "get", ALL_READERS),
    ("dashboard:track", ["donor", "recipient"], "get", ALL_READERS),
    ("dashboard:track_scopes", ["donor", "recipient"], "get", ALL_READERS),
    ("dashboard:compare", [], "get", ALL_READERS),
    ("dashboard:country", ["code"], "get", ALL_READERS),
    ("dashboard:statement", ["statement"], "get", ALL_READERS),
    ("dashboard:api_track", ["donor", "recipient"], "get", ALL_READERS),
    ("dashboard:feed_token_reset", [], "post", READERS_POST),
    # public by design: a health probe, and the Atom feed authorised by a secret key in its URL
    ("dashboard:healthz", [], "get", dict.fromkeys(ROLES, 200)),
    ("dashboard:shift_feed", ["bad_key"], "get", dict.fromkeys(ROLES, 404)),
    # statements, conditions, events
    ("stances:statement_list", [], "get", ALL_READERS),
    ("stances:statement_detail", ["statement"], "get", ALL_READERS),
    ("stances:statement_create", [], "get", EDITORS_ONLY),
    ("stances:statement_create", [], "post", {**EDITORS_ONLY}),  # invalid data: the form again, 200
    ("stances:statement_edit", ["statement"], "get", EDITORS_ONLY),
    ("stances:statement_retract", ["statement"], "post", EDITORS_POST),
    ("stances:statements_flagged", [], "get", EDITORS_ONLY),
    ("stances:condition_list", [], "get", ALL_READERS),
    ("stances:condition_create", [], "get", EDITORS_ONLY),
    ("stances:condition_edit", ["condition"], "get", EDITORS_ONLY),
    ("stances:event_list", [], "get", ALL_READERS),
    ("stances:event_create", [], "get", EDITORS_ONLY),
    # review queue
    ("review:queue", [], "get", EDITORS_ONLY),
    ("review:accept", ["suggestion"], "post", EDITORS_POST),
    ("review:edit", ["suggestion"], "get", EDITORS_ONLY),
    ("review:reject", ["suggestion"], "post", EDITORS_POST),
    ("review:duplicate", ["suggestion"], "post", EDITORS_POST),
    ("review:bulk_reject", [], "post", EDITORS_POST),
    ("review:articles", [], "get", EDITORS_ONLY),
    ("review:articles_dismiss", [], "post", EDITORS_POST),
    ("review:articles_restore", [], "post", EDITORS_POST),
    ("review:follows", [], "get", ALL_READERS),
    ("review:follow_toggle", ["code"], "post", READERS_POST),
    # source admins
    ("sources:outlet_list", [], "get", SOURCE_ADMINS_ONLY),
    ("sources:outlet_edit", ["outlet"], "get", SOURCE_ADMINS_ONLY),
    ("sources:outlet_approve", ["outlet"], "post", SOURCE_ADMINS_POST),
    ("sources:outlet_block", ["outlet"], "post", SOURCE_ADMINS_POST),
    ("sources:feed_list", [], "get", SOURCE_ADMINS_ONLY),
    ("sources:feed_pause", ["feed"], "post", SOURCE_ADMINS_POST),
    ("sources:feed_resume", ["feed"], "post", SOURCE_ADMINS_POST),
    ("sources:feed_poll", ["feed"], "post", SOURCE_ADMINS_POST),
    # Django admin: staff only (editors and source admins are staff, with their roles' permissions)
    ("admin:index", [], "get", {**ADMIN_MODEL_PAGE, "anonymous": ADMIN_LOGIN}),
    ("admin:stances_statement_changelist", [], "get", ADMIN_MODEL_PAGE),
    ("admin:sources_outlet_changelist", [], "get", ADMIN_MODEL_PAGE),
    ("admin:sources_feed_changelist", [], "get", {**ADMIN_MODEL_PAGE, "editor": 403}),
]
# Routes outside the matrix on purpose: the login/logout views themselves and the rest of the admin
# (its own staff + model-permission checks, sampled above).
UNLISTED = {"login", "logout"}


def _route_names(patterns, prefix="") -> set[str]:
    names = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            names |= _route_names(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
        elif isinstance(p, URLPattern) and p.name:
            names.add(prefix + p.name)
    return names


def test_every_route_is_in_the_table():
    listed = {name for name, *_ in MATRIX}
    missing = _route_names(get_resolver().url_patterns) - listed - UNLISTED
    assert not missing, f"Routes without a row in the permission matrix: {sorted(missing)}"


@pytest.fixture
def objects(db):
    statement = StatementFactory()
    return {
        "statement": statement.pk,
        "suggestion": SuggestionFactory().pk,
        "outlet": statement.sources.get().outlet_id,
        "feed": FeedFactory().pk,
        "condition": ConditionFactory().pk,
        "donor": "KOR",
        "recipient": "UKR",
        "code": "KOR",
        "bad_key": "not-a-real-key",
    }


def _login_as(client, role: str):
    if role == "anonymous":
        return client
    if role == "staff":
        user = UserFactory(username="staff", is_staff=True, is_superuser=True)
    else:
        user = UserFactory(username=role, roles=[role], is_staff=role != roles.ANALYST)
    client.force_login(user)
    return client


CASES = [
    pytest.param(name, args, method, role, expected[role], id=f"{method} {name} as {role}")
    for name, args, method, expected in MATRIX
    for role in ROLES
]


@pytest.mark.parametrize(("name", "args", "method", "role", "expected"), CASES)
def test_permission_matrix(client, objects, monkeypatch, name, args, method, role, expected):
    monkeypatch.setattr("tracker.ingest.tasks.poll_feed.delay", lambda *a, **k: None)
    url = reverse(name, args=[objects[a] for a in args])
    client = _login_as(client, role)
    response = getattr(client, method)(url)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse(settings.LOGIN_URL) + "?next=")
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == expected, response.content[:300]
        if expected == 302:
            assert not response["Location"].startswith(reverse(settings.LOGIN_URL))
