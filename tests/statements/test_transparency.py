"""Annual transparency statements (H4): the figures, the pages, the PDF, who may see them.

The expected figures are written out by hand from the plan rows below, never
computed by the code under test.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader
from tests.answers import CONTRACT_NOT_FOUND, assert_same_answer, cache_directives
from tests.factories import (
    Tenant,
    make_contract,
    make_customer,
    make_user,
)

from sportello.billing.models import ScheduleEntry
from sportello.core.models import AuditEvent
from sportello.customers.models import Customer
from sportello.leasing.models import (
    Contract,
    InstalmentKind,
    PaymentMethod,
    PaymentReason,
    PlanInstalment,
)
from sportello.statements import services
from sportello.statements.services import (
    StatementYearOutOfRange,
    statement_years,
    transparency_statement,
)

ADV, INST, IDX, RES = (
    InstalmentKind.ADVANCE,
    InstalmentKind.INSTALMENT,
    InstalmentKind.INDEXATION,
    InstalmentKind.RESIDUAL,
)
TODAY = dt.date(2025, 3, 15)
D = Decimal

# (kind, number, due date, amount, capital share, interest share, residual capital)
PLAN = [
    (ADV, 0, dt.date(2023, 11, 10), "1000.00", "1000.00", "0.00", "12000.00"),
    (INST, 1, dt.date(2023, 12, 31), "520.00", "460.00", "60.00", "11540.00"),
    (IDX, 0, dt.date(2024, 3, 31), "12.34", "0.00", "12.34", "11540.00"),
    (INST, 2, dt.date(2024, 3, 31), "520.00", "463.00", "57.00", "11077.00"),
    (IDX, 0, dt.date(2024, 6, 30), "10.10", "0.00", "10.10", "11077.00"),
    (INST, 3, dt.date(2024, 6, 30), "520.00", "466.38", "53.62", "10610.62"),
    (INST, 4, dt.date(2024, 9, 30), "520.00", "470.00", "50.00", "10140.62"),
    (IDX, 0, dt.date(2024, 12, 31), "8.01", "0.00", "8.01", "10140.62"),
    (INST, 5, dt.date(2024, 12, 31), "520.00", "473.00", "47.00", "9667.62"),
    (INST, 6, dt.date(2025, 1, 31), "520.00", "476.00", "44.00", "9191.62"),
    (INST, 7, dt.date(2025, 4, 30), "520.00", "479.00", "41.00", "8712.62"),
    (RES, 8, dt.date(2025, 6, 30), "600.00", "600.00", "0.00", "0.00"),
]
REASON = {kind: PaymentReason(kind.value) for kind in (ADV, INST, IDX, RES)}
# What the customer paid of each 2024 entry (amount incl. VAT = plan amount x 1.22).
PAID_2024 = {
    (INST, 2): "634.40",
    (INST, 3): "634.40",
    (INST, 4): "317.20",  # half
    (INST, 5): "0.00",  # unpaid
    (IDX, dt.date(2024, 3, 31)): "15.05",
    (IDX, dt.date(2024, 6, 30)): "12.32",
    (IDX, dt.date(2024, 12, 31)): "0.00",
}


def indexed_contract(customer: Customer, **fields: Any) -> Contract:
    """A quarterly-indexed contract, 2023-2025, with the plan above and its schedule."""
    contract = make_contract(
        customer,
        stipulated_on=dt.date(2023, 11, 10),
        start_date=dt.date(2023, 11, 15),
        end_date=dt.date(2025, 6, 30),
        amount=D("13000.00"),
        advance=D("1000.00"),
        residual_value=D("600.00"),
        reference_rate="Euribor 3 m.l. (div.360)",
        instalment_count=7,
        instalment_amount=D("520.00"),
        duration_months=20,
        **fields,
    )
    for kind, number, due, amount, capital, interest, residual in PLAN:
        PlanInstalment.objects.create(
            contract=contract,
            number=number,
            due_date=due,
            kind=kind,
            amount=D(amount),
            capital_share=D(capital),
            interest_share=D(interest),
            residual_capital=D(residual),
            payment_method=PaymentMethod.SEPA,
            accrual_start=due - dt.timedelta(days=89) if kind == IDX else due,
            accrual_end=due,
        )
        with_vat = (D(amount) * D("1.22")).quantize(D("0.01"))
        if due.year == 2024:
            paid = D(PAID_2024[(kind, due if kind == IDX else number)])
        else:
            paid = with_vat if due < TODAY else D("0.00")
        ScheduleEntry.objects.create(
            contract=contract,
            due_date=due,
            instalment_number=number,
            reason=REASON[kind],
            payment_method=PaymentMethod.SEPA,
            amount=with_vat,
            paid=paid,
        )
    # A collection fee, the only schedule entry that is not a plan row.
    ScheduleEntry.objects.create(
        contract=contract,
        due_date=dt.date(2024, 6, 30),
        instalment_number=0,
        reason=PaymentReason.COLLECTION_FEES,
        payment_method=PaymentMethod.SEPA,
        amount=D("2.44"),
        paid=D("2.44"),
    )
    return contract


@pytest.fixture
def contract(release: Tenant) -> Contract:
    return indexed_contract(release.customer)


def url(name: str, contract: Contract, year: int) -> str:
    return reverse(f"transparency:{name}", args=[contract.pk, year])


def pdf_text(content: bytes) -> str:
    """The PDF's text with every run of white space (line breaks too) as one space."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


