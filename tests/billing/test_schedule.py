"""Billing and payments (C1) and its export (C3)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.answers import (
    CONTRACT_NOT_FOUND,
    FIRST_PAGE,
    LAST_PAGE,
    assert_same_answer,
    seen,
)
from tests.billing.helpers import entry, in_export_order, invoice_with_pdf
from tests.factories import (
    Tenant,
    make_contract,
    make_customer,
    make_invoice,
    make_sub_user,
    make_user,
)

from sportello.billing.models import ScheduleEntry
from sportello.leasing.models import PaymentMethod, PaymentReason

TODAY = dt.datetime(2024, 4, 5, 10, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(TODAY):
        yield


@pytest.fixture
def book(release: Tenant) -> Tenant:
    first = make_contract(release.customer, number="84963")
    second = make_contract(release.customer, number="90001")
    invoice = invoice_with_pdf(release.customer, number="12/2024")
    entry(first, dt.date(2024, 2, 29), "514.11", "514.11", number=1, invoice=invoice)
    entry(first, dt.date(2024, 3, 31), "514.11", "100.00", number=2)
    entry(first, dt.date(2024, 4, 30), "514.11", number=3)
    for month in range(1, 5):
        entry(second, dt.date(2023, month, 1), "200.00", "200.00", number=month)
    release.contracts = (first, second)  # type: ignore[attr-defined]
    return release


def table_rows(page: str) -> list[list[str]]:
    """The schedule table's cells, as text, in the export's column order."""
    import re

    table = page.split('id="schedule"', 1)[1]
    head = table.split("<thead>", 1)[1].split("</thead>", 1)[0]
    headers = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", head)]
    body = table.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        rows.append(in_export_order(headers, [re.sub(r"<[^>]+>", "", c).strip() for c in cells]))
    return rows


def page_headers(page: str) -> list[str]:
    import re

    head = page.split('id="schedule"', 1)[1].split("<thead>", 1)[1].split("</thead>", 1)[0]
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", head)]


def test_it_lists_what_is_overdue_and_due_next_first(book: Tenant) -> None:
    response = book.logged_in_client().get("/fatture-e-pagamenti/")

    assert response.status_code == 200
    rows = table_rows(response.content.decode())
    # Overdue, then to be paid (next due first), then paid (newest first).
    assert [r[2] for r in rows] == [
        "31/03/24", "30/04/24", "29/02/24", "01/04/23", "01/03/23", "01/02/23", "01/01/23",
    ]  # fmt: skip
    assert rows[0][0] == "Scaduto" and rows[0][8:10] == ["414,11\xa0€", "414,11\xa0€"]
    assert rows[1][:4] == ["A scadere", "84963", "30/04/24", "3"]
    assert rows[2][0] == "Pagato" and rows[2][10] == "12/2024"
    page = response.content.decode()
    assert 'id="overdue-total">414,11\xa0€' in page


def test_it_keeps_the_newest_first_list_on_request(book: Tenant) -> None:
    page = book.logged_in_client().get("/fatture-e-pagamenti/?order=recenti").content.decode()

    assert [r[2] for r in table_rows(page)] == [
        "30/04/24", "31/03/24", "29/02/24", "01/04/23", "01/03/23", "01/02/23", "01/01/23",
    ]  # fmt: skip


def test_it_puts_due_date_amount_and_status_first_for_small_screens(book: Tenant) -> None:
    page = book.logged_in_client().get("/fatture-e-pagamenti/").content.decode()

    assert page_headers(page)[:4] == ["Scadenza", "Importo", "Stato", "Saldo scaduto"]


def test_it_shows_the_schedule_in_english(book: Tenant) -> None:
    client = book.logged_in_client()
    client.cookies["django_language"] = "en"

    page = client.get("/fatture-e-pagamenti/").content.decode()

    assert "Overdue" in page
    assert "€414.11" in page


def test_it_filters_by_contract_status_and_period(book: Tenant) -> None:
    _first, second = book.contracts  # type: ignore[attr-defined]
    client = book.logged_in_client()

    one = table_rows(client.get(f"/fatture-e-pagamenti/?contract={second.pk}").content.decode())
    assert {r[1] for r in one} == {"90001"} and len(one) == 4
    overdue = table_rows(client.get("/fatture-e-pagamenti/?status=overdue").content.decode())
    assert [r[2] for r in overdue] == ["31/03/24"]
    period = table_rows(
        client.get(
            "/fatture-e-pagamenti/?status=paid&date_from=2023-02-01&date_to=2023-03-31"
        ).content.decode()
    )
    assert [r[2] for r in period] == ["01/03/23", "01/02/23"]


INVALID_FILTERS = [
    ("?date_from=2024-01-01&date_to=2023-01-01", "La data finale precede quella iniziale."),
    ("?date_from=notadate", "Inserisci una data valida."),
    ("?date_from=2024-02-30", "Inserisci una data valida."),
    ("?status=xyz", "Stato non valido"),
]


@pytest.mark.parametrize(("query", "error"), INVALID_FILTERS)
def test_it_explains_invalid_filters_and_lists_nothing(
    book: Tenant, query: str, error: str
) -> None:
    page = book.logged_in_client().get(f"/fatture-e-pagamenti/{query}").content.decode()

    assert error in page
    assert "Il filtro non è stato applicato: correggi i criteri indicati sopra." in page
    # Neither the unfiltered list nor its total, which would read as the filter's result.
    assert 'id="schedule"' not in page
    assert 'id="overdue-total"' not in page and "Totale saldo scaduto" not in page
    assert "/fatture-e-pagamenti/esporta/" not in page


def test_it_names_an_unknown_status_without_echoing_it(book: Tenant) -> None:
    client = book.logged_in_client()

    page = client.get("/fatture-e-pagamenti/?status=xyz").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/fatture-e-pagamenti/?status=xyz").content.decode()

    assert "Stato non valido: scegli uno stato dell&#x27;elenco." in page
    assert "xyz non è tra" not in page
    assert "Invalid status: choose one from the list." in english
    assert "The filter was not applied: correct the criteria above." in english


@pytest.mark.parametrize(("query", "error"), INVALID_FILTERS)
def test_it_sends_an_export_with_invalid_filters_to_the_page(
    book: Tenant, query: str, error: str
) -> None:
    first, _second = book.contracts  # type: ignore[attr-defined]
    client = book.logged_in_client()
    filters = f"{query}&contract={first.pk}"

    response = client.get(f"/fatture-e-pagamenti/esporta/{filters}&format=csv")

    # A file with no rows would read as "nothing matches": the page says what is wrong.
    assert response.status_code == 302
    assert response["Location"] == f"/fatture-e-pagamenti/{filters}"
    assert error in client.get(response["Location"]).content.decode()


def test_it_keeps_the_default_order_for_an_unknown_one(book: Tenant) -> None:
    client = book.logged_in_client()

    page = client.get("/fatture-e-pagamenti/?order=xyz").content.decode()

    assert table_rows(page) == table_rows(client.get("/fatture-e-pagamenti/").content.decode())
    assert len(export_rows(client, "?order=xyz")) == 8


def test_it_paginates_in_the_database(release: Tenant) -> None:
    contract = make_contract(release.customer)
    for n in range(30):
        entry(contract, dt.date(2022, 1, 1) + dt.timedelta(days=n), "10.00", number=n)
    client = release.logged_in_client()

    first = client.get("/fatture-e-pagamenti/").content.decode()
    second = client.get("/fatture-e-pagamenti/?status=overdue&page=2").content.decode()

    assert len(table_rows(first)) == 25 and "1 - 25 di 30" in first
    assert len(table_rows(second)) == 5 and "26 - 30 di 30" in second
    assert "status=overdue&amp;page=1" in second
    # The total counts every page.
    assert "300,00\xa0€" in second


@pytest.mark.parametrize(
    ("asked", "shown", "message"),
    [
        ("x", "1 - 25 di 30", FIRST_PAGE),
        ("0", "1 - 25 di 30", FIRST_PAGE),
        ("-1", "1 - 25 di 30", FIRST_PAGE),
        ("2.5", "1 - 25 di 30", FIRST_PAGE),
        ("99", "26 - 30 di 30", LAST_PAGE),
        ("2", "26 - 30 di 30", None),
    ],
)
def test_it_shows_the_nearest_page_for_a_bad_page_number(
    release: Tenant, asked: str, shown: str, message: str | None
) -> None:
    contract = make_contract(release.customer)
    for n in range(30):
        entry(contract, dt.date(2022, 1, 1) + dt.timedelta(days=n), "10.00", number=n)

    response = release.logged_in_client().get(f"/fatture-e-pagamenti/?page={asked}")

    page = response.content.decode()
    assert response.status_code == 200
    assert shown in page
    for text in (FIRST_PAGE, LAST_PAGE):
        assert (text in page) == (text == message)


def export_rows(client: Any, query: str) -> list[tuple[Any, ...]]:
    response = client.get(f"/fatture-e-pagamenti/esporta/{query}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return list(sheet.iter_rows(values_only=True))


def test_it_exports_exactly_the_current_view(book: Tenant) -> None:
    first, _second = book.contracts  # type: ignore[attr-defined]
    client = book.logged_in_client()
    query = f"?contract={first.pk}"
    page_rows = table_rows(client.get(f"/fatture-e-pagamenti/{query}").content.decode())

    rows = export_rows(client, query)
    response = client.get(f"/fatture-e-pagamenti/esporta/{query}")

    assert response["Content-Disposition"] == (
        'attachment; filename="fatture-e-pagamenti-84963.xlsx"'
    )
    assert rows[0] == (
        "Stato", "Contratto", "Scadenza", "N. Canone", "Causale", "Pagamento",
        "Importo", "Pagato", "Saldo", "Saldo scaduto", "Fattura",
    )  # fmt: skip
    assert len(rows) == 1 + len(page_rows) == 4
    assert [(r[0], r[1], r[2].strftime("%d/%m/%y"), str(r[3])) for r in rows[1:]] == [
        tuple(p[:4]) for p in page_rows
    ]
    # The export keeps the page's order: the overdue entry first, the paid one last.
    assert rows[1][6:10] == (514.11, 100.0, 414.11, 414.11)
    assert rows[3][10] == "12/2024"


def test_it_exports_every_page(release: Tenant) -> None:
    contract = make_contract(release.customer)
    for n in range(30):
        entry(contract, dt.date(2022, 1, 1) + dt.timedelta(days=n), "10.00", number=n)

    rows = export_rows(release.logged_in_client(), "?status=overdue")

    assert len(rows) == 31
    assert rows[1][2] == dt.datetime(2022, 1, 1)  # the oldest overdue first


def test_it_shows_a_sub_user_the_same_schedule(book: Tenant) -> None:
    client = book.logged_in_client(make_sub_user(book.user))

    assert len(table_rows(client.get("/fatture-e-pagamenti/").content.decode())) == 7
    assert len(export_rows(client, "")) == 8


@pytest.mark.parametrize("path", ["/fatture-e-pagamenti/", "/fatture-e-pagamenti/esporta/"])
def test_it_answers_another_customers_contract_like_a_missing_one(book: Tenant, path: str) -> None:
    first, _second = book.contracts  # type: ignore[attr-defined]
    other = make_user(make_customer(book.company))
    client = book.logged_in_client(other)

    foreign = client.get(f"{path}?contract={first.pk}")
    missing = client.get(f"{path}?contract=999999")
    malformed = client.get(f"{path}?contract=abc")

    assert foreign.status_code == 200
    assert_same_answer(foreign, missing)
    assert_same_answer(foreign, malformed)
    assert "84963" not in seen(foreign)[2]


def test_it_shows_every_contract_with_a_message_for_a_bad_contract(book: Tenant) -> None:
    client = book.logged_in_client()

    for query in ["?contract=abc", "?contract=999999", "?contract=%C2%B2"]:
        page = client.get(f"/fatture-e-pagamenti/{query}").content.decode()

        assert CONTRACT_NOT_FOUND in page, query
        assert len(table_rows(page)) == 7, query
    # A download has no page to show the message on: it exports what the page shows.
    assert len(export_rows(client, "?contract=abc")) == 8
    assert CONTRACT_NOT_FOUND not in client.get("/fatture-e-pagamenti/").content.decode()


def test_it_shows_another_customer_nothing(book: Tenant) -> None:
    client = book.logged_in_client(make_user(make_customer(book.company)))

    page = client.get("/fatture-e-pagamenti/").content.decode()

    assert table_rows(page) == [["Nessuna scadenza corrisponde ai criteri scelti."]]
    assert len(export_rows(client, "")) == 1


@pytest.mark.parametrize("path", ["/fatture-e-pagamenti/", "/fatture-e-pagamenti/esporta/"])
def test_it_refuses_another_company(book: Tenant, energia: Tenant, path: str) -> None:
    first, _second = book.contracts  # type: ignore[attr-defined]
    client = energia.logged_in_client()
    client.defaults["HTTP_HOST"] = book.host  # the session does not cross companies

    assert client.get(f"{path}?contract={first.pk}").status_code == 302
    # A utility's portal has no leasing schedule until its own area is built.
    own = energia.logged_in_client()
    assert own.get(path).status_code == 404
    assert_same_answer(own.get(f"{path}?contract={first.pk}"), own.get(f"{path}?contract=999999"))


def test_it_sends_a_visitor_to_the_login(book: Tenant) -> None:
    response = book.client().get("/fatture-e-pagamenti/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accesso/")


@pytest.mark.parametrize("contracts", [1, 10])
def test_it_runs_a_fixed_number_of_queries(
    release: Tenant, contracts: int, django_assert_num_queries: Any
) -> None:
    for _ in range(contracts):
        contract = make_contract(release.customer)
        invoice = invoice_with_pdf(release.customer)
        for n in range(5):
            entry(contract, dt.date(2024, 1, 1 + n), "10.00", number=n, invoice=invoice)
    client = release.logged_in_client()
    client.get("/fatture-e-pagamenti/")

    with django_assert_num_queries(6):
        assert client.get("/fatture-e-pagamenti/?status=overdue").status_code == 200
    # Invalid filters read no entry at all (session, user, company, contracts…).
    with django_assert_num_queries(4):
        assert client.get("/fatture-e-pagamenti/?status=xyz").status_code == 200


def many_entries(contract: Any, count: int, published: Any, unpublished: Any) -> None:
    """``count`` entries, every other one with an invoice: published, then not yet."""
    ScheduleEntry.objects.bulk_create(
        ScheduleEntry(
            contract=contract,
            due_date=dt.date(2020, 1, 1) + dt.timedelta(days=n),
            instalment_number=n,
            reason=PaymentReason.INSTALMENT if n % 3 else "unknown_code",
            payment_method=PaymentMethod.SEPA if n % 2 else PaymentMethod.TRANSFER,
            amount=Decimal("100.00"),
            paid=Decimal("100.00") if n % 5 == 0 else Decimal("0.00"),
            invoice=(published if n % 4 == 0 else unpublished) if n % 2 == 0 else None,
        )
        for n in range(count)
    )


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_it_exports_in_the_same_queries_for_10_and_1000_rows(
    release: Tenant, export_format: str
) -> None:
    small = make_customer(release.company)
    small_user = make_user(small)
    published = make_invoice(release.customer, number="PUB-1", published_at=TODAY)
    unpublished = make_invoice(
        release.customer, number="NOT-YET", published_at=TODAY + dt.timedelta(days=1)
    )
    many_entries(make_contract(small), 10, published, unpublished)
    many_entries(make_contract(release.customer), 1000, published, unpublished)
    path = f"/fatture-e-pagamenti/esporta/?format={export_format}"

    def queries_and_body(client: Any) -> tuple[int, bytes]:
        client.get("/")  # the session's first-request writes are not the export's
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
            body = b"".join(response.streaming_content)
        return len(captured), body

    few, _ = queries_and_body(release.logged_in_client(small_user))
    many, body = queries_and_body(release.logged_in_client())

    assert few == many
    if export_format == "csv":
        lines = body.decode("utf-8-sig").splitlines()
        assert len(lines) == 1 + 1000
        assert sum(line.endswith(";PUB-1") for line in lines) == 250
        assert any(";unknown_code;Bonifico bancario;" in line for line in lines)
        assert not any("NOT-YET" in line for line in lines)
    else:
        rows = list(openpyxl.load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))
        assert len(rows) == 1 + 1000
        assert {row[10] for row in rows[1:]} == {"PUB-1", None}
