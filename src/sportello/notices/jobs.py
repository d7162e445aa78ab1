"""Periodic jobs of the notices app."""

import datetime as dt

from sportello.core.periodic import periodic

from . import delivery, digest


@periodic(every=dt.timedelta(minutes=5))
def mail_published_broadcasts() -> None:
    """Broadcasts to the users who chose e-mail at once (and mandatory ones to everybody)."""
    delivery.mail_published_broadcasts()


@periodic(every=dt.timedelta(minutes=10))
def send_daily_digests() -> None:
    """The digests are due at 07:00 Europe/Rome; running every 10 minutes sends them by
    07:10, and a run at any other time finds nothing to do."""
    digest.send_digests()
