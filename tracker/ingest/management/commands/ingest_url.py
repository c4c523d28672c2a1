"""`manage.py ingest_url URL [--outlet NAME]`: fetch, extract, dedupe and analyse one article now."""

from django.core.management.base import BaseCommand, CommandError

from tracker.ingest.services import ingest_url
from tracker.sources.fetching import FetchError


class Command(BaseCommand):
    help = "Fetch, extract, dedupe and analyse one article now, in this process."

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument("--outlet", default=None, help="Name for the outlet if it is new.")

    def handle(self, *args, url, outlet, **options):
        try:
            article = ingest_url(url=url, outlet_name=outlet)
        except FetchError as exc:
            raise CommandError(f"Could not ingest {url}: {exc}") from None
        suggestions = article.suggestions.count()
        line = f"article {article.id}: {article.status}"
        if article.duplicate_of_id:
            line += f" (duplicate of {article.duplicate_of_id})"
        if article.error:
            line += f" - {article.error}"
        self.stdout.write(f"{line}; {suggestions} suggestion(s); {article.title or article.url}")
        if article.status not in ("analysed", "duplicate"):
            raise CommandError(f"{url} was not ingested ({article.status}).")
