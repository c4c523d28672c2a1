"""Every periodic task, in one place (wired into settings.CELERY_BEAT_SCHEDULE).

One tick that dispatches due feeds beats one schedule per feed: feeds carry their own `next_poll_at`.
Run exactly one beat process. Each entry expires before the next one is sent, so a backlog after an
outage does not replay a pile of stale ticks.
"""

BEAT_SCHEDULE = {
    # Every minute: queue a poll for each feed whose next_poll_at has come.
    "ingest-dispatch-due-feeds": {
        "task": "tracker.ingest.dispatch_due_feeds",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Every 5 minutes: re-publish articles whose processing message was lost.
    "ingest-requeue-stale-articles": {
        "task": "tracker.ingest.requeue_stale_articles",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
}
