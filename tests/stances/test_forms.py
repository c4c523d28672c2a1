from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import level
from tracker.stances.forms import EventForm, StatementForm

pytestmark = pytest.mark.django_db


def data(**overrides):
    base = {
        "donor": "KOR",
        "recipient": "UKR",
        "level": level("open_to_lethal").pk,
        "stated_on": "2024-10-24",
        "speaker": "Senior official",
        "certainty": "attributed",
        "quote": "All options are open.",
        "channel": "indirect",
        "weapons": " 155mm shells ,, K9 howitzers ",
        "new_conditions": "Russia's actions\n\n  Further deployments  ",
        "source_urls": "https://example.org/a\nhttps://example.org/a\nhttps://example.org/b",
    }
    base.update(overrides)
    return base


def test_lists_are_split_trimmed_and_deduplicated():
    form = StatementForm(data())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["weapons"] == ["155mm shells", "K9 howitzers"]
    assert form.cleaned_data["new_conditions"] == ["Russia's actions", "Further deployments"]
    assert form.cleaned_data["source_urls"] == ["https://example.org/a", "https://example.org/b"]


def test_only_web_addresses_are_sources():
    form = StatementForm(data(source_urls="javascript:alert(1)"))
    assert not form.is_valid()
    assert form.errors["source_urls"] == ["Not a web address: javascript:alert(1)"]


def test_todays_date_is_fine_and_tomorrow_is_not():
    today = timezone.localdate()
    assert StatementForm(data(stated_on=today.isoformat())).is_valid()
    form = StatementForm(data(stated_on=(today + timedelta(days=1)).isoformat()))
    assert "is in the future" in form.errors["stated_on"][0]


def test_only_levels_of_the_current_codebook_are_offered():
    form = StatementForm()
    assert [lv.code for lv in form.fields["level"].queryset] == [
        "prohibits",
        "non_lethal",
        "open_to_lethal",
        "considering_lethal",
        "conditional_lethal",
        "pledged_lethal",
        "delivering_lethal",
    ]


def test_an_event_needs_at_least_one_country():
    form = EventForm({"occurred_on": "2024-10-18", "title": "Deployment"})
    assert not form.is_valid()
    assert "countries" in form.errors
