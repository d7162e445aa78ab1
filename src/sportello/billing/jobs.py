"""Periodic jobs of the billing app."""

import datetime as dt

from sportello.core.periodic import periodic

from . import services


@periodic(every=dt.timedelta(minutes=5))
def notify_published_invoices() -> None:
    """C4: one e-mail per newly published invoice, to the customer's main user."""
    services.notify_published_invoices()
