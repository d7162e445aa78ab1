"""E6: an energy seller's customers open tickets and ARERA complaints on the desk engine.

The kinds each kind of company offers, the ticket about the point chosen in the
header, the complaint with the minimum fields of ARERA's TIQV (art. 8) filled
in from the point and the customer, its 30-day answer (art. 14) shown to the
customer, and the notices that lead back to the request. The back office's
side: tests/backoffice/test_utility_complaints.py.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries, Settings
from tests.factories import Tenant, make_customer, make_sub_user, make_supply_point, make_user
from tests.servicedesk.utility import (
    COMPLAINT,
    NEW,
    PDF,
    TICKET,
    UtilityCustomer,
    complaint_post,
    utility_customer,
)

from sportello.core.audit import Origin
from sportello.core.models import AuditEvent, OutboxEmail
from sportello.notices.models import Notification
from sportello.portal.audience import target_url
from sportello.portal.menu import menu_for
from sportello.servicedesk import services
from sportello.servicedesk.models import (
    RequestAttachment,
    RequestKind,
    RequestMessage,
    RequestType,
    ServiceRequest,
)

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
#: 30 calendar days after 02/03/2026 (TIQV art. 14).
DUE = "01/04/2026"
#: 40 days after 02/03/2026: ARERA's conciliation without an answer.
CONCILIATION = "11/04/2026"


@pytest.fixture(autouse=True)
def _frozen(settings: Settings) -> Iterator[None]:
    # Files are accepted unscanned here: tests/core and the leasing forms prove the scanner.
    settings.CLAMAV_REQUIRED = False
    settings.CLAMAV_SOCKET = "/nonexistent"
    settings.CLAMAV_TCP = ""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def utility(energia: Tenant) -> UtilityCustomer:
    return utility_customer(energia)


def the_request() -> ServiceRequest:
    return ServiceRequest.objects.select_related("supply_point", "request_type").get()


def ticket_post(utility: UtilityCustomer, point: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "supply_point": point.pk,
        "request_type": utility.types[1].pk,
        "subject": "Lettura",
        "message": "Ciao",
    }
    return data | changes


def nothing_saved() -> bool:
    return (
        not ServiceRequest.objects.exists()
        and not RequestMessage.objects.exists()
        and not OutboxEmail.objects.exists()
        and not AuditEvent.objects.filter(action="request.opened").exists()
    )


def field_value(page: str, name: str) -> str:
    """The value an input named ``name`` is rendered with."""
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert found, name
    value = re.search(r'value="([^"]*)"', found.group(0))
    return html.unescape(value.group(1)) if value else ""


def selected(page: str, name: str) -> str:
    select = page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    found = re.search(r'<option value="([^"]*)" selected>', select)
    return found.group(1) if found else ""


# -- what each kind of company offers ---------------------------------------------------


def test_it_offers_a_utilitys_customer_a_ticket_and_a_complaint_only(
    utility: UtilityCustomer,
) -> None:
    page = utility.client().get(NEW).content.decode()

    assert re.findall(r'href="/richieste/nuova/([a-z-]+)/"', page) == ["ticket", "reclamo"]
    assert "<h1" in page and "Ticket e reclami" in page
    for leasing_word in ("IBAN", "estinzione", "PEC", "contratti attivi"):
        assert leasing_word not in page


@pytest.mark.parametrize("slug", ["iban", "indirizzo", "altre", "estinzione", "pec", "nessuno"])
def test_it_has_no_leasing_form_on_a_utilitys_portal(utility: UtilityCustomer, slug: str) -> None:
    client = utility.client()

    assert client.get(f"{NEW}{slug}/").status_code == 404
    assert client.post(f"{NEW}{slug}/", {"message": "Ciao"}).status_code == 404
    assert client.get(f"{NEW}estinzione/importi/").status_code == 404
    assert nothing_saved()


def test_it_keeps_the_leasing_area_as_it_was(release: Tenant) -> None:
    client = release.logged_in_client()
    page = client.get(NEW).content.decode()

    assert re.findall(r'href="/richieste/nuova/([a-z-]+)/"', page) == [
        "iban",
        "indirizzo",
        "altre",
        "estinzione",
        "reclamo",
        "pec",
    ]
    assert client.get(TICKET).status_code == 404
    leasing_complaint = client.get(COMPLAINT).content.decode()
    assert "60 giorni" in leasing_complaint and "TIQV" not in leasing_complaint
    assert 'name="point_code"' not in leasing_complaint


def test_it_links_the_utility_menus_ticket_entry_to_the_requests(
    utility: UtilityCustomer,
) -> None:
    entry = next(e for e in menu_for(utility.tenant.company) if e.key == "requests")
    page = utility.client().get("/").content.decode()

    assert (entry.label, entry.url) == ("Ticket", "/richieste/")
    assert re.search(r'href="/richieste/"[^>]*>\s*(<[^>]+>\s*)*Ticket', page)
    assert "/in-arrivo/requests/" not in page


def test_it_has_no_ticket_entry_where_the_utility_offers_no_requests(
    utility: UtilityCustomer,
) -> None:
    utility.tenant.company.feature_requests = False
    utility.tenant.company.save()
    client = utility.client()

    assert "requests" not in [e.key for e in menu_for(utility.tenant.company)]
    assert [client.get(url).status_code for url in ("/richieste/", NEW, TICKET)] == [404] * 3


# -- the ticket -----------------------------------------------------------------------


def test_it_shows_the_ticket_form_about_the_point_chosen_in_the_header(
    utility: UtilityCustomer,
) -> None:
    page = utility.client(utility.gas).get(TICKET).content.decode()

    note = page.split('id="request-point"', 1)[1].split("</p>", 1)[0]
    assert "PR002874 (Pdr: 03340009749021); VIA DEI POGGI 5 - 57014 COLLESALVETTI (LI)" in note
    assert field_value(page, "supply_point") == str(utility.gas.pk)
    options = page.split('name="request_type"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="\d+">([^<]+)</option>', options) == [
        "Voltura",
        "Verifica del contatore",
    ]


def test_it_opens_a_ticket_of_the_companys_type_about_the_chosen_point(
    utility: UtilityCustomer,
) -> None:
    client = utility.client(utility.gas)

    response = client.post(
        TICKET,
        {
            "supply_point": utility.gas.pk,
            "request_type": utility.types[0].pk,
            "subject": "Voltura a nome della società",
            "message": "Chiedo la voltura dal mese prossimo.",
            "attachments": [SimpleUploadedFile("visura.pdf", PDF, "application/pdf")],
        },
    )

    opened = the_request()
    assert response.status_code == 302
    assert response["Location"] == f"/richieste/{opened.code}/"
    assert (opened.kind, opened.supply_point, opened.request_type, opened.author) == (
        RequestKind.UTILITY_TICKET,
        utility.gas,
        utility.types[0],
        utility.tenant.user,
    )
    assert opened.title == "Voltura a nome della società"
    assert opened.display_title == "Voltura: Voltura a nome della società"
    assert opened.due_on is None and opened.received_on is None
    message = opened.messages.get()
    assert message.body == "Chiedo la voltura dal mese prossimo."
    assert [a.original_name for a in message.attachments.all()] == ["visura.pdf"]
    detail = client.get(response["Location"]).content.decode()
    data = detail.split('id="typed-data"', 1)[1].split("</dl>", 1)[0]
    assert "Punto di fornitura" in data and "PR002874 (Pdr: 03340009749021)" in data
    assert "Voltura: Voltura a nome della società" in detail


def test_it_keeps_the_point_the_customer_saw_when_another_tab_changed_it(
    utility: UtilityCustomer,
) -> None:
    # The form was shown for the gas point; meanwhile the header chose electricity.
    client = utility.client(utility.electricity)

    client.post(TICKET, ticket_post(utility, utility.gas))

    assert the_request().supply_point == utility.gas


@pytest.mark.parametrize("whose", ["neighbour", "other_company"])
def test_it_refuses_a_point_that_is_not_the_customers(
    utility: UtilityCustomer, release: Tenant, whose: str
) -> None:
    owner = make_customer(utility.tenant.company) if whose == "neighbour" else release.customer
    theirs = make_supply_point(owner)

    response = utility.client().post(
        TICKET, {"supply_point": theirs.pk, "subject": "Lettura", "message": "Ciao"}
    )

    assert response.status_code == 200
    assert "Il punto di fornitura non è tra i tuoi" in response.content.decode()
    assert theirs.address not in response.content.decode()
    assert nothing_saved()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"subject": ""}, "subject"),
        ({"message": ""}, "message"),
        ({"request_type": ""}, "request_type"),
    ],
)
def test_it_refuses_a_ticket_without_what_it_needs(
    utility: UtilityCustomer, changes: dict[str, str], field: str
) -> None:
    data = {
        "supply_point": utility.electricity.pk,
        "request_type": utility.types[1].pk,
        "subject": "Contatore",
        "message": "Il contatore gira anche a luce spenta.",
    }

    response = utility.client().post(TICKET, data | changes)

    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.content.decode()
    assert nothing_saved()


def test_it_refuses_another_companys_request_type(
    utility: UtilityCustomer, release: Tenant
) -> None:
    theirs = RequestType.objects.create(company=release.company, label_it="Loro", label_en="Theirs")

    response = utility.client().post(
        TICKET, {"request_type": theirs.pk, "subject": "Contatore", "message": "Ciao"}
    )

    assert response.status_code == 200
    assert nothing_saved()


def test_it_opens_a_ticket_about_no_point_for_a_customer_without_points(energia: Tenant) -> None:
    client = energia.logged_in_client()
    page = client.get(TICKET).content.decode()

    response = client.post(TICKET, {"supply_point": "", "subject": "Offerte", "message": "Ciao"})

    assert 'id="request-point"' not in page
    assert "request_type" not in page  # the company keeps no list of types
    assert response.status_code == 302
    assert the_request().supply_point is None


def test_it_lets_a_sub_user_open_a_ticket_of_its_own(utility: UtilityCustomer) -> None:
    sub_user = make_sub_user(utility.tenant.user)
    client = utility.tenant.logged_in_client(sub_user)

    client.post(TICKET, ticket_post(utility, utility.gas))

    opened = the_request()
    assert (opened.author, opened.customer, opened.supply_point) == (
        sub_user,
        utility.tenant.customer,
        utility.gas,
    )


# -- the complaint (TIQV) -------------------------------------------------------------


def test_it_prefills_the_complaint_from_the_chosen_point_and_the_customer(
    utility: UtilityCustomer,
) -> None:
    utility.tenant.user.secondary_email = "avvisi@example.test"
    utility.tenant.user.save()

    page = utility.client(utility.gas).get(COMPLAINT).content.decode()

    assert field_value(page, "name") == utility.tenant.customer.name
    assert field_value(page, "supply_address") == "VIA DEI POGGI 5 - 57014 COLLESALVETTI (LI)"
    assert field_value(page, "reply_address") == "avvisi@example.test"
    assert selected(page, "service") == "gas"
    assert field_value(page, "point_code") == "03340009749021"
    assert field_value(page, "supply_point") == str(utility.gas.pk)
    code = page.split('id="complaint-customer-code"', 1)[1].split("</p>", 1)[0]
    assert utility.tenant.customer.code in code
    note = page.split('id="complaint-due-note"', 1)[1].split("</div>", 1)[0]
    assert "30 giorni di calendario" in note and f"entro il {DUE}" in note
    assert "servizio di pagamento" not in page


def test_it_prefills_the_electricity_point_when_that_is_the_chosen_one(
    utility: UtilityCustomer,
) -> None:
    page = utility.client(utility.electricity).get(COMPLAINT).content.decode()

    assert field_value(page, "supply_address") == "VIA PROVA 5 - 48124 RAVENNA (RA)"
    assert selected(page, "service") == "electricity"
    assert field_value(page, "point_code") == "IT001E12345678"


def test_it_labels_every_tiqv_field(utility: UtilityCustomer) -> None:
    page = utility.client().get(COMPLAINT).content.decode()

    for name, label in [
        ("name", "Nome e cognome o denominazione"),
        ("supply_address", "Indirizzo di fornitura"),
        ("reply_address", "Indirizzo per la risposta (postale o e-mail)"),
        ("service", "Servizio"),
        ("point_code", "POD o PDR"),
        ("description", "Descrizione del reclamo"),
    ]:
        assert f'<label for="id_{name}"' in page
        assert re.search(rf'<label for="id_{name}"[^>]*>{re.escape(label)}', page), name
    options = page.split('name="service"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="(\w+)"', options) == ["electricity", "gas", "both"]


def test_it_opens_a_complaint_with_its_tiqv_data_and_the_30_day_clock(
    utility: UtilityCustomer,
) -> None:
    client = utility.client(utility.gas)

    response = client.post(COMPLAINT, complaint_post(utility.gas, point_code="0334 0009 7490 21"))

    opened = the_request()
    assert response.status_code == 302
    assert (opened.kind, opened.supply_point, opened.is_payment_service) == (
        RequestKind.COMPLAINT,
        utility.gas,
        False,
    )
    assert (opened.received_on, opened.due_on) == (dt.date(2026, 3, 2), dt.date(2026, 4, 1))
    assert opened.payload == {
        "name": "Bianchi Anna",
        "supply_address": "VIA DEI POGGI 5 - 57014 COLLESALVETTI (LI)",
        "reply_address": "anna.bianchi@example.test",
        "service": "gas",
        "point_code": "03340009749021",
        "customer_code": utility.tenant.customer.code,
    }
    assert opened.display_title == "Reclamo: Bolletta di gennaio"
    assert opened.messages.get().body.startswith("La bolletta di gennaio")


def test_it_shows_the_customer_when_the_answer_is_due(utility: UtilityCustomer) -> None:
    client = utility.client(utility.gas)
    client.post(COMPLAINT, complaint_post(utility.gas))
    opened = the_request()

    detail = client.get(f"/richieste/{opened.code}/").content.decode()
    listed = client.get("/richieste/").content.decode()

    clock = detail.split('id="complaint-clock"', 1)[1].split("</div>", 1)[0]
    assert f"Risposta entro il {DUE}" in clock
    note = detail.split('id="conciliation-note"', 1)[1].split("</p>", 1)[0]
    assert f"entro il {CONCILIATION}" in note and "conciliazione.arera.it" in note
    data = detail.split('id="typed-data"', 1)[1].split("</dl>", 1)[0]
    for text in ("Indirizzo per la risposta", "anna.bianchi@example.test", "Gas", "03340009749021"):
        assert text in data
    assert "servizio di pagamento" not in data
    assert f"Risposta entro il {DUE}" in listed
    assert "I tuoi ticket" in listed


def test_it_lets_a_complaint_give_only_the_customer_code(utility: UtilityCustomer) -> None:
    client = utility.client()

    response = client.post(COMPLAINT, complaint_post(utility.electricity, point_code=""))

    assert response.status_code == 302
    payload = the_request().payload
    assert payload["point_code"] == ""
    assert payload["customer_code"] == utility.tenant.customer.code


def test_it_takes_a_postal_reply_address(utility: UtilityCustomer) -> None:
    address = "Via Garibaldi 10, 20121 Milano (MI)"

    utility.client().post(COMPLAINT, complaint_post(utility.gas, reply_address=address))

    assert the_request().payload["reply_address"] == address


@pytest.mark.parametrize(
    "field", ["name", "supply_address", "reply_address", "service", "description"]
)
def test_it_refuses_a_complaint_without_a_required_tiqv_field(
    utility: UtilityCustomer, field: str
) -> None:
    response = utility.client().post(COMPLAINT, complaint_post(utility.gas, **{field: ""}))

    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.content.decode()
    assert nothing_saved()


@pytest.mark.parametrize(
    ("service", "code", "message"),
    [
        ("gas", "IT001E12345678", "Il PDR è di 14 cifre."),
        ("electricity", "03340009749021", "Il POD ha la forma IT"),
        ("both", "12345", "Indica un POD"),
    ],
)
def test_it_refuses_a_point_code_of_the_wrong_shape(
    utility: UtilityCustomer, service: str, code: str, message: str
) -> None:
    response = utility.client().post(
        COMPLAINT, complaint_post(utility.gas, service=service, point_code=code)
    )

    assert response.status_code == 200
    error = response.content.decode().split('id="id_point_code_error"', 1)[1]
    assert message in error.split("</div>", 1)[0]
    assert nothing_saved()


@pytest.mark.parametrize("code", ["IT001E12345678", "03340009749021"])
def test_it_takes_either_code_for_both_services(utility: UtilityCustomer, code: str) -> None:
    response = utility.client().post(
        COMPLAINT, complaint_post(utility.gas, service="both", point_code=code)
    )

    assert response.status_code == 302
    assert the_request().payload["service"] == "both"


def test_it_refuses_the_code_of_a_point_that_is_not_the_customers(
    utility: UtilityCustomer,
) -> None:
    response = utility.client().post(
        COMPLAINT, complaint_post(utility.gas, service="gas", point_code="00000000000001")
    )

    assert response.status_code == 200
    error = response.content.decode().split('id="id_point_code_error"', 1)[1]
    assert "non è di un tuo punto di fornitura" in error.split("</div>", 1)[0]
    assert nothing_saved()


def test_it_refuses_a_malformed_email_reply_address(utility: UtilityCustomer) -> None:
    response = utility.client().post(
        COMPLAINT, complaint_post(utility.gas, reply_address="anna@@example")
    )

    assert "L&#x27;e-mail non è valida" in response.content.decode()
    assert nothing_saved()


def test_it_never_makes_a_utility_complaint_a_payment_service_one(
    utility: UtilityCustomer,
) -> None:
    utility.client().post(COMPLAINT, complaint_post(utility.gas, is_payment_service="on"))
    opened = services.open_request(
        Origin(utility.tenant.company, utility.tenant.user),
        utility.tenant.customer,
        RequestKind.COMPLAINT,
        is_payment_service=True,
    )

    assert list(ServiceRequest.objects.values_list("is_payment_service", flat=True)) == [False] * 2
    assert opened.due_on == dt.date(2026, 4, 1)


# -- the conversation and its notices --------------------------------------------------


def answered_ticket(utility: UtilityCustomer) -> ServiceRequest:
    client = utility.client(utility.gas)
    client.post(TICKET, ticket_post(utility, utility.gas))
    ticket = the_request()
    desk = Origin(utility.tenant.company, None)
    services.desk_reply(
        desk,
        ticket,
        "La lettura è stata acquisita.",
        services.check_files([SimpleUploadedFile("lettura.pdf", PDF, "application/pdf")]),
    )
    return ticket


def test_it_leads_the_desks_notice_to_the_request_page(utility: UtilityCustomer) -> None:
    ticket = answered_ticket(utility)
    client = utility.client()

    notice = Notification.objects.get(request=ticket)
    opened = client.get(reverse("notices:open", args=[notice.pk]))

    assert target_url(notice, utility.tenant.user) == f"/richieste/{ticket.code}/"
    assert (opened.status_code, opened["Location"]) == (302, f"/richieste/{ticket.code}/")
    email = OutboxEmail.objects.filter(to=[utility.tenant.user.email]).order_by("-pk").first()
    assert email is not None
    assert f"https://energia.test/richieste/{ticket.code}/" in email.body_text
    assert client.get(f"/richieste/{ticket.code}/").status_code == 200


def test_it_lets_the_customer_read_the_answer_download_its_file_and_reply(
    utility: UtilityCustomer,
) -> None:
    ticket = answered_ticket(utility)
    client = utility.client()
    answer_file = RequestAttachment.objects.get(message__from_service_desk=True)

    page = client.get(f"/richieste/{ticket.code}/").content.decode()
    download = client.get(f"/richieste/{ticket.code}/allegati/{answer_file.uid}/")
    reply = client.post(f"/richieste/{ticket.code}/rispondi/", {"message": "Grazie."})

    assert "La lettura è stata acquisita." in page
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert reply.status_code == 302
    assert ticket.messages.order_by("pk").last().body == "Grazie."  # type: ignore[union-attr]


def test_it_keeps_the_point_on_the_request_that_follows_a_closed_one(
    utility: UtilityCustomer,
) -> None:
    ticket = answered_ticket(utility)
    services.close_request(Origin(utility.tenant.company, None), ticket)
    later = NOW + dt.timedelta(days=utility.tenant.company.request_reopen_days + 1)

    with time_machine.travel(later, tick=False):
        utility.client().post(f"/richieste/{ticket.code}/rispondi/", {"message": "Ancora io."})

    follower = ServiceRequest.objects.get(follows=ticket)
    assert follower.supply_point == utility.gas


def test_it_shows_another_customer_nothing_of_the_owners_requests(
    utility: UtilityCustomer,
) -> None:
    ticket = answered_ticket(utility)
    neighbour = make_user(make_customer(utility.tenant.company))
    client = utility.tenant.logged_in_client(neighbour)

    assert client.get(f"/richieste/{ticket.code}/").status_code == 404
    assert ticket.code not in client.get("/richieste/").content.decode()


# -- pages cost the same whatever the data ----------------------------------------------


@pytest.mark.parametrize("count", [2, 30])
def test_it_lists_a_utilitys_requests_in_the_same_number_of_queries(
    utility: UtilityCustomer, count: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    origin = Origin(utility.tenant.company, utility.tenant.user)
    for n in range(count):
        kind = RequestKind.COMPLAINT if n % 2 else RequestKind.UTILITY_TICKET
        services.open_request(
            origin, utility.tenant.customer, kind, title=f"T{n}", supply_point=utility.gas
        )
    client = utility.client()
    client.get("/richieste/")

    # Session, user, company, the bell's count, the header's points, count, page, and
    # the session's renewed expiry.
    with django_assert_num_queries(6):
        response = client.get("/richieste/")

    assert len(response.context["rows"]) == min(count, 25)


@pytest.mark.parametrize(("url", "budget"), [(TICKET, 10), (COMPLAINT, 8), (NEW, 7)])
def test_it_shows_the_forms_in_a_fixed_number_of_queries(
    utility: UtilityCustomer, url: str, budget: int, django_assert_max_num_queries: Any
) -> None:
    client = utility.client()
    client.get(url)

    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200
