"""The customer's request history, detail and conversation (E5).

Another customer, another company and a visitor are asked by the owner matrix
(tests/owner_matrix.py); here the behaviour a customer notices, the replies
that reopen or follow a closed request, the files both ways and the refusals
that change nothing (OCA/helpdesk#1089). Sub-users: test_sub_user_visibility.py.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from pytest_django import Settings
from tests.factories import Tenant, make_contract, make_customer, make_sub_user, make_user
from tests.leasing.contracts import other_leasing_tenant
from tests.servicedesk.history import PDF, add_file, add_message, make_request

from sportello.core.audit import Origin
from sportello.core.models import AuditEvent, OutboxEmail
from sportello.servicedesk import services
from sportello.servicedesk.models import (
    RequestAttachment,
    RequestKind,
    RequestMessage,
    RequestStatus,
    RequestType,
    ServiceRequest,
)

LIST = "/richieste/"
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def detail_url(request: ServiceRequest) -> str:
    return f"/richieste/{request.code}/"


def reply_url(request: ServiceRequest) -> str:
    return f"/richieste/{request.code}/rispondi/"


def file_url(attachment: RequestAttachment) -> str:
    return f"/richieste/{attachment.message.request.code}/allegati/{attachment.uid}/"


def table_rows(page: str) -> list[str]:
    """The text of each body row of the requests table, cells joined by " | "."""
    body = page.split('id="requests"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        " | ".join(
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        )
        for row in rows
    ]


def snapshot(request: ServiceRequest) -> tuple[Any, ...]:
    """What a reply could change on ``request``."""
    request.refresh_from_db()
    return (request.status, request.last_activity_at, request.closed_at, request.messages.count())


# -- the list -------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_it_lists_the_customers_requests_with_who_raised_them(release: Tenant) -> None:
    colleague = make_sub_user(release.user, first_name="Anna", last_name="Neri")
    mine = make_request(release.customer, release.user, title="Copia del contratto")
    make_request(
        release.customer,
        colleague,
        kind=RequestKind.IBAN_CHANGE,
        status=RequestStatus.WAITING_CUSTOMER,
        last_activity_at=NOW - dt.timedelta(days=3),
    )
    make_request(
        release.customer,
        None,
        request_type=RequestType.objects.create(
            company=release.company, label_it="Duplicato fattura", label_en="Invoice copy"
        ),
        status=RequestStatus.CLOSED,
        last_activity_at=NOW - dt.timedelta(days=10),
    )
    other = make_customer(release.company)
    make_request(other, make_user(other), title="Richiesta di un altro")

    page = release.logged_in_client().get(LIST).content.decode()

    assert table_rows(page) == [
        "RIC-2026-000001 | Copia del contratto | Aperta | 02/03/26 | Mario Rossi",
        "RIC-2026-000002 | Modifica banca appoggio / IBAN | In attesa del cliente | 27/02/26 "
        "| Anna Neri",
        "RIC-2026-000003 | Duplicato fattura | Chiusa | 20/02/26 | Servizio clienti",
    ]
    assert f'href="{detail_url(mine)}"' in page
    assert "Richiesta di un altro" not in page
    assert 'href="/richieste/nuova/"' in page and "Nuova richiesta" in page


def test_it_filters_by_status_and_shows_every_status_for_an_unknown_one(
    release: Tenant,
) -> None:
    make_request(release.customer, release.user, title="Aperta da me")
    make_request(release.customer, release.user, title="Chiusa ieri", status=RequestStatus.CLOSED)
    client = release.logged_in_client()

    closed = client.get(LIST, {"status": "closed"}).content.decode()
    unknown = client.get(LIST, {"status": "<script>"})
    waiting = client.get(LIST, {"status": "waiting_customer"}).content.decode()

    assert [row.split(" | ")[1] for row in table_rows(closed)] == ["Chiusa ieri"]
    assert '<option value="closed" selected>' in closed
    assert unknown.status_code == 200
    assert len(table_rows(unknown.content.decode())) == 2
    assert "&lt;script&gt;" not in unknown.content.decode()
    assert "Nessuna richiesta in questo stato." in waiting
    assert 'href="/richieste/"' in waiting


def test_it_says_when_there_are_no_requests_yet(release: Tenant) -> None:
    page = release.logged_in_client().get(LIST).content.decode()

    assert "Non hai ancora fatto richieste." in page
    assert 'href="/richieste/nuova/"' in page


def test_it_cuts_the_list_into_pages_of_25_keeping_the_filter(release: Tenant) -> None:
    base = timezone.now()
    for n in range(30):
        make_request(
            release.customer,
            release.user,
            title=f"Richiesta {n:02d}",
            last_activity_at=base - dt.timedelta(hours=n),
        )
    client = release.logged_in_client()

    first = client.get(LIST, {"status": "open"}).content.decode()
    second = client.get(LIST, {"status": "open", "page": "2"}).content.decode()

    assert len(table_rows(first)) == 25
    assert [row.split(" | ")[1] for row in table_rows(second)] == [
        f"Richiesta {n}" for n in range(25, 30)
    ]
    assert "status=open&amp;page=2" in first
    assert "26 - 30 di 30" in second


@pytest.mark.parametrize("count", [3, 30])
def test_it_lists_any_number_of_requests_in_the_same_queries(
    release: Tenant, count: int, django_assert_num_queries: Any
) -> None:
    kinds = [RequestKind.FREE, RequestKind.COMPLAINT, RequestKind.IBAN_CHANGE]
    request_type = RequestType.objects.create(
        company=release.company, label_it="Duplicato fattura", label_en="Invoice copy"
    )
    for n in range(count):
        author = make_user(release.customer) if n % 2 else release.user
        make_request(
            release.customer,
            author,
            kind=kinds[n % 3],
            request_type=request_type if n % 3 == 0 else None,
            due_on=dt.date(2026, 3, 31) if kinds[n % 3] == RequestKind.COMPLAINT else None,
        )
    client = release.logged_in_client()
    client.get(LIST)  # the company of the host is cached from now on

    # Session, user, the count, the page of requests with their authors and types
    # (the session was written less than a minute ago: not again).
    with django_assert_num_queries(5):
        response = client.get(LIST)

    assert len(table_rows(response.content.decode())) == min(count, 25)


def test_it_has_no_request_pages_where_the_company_turned_them_off(release: Tenant) -> None:
    request = make_request(release.customer, release.user)
    release.company.feature_requests = False
    release.company.save()
    client = release.logged_in_client()

    assert client.get(LIST).status_code == 404
    assert client.get(detail_url(request)).status_code == 404
    assert client.post(reply_url(request), {"message": "Ciao"}).status_code == 404
    home = client.get("/").content.decode()
    assert request.code in home and f'href="{detail_url(request)}"' not in home
    assert "Tutte le richieste" not in home


def test_it_has_no_request_pages_on_a_utility_that_turned_them_off(energia: Tenant) -> None:
    # E6 gives a utility's customers the same pages (tests/servicedesk/test_utility.py).
    assert energia.logged_in_client().get(LIST).status_code == 200
    energia.company.feature_requests = False
    energia.company.save()

    assert energia.logged_in_client().get(LIST).status_code == 404


def test_it_sends_a_visitor_to_the_login(release: Tenant) -> None:
    response = release.client().get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/accesso/")


# -- the home panel --------------------------------------------------------------------


def test_it_links_the_homes_requests_to_their_pages(release: Tenant) -> None:
    request = make_request(release.customer, release.user)

    page = release.logged_in_client().get("/").content.decode()

    assert f'<a href="{detail_url(request)}">{request.code}</a>' in page
    assert f'<a href="{LIST}">Tutte le richieste' in page


# -- the detail --------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_it_shows_the_typed_data_and_the_conversation_without_internal_notes(
    release: Tenant,
) -> None:
    contract = make_contract(release.customer, number="84963")
    request = make_request(
        release.customer,
        release.user,
        kind=RequestKind.IBAN_CHANGE,
        contract=contract,
        payload={
            "current_iban": "IT60X0542811101000000123456",
            "new_iban": "IT02A0301503200000003517230",
            "foreign": False,
            "effective_from": "2026-04-01",
        },
    )
    first = add_message(request, "Vorrei cambiare la banca.", author=release.user)
    add_file(first, "Modulo SEPA firmato.pdf")
    note = add_message(request, "Verificare il mandato SEPA", from_desk=True, internal=True)
    add_file(note, "controllo-interno.pdf")
    answer = add_message(request, "Ci serve il modulo firmato da entrambi.", from_desk=True)
    add_file(answer, "modulo.pdf", PDF + b"%" * 2000)
    colleague = make_sub_user(release.user, first_name="Anna", last_name="Neri")
    add_message(request, "Ecco il modulo.", author=colleague)

    page = release.logged_in_client().get(detail_url(request)).content.decode()

    assert "Modifica banca appoggio / IBAN" in page
    for shown in ("Contratto", "84963", "Nuovo IBAN", "IT02 A030 1503 2000 0000 3517 230"):
        assert shown in page
    assert "A partire dal</dt><dd>01/04/2026</dd>" in page  # the long form, as the page's
    conversation = page.split('id="conversation"', 1)[1]
    positions = [
        conversation.index(text)
        for text in (
            "Vorrei cambiare la banca.",
            "Ci serve il modulo firmato da entrambi.",
            "Ecco il modulo.",
        )
    ]
    assert positions == sorted(positions)
    speakers = [
        re.sub(r"\s+", " ", speaker).strip()
        for speaker in re.findall(r"<h3[^>]*>(.*?)<span", conversation, re.S)
    ]
    assert speakers == ["Tu", "Servizio clienti", "Anna Neri"]
    assert "Verificare il mandato SEPA" not in page
    assert "controllo-interno.pdf" not in page
    assert "Modulo SEPA firmato.pdf" in page and "modulo.pdf" in page and "2,0\xa0KB" in page
    assert f'href="{file_url(first.attachments.get())}"' in page
    assert 'enctype="multipart/form-data"' in page
    assert "fino a 10 MB per file, 5 file per messaggio, 25 MB per richiesta" in page


def typed_data(page: str) -> dict[str, str]:
    """The detail page's typed data (label: value), tags and blanks squeezed out."""
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", page, re.S)
    return {
        html.unescape(re.sub(r"<[^>]+>|\s+", " ", term)).strip(): html.unescape(value).strip()
        for term, value in pairs
    }


