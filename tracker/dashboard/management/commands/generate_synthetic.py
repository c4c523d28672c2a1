"""Fill the database with a large synthetic data set for the dashboard benchmarks.

    python manage.py generate_synthetic --donors 200 --statements 100000 --articles 1000000

Everything it writes is marked (outlets on *.synthetic.example, statements with notes "synthetic",
events titled "[synthetic] …") and `--reset` (the default) removes the previous synthetic set first,
so the command can be re-run. Rows go in with bulk_create in batches (articles with COPY on
PostgreSQL, ~10× faster); no history rows or validation: this is load, not editorial data.
"""

import hashlib
import io
import random
import time
from datetime import UTC, date, datetime, timedelta

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from tracker.review.models import Suggestion
from tracker.sources.models import Article, Outlet
from tracker.stances.models import Condition, Country, Event, StanceLevel, Statement, Track, WeaponCategory

MARK = "synthetic"
DOMAIN_SUFFIX = ".synthetic.example"
EVENT_PREFIX = "[synthetic] "
RECIPIENTS = ["UKR", "TWN", "ISR", "ARM", "MDA"]
BATCH = 5_000  # rows per INSERT; ~2 MB of statements
LONG_TRACK = 500  # one track gets this many statements (the "500-statement track" of the benchmark)
SPEAKERS = [
    ("Ministry of Defence", "spokesperson"),
    ("Foreign Ministry", "spokesperson"),
    ("Presidential office", "deputy national security adviser"),
    ("Prime Minister", ""),
    ("Senior government official", ""),
    ("Defence Minister", ""),
]
QUOTES = [
    "We will keep all options open and make a policy decision depending on {adversary}'s actions.",
    "Our support remains humanitarian and non-lethal; weapons deliveries are not on the table at this time.",
    "The government is reviewing a request for {item} and will decide in the coming weeks.",
    "We have approved a package that includes {item}, to be delivered in phases once conditions are met.",
    "Deliveries of {item} have begun, the defence ministry confirmed on {day}.",
    "There are no legal restrictions on weapon support, officials told reporters.",
]
ITEMS = ["155mm shells", "air-defence missiles", "armoured vehicles", "drones", "anti-tank weapons", "helmets"]


def _date_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days))


