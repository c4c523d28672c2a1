"""The Celery app round-trips a task through a real worker on Redis."""

import pytest
from celery.backends.redis import RedisBackend
from celery.contrib.testing.worker import start_worker
from celery.result import AsyncResult
from django.conf import settings

from tracker.celery import app
from tracker.ingest.tasks import health


@pytest.mark.worker
def test_the_health_task_round_trips_through_a_real_worker_on_redis():
    # The app runs without a result backend; give the worker one for this test only. The worker
    # thread builds its own backend from the config, and we read the result through our own.
    app.conf.result_backend = settings.REDIS_URL
    results = RedisBackend(app=app, url=settings.REDIS_URL)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            sent = health.apply_async(args=["abc"], ignore_result=False)
            assert AsyncResult(sent.id, backend=results, app=app).get(timeout=20) == "pong:abc"
    finally:
        app.conf.result_backend = None