@time_machine.travel(NOW, tick=False)
def test_it_says_whether_a_complaint_is_about_a_payment_service(release: Tenant) -> None:
    payment = make_request(
        release.customer,
        release.user,
        kind=RequestKind.COMPLAINT,
        received_on=NOW.date(),
        due_on=NOW.date() + dt.timedelta(days=21),
        is_payment_service=True,
    )
    leasing = make_request(
        release.customer,
        release.user,
        kind=RequestKind.COMPLAINT,
        received_on=NOW.date(),
        due_on=NOW.date() + dt.timedelta(days=60),
    )
    client = release.logged_in_client()

    shown = [
        typed_data(client.get(detail_url(request)).content.decode()).get(
            "Riguarda un servizio di pagamento"
        )
        for request in (payment, leasing)
    ]

    assert shown == ["Sì", "No"]


@time_machine.travel(NOW, tick=False)
def test_it_tells_the_capital_of_the_later_instalments_from_the_residual_value(
    release: Tenant,
) -> None:
    request = make_request(
        release.customer,
        release.user,
        kind=RequestKind.EARLY_TERMINATION,
        contract=make_contract(release.customer),
        payload={
            "computed_on": "2026-03-02",
            "residual_capital_today": "20500.00",
            "last_instalment_number": 30,
            "last_instalment_due": "2026-06-15",
            "capital_after": "18000.00",
            "residual_value": "500.00",
            "indicative_payoff": "18500.00",
        },
    )

    data = typed_data(release.logged_in_client().get(detail_url(request)).content.decode())

    assert data["Calcolato il"] == "02/03/2026"
    assert data["Scadenza dell'ultimo canone"] == "15/06/2026"
    assert data["Quota capitale dei canoni successivi"] == "18.000,00\xa0€"
    assert data["Valore residuo (riscatto)"] == "500,00\xa0€"
    assert "Capitale residuo dopo l'ultimo canone" not in data


