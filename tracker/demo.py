"""`load_demo`: reference data, roles, demo users, the curated tracks, and sample articles
run through the real ingestion pipeline. Idempotent: a second run changes nothing."""

import json
import threading
from contextlib import contextmanager
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.test.utils import override_settings

from tracker import demo_data, roles
from tracker.review.models import Suggestion
from tracker.sources.models import Article, Outlet
from tracker.sources.services import article_reference_get_or_create, outlet_get_or_create_for_url, outlet_review
from tracker.stances import services as stances
from tracker.stances.models import Condition, Event, Statement, WeaponCategory
from tracker.stances.seeding import seed_reference_data


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def demo_users_ensure() -> None:
    User = get_user_model()
    for username, password, role, is_staff in demo_data.DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.org"})
        if not user.check_password(password) or user.is_staff != is_staff:
            user.set_password(password)
            user.is_staff = is_staff
            user.save()
        user.groups.add(Group.objects.get(name=role))


def demo_events_ensure() -> dict[str, Event]:
    events = {}
    for key, occurred_on, title, countries, description in demo_data.EVENTS:
        event = Event.objects.filter(occurred_on=_d(occurred_on), title=title).first()
        if event is None:
            event = stances.event_create(
                occurred_on=_d(occurred_on), title=title, countries=countries, description=description
            )
        events[key] = event
    return events


def demo_tracks_ensure(events: dict[str, Event]) -> int:
    created = 0
    for (donor, recipient), spec in demo_data.TRACKS.items():
        track = stances.track_get_or_create(donor=donor, recipient=recipient)
        conditions = {}
        for key, text, kind, status, stated_on, resolved_on in spec["conditions"]:
            condition = Condition.objects.filter(track=track, text=text).first()
            if condition is None:
                condition = stances.condition_create(
                    track=track,
                    text=text,
                    kind=kind,
                    status=status,
                    stated_on=_d(stated_on),
                    resolved_on=_d(resolved_on),
                )
            conditions[key] = condition
        for row in spec["statements"]:
            (stated_on, level, scope, speaker, role, certainty, channel, quote, weapons, cond_keys, event_key, url) = (
                row
            )
            scope_obj = WeaponCategory.objects.get(code=scope) if scope else None
            if Statement.objects.filter(
                track=track, stated_on=_d(stated_on), speaker=speaker, scope=scope_obj
            ).exists():
                continue
            source = article_reference_get_or_create(
                url=url, title=url.rsplit("/", 1)[-1].replace("_", " "), outlet_name="Wikipedia (reference)"
            )
            stances.statement_create(
                track=track,
                level=stances.level_by_code(level),
                scope=scope_obj,
                stated_on=_d(stated_on),
                speaker=speaker,
                speaker_role=role,
                certainty=certainty,
                channel=channel,
                quote=quote,
                weapons=weapons,
                conditions=[conditions[k] for k in cond_keys],
                trigger_event=events[event_key] if event_key else None,
                sources=[source],
            )
            created += 1
    return created


@transaction.atomic
def demo_curated_load() -> int:
    seed_reference_data()
    roles.sync_roles()
    demo_users_ensure()
    events = demo_events_ensure()
    return demo_tracks_ensure(events)


# --- Sample articles through the real pipeline -------------------------------------------------
DEMO_PAGES = Path(__file__).resolve().parent / "ingest" / "demo_pages"
DEMO_FEED_HOST = "newsdesk.example"
DEMO_FEED_URL = f"http://{DEMO_FEED_HOST}/feed.xml"
# Outlets the sample pages were written for (manifest.json): reliability as a source admin might rate them.
DEMO_RELIABILITY = {"apwire.example": "A", "seoulherald.example": "B", "dailyglobe.example": "C"}


def _demo_site(manifest: list[dict]) -> dict[str, bytes]:
    """Path → body for every file the demo server answers, with `{base}` filled in per outlet."""
    domain_of = {page["file"]: page["domain"] for page in manifest}
    files = {}
    feed = (DEMO_PAGES / "feed.xml").read_text()
    for name, domain in domain_of.items():
        feed = feed.replace("{base}/" + name, f"http://{domain}/{name}")
    files["/feed.xml"] = feed.replace("{base}", f"http://{DEMO_FEED_HOST}").encode()
    for name, domain in domain_of.items():
        files["/" + name] = (DEMO_PAGES / name).read_text().replace("{base}", f"http://{domain}").encode()
    return files


@contextmanager
def _demo_server(files: dict[str, bytes]):
    """A loopback HTTP server for the sample outlets, for the length of the load."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            body = files.get(self.path.split("?", 1)[0])
            if body is None:
                self.send_error(404)
                return
            kind = "application/rss+xml" if self.path.endswith(".xml") else "text/html; charset=utf-8"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def demo_articles_load() -> str:
    """Serve the bundled sample pages on loopback under their outlets' names and run them through the
    ingestion pipeline: feed poll → fetch → extract → dedupe → analyse → pending suggestions."""
    from tracker.ingest import services as ingest

    if not settings.FETCH_ALLOW_PRIVATE:
        return "Sample articles skipped: they are served on loopback, so run with FETCH_ALLOW_PRIVATE=1."
    manifest = json.loads((DEMO_PAGES / "manifest.json").read_text())
    for page in manifest:
        outlet = outlet_get_or_create_for_url(url=f"http://{page['domain']}/", name=page["outlet"])
        if outlet.review_status == Outlet.ReviewStatus.PENDING and page["domain"] in DEMO_RELIABILITY:
            outlet_review(
                outlet_id=outlet.id,
                user=None,
                review_status=Outlet.ReviewStatus.APPROVED,
                reliability=DEMO_RELIABILITY[page["domain"]],
            )
    hosts = {page["domain"] for page in manifest} | {DEMO_FEED_HOST}
    with _demo_server(_demo_site(manifest)) as port:
        overrides = {host: f"127.0.0.1:{port}" for host in hosts}
        with override_settings(FETCH_RESOLVE_OVERRIDES=overrides, FETCH_DOMAIN_INTERVAL=0):
            feed = ingest.feed_add(url=DEMO_FEED_URL, outlet_name="Stanceline demo newsdesk", approve=True)
            result = ingest.feed_poll(feed_id=feed.id, force=True)
            # Process here and now, whether or not workers are running (the service is idempotent).
            for article_id in result.new_article_ids:
                ingest.article_process(article_id=article_id)
    articles = Article.objects.filter(feed=feed)
    return (
        f"Sample articles: {articles.count()} from the demo feed "
        f"({articles.filter(status=Article.Status.DUPLICATE).count()} syndicated copies), "
        f"{Suggestion.objects.filter(article__feed=feed).count()} suggestions for the review queue."
    )
