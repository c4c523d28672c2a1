"""Seed countries, the default codebook, weapon categories and the three role groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from tracker.roles import sync_roles
from tracker.stances.seeding import seed_reference_data


def forwards(apps, schema_editor):
    seed_reference_data(apps.get_model)
    # Permissions are normally created after all migrations ran; create them now so the
    # groups can be given theirs.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    sync_roles(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [
        ("stances", "0001_initial"),
        ("sources", "0002_initial"),
        ("review", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