def test_it_labels_an_interim_reply(release: Tenant) -> None:
    request = make_request(release.customer, release.user, kind=RequestKind.COMPLAINT)
    add_message(request, "Stiamo verificando con la banca.", from_desk=True, interim=True)

    page = release.logged_in_client().get(detail_url(request)).content.decode()

    assert "Risposta interlocutoria" in page


@pytest.mark.parametrize("count", [2, 20])
def test_it_shows_any_number_of_messages_and_files_in_the_same_queries(
    release: Tenant, count: int, django_assert_num_queries: Any
) -> None:
    request = make_request(release.customer, release.user)
    for n in range(count):
        message = add_message(
            request, f"Messaggio {n}", author=release.user if n % 2 else None, from_desk=n % 2 == 0
        )
        add_file(message, f"allegato-{n}.pdf")
    client = release.logged_in_client()
    client.get(detail_url(request))  # the company of the host is cached from now on

    # Session, user, the request (author, type, contract), the linked requests,
    # the messages with their authors, their files (the session is not written again).
    with django_assert_num_queries(7):
        response = client.get(detail_url(request))

    assert response.content.decode().count("allegato-") == count


def test_it_answers_404_for_another_customers_or_companys_request(release: Tenant) -> None:
    other = make_customer(release.company)
    theirs = make_request(other, make_user(other))
    stranger = other_leasing_tenant()
    # Same code in another company: the code alone never finds it.
    elsewhere = make_request(stranger.customer, stranger.user, code="RIC-2026-900001")
    client = release.logged_in_client()

    assert client.get(detail_url(theirs)).status_code == 404
    assert client.get(detail_url(elsewhere)).status_code == 404
    assert client.get("/richieste/RIC-2026-999999/").status_code == 404


