"""The service desk's workflows: typed requests, their conversation, complaints' clocks.

One engine for every company and every kind (leasing E1–E5, the utility's E6):
the customer pages, the back office, the imports and the API call these
functions with an ``Origin`` (company, acting user, address), never a request.
Each is one transaction; its e-mails leave through the outbox after commit.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sportello.core import audit
from sportello.core.audit import Origin
from sportello.core.models import Company
from sportello.core.uploads import UploadRefused, check_upload, megabytes, scan
from sportello.customers.models import Customer
from sportello.energy.models import SupplyPoint
from sportello.leasing.models import Contract
from sportello.notices import delivery
from sportello.notices.models import Category, Notification, bilingual_fields

from . import emails
from .deadlines import ComplaintClock, add_business_days, complaint_due_date, is_business_day
from .models import (
    ComplaintOutcome,
    RequestAttachment,
    RequestCounter,
    RequestKind,
    RequestMessage,
    RequestStatus,
    RequestType,
    ServiceRequest,
)

#: How close a deadline is before the queue calls it "in scadenza".
DUE_SOON_DAYS = 5

#: Names the referral must carry to close a complaint (the same in every language).
REFERRAL_NAMES = ("Arbitro Bancario Finanziario", "Conciliatore BancarioFinanziario")
#: The same for an energy or gas seller's complaint: ARERA's conciliation service.
UTILITY_REFERRAL_NAMES = ("Servizio Conciliazione", "conciliazione.arera.it")


# Attachments ----------------------------------------------------------------


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check (``check_files``); only these are stored."""

    file: UploadedFile[bytes]
    content_type: str
    extension: str
    scanned: bool  # False only when the scanner is off (CLAMAV_REQUIRED off)

    @property
    def size(self) -> int:
        return int(self.file.size or 0)


def attachment_limits() -> dict[str, str | int]:
    """The limits shown next to every "Allega file" button."""
    return {
        "per_file": megabytes(settings.FILE_UPLOAD_MAX_BYTES),
        "per_message": settings.REQUEST_FILES_PER_MESSAGE,
        "per_request": megabytes(settings.REQUEST_FILES_MAX_TOTAL_BYTES),
    }


def request_files_size(request: ServiceRequest | None) -> int:
    if request is None or request.pk is None:
        return 0
    total = RequestAttachment.objects.filter(message__request=request).aggregate(n=Sum("size"))
    return int(total["n"] or 0)


def check_files(
    files: Sequence[UploadedFile[bytes]], request: ServiceRequest | None = None
) -> list[CheckedFile]:
    """Every limit, type and virus check on ``files``, all errors at once.

    Raises one ``ValidationError`` listing every refused file, so a form shows
    them by the field and nothing is stored.
    """
    if len(files) > settings.REQUEST_FILES_PER_MESSAGE:
        raise ValidationError(
            _("Puoi allegare al massimo %(count)s file per messaggio."),
            code="too_many",
            params={"count": settings.REQUEST_FILES_PER_MESSAGE},
        )
    errors: list[ValidationError] = []
    checked: list[CheckedFile] = []
    for upload in files:
        try:
            found = check_upload(upload, max_bytes=settings.FILE_UPLOAD_MAX_BYTES)
            scanned = scan(upload) is not None
        except UploadRefused as refused:
            errors.append(
                ValidationError(
                    _("%(name)s: %(reason)s"),
                    code=refused.code,
                    params={"name": upload.name, "reason": " ".join(refused.messages)},
                )
            )
            continue
        checked.append(CheckedFile(upload, found.content_type, found.extension, scanned))
    total = request_files_size(request) + sum(f.size for f in checked)
    if not errors and total > settings.REQUEST_FILES_MAX_TOTAL_BYTES:
        errors.append(
            ValidationError(
                _("Gli allegati di una richiesta non possono superare %(limit)s MB in tutto."),
                code="request_too_large",
                params={"limit": megabytes(settings.REQUEST_FILES_MAX_TOTAL_BYTES)},
            )
        )
    if errors:
        raise ValidationError(errors)
    return checked


