from django.core.management.base import BaseCommand

from tracker import demo


class Command(BaseCommand):
    help = "Load the demo data set (idempotent): codebook, countries, tracks, events, users, sample articles."

    def handle(self, *args, **options):
        created = demo.demo_curated_load()
        self.stdout.write(f"Curated statements: {created} new.")
        articles = demo.demo_articles_load()
        self.stdout.write(articles)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
