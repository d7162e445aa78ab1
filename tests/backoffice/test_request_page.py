"""A request's page in the back office: what the operator reads, and each thing it does."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pytest_django import DjangoAssertNumQueries
from tests.backoffice.helpers import at_noon, open_request, pdf
from tests.factories import Tenant, make_contract, make_operator, operator_client

from sportello.accounts.models import PortalUser
from sportello.core.audit import Origin
from sportello.core.models import AuditEvent, OutboxEmail
from sportello.notices.models import Notification
from sportello.servicedesk import services
from sportello.servicedesk.models import (
    RequestAttachment,
    RequestKind,
    RequestMessage,
    RequestStatus,
    ServiceRequest,
)

#: Received on Friday 24/04/2026: 15 business days to Monday 18/05, 35 to Tuesday 16/06.
FRIDAY = dt.date(2026, 4, 24)


def url(name: str, request: ServiceRequest, *args: Any) -> str:
    return reverse(f"backoffice:{name}", args=[request.company.slug, request.code, *args])


@pytest.fixture
def iban_change(release: Tenant) -> ServiceRequest:
    """An IBAN change on a contract, with the customer's PDF attached."""
    contract = make_contract(release.customer, number="LS-2024-7")
    return open_request(
        release,
        RequestKind.IBAN_CHANGE,
        contract=contract,
        payload={"current_iban": "IT60X0542811101000000123456", "new_iban": "IT02L1234512345"},
        files=services.check_files([pdf("mandato.pdf")]),
    )


@pytest.fixture
def payment_complaint(release: Tenant) -> ServiceRequest:
    with time_machine.travel(at_noon(FRIDAY), tick=False):
        return open_request(
            release, RequestKind.COMPLAINT, title="Bonifico non eseguito", is_payment_service=True
        )


def test_it_shows_the_customer_the_contracts_the_data_and_the_whole_conversation(
    release: Tenant, operator: PortalUser, desk: Client, iban_change: ServiceRequest
) -> None:
    customer = release.customer
    customer.pec, customer.phone = "rossi@pec.example.test", "02 1234567"
    customer.save()
    desk_origin = Origin(release.company, operator)
    services.desk_reply(desk_origin, iban_change, "Serve il modulo firmato.")
    note_files = services.check_files([pdf("verifica.pdf")])
    services.desk_reply(desk_origin, iban_change, "Verificare la firma.", note_files, internal=True)

    response = desk.get(url("request", iban_change))

    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        customer.name,
        customer.code,
        customer.codice_fiscale,
        "Via Garibaldi 10",
        "rossi@pec.example.test",
        customer.email,
        "02 1234567",
        "LS-2024-7",
        "Leasing strumentale",
        "IT02 L123 4512 345",
        "Vorrei una copia del contratto.",
        "Serve il modulo firmato.",
        "Verificare la firma.",
        "Nota interna",
        "mandato.pdf",
        "verifica.pdf",
    ):
        assert text in page, text
    for attachment in RequestAttachment.objects.all():
        assert url("attachment", iban_change, attachment.uid) in page


def test_it_audits_every_read_of_the_page(
    release: Tenant, operator: PortalUser, desk: Client, iban_change: ServiceRequest
) -> None:
    desk.get(url("request", iban_change))
    desk.get(url("request", iban_change))

    reads = AuditEvent.objects.filter(action="admin.read", actor=operator)
    assert reads.count() == 2
    read = reads.first()
    assert read is not None
    assert read.company == release.company
    assert read.object_id == str(iban_change.pk)
    assert read.data["page"] == "servicedesk.request"
    assert read.data["customer_code"] == release.customer.code


