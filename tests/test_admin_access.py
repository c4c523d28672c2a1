"""Who may reach the admin and what they may do there (the review helper's tests cover the app pages)."""

import pytest
from django.urls import reverse

from tests.factories import OutletFactory
from tracker.sources.models import Outlet

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_health_check_needs_no_login(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_an_analyst_cannot_reach_the_admin(analyst_client):
    response = analyst_client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_an_analyst_sees_the_overview(analyst_client):
    assert analyst_client.get("/").status_code == 200


def _approve(client, outlet):
    return client.post(
        reverse("admin:sources_outlet_changelist"),
        {"action": "approve", "_selected_action": [outlet.pk]},
    )


def test_an_editor_cannot_approve_outlets(editor_client):
    outlet = OutletFactory(review_status=Outlet.ReviewStatus.PENDING)
    changelist = editor_client.get(reverse("admin:sources_outlet_changelist"))
    assert changelist.status_code == 200  # editors may read outlets …
    assert b'value="approve"' not in changelist.content  # … but are not offered the action
    _approve(editor_client, outlet)
    edit = editor_client.post(
        reverse("admin:sources_outlet_change", args=[outlet.pk]),
        {"domain": outlet.domain, "name": outlet.name, "review_status": "approved", "reliability": "A"},
    )
    assert edit.status_code == 403
    outlet.refresh_from_db()
    assert outlet.review_status == Outlet.ReviewStatus.PENDING


def test_a_source_admin_approves_an_outlet_and_the_history_names_them(source_admin_client, source_admin):
    outlet = OutletFactory(review_status=Outlet.ReviewStatus.PENDING)
    response = _approve(source_admin_client, outlet)
    assert response.status_code == 302
    outlet.refresh_from_db()
    assert outlet.review_status == Outlet.ReviewStatus.APPROVED
    assert outlet.reviewed_by == source_admin
    assert outlet.history.first().history_user == source_admin