# -- the figures -------------------------------------------------------------


def test_it_computes_the_year_of_a_contract_with_indexation(contract: Contract) -> None:
    s = transparency_statement(contract, 2024, today=TODAY)

    assert s.opening_residual == D("11540.00")  # after instalment 1, due 31/12/2023
    assert s.closing_residual == D("9667.62")  # after instalment 5, due 31/12/2024
    assert s.capital_repaid == D("463.00") + D("466.38") + D("470.00") + D("473.00")
    assert s.capital_repaid == D("1872.38") == s.opening_residual - s.closing_residual
    assert s.instalments.interest == D("207.62")  # 57 + 53.62 + 50 + 47
    assert (s.indexation.count, s.indexation.amount) == (3, D("30.45"))  # 12.34+10.10+8.01
    assert s.interest == D("238.07")
    assert [a.amount for a in s.indexation_adjustments] == [D("12.34"), D("10.10"), D("8.01")]
    assert (s.instalments.count, s.instalments.amount) == (4, D("2080.00"))
    assert s.advance.count == s.residual_value.count == 0
    assert s.provisional is False
    assert s.reference_rate == "Euribor 3 m.l. (div.360)"


def test_it_compares_what_was_billed_with_what_was_paid(contract: Contract) -> None:
    s = transparency_statement(contract, 2024, today=TODAY)

    lines = {str(line.reason): line for line in s.schedule}
    assert (lines["Canone"].count, lines["Canone"].amount) == (4, D("2537.60"))  # 4 x 634.40
    assert lines["Canone"].paid == D("1586.00")  # 634.40 + 634.40 + 317.20
    assert lines["Canone"].overdue == D("951.60")  # 317.20 + 634.40
    assert (lines["Indicizzazione"].amount, lines["Indicizzazione"].paid) == (
        D("37.14"),  # 15.05 + 12.32 + 9.77
        D("27.37"),
    )
    assert (s.fees.count, s.fees.amount, s.fees.paid) == (1, D("2.44"), D("2.44"))
    assert s.billed.amount == D("2577.18")
    assert s.billed.paid == D("1615.81")
    assert s.billed.balance == s.billed.overdue == D("961.37")


def test_it_starts_from_the_price_in_the_stipulation_year(contract: Contract) -> None:
    s = transparency_statement(contract, 2023, today=TODAY)

    assert s.opening_residual == D("13000.00")  # the price, before the 1.000 advance
    assert s.opening_date == dt.date(2023, 11, 10)  # the stipulation day
    assert s.opening_at_stipulation
    assert s.closing_residual == D("11540.00")
    assert (s.advance.count, s.advance.amount) == (1, D("1000.00"))
    # The advance is capital repaid, as the table of plan rows shows it.
    assert s.capital_repaid == D("1460.00") == s.plan_total.capital
    assert s.closing_residual == s.opening_residual - s.capital_repaid
    assert s.indexation.count == 0 and s.indexation_adjustments == []