@pytest.mark.parametrize("replies", [2, 20])
def test_it_reads_the_page_in_the_same_number_of_queries_whatever_the_conversation(
    release: Tenant,
    operator: PortalUser,
    desk: Client,
    iban_change: ServiceRequest,
    replies: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    desk_origin = Origin(release.company, operator)
    for n in range(replies):
        files = services.check_files([pdf(f"r{n}.pdf")])
        services.desk_reply(desk_origin, iban_change, f"Risposta {n}", files)
    desk.get(url("request", iban_change))

    # Session, user, OTP device, company, request, the audit event, the operator's
    # companies, contracts, messages, attachments, operators to assign (an
    # unchanged session is written at most once a minute: not here).
    with django_assert_num_queries(11):
        response = desk.get(url("request", iban_change))

    assert response.status_code == 200


def test_it_answers_the_customer_with_a_file_and_tells_them_at_their_secondary_email(
    release: Tenant, desk: Client, iban_change: ServiceRequest
) -> None:
    release.user.secondary_email = "notifiche@example.test"
    release.user.save()
    OutboxEmail.objects.all().delete()

    response = desk.post(
        url("reply", iban_change),
        {
            "reply-body": "Ecco il modulo da firmare.",
            "reply-attachments": [pdf("modulo.pdf")],
            "reply-status": RequestStatus.WAITING_CUSTOMER,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == url("request", iban_change)
    iban_change.refresh_from_db()
    assert iban_change.status == RequestStatus.WAITING_CUSTOMER
    answer = RequestMessage.objects.filter(request=iban_change).last()
    assert answer is not None and answer.from_service_desk and not answer.is_internal
    assert [a.original_name for a in answer.attachments.all()] == ["modulo.pdf"]
    notice = Notification.objects.get()
    assert (notice.recipient, notice.request) == (release.user, iban_change)
    assert OutboxEmail.objects.get().to == ["notifiche@example.test"]
    assert "Risposta inviata al cliente." in desk.get(response["Location"]).content.decode()


def test_it_refuses_a_file_that_is_not_what_it_says_and_keeps_nothing(
    desk: Client, iban_change: ServiceRequest
) -> None:
    messages = RequestMessage.objects.count()
    script = SimpleUploadedFile("fattura.pdf", b"<?php system($_GET['c']); ?>", "application/pdf")

    response = desk.post(
        url("reply", iban_change), {"reply-body": "Ecco.", "reply-attachments": [script]}
    )

    assert response.status_code == 200
    assert "Tipo di file non consentito" in response.content.decode()
    assert RequestMessage.objects.count() == messages
    assert not Notification.objects.exists()


def test_it_keeps_an_internal_note_from_the_customer(
    desk: Client, iban_change: ServiceRequest
) -> None:
    emails = OutboxEmail.objects.count()

    response = desk.post(url("note", iban_change), {"note-body": "Cliente già sentito."})

    assert response.status_code == 302
    note = RequestMessage.objects.get(body="Cliente già sentito.")
    assert note.is_internal
    assert not Notification.objects.exists()
    assert OutboxEmail.objects.count() == emails
    assert (
        not RequestMessage.objects.for_user(iban_change.author)
        .visible_to_customer()
        .filter(pk=note.pk)
    )


def test_it_changes_the_status_to_an_open_one_only(
    desk: Client, iban_change: ServiceRequest
) -> None:
    moved = desk.post(url("status", iban_change), {"status-status": RequestStatus.IN_PROGRESS})
    refused = desk.post(url("status", iban_change), {"status-status": RequestStatus.CLOSED})

    assert moved.status_code == 302
    assert refused.status_code == 200
    iban_change.refresh_from_db()
    assert iban_change.status == RequestStatus.IN_PROGRESS
    assert AuditEvent.objects.filter(action="request.status").count() == 1


def test_it_assigns_to_an_operator_of_the_company_or_to_me_never_to_another_companys(
    release: Tenant,
    operator: PortalUser,
    rival: PortalUser,
    desk: Client,
    iban_change: ServiceRequest,
) -> None:
    colleague = make_operator(release.company, permissions=[], username="lbianchi")

    desk.post(url("assign", iban_change), {"assign-assignee": colleague.pk})
    iban_change.refresh_from_db()
    assert iban_change.assignee == colleague

    page = desk.get(url("request", iban_change)).content.decode()
    assert "Assegna a me" in page and "lbianchi" in page and rival.username not in page

    desk.post(url("assign", iban_change), {"assign-assignee": operator.pk})
    iban_change.refresh_from_db()
    assert iban_change.assignee == operator

    refused = desk.post(url("assign", iban_change), {"assign-assignee": rival.pk})
    assert refused.status_code == 200
    iban_change.refresh_from_db()
    assert iban_change.assignee == operator


def test_it_moves_a_payment_service_complaint_from_15_to_35_business_days_with_an_interim_reply(
    release: Tenant, desk: Client, payment_complaint: ServiceRequest
) -> None:
    assert payment_complaint.due_on == dt.date(2026, 5, 18)

    with time_machine.travel(at_noon(dt.date(2026, 5, 12)), tick=False):
        page = desk.get(url("request", payment_complaint)).content.decode()
        response = desk.post(
            url("interim_reply", payment_complaint),
            {"interim-body": "Attendiamo l'esito dalla banca corrispondente."},
        )

    assert "18/05/2026" in page and "16/06/2026" in page
    assert response.status_code == 302
    payment_complaint.refresh_from_db()
    assert payment_complaint.due_on == dt.date(2026, 6, 16)
    assert payment_complaint.interim_reply_at is not None
    assert Notification.objects.filter(recipient=release.user).exists()
    with time_machine.travel(at_noon(dt.date(2026, 5, 12)), tick=False):
        after = desk.get(url("request", payment_complaint)).content.decode()
    assert url("interim_reply", payment_complaint) not in after
    assert "16/06/2026" in after


def test_it_offers_no_interim_reply_for_another_request_and_refuses_one_posted(
    desk: Client, iban_change: ServiceRequest
) -> None:
    assert (
        url("interim_reply", iban_change)
        not in desk.get(url("request", iban_change)).content.decode()
    )

    response = desk.post(url("interim_reply", iban_change), {"interim-body": "Ritardo."})

    assert response.status_code == 200
    assert "Solo un reclamo su un servizio di pagamento" in response.content.decode()
    iban_change.refresh_from_db()
    assert iban_change.interim_reply_at is None
    assert not RequestMessage.objects.filter(body="Ritardo.").exists()


def test_it_says_when_a_complaint_is_past_its_statutory_date(
    operator: PortalUser, payment_complaint: ServiceRequest
) -> None:
    # A new session each day: one lasts 12 hours at most.
    with time_machine.travel(at_noon(dt.date(2026, 5, 18)), tick=False):
        on_the_day = operator_client(operator).get(url("request", payment_complaint))
    with time_machine.travel(at_noon(dt.date(2026, 5, 19)), tick=False):
        late = operator_client(operator).get(url("request", payment_complaint))

    assert "Termine scaduto" not in on_the_day.content.decode()
    assert "Termine scaduto" in late.content.decode()


@pytest.mark.parametrize("language", ["it", "en"])
def test_it_prefills_the_referral_in_the_customers_language(
    release: Tenant, desk: Client, payment_complaint: ServiceRequest, language: str
) -> None:
    release.user.language = language
    release.user.save()

    page = desk.get(url("request", payment_complaint)).content.decode()

    assert f">\n{escape(services.referral_text(language))}</textarea>" in page


def test_it_will_not_close_a_complaint_without_the_referral(
    desk: Client, payment_complaint: ServiceRequest
) -> None:
    response = desk.post(
        url("close", payment_complaint),
        {"close-answer": "Il bonifico è stato eseguito.", "close-outcome": "accepted"},
    )

    assert response.status_code == 200
    assert "Un reclamo si chiude solo con l&#x27;indicazione" in response.content.decode()
    payment_complaint.refresh_from_db()
    assert payment_complaint.status == RequestStatus.OPEN
    assert payment_complaint.closed_at is None and payment_complaint.outcome == ""
    assert not Notification.objects.exists()


def test_it_heads_a_complaints_page_with_its_subject(
    desk: Client, payment_complaint: ServiceRequest
) -> None:
    page = desk.get(url("request", payment_complaint)).content.decode()

    heading = f"{payment_complaint.code} – Reclamo: Bonifico non eseguito</h1>"
    assert heading in page


def test_it_takes_a_language_switch_or_a_reload_after_a_form_error_back_to_the_page(
    desk: Client, payment_complaint: ServiceRequest
) -> None:
    close_url = url("close", payment_complaint)
    failed = desk.post(close_url, {"close-answer": "Eseguito.", "close-outcome": "accepted"})
    assert failed.status_code == 200  # the errors, shown at the action's address

    switched = desk.post(
        reverse("set_language"), {"language": "en", "next": close_url}, follow=True
    )

    assert switched.status_code == 200
    assert switched.redirect_chain == [(close_url, 302), (url("request", payment_complaint), 302)]
    assert payment_complaint.code in switched.content.decode()
    for name in ("reply", "note", "status", "assign", "interim_reply", "close"):
        reloaded = desk.get(url(name, payment_complaint))
        assert (reloaded.status_code, reloaded["Location"]) == (
            302,
            url("request", payment_complaint),
        )
    payment_complaint.refresh_from_db()
    assert payment_complaint.closed_at is None


def test_it_closes_a_complaint_with_its_answer_outcome_and_referral(
    release: Tenant, desk: Client, payment_complaint: ServiceRequest
) -> None:
    referral = services.referral_text("it")

    response = desk.post(
        url("close", payment_complaint),
        {
            "close-answer": "Il bonifico è stato eseguito.",
            "close-outcome": "accepted",
            "close-referral": referral,
        },
    )

    assert response.status_code == 302
    payment_complaint.refresh_from_db()
    assert payment_complaint.status == RequestStatus.CLOSED
    assert payment_complaint.outcome == "accepted"
    final = RequestMessage.objects.filter(request=payment_complaint).last()
    assert final is not None and referral in final.body
    assert Notification.objects.filter(recipient=release.user, request=payment_complaint).exists()
    page = desk.get(url("request", payment_complaint)).content.decode()
    assert url("close", payment_complaint) not in page
    assert "Accolto" in page


def test_it_closes_another_request_with_an_optional_last_answer(
    desk: Client, iban_change: ServiceRequest
) -> None:
    page = desk.get(url("request", iban_change)).content.decode()
    response = desk.post(url("close", iban_change), {"close-answer": ""})

    assert "close-referral" not in page and "close-outcome" not in page
    assert response.status_code == 302
    iban_change.refresh_from_db()
    assert iban_change.status == RequestStatus.CLOSED


def test_it_downloads_an_attachment_privately_and_audits_it(
    release: Tenant, operator: PortalUser, desk: Client, iban_change: ServiceRequest
) -> None:
    attachment = RequestAttachment.objects.get(message__request=iban_change)

    response = desk.get(url("attachment", iban_change, attachment.uid))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[arg-type]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert 'filename="mandato.pdf"' in response["Content-Disposition"]
    read = AuditEvent.objects.get(action="admin.read", data__page="servicedesk.attachment")
    assert (read.actor, read.company) == (operator, release.company)
    assert read.data["customer_code"] == release.customer.code


def test_it_answers_404_for_an_attachment_of_another_request(
    release: Tenant, desk: Client, iban_change: ServiceRequest
) -> None:
    other = open_request(release, title="Altro")
    attachment = RequestAttachment.objects.get(message__request=iban_change)

    assert desk.get(url("attachment", other, attachment.uid)).status_code == 404
