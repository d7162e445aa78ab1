"""The complaints register: one row per complaint, on a page and as XLSX or CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries
from tests.backoffice.helpers import at_noon, open_request
from tests.factories import Tenant, operator_client

from sportello.accounts.models import PortalUser
from sportello.core.audit import Origin
from sportello.core.exports import XLSX_TYPE
from sportello.core.models import AuditEvent
from sportello.servicedesk import services
from sportello.servicedesk.models import ComplaintOutcome, RequestKind, ServiceRequest

#: The register is exported on Wednesday 1 July 2026.
EXPORTED = dt.date(2026, 7, 1)

HEADER = [
    "Codice",
    "Codice cliente",
    "Cliente",
    "Ricevuto il",
    "Tipo",
    "Oggetto",
    "Risposta entro il",
    "Risposta interlocutoria il",
    "Risposto il",
    "Esito",
    "Giorni impiegati",
    "Stato",
    "Nei termini",
]


def on(day: dt.date) -> Any:
    return time_machine.travel(at_noon(day), tick=False)


@pytest.fixture
def register(release: Tenant, energia: Tenant, operator: PortalUser) -> dict[str, ServiceRequest]:
    """Three complaints of Release (one from 2025, still open), a request, Energia's complaint."""
    desk = Origin(release.company, operator)
    referral = services.referral_text("it")
    with on(dt.date(2025, 12, 1)):
        forgotten = open_request(release, RequestKind.COMPLAINT, title="Canone errato")
    with on(dt.date(2026, 1, 30)):
        answered = open_request(release, RequestKind.COMPLAINT, title="Interessi di mora")
    with on(dt.date(2026, 3, 10)):
        services.close_request(
            desk,
            answered,
            answer="Rimborsati.",
            outcome=ComplaintOutcome.ACCEPTED,
            referral=referral,
        )
    with on(dt.date(2026, 4, 24)):
        late = open_request(
            release, RequestKind.COMPLAINT, title="Addebito SDD", is_payment_service=True
        )
    with on(dt.date(2026, 5, 12)):
        services.interim_reply(desk, late, "Verifiche in corso con la banca.")
    with on(dt.date(2026, 6, 20)):
        services.close_request(
            desk,
            late,
            answer="Addebito corretto.",
            outcome=ComplaintOutcome.REJECTED,
            referral=referral,
        )
    with on(dt.date(2026, 2, 2)):
        open_request(release, title="Non è un reclamo")
        open_request(energia, RequestKind.COMPLAINT, title="Bolletta")
    return {"forgotten": forgotten, "answered": answered, "late": late}


def export(client: Client, **params: str) -> Any:
    with on(EXPORTED):
        response = client.get(reverse("backoffice:complaints_register", args=["release"]), params)
    assert response.status_code == 200
    return response


def csv_rows(response: Any) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_it_exports_one_csv_row_per_complaint_in_order_of_receipt(
    release: Tenant, desk: Client, register: dict[str, ServiceRequest]
) -> None:
    response = export(desk, format="csv")

    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith(
        'attachment; filename="registro-reclami-release.csv"'
    )
    customer = release.customer
    forgotten, answered, late = register["forgotten"], register["answered"], register["late"]
    assert csv_rows(response) == [
        HEADER,
        [forgotten.code, customer.code, customer.name, "01/12/2025", "Ordinario", "Canone errato",
         "30/01/2026",
         "", "", "", "", "Aperta", "no"],
        [answered.code, customer.code, customer.name, "30/01/2026", "Ordinario",
         "Interessi di mora", "31/03/2026",
         "", "10/03/2026", "Accolto", "39", "Chiusa", "sì"],
        # 15 business days to 18/05, 35 after the interim reply: 16/06; answered 20/06.
        [late.code, customer.code, customer.name, "24/04/2026", "Servizio di pagamento",
         "Addebito SDD", "16/06/2026", "12/05/2026", "20/06/2026", "Respinto", "57", "Chiusa", "no"],
    ]  # fmt: skip


def test_it_exports_the_register_of_one_year(
    desk: Client, register: dict[str, ServiceRequest]
) -> None:
    rows = csv_rows(export(desk, format="csv", year="2026"))

    assert [row[0] for row in rows[1:]] == [register["answered"].code, register["late"].code]


def test_it_exports_a_workbook_by_default(
    desk: Client, register: dict[str, ServiceRequest]
) -> None:
    response = export(desk)

    assert response["Content-Type"] == XLSX_TYPE
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert rows[2][0] == register["answered"].code
    assert rows[2][3] == dt.datetime(2026, 1, 30)
    assert rows[2][5] == "Interessi di mora"
    assert rows[2][10] == 39
    assert len(rows) == 4


def test_it_audits_the_export(
    release: Tenant, operator: PortalUser, desk: Client, register: dict[str, ServiceRequest]
) -> None:
    export(desk, format="csv", year="2026")

    event = AuditEvent.objects.get(action="complaints_register.exported")
    assert (event.actor, event.company) == (operator, release.company)
    assert event.data == {"year": 2026, "format": "csv"}


def test_it_lists_the_register_on_a_page_with_its_export_links(
    desk: Client, register: dict[str, ServiceRequest]
) -> None:
    with on(EXPORTED):
        response = desk.get(reverse("backoffice:complaints", args=["release"]), {"year": "2026"})

    assert response.status_code == 200
    page = response.content.decode()
    export_url = reverse("backoffice:complaints_register", args=["release"])
    assert f'href="{export_url}?year=2026"' in page
    assert f'href="{export_url}?year=2026&amp;format=csv"' in page
    assert register["late"].code in page and "16/06/2026" in page and "Respinto" in page
    assert "<td>Servizio di pagamento</td>" in page
    assert ">Addebito SDD</td>" in page and ">Interessi di mora</td>" in page
    assert register["forgotten"].code not in page
    assert "Bolletta" not in page and "Non è un reclamo" not in page


def test_it_ignores_a_year_without_complaints(
    desk: Client, register: dict[str, ServiceRequest]
) -> None:
    rows = csv_rows(export(desk, format="csv", year="1999"))

    assert len(rows) == 4


@pytest.mark.parametrize("count", [2, 12])
def test_it_reads_the_register_page_in_the_same_number_of_queries(
    release: Tenant,
    operator: PortalUser,
    count: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    with on(dt.date(2026, 3, 2)):
        for _n in range(count):
            open_request(release, RequestKind.COMPLAINT)
    client = operator_client(operator)
    page = reverse("backoffice:complaints", args=["release"])
    client.get(page)

    # Session, user, OTP device, company, years, count, page (an unchanged
    # session is written at most once a minute: not here).
    with django_assert_num_queries(7):
        response = client.get(page)

    assert len(response.context["entries"]) == count
