"""Invoices and credit notes (C2, C5), their PDFs, and the publication notice (C4)."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from tests.answers import cache_directives
from tests.billing.helpers import PUBLISHED, invoice_with_pdf
from tests.factories import (
    Tenant,
    make_contract,
    make_customer,
    make_invoice,
    make_sub_user,
    make_user,
)

from sportello.billing.jobs import notify_published_invoices
from sportello.billing.models import DocumentType, Invoice
from sportello.core import periodic
from sportello.core.models import AuditEvent, OutboxEmail
from sportello.notices.models import Category, Channel, Notification, NotificationPreference

#: The same as the e-invoice's page: the XML through SdI is the invoice, not a printed copy.
NOTE = (
    "La fattura fiscalmente valida è il file XML trasmesso tramite il Sistema di Interscambio"
    " (SdI) dell'Agenzia delle Entrate: non va stampata. I PDF e le pagine dell'Area Clienti"
)
OLD_NOTE = "è necessario stamparlo"


@pytest.fixture
def archive(release: Tenant) -> Tenant:
    contract = make_contract(release.customer, number="84963")
    first = invoice_with_pdf(release.customer, number="1/2024", date=dt.date(2024, 1, 15),
                             taxable=Decimal("100.00"), vat=Decimal("22.00"), total=Decimal("122.00"))  # fmt: skip
    first.contracts.add(contract)
    invoice_with_pdf(release.customer, number="2/2024", date=dt.date(2024, 2, 15),
                     document_type=DocumentType.CREDIT_NOTE, taxable=Decimal("25.00"),
                     vat=Decimal("5.50"), total=Decimal("30.50"))  # fmt: skip
    invoice_with_pdf(release.customer, number="3/2024", date=dt.date(2024, 3, 15))
    # Not yet published: invisible.
    make_invoice(release.customer, number="9/2024", date=dt.date(2024, 4, 1))
    return release


def numbers(page: str) -> list[str]:
    import re

    body = page.split('id="invoices"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"<[^>]+>", "", r).strip() for r in re.findall(r"<tr>\s*<td>(.*?)</td>", body)]


def test_it_lists_published_invoices_and_credit_notes(archive: Tenant) -> None:
    response = archive.logged_in_client().get("/fatture-e-pagamenti/fatture/")

    page = response.content.decode()
    assert numbers(page) == ["3/2024", "2/2024", "1/2024"]
    assert "Nota di credito" in page and "Fattura" in page
    assert "84963" in page and "122,00\xa0€" in page and "22,00\xa0€" in page
    assert NOTE in page and OLD_NOTE not in page


def test_it_shows_the_invoices_in_english(archive: Tenant) -> None:
    client = archive.logged_in_client()
    client.cookies["django_language"] = "en"

    page = client.get("/fatture-e-pagamenti/fatture/").content.decode()

    assert "€122.00" in page
    assert "Credit note" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?number=2/20", ["2/2024"]),
        ("?date_from=2024-02-01&date_to=2024-02-28", ["2/2024"]),
        ("?amount_min=122&amount_max=122", ["1/2024"]),
        ("?amount_min=100", ["3/2024", "1/2024"]),
        ("?amount_min=1.220,00", ["3/2024"]),
        ("?amount_max=30,50", ["2/2024"]),
    ],
)
def test_it_searches_by_number_date_and_amount(
    archive: Tenant, query: str, expected: list[str]
) -> None:
    page = archive.logged_in_client().get(f"/fatture-e-pagamenti/fatture/{query}")

    assert numbers(page.content.decode()) == expected


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("?amount_min=abc", "Inserire un importo valido"),
        ("?date_from=2024-03-01&date_to=2024-01-01", "La data finale precede quella iniziale."),
    ],
)
def test_it_explains_a_wrong_search_and_lists_nothing(
    archive: Tenant, query: str, error: str
) -> None:
    page = archive.logged_in_client().get(f"/fatture-e-pagamenti/fatture/{query}").content.decode()

    assert error in html.unescape(page)
    # The error is not followed by the whole archive, which would read as its result.
    assert 'id="invoices"' not in page
    assert "1/2024" not in page and "3/2024" not in page
    assert "La ricerca non è stata eseguita" in html.unescape(page)


def test_it_hides_invoices_before_the_first_invoice_year(archive: Tenant) -> None:
    archive.company.first_invoice_year = 2024
    archive.company.save()
    invoice_with_pdf(archive.customer, number="1/2007", date=dt.date(2007, 5, 1))

    page = archive.logged_in_client().get("/fatture-e-pagamenti/fatture/").content.decode()

    assert "1/2007" not in page


def test_it_serves_the_pdf_inline_or_as_an_attachment(archive: Tenant) -> None:
    invoice = Invoice.objects.get(number="1/2024")
    client = archive.logged_in_client(make_sub_user(archive.user))

    inline = client.get(f"/fatture-e-pagamenti/fatture/{invoice.uid}/pdf/")
    download = client.get(f"/fatture-e-pagamenti/fatture/{invoice.uid}/pdf/?download=1")

    assert inline.status_code == 200
    assert inline["Content-Type"] == "application/pdf"
    assert inline["X-Content-Type-Options"] == "nosniff"
    for response in (inline, download):
        assert {"no-store", "private"} <= cache_directives(response)
    assert inline["Content-Disposition"].startswith("inline")
    assert b"".join(inline.streaming_content) == b"%PDF-1.4 test"
    assert download["Content-Disposition"] == 'attachment; filename="fattura-1-2024.pdf"'


def test_it_names_the_pdf_in_the_language_of_the_page(archive: Tenant) -> None:
    invoice = Invoice.objects.get(number="1/2024")
    client = archive.logged_in_client()
    client.cookies["django_language"] = "en"

    response = client.get(f"/fatture-e-pagamenti/fatture/{invoice.uid}/pdf/?download=1")

    assert response["Content-Disposition"] == 'attachment; filename="invoice-1-2024.pdf"'


def test_it_leads_an_invoice_notice_to_the_list_searched_by_its_number(archive: Tenant) -> None:
    invoice = Invoice.objects.get(number="1/2024")
    notice = Notification.objects.create(
        company=archive.company,
        recipient=archive.user,
        invoice=invoice,
        category=Category.DOCUMENTS,
        title="Fattura n. 1/2024",
        published_at=PUBLISHED,
    )

    response = archive.logged_in_client().get(f"/notifiche/{notice.pk}/")

    assert response.status_code == 302
    assert response["Location"] == "/fatture-e-pagamenti/fatture/?number=1%2F2024"


def test_it_refuses_the_pdf_to_others(archive: Tenant, energia: Tenant) -> None:
    invoice = Invoice.objects.get(number="1/2024")
    url = f"/fatture-e-pagamenti/fatture/{invoice.uid}/pdf/"
    other_customer = archive.logged_in_client(make_user(make_customer(archive.company)))

    assert other_customer.get(url).status_code == 404
    assert other_customer.get("/fatture-e-pagamenti/fatture/").content.decode().count("1/2024") == 0
    assert energia.logged_in_client().get(url).status_code == 404
    assert archive.client().get(url).status_code == 302
    unpublished = Invoice.objects.get(number="9/2024")
    client = archive.logged_in_client()
    assert client.get(f"/fatture-e-pagamenti/fatture/{unpublished.uid}/pdf/").status_code == 404
    guessed = "/fatture-e-pagamenti/fatture/00000000-0000-0000-0000-000000000000/pdf/"
    assert client.get(guessed).status_code == 404


def test_it_answers_404_for_an_invoice_without_pdf(archive: Tenant) -> None:
    invoice = make_invoice(archive.customer, published_at=PUBLISHED)

    response = archive.logged_in_client().get(f"/fatture-e-pagamenti/fatture/{invoice.uid}/pdf/")

    assert response.status_code == 404


def test_it_paginates_invoices(release: Tenant) -> None:
    for n in range(30):
        make_invoice(release.customer, number=f"{n}/2023", published_at=PUBLISHED)

    page = release.logged_in_client().get("/fatture-e-pagamenti/fatture/?page=2").content.decode()

    assert len(numbers(page)) == 5 and "26 - 30 di 30" in page


@pytest.mark.parametrize("count", [1, 12])
def test_it_runs_a_fixed_number_of_queries(
    release: Tenant, count: int, django_assert_num_queries: Any
) -> None:
    for _ in range(count):
        invoice = make_invoice(release.customer, published_at=PUBLISHED)
        invoice.contracts.add(make_contract(release.customer), make_contract(release.customer))
    client = release.logged_in_client()
    client.get("/fatture-e-pagamenti/fatture/")

    with django_assert_num_queries(6):
        assert client.get("/fatture-e-pagamenti/fatture/").status_code == 200


# -- C4 -------------------------------------------------------------------------------


def test_it_notifies_a_published_invoice_once(release: Tenant) -> None:
    release.user.date_joined = PUBLISHED - dt.timedelta(days=30)
    release.user.save()
    make_sub_user(release.user)
    with time_machine.travel(PUBLISHED + dt.timedelta(hours=1)):
        invoice = make_invoice(release.customer, number="7/2024", published_at=PUBLISHED)
        later = make_invoice(release.customer, published_at=timezone.now() + dt.timedelta(days=1))

        notify_published_invoices()
        notify_published_invoices()

    emails = list(OutboxEmail.objects.all())
    assert len(emails) == 1
    assert emails[0].to == [release.user.email]
    assert emails[0].subject == "Release S.p.A. – nuova fattura disponibile"
    assert "7/2024" in emails[0].body_text
    assert "https://release.test/fatture-e-pagamenti/fatture/" in emails[0].body_text
    assert "non va stampata" in emails[0].body_text and OLD_NOTE not in emails[0].body_text
    assert "non va stampata" in emails[0].body_html and OLD_NOTE not in emails[0].body_html
    invoice.refresh_from_db()
    later.refresh_from_db()
    assert invoice.notified_at is not None and later.notified_at is None
    assert (
        AuditEvent.objects.filter(action="invoice.notified", object_id=str(invoice.pk)).count() == 1
    )
    # The bell has it too, once, for the main user, pointing at the invoice.
    notice = Notification.objects.get()
    assert (notice.recipient, notice.invoice, notice.category) == (
        release.user,
        invoice,
        "documents",
    )
    assert notice.title == f"Fattura n. 7/2024 del {invoice.date:%d/%m/%Y}"
    assert notice.title_en == f"Invoice no. 7/2024 of {invoice.date:%d/%m/%Y}"


def test_it_keeps_the_bell_but_stops_the_e_mail_when_documents_are_off(release: Tenant) -> None:
    release.user.date_joined = PUBLISHED - dt.timedelta(days=30)
    release.user.save()
    NotificationPreference.objects.create(
        user=release.user, category=Category.DOCUMENTS, channel=Channel.OFF
    )
    with time_machine.travel(PUBLISHED + dt.timedelta(hours=1)):
        invoice = make_invoice(release.customer, published_at=PUBLISHED)
        notify_published_invoices()

    assert not OutboxEmail.objects.exists()
    assert Notification.objects.get().invoice == invoice


def test_it_registers_the_notice_job() -> None:
    job = periodic.REGISTRY["billing.jobs.notify_published_invoices"]

    assert job.every == dt.timedelta(minutes=5)


def test_it_writes_the_notice_in_the_users_language(release: Tenant) -> None:
    release.user.date_joined = PUBLISHED - dt.timedelta(days=30)
    release.user.language = "en"
    release.user.save()
    make_invoice(release.customer, published_at=PUBLISHED)

    notify_published_invoices()

    assert '<html lang="en">' in OutboxEmail.objects.get().body_html


def test_it_sends_no_notice_without_a_user_or_for_old_invoices(release: Tenant) -> None:
    make_invoice(make_customer(release.company), published_at=PUBLISHED)
    # Published before the customer registered: it went out on paper.
    make_invoice(release.customer, published_at=release.user.date_joined - dt.timedelta(days=1))

    notify_published_invoices()

    assert OutboxEmail.objects.count() == 0
