"""Rows for the billing tests: schedule entries and invoices with a PDF."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from tests.factories import make_invoice

from sportello.billing.models import Invoice, ScheduleEntry
from sportello.customers.models import Customer
from sportello.demo.fatturapa import Line, Seller, fatturapa_xml
from sportello.leasing.models import Contract, PaymentMethod, PaymentReason

PUBLISHED = timezone.make_aware(dt.datetime(2024, 1, 1, 8, 0))


def entry(
    contract: Contract,
    due: dt.date,
    amount: str,
    paid: str = "0.00",
    *,
    number: int = 1,
    reason: str = PaymentReason.INSTALMENT,
    **fields: Any,
) -> ScheduleEntry:
    return ScheduleEntry.objects.create(
        contract=contract,
        due_date=due,
        instalment_number=number,
        reason=reason,
        payment_method=PaymentMethod.SEPA,
        amount=Decimal(amount),
        paid=Decimal(paid),
        **fields,
    )


#: The seller of the tests' e-invoices.
SELLER = Seller.with_check_digit(
    "Release S.p.A.", "0735261015", "Via Roma, 1", "20121", "Milano", "MI"
)


def e_invoice(customer: Customer, description: str = "Canone n. 1", **fields: Any) -> Invoice:
    """A published invoice that came as a FatturaPA file (one body, no PDF yet)."""
    return with_fatturapa(make_invoice(customer, published_at=PUBLISHED, **fields), description)


def with_fatturapa(invoice: Invoice, description: str = "Canone n. 1") -> Invoice:
    """``invoice`` with the FatturaPA file it came as (its only body)."""
    lines = [Line(description, invoice.taxable)]
    xml = fatturapa_xml(invoice, invoice.customer, SELLER, lines, 1)
    invoice.xml.save("fattura.xml", ContentFile(xml), save=False)
    invoice.xml_body = 1
    invoice.save()
    return invoice


def invoice_with_pdf(customer: Customer, text: bytes = b"%PDF-1.4 test", **fields: Any) -> Invoice:
    invoice = make_invoice(customer, published_at=PUBLISHED, **fields)
    invoice.pdf.save("invoice.pdf", ContentFile(text), save=True)
    return invoice


#: The schedule's columns in the export's order; the page puts the key ones first.
SCHEDULE_COLUMNS = [
    "Stato", "Contratto", "Scadenza", "N.Canone", "Causale", "Pagamento",
    "Importo", "Pagato", "Saldo", "Saldo scaduto", "Fattura",
]  # fmt: skip


def in_export_order(headers: list[str], cells: list[str]) -> list[str]:
    """A row of the schedule page, its cells in the export's column order."""
    if len(cells) != len(headers):
        return cells
    by_header = dict(zip(headers, cells, strict=True))
    return [by_header[name] for name in SCHEDULE_COLUMNS]
