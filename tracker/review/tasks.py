"""Review-side tasks: thin, ids in, one service call, safe to run twice."""

import smtplib

from celery import shared_task

from tracker.review import alerts

# Only transient mail-server trouble is worth a retry; anything else is a bug to see in the logs.
TRANSIENT = (ConnectionError, TimeoutError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)


@shared_task(name="review.send_shift_alert", autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def send_shift_alert(alert_id: int) -> int:
    """Email the followers of a shifted track. A second run finds the alert claimed and sends nothing."""
    return alerts.shift_alert_send(alert_id=alert_id)