def test_it_links_the_request_it_follows_and_the_one_that_follows_it(release: Tenant) -> None:
    old = make_request(release.customer, release.user, status=RequestStatus.CLOSED)
    new = make_request(release.customer, release.user, follows=old)
    client = release.logged_in_client()

    old_page = client.get(detail_url(old)).content.decode()
    new_page = client.get(detail_url(new)).content.decode()

    assert f'Seguita dalla richiesta <a href="{detail_url(new)}">{new.code}</a>' in old_page
    assert f'Segue la richiesta <a href="{detail_url(old)}">{old.code}</a>' in new_page


# -- replying --------------------------------------------------------------------------------


def test_it_adds_the_reply_and_tells_the_service_desk(release: Tenant) -> None:
    release.company.service_desk_email = "servizioclienti@release.test"
    release.company.save()
    request = make_request(release.customer, release.user, status=RequestStatus.IN_PROGRESS)
    client = release.logged_in_client()

    response = client.post(reply_url(request), {"message": "Allego la visura aggiornata."})

    assert response.status_code == 302
    assert response["Location"] == detail_url(request)
    message = request.messages.get()
    assert (message.body, message.author, message.from_service_desk) == (
        "Allego la visura aggiornata.",
        release.user,
        False,
    )
    email = OutboxEmail.objects.get()
    assert email.to == ["servizioclienti@release.test"]
    assert request.code in email.subject + email.body_text
    assert AuditEvent.objects.filter(action="request.replied", object_id=str(request.pk)).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Risposta inviata." in page and "Allego la visura aggiornata." in page


def test_it_moves_a_request_waiting_for_the_customer_back_in_progress(release: Tenant) -> None:
    request = make_request(release.customer, release.user)
    services.set_status(Origin(release.company), request, RequestStatus.WAITING_CUSTOMER)

    release.logged_in_client().post(reply_url(request), {"message": "Ecco i dati richiesti."})

    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS


def close_days_ago(tenant: Tenant, days: int) -> ServiceRequest:
    with time_machine.travel(NOW - dt.timedelta(days=days), tick=False):
        request = make_request(tenant.customer, tenant.user)
        services.close_request(Origin(tenant.company), request, answer="Fatto.")
    request.refresh_from_db()
    return request


@time_machine.travel(NOW, tick=False)
def test_it_reopens_a_request_closed_ten_days_ago(release: Tenant) -> None:
    request = close_days_ago(release, 10)
    client = release.logged_in_client()

    page = client.get(detail_url(request)).content.decode()
    response = client.post(reply_url(request), {"message": "Manca ancora un documento."})

    assert "Questa richiesta è stata chiusa il 20/02/2026." in page
    assert "Se rispondi entro 30 giorni dalla chiusura (fino al 22/03/2026)" in page
    assert response["Location"] == detail_url(request)
    request.refresh_from_db()
    assert (request.status, request.closed_at) == (RequestStatus.IN_PROGRESS, None)
    assert ServiceRequest.objects.count() == 1
    assert "la richiesta è stata riaperta" in client.get(detail_url(request)).content.decode()


@time_machine.travel(NOW, tick=False)
def test_it_opens_a_new_linked_request_for_a_reply_forty_days_after_closing(
    release: Tenant,
) -> None:
    old = close_days_ago(release, 40)
    client = release.logged_in_client()

    page = client.get(detail_url(old)).content.decode()
    response = client.post(reply_url(old), {"message": "Il problema si è ripresentato."})

    assert "Sono passati più di 30 giorni dalla chiusura" in page
    assert 'id="reply-form"' in page
    new = ServiceRequest.objects.exclude(pk=old.pk).get()
    assert response["Location"] == detail_url(new)
    assert (new.follows, new.status, new.author) == (old, RequestStatus.OPEN, release.user)
    assert new.messages.get().body == "Il problema si è ripresentato."
    old.refresh_from_db()
    assert old.status == RequestStatus.CLOSED
    assert old.messages.filter(body="Il problema si è ripresentato.").count() == 0
    new_page = client.get(response["Location"]).content.decode()
    assert (
        f"La richiesta era chiusa da più di 30 giorni: abbiamo aperto la nuova richiesta "
        f"{new.code}." in new_page
    )
    assert f'Segue la richiesta <a href="{detail_url(old)}">{old.code}</a>' in new_page


def test_it_shows_the_errors_and_saves_nothing_for_a_bad_reply(release: Tenant) -> None:
    request = make_request(release.customer, release.user)
    before = snapshot(request)
    client = release.logged_in_client()

    too_long = client.post(reply_url(request), {"message": "x" * 501})
    empty = client.post(reply_url(request), {"message": "   "})

    assert too_long.status_code == 200
    assert "non contenga più di 500 caratteri (ne ha 501)" in too_long.content.decode()
    assert "x" * 501 in too_long.content.decode()  # what was typed stays in the field
    assert "Scrivi un messaggio o allega un file." in empty.content.decode()
    assert snapshot(request) == before
    assert not OutboxEmail.objects.exists()


def test_it_sends_a_language_switch_after_a_bad_reply_to_the_request(release: Tenant) -> None:
    """The page with the reply's errors lives at the POST address: switching language
    there (or reloading) asks for it by GET, which leads to the request's page."""
    request = make_request(release.customer, release.user)
    before = snapshot(request)
    client = release.logged_in_client()
    client.post(reply_url(request), {"message": "   "})

    switched = client.post("/lingua/", {"language": "en", "next": reply_url(request)}, follow=True)

    assert switched.redirect_chain[-1] == (detail_url(request), 302)
    assert switched.status_code == 200
    assert request.code in switched.content.decode()
    assert snapshot(request) == before


