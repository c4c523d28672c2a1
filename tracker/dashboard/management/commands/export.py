from django.core.management.base import BaseCommand

from tracker.dashboard.exports import EXPORTS, write_csv, write_json


class Command(BaseCommand):
    help = "Write suggestions, statements or articles to stdout as JSON or CSV (shapes in DESIGN.md)."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=sorted(EXPORTS))
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, what: str, format: str, **options):
        rows_for, fields = EXPORTS[what]
        rows = rows_for()
        if format == "json":
            write_json(rows, self.stdout)
        else:
            write_csv(rows, fields, self.stdout)
