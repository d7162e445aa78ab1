"""Periodic jobs of the core app."""

import datetime as dt

from . import outbox
from .periodic import periodic


@periodic(every=dt.timedelta(minutes=1))
def send_due_emails() -> None:
    outbox.deliver_due()
