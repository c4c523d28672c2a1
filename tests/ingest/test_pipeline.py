"""The article pipeline: enqueue → fetch → extract → canonical → dedupe → analyse, idempotent and bounded
(rows 7-10, 18, 21, 23, 25 of the reliability table). Pages come from a local HTTP server."""

from datetime import timedelta

import psycopg
import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import OutletFactory
from tests.httpd import Route, allow_loopback, serve_http
from tests.ingest.pages import GERMANY_TAURUS, HOWITZER_OUTPUT, KOREA_CONSIDERING, RICE_PRICES, article_page
from tracker.ingest import services
from tracker.ingest.services import (
    ADVISORY_ARTICLE,
    MAX_ARTICLE_ATTEMPTS,
    article_enqueue,
    article_process,
    articles_requeue_stale,
    ingest_folder,
    ingest_url,
)
from tracker.review.models import Suggestion
from tracker.sources.fetching import TransientFetchError
from tracker.sources.models import Article, Outlet

httpd = pytest.fixture(serve_http)
fetch_settings = pytest.fixture(allow_loopback)

pytestmark = pytest.mark.django_db


def serve(httpd, path, page: bytes, **kwargs) -> str:
    return httpd.add(path, Route(body=page, **kwargs))


def korea_page(**kwargs) -> bytes:
    return article_page("South Korea weighs lethal aid to Ukraine", KOREA_CONSIDERING, **kwargs)


def snapshot():
    return (
        list(Article.objects.order_by("id").values_list("id", "status", "updated_at", "attempts")),
        list(Suggestion.objects.order_by("id").values_list("id", "updated_at")),
    )


# --- Enqueue ----------------------------------------------------------------------------------
def test_article_enqueue_creates_one_article_per_canonical_url_and_publishes_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = article_enqueue(url="https://news.example/a/1?utm_source=x")
        second = article_enqueue(url="http://www.news.example/a/1/#top")

    assert first.id == second.id
    assert Article.objects.count() == 1
    assert [c.args for c in callbacks] == [("process_article", first.id)]
    assert first.status == Article.Status.QUEUED
    assert first.outlet.review_status == Outlet.ReviewStatus.PENDING


def test_nothing_is_published_for_an_enqueue_that_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                article_enqueue(url="https://news.example/a/2")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass

    assert callbacks == []
    assert Article.objects.count() == 0


def test_the_committed_enqueue_runs_the_processing_task_without_does_not_exist(
    django_capture_on_commit_callbacks, httpd, fetch_settings, monkeypatch
):
    # The embedded default (no broker): the task runs in-process right after commit.
    from tracker.celery import app

    monkeypatch.setattr(app.conf, "task_always_eager", True)
    url = serve(httpd, "/a/1", korea_page())

    with django_capture_on_commit_callbacks(execute=True):
        article = article_enqueue(url=url)

    article.refresh_from_db()
    assert article.status == Article.Status.ANALYSED


# --- The happy path and idempotency -------------------------------------------------------------
def test_processing_fetches_extracts_and_creates_suggestions(httpd, fetch_settings):
    article = article_enqueue(url=serve(httpd, "/a/1", korea_page()))

    article_process(article_id=article.id)

    article.refresh_from_db()
    assert article.status == Article.Status.ANALYSED, article.error
    assert article.title.startswith("South Korea weighs lethal aid")
    assert "155mm artillery shells" in article.text
    assert "tracking pixel" not in article.text
    assert "Accept all" not in article.text
    assert article.language == "en"
    assert article.published_at.isoformat() == "2024-10-21T00:00:00+00:00"
    assert len(article.content_hash) == 64
    assert article.attempts == 1
    suggestion = Suggestion.objects.get(article=article, donor="KOR", recipient="UKR", scope__isnull=True)
    assert suggestion.status == Suggestion.Status.PENDING
    assert suggestion.evidence in article.text


def test_an_article_naming_arms_and_two_countries_without_a_stance_waits_for_an_editors_look(httpd, fetch_settings):
    no_stance = article_enqueue(
        url=serve(httpd, "/a/howitzers", article_page("Hanwha to double K9 output", HOWITZER_OUTPUT))
    )
    no_arms = article_enqueue(url=serve(httpd, "/a/rice", article_page("Rice prices rise again", RICE_PRICES)))
    with_signal = article_enqueue(url=serve(httpd, "/a/1", korea_page()))

    for article in (no_stance, no_arms, with_signal):
        article_process(article_id=article.id)
        article.refresh_from_db()
        assert article.status == Article.Status.ANALYSED, article.error

    assert not Suggestion.objects.filter(article__in=[no_stance, no_arms]).exists()
    assert no_stance.triage == Article.Triage.PENDING
    assert no_arms.triage == Article.Triage.NONE
    assert with_signal.triage == Article.Triage.NONE