def _store(message: RequestMessage, files: Sequence[CheckedFile]) -> None:
    for checked in files:
        attachment = RequestAttachment(
            message=message,
            original_name=(checked.file.name or "file")[:200],
            content_type=checked.content_type,
            size=checked.size,
        )
        checked.file.seek(0)
        attachment.file.save(f"{attachment.uid.hex}{checked.extension}", checked.file, save=False)
        attachment.save()


# Clocks ---------------------------------------------------------------------


def complaint_clock(request: ServiceRequest) -> ComplaintClock:
    """The rule that sets ``request``'s statutory date: by its company's kind, and for
    a leasing company by whether it is about a payment service."""
    if request.company.is_utility:
        return ComplaintClock.UTILITY
    return ComplaintClock.PAYMENT_SERVICE if request.is_payment_service else ComplaintClock.LEASING


class ServiceLevel(enum.StrEnum):
    """Where a request stands against its deadline, as the queue shows it."""

    FIRST_ANSWER_DUE = "first_answer_due"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET = "met"
    PAUSED = "paused"
    #: A complaint already answered (an interim reply or an answer), not yet
    #: closed and not near its statutory date: nothing is due, and «first
    #: answer due» would be untrue.
    IN_TIME = "in_time"

    @property
    def label(self) -> str:
        return str(SERVICE_LEVEL_LABELS[self])


SERVICE_LEVEL_LABELS = {
    ServiceLevel.FIRST_ANSWER_DUE: gettext_lazy("Prima risposta da dare"),
    ServiceLevel.DUE_SOON: gettext_lazy("In scadenza"),
    ServiceLevel.OVERDUE: gettext_lazy("Scaduta"),
    ServiceLevel.MET: gettext_lazy("Rispettata"),
    ServiceLevel.PAUSED: gettext_lazy("In pausa"),
    ServiceLevel.IN_TIME: gettext_lazy("Nei termini"),
}


def deadline_of(request: ServiceRequest) -> dt.date | None:
    """The date that matters: the statutory one of a complaint, else the first answer's."""
    return request.due_on if request.is_complaint else request.first_answer_due_on


def service_level(request: ServiceRequest, today: dt.date) -> ServiceLevel:
    """The service-level state of ``request`` on ``today``.

    A complaint runs against its statutory date until it is closed, whatever
    its status (answered but open, it is «in time» until its date nears);
    another request against its first answer, paused while the desk waits
    for the customer.
    """
    due = deadline_of(request)
    if request.is_complaint:
        done_at = request.closed_at if request.is_closed else None
    else:
        done_at = request.first_answered_at
        if done_at is None and request.status == RequestStatus.WAITING_CUSTOMER:
            return ServiceLevel.PAUSED
    if done_at is not None:
        done_on = timezone.localdate(done_at)
        return ServiceLevel.MET if due is None or done_on <= due else ServiceLevel.OVERDUE
    if due is not None and today > due:
        return ServiceLevel.OVERDUE
    if due is not None and (due - today).days < DUE_SOON_DAYS:
        return ServiceLevel.DUE_SOON
    # Only an open complaint gets here already answered: it runs until closed.
    if request.first_answered_at is not None:
        return ServiceLevel.IN_TIME
    return ServiceLevel.FIRST_ANSWER_DUE


def _business_days_between(start: dt.date, end: dt.date) -> int:
    days, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        days += is_business_day(day)
    return days


# Opening --------------------------------------------------------------------


