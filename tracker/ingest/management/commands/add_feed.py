"""`manage.py add_feed URL --outlet NAME [--approve]`: register a feed and its outlet."""

from django.core.management.base import BaseCommand, CommandError

from tracker.ingest.services import feed_add
from tracker.sources.fetching import FetchError


class Command(BaseCommand):
    help = "Register a feed (and its outlet). --approve marks the outlet reviewed-approved."

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument("--outlet", required=True, help="The outlet's display name.")
        parser.add_argument("--approve", action="store_true", help="Mark the outlet approved.")

    def handle(self, *args, url, outlet, approve, **options):
        try:
            feed = feed_add(url=url, outlet_name=outlet, approve=approve)
        except FetchError as exc:
            raise CommandError(f"Cannot add {url}: {exc}") from None
        self.stdout.write(
            f"feed {feed.id}: {feed.url} (outlet {feed.outlet.name}, {feed.outlet.get_review_status_display()}); "
            f"next poll {feed.next_poll_at:%Y-%m-%d %H:%M} UTC"
        )