def test_processing_twice_changes_nothing_the_second_time(httpd, fetch_settings):
    article = article_enqueue(url=serve(httpd, "/a/1", korea_page()))
    article_process(article_id=article.id)
    before = snapshot()

    article_process(article_id=article.id)

    assert snapshot() == before
    assert len(httpd.hits_for("/a/1")) == 1


def test_an_article_left_extracted_by_a_crash_resumes_without_fetching_again(httpd, fetch_settings, monkeypatch):
    article = article_enqueue(url=serve(httpd, "/a/1", korea_page()))
    monkeypatch.setattr(services, "_analyse", lambda a: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        article_process(article_id=article.id)
    monkeypatch.undo()
    article.refresh_from_db()
    assert article.status == Article.Status.EXTRACTED

    article_process(article_id=article.id)

    article.refresh_from_db()
    assert article.status == Article.Status.ANALYSED
    assert len(httpd.hits_for("/a/1")) == 1
    assert article.attempts == 2


def test_a_duplicate_delivery_while_another_worker_holds_the_article_is_a_no_op(httpd, fetch_settings):
    article = article_enqueue(url=serve(httpd, "/a/1", korea_page()))
    settings_dict = connection.settings_dict
    other = psycopg.connect(
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"],
        dbname=settings_dict["NAME"],
        autocommit=True,
    )
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_ARTICLE | article.id])

        article_process(article_id=article.id)
    finally:
        other.close()

    article.refresh_from_db()
    assert article.status == Article.Status.QUEUED
    assert article.attempts == 0
    assert httpd.hits == []


# --- Canonical URLs and duplicates --------------------------------------------------------------
def test_rel_canonical_on_the_same_domain_is_adopted(httpd, fetch_settings):
    canonical = f"http://127.0.0.1:{httpd.port}/story/korea"
    article = article_enqueue(url=serve(httpd, "/a/1", korea_page(canonical=canonical)))

    article_process(article_id=article.id)

    article.refresh_from_db()
    assert article.canonical_url == f"https://127.0.0.1:{httpd.port}/story/korea"
    assert article.status == Article.Status.ANALYSED


def test_rel_canonical_on_another_domain_is_ignored(httpd, fetch_settings):
    article = article_enqueue(url=serve(httpd, "/a/1", korea_page(canonical="https://aggregator.example/k")))
    before = article.canonical_url

    article_process(article_id=article.id)

    article.refresh_from_db()
    assert article.canonical_url == before


def test_a_second_url_whose_canonical_is_taken_becomes_a_duplicate(httpd, fetch_settings):
    canonical = f"http://127.0.0.1:{httpd.port}/story/korea"
    first = article_enqueue(url=serve(httpd, "/a/1", korea_page(canonical=canonical)))
    second = article_enqueue(url=serve(httpd, "/amp/1", korea_page(canonical=canonical)))

    article_process(article_id=first.id)
    article_process(article_id=second.id)

    second.refresh_from_db()
    assert second.status == Article.Status.DUPLICATE
    assert second.duplicate_of_id == first.id
    assert not Suggestion.objects.filter(article=second).exists()


def test_a_syndicated_copy_on_another_outlet_is_linked_to_the_first_and_gets_no_suggestion(httpd, fetch_settings):
    original = article_enqueue(url=serve(httpd, "/a/1", korea_page()))
    copy_outlet = OutletFactory(domain="partner.example", name="Partner")
    copy_page = article_page("Seoul mulls weapons for Kyiv", KOREA_CONSIDERING[:3] + ["Reporting by a partner desk."])
    copy = article_enqueue(url=serve(httpd, "/partner/1", copy_page), outlet=copy_outlet)
    other = article_enqueue(url=serve(httpd, "/a/2", article_page("Scholz rules out Taurus", GERMANY_TAURUS)))

    for article in (original, copy, other):
        article_process(article_id=article.id)

    copy.refresh_from_db()
    other.refresh_from_db()
    assert copy.status == Article.Status.DUPLICATE
    assert copy.duplicate_of_id == original.id
    assert not Suggestion.objects.filter(article=copy).exists()
    assert other.status == Article.Status.ANALYSED
    assert other.duplicate_of_id is None


