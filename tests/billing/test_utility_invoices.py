"""A utility's «Elenco fatture» (G2): the bills of the supply point chosen in the header,
from the company's first invoice year, the PDF in the «Doc» column only where there is one."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.test import Client
from tests.billing.helpers import PUBLISHED, invoice_with_pdf
from tests.factories import (
    Tenant,
    make_customer,
    make_invoice,
    make_sub_user,
    make_supply_point,
    make_user,
)

from sportello.billing.jobs import notify_published_invoices
from sportello.billing.models import Invoice
from sportello.core.models import OutboxEmail
from sportello.energy.models import SupplyPoint
from sportello.energy.selection import SESSION_KEY
from sportello.notices.models import Category, Notification

LIST = "/fatture-e-pagamenti/fatture/"


@dataclass
class Bills:
    tenant: Tenant
    electricity: SupplyPoint
    gas: SupplyPoint

    def client(self, point: SupplyPoint | None = None, user: Any = None) -> Client:
        """The customer's browser with ``point`` chosen in the header (the first by default)."""
        client = self.tenant.logged_in_client(user)
        if point is not None:
            client.post("/fornitura/punto/", {"point": point.pk, "next": LIST})
        return client


@pytest.fixture
def bills(energia: Tenant) -> Bills:
    electricity = make_supply_point(energia.customer, number="PR002874")
    gas = make_supply_point(energia.customer, "gas", number="PR002875")
    invoice_with_pdf(energia.customer, number="E-1/2024", date=dt.date(2024, 3, 10),
                     supply_point=electricity)  # fmt: skip
    make_invoice(energia.customer, number="E-2/2024", date=dt.date(2024, 5, 10),
                 supply_point=electricity, published_at=PUBLISHED)  # fmt: skip
    invoice_with_pdf(energia.customer, number="G-1/2024", date=dt.date(2024, 4, 10),
                     supply_point=gas)  # fmt: skip
    # Before the utility's first invoice year (2014), and not yet published: never listed.
    invoice_with_pdf(energia.customer, number="E-9/2013", date=dt.date(2013, 12, 1),
                     supply_point=electricity)  # fmt: skip
    make_invoice(energia.customer, number="E-3/2024", supply_point=electricity)
    return Bills(energia, electricity, gas)


def numbers(page: str) -> list[str]:
    body = page.split('id="invoices"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"<[^>]+>", "", r).strip() for r in re.findall(r"<tr>\s*<td>(.*?)</td>", body)]


def row(page: str, number: str) -> str:
    start = page.index(f"<td>{number}</td>")
    return page[start : page.index("</tr>", start)]


def test_it_lists_the_bills_of_the_first_point_from_the_first_invoice_year(bills: Bills) -> None:
    page = bills.client().get(LIST).content.decode()

    assert numbers(page) == ["E-2/2024", "E-1/2024"]
    assert "<h1" in page and "Elenco fatture</h1>" in page
    assert "dal 2014 in poi" in page
    assert "non va stampata" in page and "è necessario stamparlo" not in page


def test_it_follows_the_point_chosen_in_the_header(bills: Bills) -> None:
    client = bills.client()
    chosen = client.post("/fornitura/punto/", {"point": bills.gas.pk, "next": LIST})

    assert chosen.status_code == 302 and chosen["Location"] == LIST
    page = client.get(LIST).content.decode()
    assert numbers(page) == ["G-1/2024"]
    assert "Fatture del punto di fornitura PR002875" in page
    # The choice holds on the next visit, until another is made.
    assert numbers(client.get(LIST).content.decode()) == ["G-1/2024"]


def test_it_shows_the_pdf_in_the_doc_column_only_where_there_is_one(bills: Bills) -> None:
    page = bills.client().get(LIST).content.decode()

    with_pdf = Invoice.objects.get(number="E-1/2024")
    assert '<th scope="col">Doc</th>' in page
    assert f'href="{LIST}{with_pdf.uid}/pdf/"' in row(page, "E-1/2024")
    assert "/pdf/" not in row(page, "E-2/2024")
    assert "Non disponibile" in row(page, "E-2/2024")
    # A utility's bill has no lease: no contract column, no way to the leasing pages.
    assert ">Contratto<" not in page
    assert 'href="/fatture-e-pagamenti/"' not in page


def test_it_lists_a_bill_of_no_point_under_every_point(bills: Bills) -> None:
    invoice_with_pdf(bills.tenant.customer, number="C-1/2024", date=dt.date(2024, 1, 5))

    assert "C-1/2024" in numbers(bills.client().get(LIST).content.decode())
    assert "C-1/2024" in numbers(bills.client(bills.gas).get(LIST).content.decode())


def test_it_opens_the_pdf_of_a_bill_of_another_point_of_the_customer(bills: Bills) -> None:
    # The list follows the chosen point; the PDF belongs to the customer, whatever is chosen.
    electricity_bill = Invoice.objects.get(number="E-1/2024")

    response = bills.client(bills.gas).get(f"{LIST}{electricity_bill.uid}/pdf/?download=1")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="fattura-E-1-2024.pdf"'


def test_it_refuses_the_pdf_to_another_customer_of_the_utility(bills: Bills) -> None:
    bill = Invoice.objects.get(number="E-1/2024")
    other = make_user(make_customer(bills.tenant.company))
    make_supply_point(other.customer)

    client = bills.tenant.logged_in_client(other)

    assert client.get(f"{LIST}{bill.uid}/pdf/").status_code == 404
    assert numbers(client.get(LIST).content.decode()) == []


def test_it_shows_a_sub_user_the_same_bills(bills: Bills) -> None:
    sub_user = make_sub_user(bills.tenant.user)

    page = bills.client(bills.gas, user=sub_user).get(LIST).content.decode()

    assert numbers(page) == ["G-1/2024"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?number=E-1", ["E-1/2024"]),
        ("?date_from=2024-05-01", ["E-2/2024"]),
        ("?amount_min=1.220,00&amount_max=1220", ["E-2/2024", "E-1/2024"]),
    ],
)
def test_it_searches_the_chosen_points_bills(bills: Bills, query: str, expected: list[str]) -> None:
    assert numbers(bills.client().get(f"{LIST}{query}").content.decode()) == expected


