import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tracker.review.models import Suggestion
from tracker.sources.models import Article
from tracker.stances.models import Condition, Event, Statement, Track

pytestmark = pytest.mark.django_db


def _snapshot():
    return {
        "tracks": sorted(str(t) for t in Track.objects.all()),
        "statements": sorted(Statement.objects.values_list("track__donor", "stated_on", "level__code", "scope__code")),
        "events": Event.objects.count(),
        "conditions": Condition.objects.count(),
        "articles": Article.objects.count(),
        "suggestions": Suggestion.objects.count(),
        "users": sorted(get_user_model().objects.values_list("username", flat=True)),
    }


def test_loading_the_demo_twice_yields_the_same_data(settings):
    settings.FETCH_ALLOW_PRIVATE = True
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _snapshot()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _snapshot() == first


def test_the_demo_tells_the_south_korea_story(settings):
    settings.FETCH_ALLOW_PRIVATE = True
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    overall = Statement.objects.filter(track__donor="KOR", track__recipient="UKR", scope=None).order_by("stated_on")
    levels = [s.level.code for s in overall]
    assert levels[0] == "non_lethal"
    assert levels[-1] == "considering_lethal"
    shift = overall.get(stated_on="2024-10-28")
    assert shift.trigger_event.title.startswith("DPRK troops to Russia")
    assert "155mm artillery shells" in shift.weapons
    assert shift.conditions.get().kind == Condition.Kind.RED_LINE
    assert Track.objects.count() >= 6
    assert all(s.sources.exists() for s in Statement.objects.all())


def test_the_demo_users_can_log_in_with_the_printed_passwords(settings):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    users = {u.username: u for u in get_user_model().objects.all()}
    assert users["analyst"].check_password("analyst-demo-pass")
    assert users["editor"].check_password("editor-demo-pass")
    assert users["sourceadmin"].check_password("sourceadmin-demo-pass")
    assert users["analyst"].has_perm("stances.view_statement")
    assert not users["analyst"].has_perm("stances.change_statement")
    assert users["editor"].has_perm("review.change_suggestion")
    assert users["sourceadmin"].has_perm("sources.change_outlet")
    assert not users["editor"].has_perm("sources.change_outlet")


def test_the_demo_runs_its_sample_articles_through_the_pipeline_into_the_review_queue(settings):
    settings.FETCH_ALLOW_PRIVATE = True
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    fetched = Article.objects.exclude(status=Article.Status.REFERENCE)
    assert fetched.count() == 13
    copy = fetched.get(status=Article.Status.DUPLICATE)
    assert copy.outlet.name == "The Daily Globe"
    assert copy.duplicate_of.outlet.name == "Asia Pacific Wire"
    assert not copy.suggestions.exists()  # a syndicated copy is evidence, not a second suggestion
    shells = Suggestion.objects.get(article=copy.duplicate_of)
    assert (shells.donor_id, shells.recipient_id, shells.level.code) == ("KOR", "UKR", "considering_lethal")
    assert "155mm" in shells.evidence
    assert Suggestion.objects.filter(status=Suggestion.Status.PENDING).count() >= 10


def test_without_private_fetching_the_demo_skips_the_sample_articles_and_says_why(settings):
    settings.FETCH_ALLOW_PRIVATE = False
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "FETCH_ALLOW_PRIVATE=1" in out.getvalue()
    assert not Article.objects.exclude(status=Article.Status.REFERENCE).exists()