# --- Rejections and failures ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("route", "error_start"),
    [
        (Route(status=404), "fetch_permanent"),
        (Route(status=410), "fetch_permanent"),
        (Route(body=b"%PDF-1.7 ...", content_type="application/pdf"), "fetch_permanent"),
        (Route(body=b"\x89PNG\r\n", content_type="image/png"), "fetch_permanent"),
        (Route(body=b"<html><body><p>Subscribe to read.</p></body></html>"), "no_main_text"),
        (Route(body=b""), "empty"),
    ],
)
def test_permanent_problems_end_rejected_with_a_reason_and_no_retry(route, error_start, httpd, fetch_settings):
    article = article_enqueue(url=httpd.add("/a/1", route))

    article_process(article_id=article.id)  # no exception: nothing to retry

    article.refresh_from_db()
    assert article.status == Article.Status.REJECTED
    assert article.error.startswith(error_start), article.error
    assert not Suggestion.objects.filter(article=article).exists()


def test_a_blocked_url_is_rejected_at_fetch_time(httpd, settings):
    settings.FETCH_ALLOW_PRIVATE = False
    article = article_enqueue(url=httpd.add("/a/1", Route(body=korea_page())))

    article_process(article_id=article.id)

    article.refresh_from_db()
    assert article.status == Article.Status.REJECTED
    assert article.error.startswith("fetch_blocked")
    assert httpd.hits == []


def test_a_transient_error_is_raised_for_retry_and_a_later_attempt_succeeds(httpd, fetch_settings):
    url = httpd.add("/a/1", Route(status=503))
    article = article_enqueue(url=url)

    with pytest.raises(TransientFetchError):
        article_process(article_id=article.id)
    article.refresh_from_db()
    assert (article.status, article.attempts) == (Article.Status.QUEUED, 1)
    assert "503" in article.error

    httpd.add("/a/1", Route(body=korea_page()))
    article_process(article_id=article.id)

    article.refresh_from_db()
    assert (article.status, article.attempts, article.error) == (Article.Status.ANALYSED, 2, "")


def test_an_article_that_keeps_failing_ends_failed_after_bounded_attempts(httpd, fetch_settings):
    article = article_enqueue(url=httpd.add("/a/1", Route(status=503)))

    for _ in range(MAX_ARTICLE_ATTEMPTS - 1):
        with pytest.raises(TransientFetchError):
            article_process(article_id=article.id)
    article_process(article_id=article.id)  # the last attempt gives up instead of raising
    article_process(article_id=article.id)  # and after that nothing happens

    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert article.attempts == MAX_ARTICLE_ATTEMPTS
    assert "Gave up after 5 attempts" in article.error
    assert "503" in article.error
    assert len(httpd.hits_for("/a/1")) == MAX_ARTICLE_ATTEMPTS


def test_an_article_whose_runs_died_midway_is_failed_on_the_next_delivery(fetch_settings):
    # Given an article whose previous runs were all killed (attempts counted, status still queued)
    article = article_enqueue(url="https://news.example/poison")
    Article.objects.filter(id=article.id).update(attempts=MAX_ARTICLE_ATTEMPTS)

    article_process(article_id=article.id)

    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert "Gave up" in article.error


