"""Periodic jobs of the integration app."""

import datetime as dt

from sportello.core.periodic import periodic

from .api import idempotency


@periodic(every=dt.timedelta(hours=1))
def purge_idempotency_records() -> None:
    """Forget the Idempotency-Keys older than ``IDEMPOTENCY_KEY_HOURS``."""
    idempotency.purge_expired()
