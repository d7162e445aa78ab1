"""Periodic jobs of the billing app."""

import datetime as dt

from django.utils import timezone

from sportello.core.periodic import periodic

from . import services


@periodic(every=dt.timedelta(minutes=5))
def notify_published_invoices() -> None:
    """C4: one e-mail per newly published invoice, to the customer's main user."""
    services.notify_published_invoices()


@periodic(every=dt.timedelta(hours=1))
def send_payment_reminders() -> None:
    """F3: reminders before a due date and notices once a payment is overdue."""
    services.send_payment_reminders(timezone.localdate())