def test_an_unexpected_error_marks_the_article_failed_and_is_raised(httpd, fetch_settings, monkeypatch):
    import tracker.ingest.extraction as extraction

    article = article_enqueue(url=serve(httpd, "/a/1", korea_page()))
    monkeypatch.setattr(extraction, "extract_article", lambda *a, **k: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        article_process(article_id=article.id)

    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert article.error.startswith("ZeroDivisionError")


def test_a_soft_time_limit_during_extraction_is_recorded_as_extraction_timeout(httpd, fetch_settings, monkeypatch):
    import tracker.ingest.extraction as extraction

    def too_slow(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    article = article_enqueue(url=serve(httpd, "/a/1", korea_page()))
    monkeypatch.setattr(extraction, "extract_article", too_slow)

    article_process(article_id=article.id)

    article.refresh_from_db()
    assert article.status == Article.Status.REJECTED
    assert article.error.startswith("extraction_timeout")


def test_articles_of_a_blocked_outlet_are_rejected_without_fetching(httpd, fetch_settings):
    outlet = OutletFactory(review_status=Outlet.ReviewStatus.BLOCKED)
    article = article_enqueue(url=serve(httpd, "/a/1", korea_page()), outlet=outlet)

    article_process(article_id=article.id)

    article.refresh_from_db()
    assert article.status == Article.Status.REJECTED
    assert article.error.startswith("outlet_blocked")
    assert httpd.hits == []


# --- Row 10: NUL bytes, RTL, emoji, a 1 MB single line ---------------------------------------------
def test_nul_bytes_rtl_text_emoji_and_a_long_line_are_stored_safely(httpd, fetch_settings):
    paragraphs = [p.replace("Ukraine", "Ukr\x00aine") for p in KOREA_CONSIDERING]
    paragraphs.append("Arabic: \u0627\u0644\u0633\u0644\u0627\u062d \u200f and a rocket 🚀 emoji.")
    page = article_page("Seoul \x00 weighs aid 🚀", paragraphs, extra_body="<p>" + "word " * 200_000 + "</p>")
    article = article_enqueue(url=serve(httpd, "/a/1", page))

    article_process(article_id=article.id)

    article.refresh_from_db()
    assert article.status == Article.Status.ANALYSED, article.error
    assert "\x00" not in article.text
    assert "\x00" not in article.title
    assert "🚀" in article.text


# --- ingest_url, ingest_folder, the stale sweep --------------------------------------------------
def test_ingest_url_runs_the_whole_pipeline_now_and_only_once(httpd, fetch_settings):
    url = serve(httpd, "/a/1", korea_page())

    article = ingest_url(url=url, outlet_name="Local Wire")
    again = ingest_url(url=url)

    assert article.id == again.id
    assert article.status == Article.Status.ANALYSED
    assert article.outlet.name == "Local Wire"
    assert Suggestion.objects.filter(article=article).exists()
    assert len(httpd.hits_for("/a/1")) == 1


def test_ingest_url_fetches_an_article_that_was_only_cited(httpd, fetch_settings):
    from tracker.sources.services import article_reference_get_or_create

    url = serve(httpd, "/a/1", korea_page())
    cited = article_reference_get_or_create(url=url, title="cited")

    article = ingest_url(url=url)

    assert article.id == cited.id
    assert article.status == Article.Status.ANALYSED


def test_ingest_url_refuses_forbidden_urls(settings):
    settings.FETCH_ALLOW_PRIVATE = False

    with pytest.raises(services.fetching.BlockedURLError):
        ingest_url(url="file:///etc/passwd")
    assert Article.objects.count() == 0


def test_ingest_folder_runs_saved_pages_through_the_pipeline_without_fetching(tmp_path, monkeypatch):
    (tmp_path / "korea.html").write_bytes(korea_page(canonical="https://wire.example/korea-aid"))
    (tmp_path / "germany.htm").write_bytes(article_page("Scholz rules out Taurus", GERMANY_TAURUS))
    (tmp_path / "notes.txt").write_text("ignored")
    monkeypatch.setattr(services.fetching, "fetch", lambda *a, **k: pytest.fail("ingest_folder must not fetch"))

    articles = ingest_folder(path=tmp_path)
    before = snapshot()
    again = ingest_folder(path=tmp_path)

    assert {a.status for a in articles} == {Article.Status.ANALYSED}
    assert sorted(a.url for a in articles) == ["https://saved.invalid/germany.htm", "https://wire.example/korea-aid"]
    assert [a.id for a in again] == [a.id for a in articles]
    assert snapshot() == before


def test_the_sweep_republishes_articles_whose_message_was_lost(django_capture_on_commit_callbacks):
    stale = article_enqueue(url="https://news.example/stale")
    fresh = article_enqueue(url="https://news.example/fresh")
    done = article_enqueue(url="https://news.example/done")
    Article.objects.filter(id__in=[stale.id, done.id]).update(updated_at=timezone.now() - timedelta(hours=1))
    Article.objects.filter(id=done.id).update(status=Article.Status.ANALYSED)

    with django_capture_on_commit_callbacks() as callbacks:
        assert articles_requeue_stale() == 1

    assert [c.args for c in callbacks] == [("process_article", stale.id)]
    assert fresh.id not in [c.args[1] for c in callbacks]


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def test_the_session_commits_synchronously_again_once_the_article_is_done(httpd, fetch_settings):
    # Pipeline bookkeeping commits asynchronously while the article's lock is held; whatever the same
    # connection writes afterwards (an editor's "add by URL", then their review) waits for the WAL again.
    article = article_enqueue(url=serve(httpd, "/a/1", korea_page()))
    before = _synchronous_commit()

    article_process(article_id=article.id)

    assert before == "on"
    assert _synchronous_commit() == "on"


def test_processing_a_new_article_takes_a_small_fixed_number_of_queries(httpd, fetch_settings):
    # Lock, read, count the attempt; one transaction for canonical URL + dedupe + index + extracted fields;
    # one for suggestions + status; unlock. Reference data comes from the per-process cache.
    from tracker.ingest.analysis import alias_table

    alias_table()
    article = article_enqueue(url=serve(httpd, "/a/1", korea_page()))

    with CaptureQueriesContext(connection) as queries:
        article_process(article_id=article.id)

    article.refresh_from_db()
    assert article.status == Article.Status.ANALYSED
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) <= 11, "\n".join(statements)
