"""Idempotent seeding of reference data, shared by the data migration and `load_demo`.

Each function takes a `get_model(app_label, model_name)` callable so the migration can pass its
historical models and live code can pass `django.apps.apps.get_model`.
"""

from collections.abc import Callable
from datetime import date

import pycountry

from tracker.stances import reference

GetModel = Callable[[str, str], type]


def seed_countries(get_model: GetModel) -> int:
    Country = get_model("stances", "Country")
    existing = set(Country.objects.values_list("code", flat=True))
    rows = []
    for c in pycountry.countries:
        if c.alpha_3 in existing:
            continue
        name = getattr(c, "common_name", None) or c.name
        aliases = {name, c.name, getattr(c, "official_name", c.name)}
        aliases.update(reference.COUNTRY_ALIASES.get(c.alpha_3, []))
        rows.append(Country(code=c.alpha_3, alpha2=c.alpha_2, name=name, aliases=sorted(aliases)))
    Country.objects.bulk_create(rows)
    for code, aliases in reference.COUNTRY_ALIASES.items():
        country = Country.objects.filter(code=code).first()
        if country and not set(aliases) <= set(country.aliases):
            country.aliases = sorted(set(country.aliases) | set(aliases))
            country.save(update_fields=["aliases"])
    # Short names read better on charts than ISO's formal ones.
    Country.objects.filter(code="KOR").update(name="South Korea")
    Country.objects.filter(code="PRK").update(name="North Korea")
    Country.objects.filter(code="RUS").update(name="Russia")
    return len(rows)


def seed_codebook(get_model: GetModel) -> None:
    CodebookVersion = get_model("stances", "CodebookVersion")
    StanceLevel = get_model("stances", "StanceLevel")
    codebook, created = CodebookVersion.objects.get_or_create(
        version=reference.CODEBOOK_VERSION,
        defaults={
            "published_on": date.fromisoformat(reference.CODEBOOK_PUBLISHED_ON),
            "changelog": reference.CODEBOOK_CHANGELOG,
            "is_current": not CodebookVersion.objects.filter(is_current=True).exists(),
        },
    )
    for rank, code, label, description, color in reference.DEFAULT_CODEBOOK:
        StanceLevel.objects.get_or_create(
            codebook=codebook,
            code=code,
            defaults={"rank": rank, "label": label, "description": description, "color": color},
        )


def seed_weapon_categories(get_model: GetModel) -> None:
    WeaponCategory = get_model("stances", "WeaponCategory")
    for code, label, description in reference.WEAPON_CATEGORIES:
        WeaponCategory.objects.get_or_create(code=code, defaults={"label": label, "description": description})


def seed_reference_data(get_model: GetModel | None = None) -> None:
    """Countries, the default codebook and weapon categories. Safe to run any number of times."""
    if get_model is None:
        from django.apps import apps

        get_model = apps.get_model
    seed_countries(get_model)
    seed_codebook(get_model)
    seed_weapon_categories(get_model)
