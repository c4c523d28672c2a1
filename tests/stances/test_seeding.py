import pycountry
import pytest

from tracker.stances import reference
from tracker.stances.models import Country, StanceLevel, WeaponCategory
from tracker.stances.seeding import seed_reference_data

pytestmark = pytest.mark.django_db


def test_the_default_codebook_is_ordered_and_complete():
    levels = list(StanceLevel.objects.filter(codebook__is_current=True).order_by("rank"))
    assert [lv.rank for lv in levels] == list(range(7))
    assert [lv.code for lv in levels] == [
        "prohibits",
        "non_lethal",
        "open_to_lethal",
        "considering_lethal",
        "conditional_lethal",
        "pledged_lethal",
        "delivering_lethal",
    ]
    assert all(lv.label and lv.color.startswith("#") for lv in levels)


def test_every_iso_country_is_seeded_with_its_aliases():
    assert Country.objects.count() == len(pycountry.countries)
    korea = Country.objects.get(code="KOR")
    assert korea.name == "South Korea"
    assert {"Seoul", "South Korean", "ROK"} <= set(korea.aliases)
    assert "Kremlin" in Country.objects.get(code="RUS").aliases


def test_every_scope_category_from_the_design_is_seeded():
    assert set(WeaponCategory.objects.values_list("code", flat=True)) == {c for c, _, _ in reference.WEAPON_CATEGORIES}
    assert WeaponCategory.objects.count() == 14


def test_seeding_again_changes_nothing():
    before = (Country.objects.count(), StanceLevel.objects.count(), WeaponCategory.objects.count())
    seed_reference_data()
    after = (Country.objects.count(), StanceLevel.objects.count(), WeaponCategory.objects.count())
    assert before == after