def next_request_code(company: Company, year: int) -> str:
    """The next request code of ``company`` in ``year``: ``RIC-2026-000123``.

    The counter is raised by one ``UPDATE ... SET last = last + 1``, which
    locks its row until the transaction ends: two requests sent at the same
    moment never get the same number, and a rolled-back request gives its
    number back.
    """
    with transaction.atomic():
        counter, _created = RequestCounter.objects.get_or_create(company=company, year=year)
        RequestCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
        counter.refresh_from_db(fields=["last"])
    return f"RIC-{year}-{counter.last:06d}"


def reauthentication_failed(origin: Origin, kind: RequestKind) -> None:
    """A request that asks for the password again (E1) got a wrong one: audited, not opened."""
    audit.record("request.reauth_failed", origin=origin, kind=kind.value)


@transaction.atomic
def open_request(
    origin: Origin,
    customer: Customer,
    kind: RequestKind,
    *,
    title: str = "",
    message: str = "",
    files: Sequence[CheckedFile] = (),
    payload: dict[str, Any] | None = None,
    contract: Contract | None = None,
    request_type: RequestType | None = None,
    supply_point: SupplyPoint | None = None,
    is_payment_service: bool = False,
    follows: ServiceRequest | None = None,
) -> ServiceRequest:
    """Open a request of ``customer`` for ``origin.user``, with its first message.

    The caller has validated the typed ``payload`` (a form) and the ``files``
    (``check_files``); the contract, the supply point and the request type
    must be the customer's and the company's, or nothing is saved. Only a
    leasing complaint can be about a payment service (its own clock).
    """
    company = customer.company
    if origin.company is not None and origin.company.pk != company.pk:
        raise PermissionDenied("The customer belongs to another company.")
    if contract is not None and contract.customer_id != customer.pk:
        raise PermissionDenied("The contract belongs to another customer.")
    if request_type is not None and request_type.company_id != company.pk:
        raise PermissionDenied("The request type belongs to another company.")
    if supply_point is not None and supply_point.customer_id != customer.pk:
        raise PermissionDenied("The supply point belongs to another customer.")
    now = timezone.now()
    today = timezone.localdate(now)
    request = ServiceRequest(
        company=company,
        customer=customer,
        author=origin.user,
        code=next_request_code(company, today.year),
        kind=kind,
        request_type=request_type,
        title=(title or str(kind.label))[:200],
        contract=contract,
        supply_point=supply_point,
        payload=payload or {},
        last_activity_at=now,
        follows=follows,
        first_answer_due_on=add_business_days(today, company.request_first_answer_days),
    )
    if kind == RequestKind.COMPLAINT:
        request.received_on = today
        request.is_payment_service = is_payment_service and company.is_leasing
        request.due_on = complaint_due_date(today, complaint_clock(request))
    request.save()
    if message or files:
        posted = RequestMessage.objects.create(request=request, author=origin.user, body=message)
        _store(posted, files)
    audit.record("request.opened", origin=origin, company=company, obj=request, kind=kind.value)
    emails.send_request_opened(request)
    return request


# The conversation -----------------------------------------------------------


@transaction.atomic
def customer_reply(
    origin: Origin, request: ServiceRequest, body: str, files: Sequence[CheckedFile] = ()
) -> ServiceRequest:
    """The customer writes on ``request``; returns the request the message landed on.

    Waiting for the customer → back in progress. Closed less than the company's
    ``request_reopen_days`` ago → reopened. Closed longer ago → a new request
    that follows the old one, which stays closed.
    """
    request = _locked(request)
    now = timezone.now()
    if request.is_closed:
        assert request.closed_at is not None
        if now - request.closed_at > dt.timedelta(days=request.company.request_reopen_days):
            # A plain request that follows the old one: a "thank you" on a closed
            # complaint is not a new complaint, and a typed request's data is done.
            with translation.override(customer_language(request)):
                title = _("Seguito della richiesta %(code)s") % {"code": request.code}
            return open_request(
                origin,
                request.customer,
                RequestKind.FREE,
                title=title,
                message=body,
                files=files,
                contract=request.contract,
                supply_point=request.supply_point,
                follows=request,
            )
        _reopen(request, now)
        audit.record("request.reopened", origin=origin, company=request.company, obj=request)
    elif request.status == RequestStatus.WAITING_CUSTOMER:
        _set_status(request, RequestStatus.IN_PROGRESS, now)
    message = RequestMessage.objects.create(request=request, author=origin.user, body=body)
    _store(message, files)
    request.last_activity_at = now
    request.save()
    audit.record(
        "request.replied", origin=origin, company=request.company, obj=request, files=len(files)
    )
    emails.send_customer_replied(request, message)
    return request


