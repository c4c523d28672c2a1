"""The Celery app round-trips a task through a real worker on Redis."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from tracker.celery import app
from tracker.ingest.tasks import health


@pytest.mark.worker
def test_the_health_task_round_trips_through_a_real_worker_on_redis():
    app.conf.update(result_backend=settings.REDIS_URL, task_ignore_result=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            result = health.apply_async(args=["abc"], ignore_result=False)
            assert result.get(timeout=20) == "pong:abc"
    finally:
        app.conf.update(result_backend=None, task_ignore_result=True)
