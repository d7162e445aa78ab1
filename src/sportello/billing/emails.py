"""One function per e-mail the billing app sends, each through the outbox.

Templates: ``emails/<name>-subject.txt``, ``-body.txt`` and ``-body.html``,
rendered in the recipient's language.
"""

from __future__ import annotations

from sportello.accounts.models import PortalUser
from sportello.core.outbox import queue_templated_email

from .models import Invoice


def send_invoice_published(user: PortalUser, invoice: Invoice) -> None:
    """A new invoice or credit note is in the customer area (C4), with the fiscal note (C5)."""
    company = invoice.company
    queue_templated_email(
        "invoice-published",
        to=[user.email],
        context={
            "user": user,
            "invoice": invoice,
            # The list found by the invoice's number (on its supply point, for a utility).
            "invoices_url": company.absolute_url(invoice.list_url()),
        },
        company=company,
        language=user.language,
    )