@transaction.atomic
def desk_reply(
    origin: Origin,
    request: ServiceRequest,
    body: str,
    files: Sequence[CheckedFile] = (),
    *,
    internal: bool = False,
    status: RequestStatus | None = None,
) -> RequestMessage:
    """An operator answers ``request`` (or writes an internal note).

    An answer notifies the customer in the portal and by e-mail; a note
    reaches nobody but the desk. ``status`` (not closed: ``close_request``)
    is set with the answer.
    """
    request = _locked(request)
    if status == RequestStatus.CLOSED:
        raise ValueError("Close a request with close_request.")
    now = timezone.now()
    message = RequestMessage.objects.create(
        request=request, author=origin.user, from_service_desk=True, body=body, is_internal=internal
    )
    _store(message, files)
    if not internal:
        if request.first_answered_at is None:
            request.first_answered_at = now
        request.last_activity_at = now
    # A closed request stays closed (a word after the final answer is not a new
    # case) unless the operator reopens it by choosing an open status.
    if status is not None and status != request.status:
        if request.is_closed:
            _reopen(request, now)
            audit.record("request.reopened", origin=origin, company=request.company, obj=request)
        _set_status(request, status, now)
    request.save()
    audit.record(
        "request.note" if internal else "request.answered",
        origin=origin,
        company=request.company,
        obj=request,
        files=len(files),
    )
    if not internal:
        _notify_customer(request, message)
    return message


@transaction.atomic
def interim_reply(
    origin: Origin, request: ServiceRequest, body: str, files: Sequence[CheckedFile] = ()
) -> RequestMessage:
    """The interim reply of a payment-service complaint: the reasons of the delay.

    It moves the statutory date from 15 to 35 business days after receipt;
    only once, and only for a payment-service complaint.
    """
    request = _locked(request)
    if not (request.is_complaint and request.is_payment_service):
        raise ValidationError(
            _("Solo un reclamo su un servizio di pagamento ammette una risposta interlocutoria."),
            code="not_payment_service",
        )
    if request.interim_reply_at is not None or request.is_closed:
        raise ValidationError(_("La risposta interlocutoria è già stata data."), code="done")
    assert request.received_on is not None
    message = RequestMessage.objects.create(
        request=request,
        author=origin.user,
        from_service_desk=True,
        is_interim_reply=True,
        body=body,
    )
    _store(message, files)
    now = timezone.now()
    request.interim_reply_at = now
    request.due_on = complaint_due_date(
        request.received_on, complaint_clock(request), interim_reply=True
    )
    request.first_answered_at = request.first_answered_at or now
    request.last_activity_at = now
    request.save()
    audit.record(
        "request.interim_reply",
        origin=origin,
        company=request.company,
        obj=request,
        due_on=request.due_on.isoformat(),
    )
    _notify_customer(request, message)
    return message


