from datetime import date

import pytest
from django.core import mail

from tests.factories import ArticleFactory, StatementFactory, TrackFactory, UserFactory, country, level, scope
from tracker.review import alerts, services
from tracker.review.models import ShiftAlert
from tracker.review.tasks import send_shift_alert
from tracker.stances import services as stance_services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


@pytest.fixture
def track():
    track = TrackFactory()
    StatementFactory(track=track, level=level("non_lethal"), stated_on=date(2024, 3, 1))
    return track


@pytest.fixture
def follower():
    user = UserFactory(username="watcher", email="watcher@example.org")
    services.follow_set(user=user, country_code="UKR", follow=True)
    return user


def publish(track, level_code, stated_on=date(2024, 10, 22), **kwargs):
    return stance_services.statement_create(
        track=track,
        level=level(level_code),
        stated_on=stated_on,
        speaker="Yoon Suk Yeol",
        quote="We will consider providing weapons.",
        sources=[ArticleFactory()],
        **kwargs,
    )


def test_a_shift_emails_each_follower_once_after_commit(track, follower, django_capture_on_commit_callbacks):
    donor_follower = UserFactory(username="kor", email="kor@example.org")
    services.follow_set(user=donor_follower, country_code="KOR", follow=True)
    services.follow_set(user=follower, country_code="KOR", follow=True)  # follows both ends: still one email
    with django_capture_on_commit_callbacks(execute=True):
        statement = publish(track, "considering_lethal")
        assert mail.outbox == []  # nothing before commit
    assert sorted(m.to[0] for m in mail.outbox) == ["kor@example.org", "watcher@example.org"]
    message = mail.outbox[0]
    assert message.subject == "Stanceline: South Korea → Ukraine moved up to Actively considering lethal aid"
    assert "Non-lethal aid only → Actively considering lethal aid" in message.body
    assert f"/statements/{statement.pk}/history/" in message.body
    assert ShiftAlert.objects.get().recipients == 2


def test_an_edit_that_keeps_the_level_sends_nothing_more(track, follower, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        statement = publish(track, "considering_lethal")
    with django_capture_on_commit_callbacks(execute=True):
        stance_services.statement_update(
            statement_id=statement.pk, expected_version=statement.version, quote="A corrected quote."
        )
    assert len(mail.outbox) == 1
    assert ShiftAlert.objects.count() == 1


def test_an_edit_that_changes_the_level_is_a_new_shift(track, follower, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        statement = publish(track, "considering_lethal")
        stance_services.statement_update(
            statement_id=statement.pk, expected_version=statement.version, level=level("pledged_lethal")
        )
    assert [m.subject.rsplit(" to ", 1)[1] for m in mail.outbox] == [
        "Actively considering lethal aid",
        "Lethal aid pledged",
    ]


def test_no_alert_without_a_level_change_or_a_previous_statement(follower, django_capture_on_commit_callbacks):
    fresh = TrackFactory(donor=country("DEU"))
    with django_capture_on_commit_callbacks(execute=True):
        publish(fresh, "pledged_lethal")  # first point: "no data" is not a level
        publish(fresh, "pledged_lethal", stated_on=date(2024, 11, 1))  # same level
    assert mail.outbox == []
    assert not ShiftAlert.objects.exists()


def test_scoped_and_draft_statements_do_not_move_the_overall_line(track, follower, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(track, "delivering_lethal", scope=scope("artillery_ammo"))
        publish(track, "pledged_lethal", status="draft")
    assert mail.outbox == []


def test_a_shift_down_is_a_shift_too(track, follower, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(track, "prohibits")
    assert "moved down to Rules out military aid" in mail.outbox[0].subject


def test_running_the_task_twice_sends_one_email(track, follower):
    statement = publish(track, "considering_lethal")
    alert = ShiftAlert.objects.get(statement=statement)
    assert send_shift_alert.run(alert.pk) == 1
    assert send_shift_alert.run(alert.pk) == 0
    assert len(mail.outbox) == 1


def test_a_failed_send_releases_the_claim_for_a_retry(track, follower, monkeypatch):
    statement = publish(track, "considering_lethal")
    alert = ShiftAlert.objects.get(statement=statement)

    def refuse(self, messages):
        raise ConnectionError("mail server down")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
        with pytest.raises(ConnectionError):
            alerts.shift_alert_send(alert_id=alert.pk)
    alert.refresh_from_db()
    assert alert.sent_at is None
    assert alerts.shift_alert_send(alert_id=alert.pk) == 1


def test_users_without_email_or_inactive_get_nothing(track, django_capture_on_commit_callbacks):
    services.follow_set(user=UserFactory(username="noemail", email=""), country_code="UKR", follow=True)
    services.follow_set(user=UserFactory(username="gone", is_active=False), country_code="UKR", follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        publish(track, "considering_lethal")
    assert mail.outbox == []


def test_retracting_the_statement_in_force_emails_the_shift_back(track, follower, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        statement = publish(track, "considering_lethal")
    with django_capture_on_commit_callbacks(execute=True):
        stance_services.statement_retract(statement_id=statement.pk, reason="Misquoted: the minister denied it.")
    assert len(mail.outbox) == 2
    message = mail.outbox[1]
    assert message.subject == (
        "Stanceline: South Korea → Ukraine moved down to Non-lethal aid only (statement retracted)"
    )
    assert message.body.startswith("Retracted: Misquoted: the minister denied it.")
    assert "Actively considering lethal aid → Non-lethal aid only" in message.body
    assert ShiftAlert.objects.filter(kind=ShiftAlert.Kind.RETRACTION).count() == 1


def test_retracting_twice_or_an_older_statement_sends_nothing_more(track, follower, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        older = publish(track, "considering_lethal", stated_on=date(2024, 10, 22))
        publish(track, "pledged_lethal", stated_on=date(2024, 12, 1))
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        stance_services.statement_retract(statement_id=older.pk, reason="Duplicate of a later report.")
        stance_services.statement_retract(statement_id=older.pk, reason="Duplicate of a later report.")
    assert len(mail.outbox) == 2  # the later statement still sets the level in force
    assert not ShiftAlert.objects.filter(kind=ShiftAlert.Kind.RETRACTION).exists()
