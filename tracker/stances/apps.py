from django.apps import AppConfig


class StancesConfig(AppConfig):
    name = "tracker.stances"
