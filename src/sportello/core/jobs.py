"""Periodic jobs of the core app."""

import datetime as dt

from . import audit, outbox
from .periodic import periodic


@periodic(every=dt.timedelta(minutes=1))
def send_due_emails() -> None:
    outbox.deliver_due()


@periodic(every=dt.timedelta(days=1))
def purge_expired_audit_events() -> None:
    """Audit events go after AUDIT_RETENTION_MONTHS (24 at least; see audit.py)."""
    audit.purge_expired()
