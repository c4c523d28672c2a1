"""The Celery app that fault-drill workers run (`celery -A tests.ingest.drill_app worker`).

It is the project's app with the drill's knobs: a short visibility timeout so a SIGKILLed worker's
message comes back in seconds (not the production hour), no per-domain pause, and optional faults.
Used only by tests/ingest/test_worker_reliability.py, which starts and stops these workers itself.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
django.setup()

from django.conf import settings  # noqa: E402

from tracker.celery import app  # noqa: E402

settings.FETCH_DOMAIN_INTERVAL = 0
app.conf.broker_transport_options = {
    "visibility_timeout": float(os.environ.get("DRILL_VISIBILITY_TIMEOUT", "3600")),
    # kombu sweeps for abandoned (unacked, past the timeout) messages about every 10 x 10 s by default.
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}

if os.environ.get("DRILL_FAULT") == "crash_in_extraction":
    # A poison page: the worker child dies (like a segfault or the OOM killer) every time it extracts.
    import tracker.ingest.extraction as extraction

    def _crash(*args, **kwargs):
        os._exit(70)

    extraction.extract_article = _crash

__all__ = ["app"]
