"""`manage.py ingest_folder PATH`: run the pipeline on saved .html pages (no fetching)."""

from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.ingest.services import ingest_folder


class Command(BaseCommand):
    help = "Extract, dedupe and analyse every saved .html/.htm page under PATH (nothing is fetched)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        if not path.is_dir():
            raise CommandError(f"{path} is not a folder.")
        articles = ingest_folder(path=path)
        for article in articles:
            detail = f" - {article.error}" if article.error else ""
            self.stdout.write(f"{article.status:<9} {article.url}{detail}")
        counts = Counter(article.status for article in articles)
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no pages"
        self.stdout.write(f"{len(articles)} page(s): {summary}")
