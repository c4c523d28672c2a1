import pytest

from tracker.celery import app as celery_app


@pytest.fixture
def eager_celery(monkeypatch):
    """Run tasks in-process for unit tests of what a task does (the worker itself is tested elsewhere)."""
    monkeypatch.setattr(celery_app.conf, "task_always_eager", True)
    monkeypatch.setattr(celery_app.conf, "task_eager_propagates", True)