def test_it_keeps_the_reply_address_of_another_customers_request_a_404(
    release: Tenant,
) -> None:
    request = make_request(release.customer, release.user)
    others = [
        release.logged_in_client(make_user(make_customer(release.company))),
        release.logged_in_client(make_sub_user(release.user, sees_all_requests=False)),
        other_leasing_tenant().logged_in_client(),
    ]

    assert [client.get(reply_url(request)).status_code for client in others] == [404] * 3


def test_it_stores_a_pdf_sent_with_the_reply(release: Tenant, clamd: Path) -> None:
    request = make_request(release.customer, release.user)
    client = release.logged_in_client()
    upload = SimpleUploadedFile("visura camerale.pdf", PDF, content_type="application/pdf")

    response = client.post(reply_url(request), {"message": "", "attachments": [upload]})

    assert response.status_code == 302
    stored = RequestAttachment.objects.get()
    assert (stored.original_name, stored.content_type, stored.size) == (
        "visura camerale.pdf",
        "application/pdf",
        len(PDF),
    )
    assert stored.message.request == request
    download = client.get(file_url(stored))
    assert b"".join(download.streaming_content) == PDF


def test_it_refuses_an_infected_file_and_saves_nothing(
    release: Tenant,
    clamd: Path,
    eicar: bytes,
) -> None:
    request = make_request(release.customer, release.user)
    before = snapshot(request)
    client = release.logged_in_client()
    files = [
        SimpleUploadedFile("buono.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("fattura.pdf", eicar, content_type="application/pdf"),
    ]

    response = client.post(reply_url(request), {"message": "Due file", "attachments": files})

    assert response.status_code == 200
    page = response.content.decode()
    assert "fattura.pdf" in page and "Due file" in page
    assert snapshot(request) == before
    assert not RequestAttachment.objects.exists()


def test_it_warns_when_files_are_not_scanned(release: Tenant, settings: Settings) -> None:
    request = make_request(release.customer, release.user)
    client = release.logged_in_client()

    settings.CLAMAV_REQUIRED = True
    scanned = client.get(detail_url(request)).content.decode()
    settings.CLAMAV_REQUIRED = False
    unscanned = client.get(detail_url(request)).content.decode()

    assert 'id="unscanned-warning"' not in scanned
    assert "il controllo antivirus non è attivo" in unscanned


def test_it_refuses_another_customers_close_or_reply_like_oca_helpdesk_1089(
    release: Tenant,
) -> None:
    """OCA/helpdesk#1089: any portal user could close anyone's ticket by its id."""
    victim = make_request(release.customer, release.user, status=RequestStatus.WAITING_CUSTOMER)
    add_message(victim, "Ci mandi la visura.", from_desk=True)
    before = snapshot(victim)
    other = make_customer(release.company)
    stranger = other_leasing_tenant()
    own_only = make_sub_user(release.user, sees_all_requests=False)
    attackers: list[Client] = [
        release.logged_in_client(make_user(other)),
        stranger.logged_in_client(),
        release.logged_in_client(own_only),
    ]

    for client in attackers:
        reply = client.post(reply_url(victim), {"message": "Chiudete pure, grazie."})
        closing = client.post(reply_url(victim), {"message": "", "status": "closed"})
        assert (reply.status_code, closing.status_code) == (404, 404)

    assert snapshot(victim) == before
    assert not RequestMessage.objects.filter(body="Chiudete pure, grazie.").exists()
    assert not OutboxEmail.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="request.").exists()


# -- downloading ---------------------------------------------------------------------------


def test_it_serves_a_file_as_a_private_attachment_and_audits_it(release: Tenant) -> None:
    request = make_request(release.customer, release.user)
    attachment = add_file(add_message(request, "Ecco", from_desk=True), "Quietanza è.pdf")

    response = release.logged_in_client().get(file_url(attachment))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="Quietanza-e.pdf"')
    assert "filename*=UTF-8''Quietanza%20%C3%A8.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF
    event = AuditEvent.objects.get(action="request.attachment_downloaded")
    assert (event.object_id, event.actor) == (str(request.pk), release.user)