def referral_text(language: str, clock: ComplaintClock = ComplaintClock.LEASING) -> str:
    """The referral a complaint's final answer must carry, in ``language``.

    Leasing (either clock): Banca d'Italia, "Trasparenza delle operazioni e dei
    servizi bancari e finanziari", section XI: the answer tells the customer
    where to turn if not satisfied: the Arbitro Bancario Finanziario (disputes
    up to 200,000 euro, within 12 months of the complaint) and the Conciliatore
    BancarioFinanziario's mediation.

    Energy and gas (``ComplaintClock.UTILITY``): ARERA's Servizio Conciliazione
    (TICO, Allegato A to Delibera 209/2016/E/com), free and online, open after
    an answer that does not satisfy or 40 days without one; trying it (or
    another listed ADR body) comes before going to court.
    """
    with translation.override(language):
        if clock is ComplaintClock.UTILITY:
            return _(
                "Se non è soddisfatto della risposta, o se non l'ha ricevuta entro 40 giorni "
                "dall'invio del reclamo, può rivolgersi gratuitamente al Servizio Conciliazione "
                "dell'Autorità di Regolazione per Energia Reti e Ambiente (ARERA): "
                "conciliazione.arera.it. In alternativa può rivolgersi a uno degli altri "
                "organismi di risoluzione extragiudiziale delle controversie iscritti "
                "nell'elenco dell'ARERA. Il tentativo di conciliazione è condizione per "
                "rivolgersi al giudice."
            )
        return _(
            "Se non è soddisfatto della risposta, o non l'ha ricevuta entro i termini, prima "
            "di rivolgersi al giudice può presentare ricorso all'Arbitro Bancario Finanziario "
            "(ABF) per le controversie fino a 200.000 euro, entro 12 mesi dalla presentazione "
            "del reclamo: www.arbitrobancariofinanziario.it. Può inoltre attivare una "
            "procedura di mediazione presso il Conciliatore BancarioFinanziario: "
            "www.conciliatorebancario.it."
        )


def referral_names(clock: ComplaintClock) -> tuple[str, ...]:
    """What a referral must name for a complaint on ``clock`` to be closed."""
    return UTILITY_REFERRAL_NAMES if clock is ComplaintClock.UTILITY else REFERRAL_NAMES


def referral_for(request: ServiceRequest) -> str:
    """The referral ``request``'s final answer carries, in its customer's language."""
    return referral_text(customer_language(request), complaint_clock(request))


def customer_language(request: ServiceRequest) -> str:
    """The language of the person the desk answers: the author's, else Italian."""
    author = request.author
    return str(getattr(author, "language", "") or settings.LANGUAGE_CODE)


@transaction.atomic
def close_request(
    origin: Origin,
    request: ServiceRequest,
    *,
    answer: str = "",
    outcome: str = "",
    referral: str = "",
    files: Sequence[CheckedFile] = (),
) -> ServiceRequest:
    """Close ``request``, with a last answer to the customer when given.

    A complaint needs its final answer, its outcome and the referral in the
    customer's language (``referral_for``: the ABF and the Conciliatore for a
    leasing company, ARERA's Servizio Conciliazione for an energy seller):
    without any of them nothing changes.
    """
    request = _locked(request)
    if request.is_closed:
        return request
    if request.is_complaint:
        errors: dict[str, str] = {}
        if not answer.strip():
            errors["answer"] = _("Scrivi la risposta finale al reclamo.")
        if outcome not in ComplaintOutcome.values:
            errors["outcome"] = _("Indica l'esito del reclamo.")
        clock = complaint_clock(request)
        if not all(name in referral for name in referral_names(clock)):
            errors["referral"] = (
                _(
                    "Un reclamo si chiude solo con l'indicazione del Servizio Conciliazione "
                    "dell'ARERA (conciliazione.arera.it)."
                )
                if clock is ComplaintClock.UTILITY
                else _(
                    "Un reclamo si chiude solo con l'indicazione dell'Arbitro Bancario "
                    "Finanziario e del Conciliatore BancarioFinanziario."
                )
            )
        if errors:
            raise ValidationError(errors)
        request.outcome = outcome
        answer = f"{answer.strip()}\n\n{referral.strip()}"
    now = timezone.now()
    message = None
    if answer.strip() or files:
        message = RequestMessage.objects.create(
            request=request, author=origin.user, from_service_desk=True, body=answer.strip()
        )
        _store(message, files)
        request.first_answered_at = request.first_answered_at or now
    _set_status(request, RequestStatus.CLOSED, now)
    request.last_activity_at = now
    request.save()
    audit.record(
        "request.closed", origin=origin, company=request.company, obj=request, outcome=outcome
    )
    _notify_customer(request, message, closing=True)
    return request