class Command(BaseCommand):
    help = "Generate a large synthetic data set (tracks, statements, articles, events) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--donors", type=int, default=200)
        parser.add_argument("--statements", type=int, default=100_000)
        parser.add_argument("--articles", type=int, default=200_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-reset", action="store_true", help="keep the previous synthetic data")

    def handle(self, *, donors, statements, articles, seed, no_reset, **options):
        rng = random.Random(seed)
        started = time.perf_counter()
        if not no_reset:
            self.reset()
        with transaction.atomic():
            counts = self.generate(rng, donors=donors, statements=statements, articles=articles)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Fresh planner statistics after a bulk load, and the reset's dead rows gone (autovacuum
                # may be off): left there, they cost every plan thousands of index reads. VACUUM cannot
                # run inside a transaction (a test's), ANALYZE can.
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        counts["seconds"] = round(time.perf_counter() - started, 1)
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))

    # --- removal -----------------------------------------------------------------------------
    def reset(self) -> None:
        """Remove the previous synthetic set with plain DELETEs (the ORM collector would load 1M rows)."""
        statement_ids = Statement.objects.filter(notes=MARK).values("id")
        outlets = Outlet.objects.filter(domain__endswith=DOMAIN_SUFFIX)
        articles = Article.objects.filter(outlet__in=outlets).values("id")
        with transaction.atomic():
            Statement.sources.through.objects.filter(statement_id__in=statement_ids)._raw_delete(connection.alias)
            Statement.conditions.through.objects.filter(statement_id__in=statement_ids)._raw_delete(connection.alias)
            Statement.sources.through.objects.filter(article_id__in=articles)._raw_delete(connection.alias)
            Suggestion.objects.filter(article_id__in=articles)._raw_delete(connection.alias)
            Statement.objects.filter(notes=MARK)._raw_delete(connection.alias)
            Condition.objects.filter(text__startswith=EVENT_PREFIX)._raw_delete(connection.alias)
            events = Event.objects.filter(title__startswith=EVENT_PREFIX).values("id")
            Event.countries.through.objects.filter(event_id__in=events)._raw_delete(connection.alias)
            Event.objects.filter(title__startswith=EVENT_PREFIX)._raw_delete(connection.alias)
            Article.objects.filter(outlet__in=outlets)._raw_delete(connection.alias)
            outlets._raw_delete(connection.alias)

    # --- generation --------------------------------------------------------------------------
    def generate(self, rng: random.Random, *, donors: int, statements: int, articles: int) -> dict:
        levels = list(StanceLevel.objects.filter(codebook__is_current=True).order_by("rank"))
        scopes = list(WeaponCategory.objects.all())
        recipients = [c for c in RECIPIENTS if Country.objects.filter(code=c).exists()]
        donor_codes = list(Country.objects.exclude(code__in=recipients).order_by("code").values_list("code", flat=True))
        donor_codes = donor_codes[:donors]
        today = date.today()
        start = date(2014, 3, 1)

        # Tracks: every donor towards every recipient (get-or-create in two queries).
        existing = {(t.donor_id, t.recipient_id): t for t in Track.objects.filter(donor_id__in=donor_codes)}
        new = [Track(donor_id=d, recipient_id=r) for d in donor_codes for r in recipients if (d, r) not in existing]
        Track.objects.bulk_create(new, batch_size=BATCH)
        tracks = list(Track.objects.filter(donor_id__in=donor_codes, recipient_id__in=recipients).order_by("id"))

        # Outlets and articles.
        outlets = Outlet.objects.bulk_create(
            [
                Outlet(domain=f"news{i}{DOMAIN_SUFFIX}", name=f"Synthetic News {i}", review_status="approved")
                for i in range(200)
            ]
        )
        self._articles(rng, outlets, articles, start, today)
        article_ids = list(
            Article.objects.filter(outlet__in=outlets).order_by("id").values_list("id", flat=True)[: statements * 2]
        )

        # Events: 2 per donor plus 50 per recipient, some linked as triggers.
        events = Event.objects.bulk_create(
            [
                Event(occurred_on=_date_between(rng, start, today), title=f"{EVENT_PREFIX}Event {i}")
                for i in range(2 * len(donor_codes) + 50 * len(recipients))
            ]
        )
        through = Event.countries.through
        links = [through(event_id=e.id, country_id=rng.choice(donor_codes)) for e in events[: 2 * len(donor_codes)]]
        links += [
            through(event_id=e.id, country_id=recipients[i % len(recipients)])
            for i, e in enumerate(events[2 * len(donor_codes) :])
        ]
        through.objects.bulk_create(links, batch_size=BATCH)

        # Statements: a random walk per track, mostly holding its level; one long track.
        rest = max(0, statements - LONG_TRACK)
        others = max(1, len(tracks) - 1)
        sizes = [min(statements, LONG_TRACK)] + [
            rest // others + (1 if i < rest % others else 0) for i in range(others)
        ]
        rows: list[Statement] = []
        created = 0
        for track, n in zip(tracks, sizes, strict=True):
            rank = rng.choice([0, 1, 1, 2])
            days = sorted(_date_between(rng, start, today) for _ in range(n))
            for day in days:
                if rng.random() < 0.12:
                    rank = max(0, min(len(levels) - 1, rank + rng.choice([-1, 1, 1])))
                speaker, role = rng.choice(SPEAKERS)
                quote = rng.choice(QUOTES).format(adversary="Russia", item=rng.choice(ITEMS), day=day.isoformat())
                rows.append(
                    Statement(
                        track=track,
                        level=levels[rank],
                        scope=rng.choice(scopes) if rng.random() < 0.15 else None,
                        stated_on=day,
                        speaker=speaker,
                        speaker_role=role,
                        certainty=rng.choices(["on_record", "attributed", "media_report"], weights=[6, 3, 2])[0],
                        quote=quote,
                        weapons=[rng.choice(ITEMS)] if rank >= 3 else [],
                        trigger_event=rng.choice(events) if rng.random() < 0.02 else None,
                        status="published" if rng.random() < 0.97 else "draft",
                        notes=MARK,
                    )
                )
                if len(rows) >= BATCH:
                    created += self._flush_statements(rows, article_ids, created)
        created += self._flush_statements(rows, article_ids, created)

        # Conditions on one track in ten; pending suggestions on the first articles.
        Condition.objects.bulk_create(
            [
                Condition(track=t, text=f"{EVENT_PREFIX}Red line {i}", kind="red_line", stated_on=start)
                for i, t in enumerate(tracks[::10])
            ]
        )
        Suggestion.objects.bulk_create(
            [
                Suggestion(
                    article_id=article_ids[-(i + 1)],
                    donor_id=t.donor_id,
                    recipient_id=t.recipient_id,
                    level=levels[rng.randrange(len(levels))],
                    evidence="Officials said they would consider supplying 155mm shells.",
                    confidence=round(rng.random(), 2),
                    detector_version=MARK,
                )
                for i, t in enumerate(tracks[:2000])
            ],
            batch_size=BATCH,
        )
        return {
            "donors": len(donor_codes),
            "recipients": len(recipients),
            "tracks": len(tracks),
            "statements": created,
            "articles": articles,
            "events": len(events),
        }

    def _flush_statements(self, rows: list[Statement], article_ids: list[int], offset: int) -> int:
        if not rows:
            return 0
        Statement.objects.bulk_create(rows)
        through = Statement.sources.through
        links = [
            through(statement_id=s.id, article_id=article_ids[(offset + i) % len(article_ids)])
            for i, s in enumerate(rows)
        ]
        through.objects.bulk_create(links, batch_size=BATCH)
        n = len(rows)
        rows.clear()
        return n

    def _articles(self, rng: random.Random, outlets: list[Outlet], n: int, start: date, today: date) -> None:
        """n articles; COPY on PostgreSQL, bulk_create elsewhere."""
        span = (today - start).days * 86400
        base = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
        now = datetime.now(UTC)

        def make(i: int) -> tuple:
            outlet = outlets[i % len(outlets)]
            url = f"https://{outlet.domain}/news/{i}"
            published = base + timedelta(seconds=rng.randrange(span))
            return (url, hashlib.sha256(url.encode()).hexdigest(), outlet.id, f"Synthetic article {i}", published)

        if connection.vendor == "postgresql":
            cols = (
                "url, canonical_url, canonical_url_hash, outlet_id, title, published_at, text, language, "
                "content_hash, status, error, attempts, created_at, updated_at"
            )
            table = Article._meta.db_table
            with connection.cursor() as cursor:
                raw = cursor.cursor  # psycopg 3 cursor: COPY … FROM STDIN
                for first in range(0, n, 50_000):
                    buf = io.StringIO()
                    for i in range(first, min(n, first + 50_000)):
                        url, h, outlet_id, title, published = make(i)
                        buf.write(
                            f"{url}\t{url}\t{h}\t{outlet_id}\t{title}\t{published.isoformat()}\t\ten\t\t"
                            f"analysed\t\t0\t{now.isoformat()}\t{now.isoformat()}\n"
                        )
                    with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                        copy.write(buf.getvalue())
            return
        batch = []
        for i in range(n):
            url, h, outlet_id, title, published = make(i)
            batch.append(
                Article(
                    url=url,
                    canonical_url=url,
                    canonical_url_hash=h,
                    outlet_id=outlet_id,
                    title=title,
                    published_at=published,
                    language="en",
                    status="analysed",
                )
            )
            if len(batch) >= BATCH:
                Article.objects.bulk_create(batch)
                batch.clear()
        Article.objects.bulk_create(batch)