def test_it_reports_the_current_year_to_date_as_provisional(contract: Contract) -> None:
    s = transparency_statement(contract, 2025, today=TODAY)

    assert s.provisional is True
    assert s.period_end == TODAY
    # Instalment 6 (31/01) is in; instalment 7 (30/04) and the residual value are not yet.
    assert (s.instalments.count, s.opening_residual, s.closing_residual) == (
        1,
        D("9667.62"),
        D("9191.62"),
    )
    assert s.billed.balance == D("0.00")


def test_it_shows_a_year_without_instalments(release: Tenant) -> None:
    contract = make_contract(
        release.customer,
        stipulated_on=dt.date(2023, 12, 20),
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2026, 12, 31),
        amount=D("10000.00"),
        advance=D("0.00"),
    )
    PlanInstalment.objects.create(
        contract=contract,
        number=1,
        due_date=dt.date(2024, 1, 31),
        kind=INST,
        amount=D("300.00"),
        capital_share=D("260.00"),
        interest_share=D("40.00"),
        residual_capital=D("9740.00"),
        payment_method=PaymentMethod.SEPA,
        accrual_start=dt.date(2024, 1, 1),
        accrual_end=dt.date(2024, 1, 31),
    )

    s = transparency_statement(contract, 2023, today=TODAY)

    assert s.opening_residual == s.closing_residual == D("10000.00")
    assert s.plan_total.count == s.billed.count == 0
    assert s.capital_repaid == s.interest == s.fees.amount == D("0.00")


def test_it_offers_the_years_from_stipulation_to_today(contract: Contract) -> None:
    years = statement_years(contract, TODAY)

    assert [(y.year, y.provisional) for y in years] == [(2025, True), (2024, False), (2023, False)]
    assert [y.year for y in statement_years(contract, dt.date(2030, 1, 1))] == [2025, 2024, 2023]
    for year in (2022, 2026):
        with pytest.raises(StatementYearOutOfRange):
            transparency_statement(contract, year, today=TODAY)


# -- the pages ------------------------------------------------------------------


