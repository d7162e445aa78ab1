"""The request engine: what each service does to a request, its clocks and its mail.

The pages (customer and back office) are tested where they live; here the
rules every caller shares, without a browser.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from tests.factories import Tenant, make_contract, make_customer, make_operator, make_user

from sportello.core.audit import Origin
from sportello.core.models import AuditEvent, OutboxEmail
from sportello.notices.models import Notification
from sportello.servicedesk import services
from sportello.servicedesk.models import (
    ComplaintOutcome,
    RequestAttachment,
    RequestKind,
    RequestMessage,
    RequestStatus,
    ServiceRequest,
)
from sportello.servicedesk.services import ServiceLevel

ROME = dt.timezone(dt.timedelta(hours=1))
PDF = b"%PDF-1.4\n% allegato\n"

# No scanner in these tests: the files are accepted unscanned (the pages'
# tests and tests/core prove the scanning with a real clamd).
unscanned = override_settings(CLAMAV_REQUIRED=False, CLAMAV_SOCKET="/nonexistent", CLAMAV_TCP="")


def origin(tenant: Tenant, user: Any = None) -> Origin:
    return Origin(tenant.company, user or tenant.user, "192.0.2.1")


def open_free(tenant: Tenant, **kwargs: Any) -> ServiceRequest:
    return services.open_request(
        origin(tenant), tenant.customer, RequestKind.FREE, title="Copia contratto", **kwargs
    )


def pdf(name: str = "lettera.pdf", size: int = 0) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + b"0" * max(size - len(PDF), 0), "application/pdf")


def test_it_opens_a_request_with_a_code_a_message_an_audit_entry_and_a_receipt(
    release: Tenant,
) -> None:
    request = open_free(release, message="Vorrei una copia del contratto.")

    assert request.code.startswith(f"RIC-{request.created_at.year}-")
    assert request.status == RequestStatus.OPEN
    assert request.author == release.user
    assert [m.body for m in request.messages.all()] == ["Vorrei una copia del contratto."]
    assert AuditEvent.objects.filter(action="request.opened", object_id=str(request.pk)).exists()
    receipt = OutboxEmail.objects.get()
    assert receipt.to == [release.user.email]
    assert request.code in receipt.subject
    assert f"/richieste/{request.code}/" in receipt.body_text


def test_it_sends_the_receipt_to_the_secondary_email_when_set(release: Tenant) -> None:
    release.user.secondary_email = "notifiche@example.test"
    release.user.save()

    open_free(release)

    assert OutboxEmail.objects.get().to == ["notifiche@example.test"]


def test_it_refuses_a_contract_of_another_customer(release: Tenant) -> None:
    stranger = make_contract(make_customer(release.company))

    with pytest.raises(PermissionDenied):
        services.open_request(
            origin(release), release.customer, RequestKind.IBAN_CHANGE, contract=stranger
        )

    assert not ServiceRequest.objects.exists()


def test_it_refuses_a_customer_of_another_company(release: Tenant, energia: Tenant) -> None:
    with pytest.raises(PermissionDenied):
        services.open_request(origin(release), energia.customer, RequestKind.FREE)

    assert not ServiceRequest.objects.exists()


@time_machine.travel(dt.datetime(2026, 1, 30, 10, 0, tzinfo=ROME), tick=False)
def test_it_gives_a_leasing_complaint_sixty_calendar_days(release: Tenant) -> None:
    complaint = services.open_request(
        origin(release), release.customer, RequestKind.COMPLAINT, title="Addebito errato"
    )

    assert complaint.received_on == dt.date(2026, 1, 30)
    assert complaint.due_on == dt.date(2026, 3, 31)


@time_machine.travel(dt.datetime(2026, 4, 24, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))))
def test_it_gives_a_payment_service_complaint_fifteen_business_days_then_thirty_five(
    release: Tenant,
) -> None:
    complaint = services.open_request(
        origin(release),
        release.customer,
        RequestKind.COMPLAINT,
        title="Addebito SDD non autorizzato",
        is_payment_service=True,
    )
    # Friday 24/04/2026: weekends and 1 May skipped.
    assert complaint.due_on == dt.date(2026, 5, 18)

    operator = make_operator(release.company, permissions=[])
    services.interim_reply(Origin(release.company, operator), complaint, "Verifiche in corso.")

    complaint.refresh_from_db()
    assert complaint.due_on == dt.date(2026, 6, 16)  # 2 June is a holiday
    assert complaint.interim_reply_at is not None


def test_it_allows_an_interim_reply_only_to_a_payment_service_complaint(release: Tenant) -> None:
    complaint = services.open_request(origin(release), release.customer, RequestKind.COMPLAINT)
    due = complaint.due_on

    with pytest.raises(ValidationError):
        services.interim_reply(origin(release), complaint, "Verifiche in corso.")

    complaint.refresh_from_db()
    assert complaint.due_on == due
    assert not complaint.messages.exists()


def test_it_will_not_close_a_complaint_without_the_referral(release: Tenant) -> None:
    complaint = services.open_request(origin(release), release.customer, RequestKind.COMPLAINT)
    operator = make_operator(release.company, permissions=[])

    with pytest.raises(ValidationError) as refused:
        services.close_request(
            Origin(release.company, operator),
            complaint,
            answer="Il reclamo è infondato.",
            outcome=ComplaintOutcome.REJECTED,
            referral="Può rivolgersi al giudice.",
        )

    assert "referral" in refused.value.message_dict
    complaint.refresh_from_db()
    assert complaint.status == RequestStatus.OPEN
    assert not complaint.messages.exists()


def test_it_closes_a_complaint_with_the_referral_in_the_customers_language(
    release: Tenant,
) -> None:
    release.user.language = "en"
    release.user.save()
    complaint = services.open_request(origin(release), release.customer, RequestKind.COMPLAINT)
    referral = services.referral_text(services.customer_language(complaint))
    operator = make_operator(release.company, permissions=[])

    services.close_request(
        Origin(release.company, operator),
        complaint,
        answer="We refunded the charge.",
        outcome=ComplaintOutcome.ACCEPTED,
        referral=referral,
    )

    complaint.refresh_from_db()
    assert complaint.status == RequestStatus.CLOSED
    assert complaint.outcome == ComplaintOutcome.ACCEPTED
    final = complaint.messages.get()
    assert "Arbitro Bancario Finanziario" in final.body
    assert "200,000" in final.body or "200.000" in final.body
    assert services.service_level(complaint, dt.date.today()) == ServiceLevel.MET


def test_it_notifies_the_customer_of_an_answer_but_not_of_an_internal_note(
    release: Tenant,
) -> None:
    request = open_free(release)
    OutboxEmail.objects.all().delete()
    operator = make_operator(release.company, permissions=[])
    desk = Origin(release.company, operator)

    services.desk_reply(desk, request, "Nota: verificare con l'ufficio contratti.", internal=True)
    assert not Notification.objects.exists()
    assert not OutboxEmail.objects.exists()

    services.desk_reply(desk, request, "Le abbiamo inviato la copia.")
    notice = Notification.objects.get()
    assert notice.recipient == release.user
    assert notice.request == request
    answer = OutboxEmail.objects.get()
    assert answer.to == [release.user.email]
    # The answer's text stays behind the login.
    assert "Le abbiamo inviato la copia." not in answer.body_text
    request.refresh_from_db()
    assert request.first_answered_at is not None


def test_it_tells_the_desk_and_the_assignee_when_the_customer_replies(release: Tenant) -> None:
    request = open_free(release)
    operator = make_operator(release.company, permissions=[])
    operator.email = "operatore@release.test"
    operator.save()
    services.assign(Origin(release.company, operator), request, operator)
    services.set_status(Origin(release.company, operator), request, RequestStatus.WAITING_CUSTOMER)
    OutboxEmail.objects.all().delete()

    services.customer_reply(origin(release), request, "Ecco il documento richiesto.")

    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS
    mail = OutboxEmail.objects.get()
    assert mail.to == [release.company.support_email, "operatore@release.test"]
    assert "/back-office/" in mail.body_text


def test_it_refuses_to_assign_an_operator_of_another_company(
    release: Tenant, energia: Tenant
) -> None:
    request = open_free(release)
    stranger = make_operator(energia.company, permissions=[])

    with pytest.raises(PermissionDenied):
        services.assign(Origin(release.company, stranger), request, stranger)

    request.refresh_from_db()
    assert request.assignee is None


def test_it_reopens_a_request_closed_within_the_companys_days(release: Tenant) -> None:
    request = open_free(release)
    with time_machine.travel(dt.datetime.now(tz=ROME) - dt.timedelta(days=10)):
        services.close_request(origin(release), request, answer="Fatto.")

    landed = services.customer_reply(origin(release), request, "Non ho ricevuto nulla.")

    assert landed.pk == request.pk
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS
    assert request.closed_at is None
    assert AuditEvent.objects.filter(action="request.reopened").count() == 1


def test_it_opens_a_new_linked_request_after_the_companys_days(release: Tenant) -> None:
    request = open_free(release)
    with time_machine.travel(dt.datetime.now(tz=ROME) - dt.timedelta(days=31)):
        services.close_request(origin(release), request, answer="Fatto.")

    landed = services.customer_reply(origin(release), request, "Ho un'altra domanda.")

    assert landed.pk != request.pk
    assert landed.follows == request
    assert landed.messages.get().body == "Ho un'altra domanda."
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED


def test_it_pauses_only_the_service_level_while_waiting_for_the_customer(
    release: Tenant,
) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=ROME), tick=False):  # Monday
        complaint = services.open_request(origin(release), release.customer, RequestKind.COMPLAINT)
        request = open_free(release)
        assert request.first_answer_due_on == dt.date(2026, 3, 4)
        for waiting in (complaint, request):
            services.set_status(origin(release), waiting, RequestStatus.WAITING_CUSTOMER)
    complaint.refresh_from_db()
    request.refresh_from_db()
    assert services.service_level(request, dt.date(2026, 3, 20)) == ServiceLevel.PAUSED
    assert services.service_level(complaint, dt.date(2026, 3, 20)) == ServiceLevel.FIRST_ANSWER_DUE
    assert services.service_level(complaint, dt.date(2026, 4, 28)) == ServiceLevel.DUE_SOON
    assert services.service_level(complaint, dt.date(2026, 5, 2)) == ServiceLevel.OVERDUE

    with time_machine.travel(dt.datetime(2026, 3, 9, 9, 0, tzinfo=ROME), tick=False):  # Monday
        services.customer_reply(origin(release), request, "Ecco i dati.")
        services.customer_reply(origin(release), complaint, "Ecco i dati.")
    request.refresh_from_db()
    complaint.refresh_from_db()
    # Five business days waited move the first answer on by five; the law's date stays.
    assert request.first_answer_due_on == dt.date(2026, 3, 11)
    assert complaint.due_on == dt.date(2026, 5, 1)


def test_it_lets_a_sub_user_set_to_own_requests_see_only_those(release: Tenant) -> None:
    from tests.factories import make_sub_user

    sub_user = make_sub_user(release.user, sees_all_requests=False)
    mine = services.open_request(
        origin(release, sub_user), release.customer, RequestKind.FREE, message="Mia"
    )
    theirs = open_free(release, message="Del titolare")

    assert list(ServiceRequest.objects.for_user(sub_user)) == [mine]
    assert set(ServiceRequest.objects.for_user(release.user)) == {mine, theirs}
    assert list(RequestMessage.objects.for_user(sub_user)) == list(mine.messages.all())


@unscanned
def test_it_stores_files_under_generated_names(release: Tenant) -> None:
    files = services.check_files([pdf("../../etc/passwd.pdf")])

    request = open_free(release, files=files)

    attachment = RequestAttachment.objects.get(message__request=request)
    assert attachment.original_name == "passwd.pdf"  # the browser's path is dropped
    assert attachment.file.name == f"attachments/{attachment.uid.hex}.pdf"
    assert attachment.content_type == "application/pdf"
    with attachment.file.open("rb") as stored:
        assert stored.read() == PDF


@unscanned
@override_settings(FILE_UPLOAD_MAX_BYTES=1000)
def test_it_refuses_a_file_one_byte_over_the_limit(release: Tenant) -> None:
    assert services.check_files([pdf(size=1000)])

    with pytest.raises(ValidationError) as refused:
        services.check_files([pdf(size=1001)])

    assert refused.value.error_list[0].code == "too_large"


@unscanned
def test_it_refuses_a_sixth_file_and_a_renamed_script(release: Tenant) -> None:
    with pytest.raises(ValidationError) as too_many:
        services.check_files([pdf() for _ in range(6)])
    assert too_many.value.error_list[0].code == "too_many"

    script = SimpleUploadedFile("shell.pdf", b"<?php system($_GET['c']); ?>", "application/pdf")
    with pytest.raises(ValidationError) as refused:
        services.check_files([pdf(), script])
    assert [error.code for error in refused.value.error_list] == ["bad_type"]
    assert "shell.pdf" in refused.value.messages[0]


@unscanned
@override_settings(FILE_UPLOAD_MAX_BYTES=1000, REQUEST_FILES_MAX_TOTAL_BYTES=2500)
def test_it_holds_all_the_files_of_a_request_to_one_limit(release: Tenant) -> None:
    request = open_free(release, files=services.check_files([pdf(size=1000), pdf(size=1000)]))

    assert services.check_files([pdf(size=500)], request)
    with pytest.raises(ValidationError) as refused:
        services.check_files([pdf(size=501)], request)

    assert refused.value.error_list[0].code == "request_too_large"
    assert RequestAttachment.objects.count() == 2


def test_it_refuses_to_close_with_set_status(release: Tenant) -> None:
    request = open_free(release)

    with pytest.raises(ValueError, match="close_request"):
        services.set_status(origin(release), request, RequestStatus.CLOSED)


def test_it_keeps_the_author_of_each_request(release: Tenant) -> None:
    colleague = make_user(release.customer, first_name="Giulia")
    request = services.open_request(origin(release, colleague), release.customer, RequestKind.FREE)

    assert request.author == colleague


def test_it_follows_a_long_closed_complaint_with_a_plain_request_not_a_new_complaint(
    release: Tenant,
) -> None:
    complaint = services.open_request(
        origin(release), release.customer, RequestKind.COMPLAINT, title="Addebito doppio"
    )
    referral = services.referral_text("it")
    with time_machine.travel(dt.datetime.now(tz=ROME) - dt.timedelta(days=40)):
        services.close_request(
            origin(release),
            complaint,
            answer="Rimborsato.",
            outcome=ComplaintOutcome.ACCEPTED,
            referral=referral,
        )

    landed = services.customer_reply(origin(release), complaint, "Grazie!")

    assert landed.kind == RequestKind.FREE
    assert landed.due_on is None
    assert landed.display_title == f"Seguito della richiesta {complaint.code}"


def test_it_keeps_a_closed_request_closed_when_the_desk_adds_a_word(release: Tenant) -> None:
    complaint = services.open_request(
        origin(release), release.customer, RequestKind.COMPLAINT, title="Addebito doppio"
    )
    operator = make_operator(release.company, permissions=[])
    desk = Origin(release.company, operator)
    services.close_request(
        desk,
        complaint,
        answer="Rimborsato.",
        outcome=ComplaintOutcome.ACCEPTED,
        referral=services.referral_text("it"),
    )
    Notification.objects.all().delete()

    services.desk_reply(desk, complaint, "Il rimborso è partito oggi.")

    complaint.refresh_from_db()
    assert complaint.status == RequestStatus.CLOSED
    assert complaint.outcome == ComplaintOutcome.ACCEPTED
    assert complaint.closed_at is not None
    notice = Notification.objects.get()
    assert notice.title == "Nuova risposta del servizio clienti"
    assert notice.title_en == "New answer from customer service"

    services.desk_reply(
        desk, complaint, "Riapriamo per verifica.", status=RequestStatus.IN_PROGRESS
    )

    complaint.refresh_from_db()
    # Open again: no outcome and no answer date until it is closed again.
    assert (complaint.status, complaint.outcome, complaint.closed_at) == ("in_progress", "", None)


def test_it_names_a_complaint_by_its_subject(release: Tenant) -> None:
    complaint = services.open_request(
        origin(release), release.customer, RequestKind.COMPLAINT, title="Addebito SDD"
    )

    assert complaint.display_title == "Reclamo: Addebito SDD"
