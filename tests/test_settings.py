import pytest
from django.core.exceptions import ImproperlyConfigured

from tracker.env import env_bool, env_int, parse_database_url


def test_a_postgres_url_becomes_a_postgres_database():
    config = parse_database_url("postgres://bob:pw@db.example:5433/stanceline")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == ("db.example", 5433, "stanceline", "bob")


def test_a_sqlite_url_becomes_a_sqlite_database():
    config = parse_database_url("sqlite:////tmp/x.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/tmp/x.sqlite3"


@pytest.mark.parametrize("url", ["not a url", "mongodb://localhost/db", "postgres://localhost"])
def test_a_bad_database_url_fails_with_a_clear_message(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        parse_database_url(url)


def test_booleans_accept_the_usual_spellings_and_reject_the_rest(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env_bool("X_FLAG", True) is False
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG")


def test_a_non_numeric_integer_setting_is_refused(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_NUM"):
        env_int("X_NUM", 1)