@time_machine.travel(dt.datetime(2025, 3, 15, 10, 0, tzinfo=dt.UTC))
def test_it_lists_each_contract_with_its_years(release: Tenant, contract: Contract) -> None:
    response = release.logged_in_client().get(reverse("transparency:list"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Rendiconti di trasparenza" in body
    assert f"Contratto n. {contract.number}/{contract.module_number}" in body
    for year in (2023, 2024, 2025):
        assert url("detail", contract, year) in body
        assert url("pdf", contract, year) in body
    assert url("detail", contract, 2022) not in body
    assert "Provvisorio (anno in corso)" in body


@time_machine.travel(dt.datetime(2025, 3, 15, 10, 0, tzinfo=dt.UTC))
def test_it_shows_the_statement_in_italian(release: Tenant, contract: Contract) -> None:
    response = release.logged_in_client().get(url("detail", contract, 2024))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Rendiconto annuale ai fini della trasparenza (D.Lgs. 385/1993, art. 119)" in body
    for figure, value in {
        "opening": "11.540,00",
        "closing": "9.667,62",
        "capital": "1.872,38",
        "interest": "238,07",
        "indexation": "30,45",
        "fees": "2,44",
        "billed": "2.577,18",
        "paid": "1.615,81",
        "balance": "961,37",
    }.items():
        assert f'data-figure="{figure}">{value}\xa0€<' in body
    assert "Capitale residuo al 01/01/2024" in body
    assert "Capitale residuo al 31/12/2024" in body
    assert "Euribor 3 m.l. (div.360)" in body
    assert "12,34\xa0€" in body and "10,10\xa0€" in body and "8,01\xa0€" in body


@time_machine.travel(dt.datetime(2025, 3, 15, 10, 0, tzinfo=dt.UTC))
def test_it_shows_the_statement_in_english(release: Tenant, contract: Contract) -> None:
    client = release.logged_in_client()
    client.cookies["django_language"] = "en"

    response = client.get(url("detail", contract, 2024))

    body = response.content.decode()
    assert '<html lang="en">' in body
    with translation.override("en"):
        title = gettext("Rendiconto annuale ai fini della trasparenza (D.Lgs. 385/1993, art. 119)")
    assert title in body
    assert 'data-figure="closing">€9,667.62<' in body
    assert 'data-figure="opening">€11,540.00<' in body


@time_machine.travel(dt.datetime(2025, 3, 15, 10, 0, tzinfo=dt.UTC))
def test_it_says_when_there_are_no_fees_and_no_indexation(release: Tenant) -> None:
    contract = indexed_contract(release.customer)
    ScheduleEntry.objects.filter(contract=contract, reason=PaymentReason.COLLECTION_FEES).delete()

    response = release.logged_in_client().get(url("detail", contract, 2023))

    body = html.unescape(response.content.decode())
    assert 'data-figure="fees">0,00\xa0€<' in body
    assert "Nell'anno non sono state addebitate commissioni né spese." in body
    assert "Nell'anno non sono stati applicati adeguamenti di indicizzazione." in body


@time_machine.travel(dt.datetime(2025, 3, 15, 10, 0, tzinfo=dt.UTC))
def test_it_marks_the_current_year_provisional(release: Tenant, contract: Contract) -> None:
    body = release.logged_in_client().get(url("detail", contract, 2025)).content.decode()

    assert "Rendiconto provvisorio" in body
    assert "dal 01/01/2025 al 15/03/2025" in body


# -- the PDF -------------------------------------------------------------------


@time_machine.travel(dt.datetime(2025, 3, 15, 10, 0, tzinfo=dt.UTC))
def test_it_downloads_the_statement_as_a_pdf_with_the_same_figures(
    release: Tenant, contract: Contract
) -> None:
    response = release.logged_in_client().get(url("pdf", contract, 2024))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="rendiconto-{contract.number}-2024.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert {"no-store", "private"} <= cache_directives(response)
    text = pdf_text(response.content)
    assert "Rendiconto annuale ai fini della trasparenza" in text
    assert "D.Lgs. 385/1993, art. 119" in text
    assert f"{contract.number}/{contract.module_number}" in text
    assert release.customer.name in text
    assert release.company.name in text
    assert "P.IVA 12345678901" in text  # the legal footer
    plan = {(kind, due): D(capital) for kind, _, due, _, capital, _, _ in PLAN}
    capital_2024 = sum(v for (k, due), v in plan.items() if k == INST and due.year == 2024)
    assert capital_2024 == D("1872.38")
    for figure in ("11.540,00", "9.667,62", "1.872,38", "238,07", "30,45", "2.577,18", "961,37"):
        assert figure in text
    event = AuditEvent.objects.get(action="transparency.statement_downloaded")
    assert (event.actor, event.object_id, event.data) == (
        release.user,
        str(contract.pk),
        {"year": 2024, "provisional": False},
    )


@time_machine.travel(dt.datetime(2025, 3, 15, 10, 0, tzinfo=dt.UTC))
def test_it_writes_the_pdf_in_the_users_language(release: Tenant, contract: Contract) -> None:
    release.user.language = "en"
    release.user.save(update_fields=["language"])

    response = release.logged_in_client().get(url("pdf", contract, 2024))

    text = pdf_text(response.content)
    with translation.override("en"):
        title = gettext("Rendiconto annuale ai fini della trasparenza (D.Lgs. 385/1993, art. 119)")
    assert title.split(" (")[0] in text
    assert "€9,667.62" in text and "€11,540.00" in text
    assert "9.667,62" not in text


# -- a closed year's PDF is printed once and kept ---------------------------------------


def kept_statements(contract: Contract, year: int, language: str = "it") -> list[str]:
    folder = f"statements/{contract.company_id}/{contract.pk}/{year}/{language}"
    try:
        return default_storage.listdir(folder)[1]
    except FileNotFoundError:
        return []


@time_machine.travel(dt.datetime(2025, 3, 15, 10, 0, tzinfo=dt.UTC))
def test_it_prints_a_closed_year_once_and_serves_the_kept_copy(
    release: Tenant, contract: Contract
) -> None:
    client = release.logged_in_client()
    first = client.get(url("pdf", contract, 2024))

    with mock.patch.object(services, "html_to_pdf", wraps=services.html_to_pdf) as printer:
        second = client.get(url("pdf", contract, 2024))

    printer.assert_not_called()
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Disposition"] == first["Content-Disposition"]
    assert {"no-store", "private"} <= cache_directives(second)
    assert len(kept_statements(contract, 2024)) == 1
    # Each download is audited, kept or not.
    assert AuditEvent.objects.filter(action="transparency.statement_downloaded").count() == 2


@time_machine.travel(dt.datetime(2025, 3, 15, 10, 0, tzinfo=dt.UTC))
def test_it_prints_a_closed_year_again_when_its_figures_change(
    release: Tenant, contract: Contract
) -> None:
    client = release.logged_in_client()
    before = pdf_text(client.get(url("pdf", contract, 2024)).content)
    # The core system records a late payment of the unpaid December instalment.
    ScheduleEntry.objects.filter(contract=contract, due_date=dt.date(2024, 12, 31)).update(
        paid=models.F("amount")
    )

    with mock.patch.object(services, "html_to_pdf", wraps=services.html_to_pdf) as printer:
        after = pdf_text(client.get(url("pdf", contract, 2024)).content)

    printer.assert_called_once()
    assert "961,37" in before and "961,37" not in after
    assert len(kept_statements(contract, 2024)) == 1  # the old version is gone


@time_machine.travel(dt.datetime(2025, 3, 15, 10, 0, tzinfo=dt.UTC))
def test_it_keeps_a_copy_per_language(release: Tenant, contract: Contract) -> None:
    client = release.logged_in_client()
    italian = client.get(url("pdf", contract, 2024)).content
    client.cookies["django_language"] = "en"

    english = client.get(url("pdf", contract, 2024)).content

    assert "€9,667.62" in pdf_text(english) and "9.667,62" in pdf_text(italian)
    assert len(kept_statements(contract, 2024, "en")) == 1


@time_machine.travel(dt.datetime(2025, 3, 15, 10, 0, tzinfo=dt.UTC))
def test_it_prints_the_current_year_on_every_download(release: Tenant, contract: Contract) -> None:
    client = release.logged_in_client()

    with mock.patch.object(services, "html_to_pdf", wraps=services.html_to_pdf) as printer:
        client.get(url("pdf", contract, 2025))
        client.get(url("pdf", contract, 2025))

    assert printer.call_count == 2
    assert kept_statements(contract, 2025) == []


# -- who may see it ------------------------------------------------------------------


@time_machine.travel(dt.datetime(2025, 3, 15, 10, 0, tzinfo=dt.UTC))
@pytest.mark.parametrize("name", ["detail", "pdf"])
@pytest.mark.parametrize("year", [1999, 2022, 2026, 9999])
def test_it_refuses_years_outside_the_contract(
    release: Tenant, contract: Contract, name: str, year: int
) -> None:
    assert release.logged_in_client().get(url(name, contract, year)).status_code == 404


@time_machine.travel(dt.datetime(2025, 3, 15, 10, 0, tzinfo=dt.UTC))
@pytest.mark.parametrize("name", ["detail", "pdf"])
def test_it_refuses_guessed_contract_ids(release: Tenant, contract: Contract, name: str) -> None:
    client = release.logged_in_client()
    for guess in (contract.pk + 1, contract.pk + 1000, 0):
        assert client.get(reverse(f"transparency:{name}", args=[guess, 2024])).status_code == 404


def test_it_hides_the_statements_when_the_company_turns_them_off(
    release: Tenant, contract: Contract
) -> None:
    release.company.feature_transparency = False
    release.company.save()
    client = release.logged_in_client()

    assert client.get(reverse("transparency:list")).status_code == 404
    assert client.get(url("detail", contract, 2024)).status_code == 404
    home = client.get(reverse("portal:home")).content.decode()
    assert reverse("transparency:list") not in home


def test_it_links_the_statements_from_the_menu(release: Tenant) -> None:
    body = release.logged_in_client().get(reverse("portal:home")).content.decode()

    assert f'href="{reverse("transparency:list")}"' in body
    assert "Rendiconti di trasparenza" in body


# -- queries do not grow with the data --------------------------------------------


def _queries(client: Any, path: str) -> int:
    client.get(path)  # the session's first-request writes are not the page's
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@time_machine.travel(dt.datetime(2025, 3, 15, 10, 0, tzinfo=dt.UTC))
def test_it_lists_in_a_fixed_number_of_queries(
    release: Tenant, django_assert_num_queries: Any
) -> None:
    small_customer = make_customer(release.company)
    small_user = make_user(small_customer)
    indexed_contract(small_customer)
    for _ in range(14):
        indexed_contract(release.customer)
    path = reverse("transparency:list")
    expected = _queries(release.logged_in_client(small_user), path)
    client = release.logged_in_client()
    client.get(path)

    with django_assert_num_queries(expected):
        response = client.get(path)
    assert "1 - 10 di 14" in response.content.decode()


@time_machine.travel(dt.datetime(2025, 3, 15, 10, 0, tzinfo=dt.UTC))
def test_it_shows_a_statement_in_a_fixed_number_of_queries(
    release: Tenant, contract: Contract, django_assert_num_queries: Any
) -> None:
    short = make_contract(
        release.customer, stipulated_on=dt.date(2024, 1, 10), end_date=dt.date(2026, 1, 31)
    )
    client = release.logged_in_client()
    expected = _queries(client, url("detail", short, 2024))

    with django_assert_num_queries(expected):
        client.get(url("detail", contract, 2024))


def test_it_has_no_statements_on_a_utility_portal(energia: Tenant) -> None:
    assert energia.logged_in_client().get(reverse("transparency:list")).status_code == 404


@time_machine.travel(dt.datetime(2025, 3, 15, 10, 0, tzinfo=dt.UTC))
def test_it_lists_a_contract_stipulated_in_the_future_without_years(release: Tenant) -> None:
    contract = make_contract(
        release.customer, stipulated_on=dt.date(2026, 2, 1), end_date=dt.date(2030, 1, 31)
    )

    body = html.unescape(
        release.logged_in_client().get(reverse("transparency:list")).content.decode()
    )

    assert f"Contratto n. {contract.number}/" in body
    assert "Il primo rendiconto sarà disponibile dall'anno di stipula del contratto." in body
    assert reverse("transparency:detail", args=[contract.pk, 2026]) not in body


@time_machine.travel(dt.datetime(2025, 3, 15, 10, 0, tzinfo=dt.UTC))
def test_it_lists_one_contract_when_asked(release: Tenant, contract: Contract) -> None:
    other = indexed_contract(release.customer)
    client = release.logged_in_client()
    path = reverse("transparency:list")

    body = client.get(path, {"contract": contract.pk}).content.decode()

    assert url("detail", contract, 2024) in body
    assert url("detail", other, 2024) not in body


@time_machine.travel(dt.datetime(2025, 3, 15, 10, 0, tzinfo=dt.UTC))
def test_it_lists_every_contract_for_someone_elses_or_a_bad_one(
    release: Tenant, contract: Contract
) -> None:
    other = indexed_contract(release.customer)
    foreign = indexed_contract(make_customer(release.company))
    client = release.logged_in_client()
    path = reverse("transparency:list")

    answer = client.get(path, {"contract": foreign.pk})

    assert answer.status_code == 200
    for guess in (999999, "x"):
        assert_same_answer(answer, client.get(path, {"contract": guess}))
    body = answer.content.decode()
    assert CONTRACT_NOT_FOUND in body
    assert url("detail", contract, 2024) in body and url("detail", other, 2024) in body
    assert url("detail", foreign, 2024) not in body