def test_it_serves_no_file_of_an_internal_note_another_request_or_customer(
    release: Tenant,
) -> None:
    request = make_request(release.customer, release.user)
    other_request = make_request(release.customer, release.user)
    internal = add_file(add_message(request, "Nota", from_desk=True, internal=True), "nota.pdf")
    shown = add_file(add_message(request, "Ecco", from_desk=True), "ecco.pdf")
    other = make_customer(release.company)
    client = release.logged_in_client()

    assert client.get(file_url(internal)).status_code == 404
    # The right file under another request's code.
    assert client.get(f"/richieste/{other_request.code}/allegati/{shown.uid}/").status_code == 404
    assert release.logged_in_client(make_user(other)).get(file_url(shown)).status_code == 404
    assert not AuditEvent.objects.filter(action="request.attachment_downloaded").exists()


# -- the complaints' clock --------------------------------------------------------------------


def open_complaint(tenant: Tenant, received: dt.datetime, **kwargs: Any) -> ServiceRequest:
    with time_machine.travel(received, tick=False):
        return services.open_request(
            Origin(tenant.company, tenant.user),
            tenant.customer,
            RequestKind.COMPLAINT,
            message="Addebito non dovuto",
            **kwargs,
        )


def test_it_shows_a_complaints_due_date_and_then_that_it_has_passed(release: Tenant) -> None:
    complaint = open_complaint(release, dt.datetime(2026, 1, 30, 10, 0, tzinfo=dt.UTC))

    # The last evening in Rome (UTC+2 from 29 March), then the next morning.
    with time_machine.travel(dt.datetime(2026, 3, 31, 21, 0, tzinfo=dt.UTC), tick=False):
        client = release.logged_in_client()
        listed = client.get(LIST).content.decode()
        detail = client.get(detail_url(complaint)).content.decode()
    with time_machine.travel(dt.datetime(2026, 3, 31, 22, 5, tzinfo=dt.UTC), tick=False):
        client = release.logged_in_client()
        late_list = client.get(LIST).content.decode()
        late_detail = client.get(detail_url(complaint)).content.decode()

    assert "Risposta entro il 31/03/2026" in table_rows(listed)[0]
    assert "Risposta entro il 31/03/2026" in detail and "Termine scaduto" not in detail
    assert "Termine scaduto" in table_rows(late_list)[0]
    assert "Termine scaduto" in late_detail
    assert "La risposta era dovuta entro il 31/03/2026." in late_detail


def test_it_shows_no_clock_once_a_complaint_is_closed(release: Tenant) -> None:
    complaint = open_complaint(release, dt.datetime(2026, 1, 30, 10, 0, tzinfo=dt.UTC))
    with time_machine.travel(dt.datetime(2026, 4, 10, 9, 0, tzinfo=dt.UTC), tick=False):
        services.close_request(
            Origin(release.company),
            complaint,
            answer="Il reclamo è accolto.",
            outcome="accepted",
            referral=services.referral_text("it"),
        )
        client = release.logged_in_client()
        page = client.get(LIST).content.decode()
        detail = client.get(detail_url(complaint)).content.decode()

    assert "Termine scaduto" not in page and "Risposta entro" not in page
    # The customer reads the outcome the desk gave, as the back office does.
    outcome = detail.split('id="complaint-outcome"', 1)[1].split("</div>", 1)[0]
    assert "Esito" in outcome and "Accolto" in outcome


def test_it_shows_the_new_date_after_an_interim_reply(release: Tenant) -> None:
    complaint = open_complaint(
        release, dt.datetime(2026, 4, 24, 10, 0, tzinfo=dt.UTC), is_payment_service=True
    )
    with time_machine.travel(dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC), tick=False):
        client = release.logged_in_client()
        before = client.get(detail_url(complaint)).content.decode()
        services.interim_reply(
            Origin(release.company), complaint, "Serve il riscontro della banca."
        )
        after = client.get(detail_url(complaint)).content.decode()

    assert "Risposta entro il 18/05/2026" in before
    assert "Risposta entro il 16/06/2026" in after
    assert "Termine prorogato dopo la risposta interlocutoria." in after
    assert "Risposta interlocutoria" in after