@transaction.atomic
def set_status(origin: Origin, request: ServiceRequest, status: RequestStatus) -> ServiceRequest:
    """Move ``request`` to an open status (closing goes through ``close_request``)."""
    if status == RequestStatus.CLOSED:
        raise ValueError("Close a request with close_request.")
    request = _locked(request)
    if status != request.status:
        before = request.status
        if request.is_closed:
            _reopen(request, timezone.now())
        _set_status(request, status, timezone.now())
        request.save()
        audit.record(
            "request.status",
            origin=origin,
            company=request.company,
            obj=request,
            before=before,
            after=status.value,
        )
    return request


@transaction.atomic
def assign(origin: Origin, request: ServiceRequest, operator: Any | None) -> ServiceRequest:
    """Give ``request`` to ``operator`` (one of its company's), or to nobody."""
    request = _locked(request)
    if operator is not None and not operator.operator_companies.filter(pk=request.company_id):
        raise PermissionDenied("The operator does not work for this company.")
    request.assignee = operator
    request.save(update_fields=["assignee"])
    audit.record(
        "request.assigned",
        origin=origin,
        company=request.company,
        obj=request,
        assignee=getattr(operator, "username", ""),
    )
    return request


def _locked(request: ServiceRequest) -> ServiceRequest:
    """``request`` read again under a row lock: two writers never interleave."""
    return ServiceRequest.objects.select_for_update().select_related("company").get(pk=request.pk)


def _reopen(request: ServiceRequest, now: dt.datetime) -> None:
    """Open a closed request again: a reopened complaint has no outcome until closed again."""
    request.status = RequestStatus.IN_PROGRESS
    request.closed_at = None
    request.outcome = ""


def _set_status(request: ServiceRequest, status: RequestStatus, now: dt.datetime) -> None:
    """Change the status, keeping the clocks: only the service level pauses."""
    if request.status == RequestStatus.WAITING_CUSTOMER and request.waiting_since is not None:
        if request.first_answer_due_on is not None and request.first_answered_at is None:
            waited = _business_days_between(
                timezone.localdate(request.waiting_since), timezone.localdate(now)
            )
            request.first_answer_due_on = add_business_days(request.first_answer_due_on, waited)
        request.waiting_since = None
    if status == RequestStatus.WAITING_CUSTOMER:
        request.waiting_since = now
    request.closed_at = now if status == RequestStatus.CLOSED else None
    request.status = status


def _notify_customer(
    request: ServiceRequest, message: RequestMessage | None, *, closing: bool = False
) -> None:
    """The bell, and an e-mail as the preferences say, for the author (or the main user
    if the author is gone).

    ``closing``: this message closes the request (a word after closing does not).
    """
    recipient = request.author
    if recipient is None or not recipient.is_active:
        recipient = request.customer.users.filter(parent__isnull=True, is_active=True).first()
    if recipient is None:
        return
    texts = bilingual_fields(
        title=lambda: _("Richiesta chiusa") if closing else _("Nuova risposta del servizio clienti")
    )
    notification = Notification.objects.create(
        company=request.company,
        recipient=recipient,
        request=request,
        category=Category.REQUESTS,
        # The answer to a complaint is owed by law: no preference turns it off.
        is_mandatory=request.is_complaint,
        **texts,
        published_at=timezone.now(),
    )
    # The bell has it whatever the preference; the e-mail only if the user's
    # channel says "at once" (or the answer is owed by law).
    delivery.deliver(
        notification,
        recipient,
        send_email=lambda: emails.send_desk_answered(request, recipient, message, closing=closing),
    )
