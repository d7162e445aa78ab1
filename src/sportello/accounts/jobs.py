"""Periodic jobs of the accounts app."""

import datetime as dt

from sportello.core.periodic import periodic

from . import throttle


@periodic(every=dt.timedelta(hours=1))
def purge_expired_throttle_counters() -> None:
    """Throttle counters go when their window has ended."""
    throttle.purge_expired()
