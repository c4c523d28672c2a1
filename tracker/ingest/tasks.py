"""Celery tasks: thin wrappers that take ids and call one service."""

from celery import shared_task


@shared_task(name="tracker.health")
def health(token: str) -> str:
    """Round-trip check for a worker: echoes its argument."""
    return f"pong:{token}"