def test_it_finds_no_bill_of_another_point_and_says_so(bills: Bills) -> None:
    page = html.unescape(bills.client().get(f"{LIST}?number=G-1").content.decode())

    assert numbers(page) == []
    assert "Nessun documento corrisponde alla ricerca." in page


def test_it_explains_a_wrong_search_and_lists_nothing(bills: Bills) -> None:
    page = html.unescape(bills.client().get(f"{LIST}?amount_min=abc").content.decode())

    assert "Inserire un importo valido" in page
    assert "La ricerca non è stata eseguita" in page
    assert 'id="invoices"' not in page


def test_it_says_when_a_point_has_no_bills_yet(bills: Bills) -> None:
    new_point = make_supply_point(bills.tenant.customer, number="PR002876")

    page = html.unescape(bills.client(new_point).get(LIST).content.decode())

    assert numbers(page) == []
    assert "Non ci sono ancora fatture per questo punto di fornitura." in page


def test_it_chooses_the_point_a_notices_link_names(bills: Bills) -> None:
    client = bills.client()

    response = client.get(f"{LIST}?punto={bills.gas.pk}&number=G-1%2F2024")

    # The parameter leaves the address, so that the header's selector stays in charge.
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?number=G-1%2F2024"
    assert client.session[SESSION_KEY] == bills.gas.pk
    assert numbers(client.get(response["Location"]).content.decode()) == ["G-1/2024"]


def test_it_refuses_another_customers_point_in_the_link(bills: Bills) -> None:
    stranger = make_supply_point(make_customer(bills.tenant.company), number="PR009999")
    client = bills.client()

    assert client.get(f"{LIST}?punto={stranger.pk}").status_code == 404
    assert client.get(f"{LIST}?punto=abc").status_code == 404
    assert SESSION_KEY not in client.session


def test_it_ignores_the_point_parameter_on_a_leasing_portal(release: Tenant) -> None:
    response = release.logged_in_client().get(f"{LIST}?punto=1")

    assert response.status_code == 200


def test_it_leads_a_bills_notice_to_its_points_list(bills: Bills) -> None:
    bill = Invoice.objects.get(number="G-1/2024")
    notice = Notification.objects.create(
        company=bills.tenant.company,
        recipient=bills.tenant.user,
        invoice=bill,
        category=Category.DOCUMENTS,
        title="Fattura n. G-1/2024",
        published_at=PUBLISHED,
    )
    client = bills.client()

    response = client.get(f"/notifiche/{notice.pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?punto={bills.gas.pk}&number=G-1%2F2024"
    page = client.get(response["Location"], follow=True).content.decode()
    assert numbers(page) == ["G-1/2024"]


def test_it_says_a_notice_is_gone_when_its_bill_is_withdrawn(bills: Bills) -> None:
    bill = Invoice.objects.get(number="G-1/2024")
    notice = Notification.objects.create(
        company=bills.tenant.company,
        recipient=bills.tenant.user,
        invoice=bill,
        category=Category.DOCUMENTS,
        title="Fattura n. G-1/2024",
        published_at=PUBLISHED,
    )
    Invoice.objects.filter(pk=bill.pk).update(published_at=None)

    assert bills.client().get(f"/notifiche/{notice.pk}/").status_code == 410


def test_it_links_the_e_mail_of_a_new_bill_to_its_points_list(bills: Bills) -> None:
    bills.tenant.user.date_joined = PUBLISHED - dt.timedelta(days=30)
    bills.tenant.user.save()
    Invoice.objects.update(notified_at=PUBLISHED)
    with time_machine.travel(PUBLISHED + dt.timedelta(hours=1)):
        bill = make_invoice(bills.tenant.customer, number="G-2/2024", supply_point=bills.gas,
                            published_at=PUBLISHED)  # fmt: skip
        notify_published_invoices()

    email = OutboxEmail.objects.get()
    assert "G-2/2024" in email.body_text
    link = f"https://energia.test{LIST}?punto={bills.gas.pk}&number=G-2%2F2024"
    assert link in email.body_text
    assert bill.list_url() == link.removeprefix("https://energia.test")


@pytest.mark.parametrize("count", [1, 15])
def test_it_lists_the_bills_in_a_fixed_number_of_queries(
    energia: Tenant, count: int, django_assert_num_queries: Any
) -> None:
    point = make_supply_point(energia.customer)
    make_supply_point(energia.customer, "gas")
    for n in range(count):
        if n % 2:
            invoice_with_pdf(energia.customer, supply_point=point)
        else:
            make_invoice(energia.customer, supply_point=point, published_at=PUBLISHED)
    client = energia.logged_in_client()
    client.get(LIST)

    # Session, user, the customer's points, the count, the bell, the page of bills
    # and the session's save (three statements).
    with django_assert_num_queries(6):
        assert client.get(LIST).status_code == 200
