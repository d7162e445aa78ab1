"""The demo's service desk: requests in every state, made as customers and operators make them.

Every request goes through the service desk's own functions (open, reply,
answer, internal note, interim reply, status, assignment, close) with the
customer's or the operator's ``Origin``, so the demo holds nothing the portal
could not have produced. Each call is then moved back to the day the story
tells (``DeskTimeline``): what the call wrote gets that moment, and the dates
that follow from the receipt (the law's due date of a complaint, the first
answer's service level) are computed again from it with the same functions
the services use.

The e-mails the calls would queue are dropped (``build_demo`` runs inside
``outbox.dropped()``): the local mailbox shows what visitors do, not what the
build did. The audit events keep the time they were written: the log is
append-only.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import CharField, Max, Sum, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from sportello.accounts.models import PortalUser
from sportello.billing.models import Invoice
from sportello.core.audit import Origin
from sportello.core.formatting import format_long_date, format_money
from sportello.core.models import Company
from sportello.core.uploads import check_upload
from sportello.customers.models import Customer
from sportello.leasing.models import Contract
from sportello.leasing.services import early_termination_quote, instalments_still_due
from sportello.notices.models import Notification, NotificationRead
from sportello.servicedesk import services
from sportello.servicedesk.deadlines import add_business_days, complaint_due_date
from sportello.servicedesk.models import (
    ComplaintOutcome,
    RequestCounter,
    RequestKind,
    RequestMessage,
    RequestStatus,
    RequestType,
    ServiceRequest,
)

from . import identity
from .pdf import text_pdf

#: The moments a service call stamps on a request with "now".
MOMENTS = (
    "created_at",
    "last_activity_at",
    "first_answered_at",
    "waiting_since",
    "closed_at",
    "interim_reply_at",
)
#: Notices older than this are marked read: the bell shows what is new.
UNREAD_DAYS = 14
#: A foreign IBAN (the standard example of a German one), for "IBAN estero".
FOREIGN_IBAN = "DE89370400440532013000"


def demo_pdf(name: str, title: str, lines: list[str]) -> services.CheckedFile:
    """A PDF to attach, checked by content as an upload is.

    Not scanned: the demo writes the file itself and may run without clamd.
    """
    upload = SimpleUploadedFile(name, text_pdf(title, lines), content_type="application/pdf")
    found = check_upload(upload, max_bytes=settings.FILE_UPLOAD_MAX_BYTES)
    return services.CheckedFile(upload, found.content_type, found.extension, scanned=False)


class DeskTimeline:
    """Runs the service desk's functions as if each had run on a past day."""

    def __init__(self, company: Company, today: dt.date) -> None:
        self.company = company
        self.today = today

    def moment(self, days_ago: int, at: str) -> dt.datetime:
        hour, minute = (int(part) for part in at.split(":"))
        day = self.today - dt.timedelta(days=days_ago)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))

    def _run[T](self, request_pk: int | None, days_ago: int, at: str, call: Callable[[], T]) -> T:
        """``call`` a service, then move what it wrote back to ``days_ago`` at ``at``.

        What it wrote is told from what was there before, not from the clock,
        so earlier moves (which may lie after the real "now" when ``today`` is
        a test's date) are never moved again. ``request_pk`` None: the call
        opens a request and returns it.
        """
        when = self.moment(days_ago, at)
        last_message = RequestMessage.objects.aggregate(n=Max("pk"))["n"] or 0
        last_notice = Notification.objects.aggregate(n=Max("pk"))["n"] or 0
        before: dict[str, Any] = {}
        if request_pk is not None:
            before = ServiceRequest.objects.values(*MOMENTS).get(pk=request_pk)
        result = call()
        if request_pk is None:
            assert isinstance(result, ServiceRequest)
            request_pk = result.pk
        RequestMessage.objects.filter(request_id=request_pk, pk__gt=last_message).update(
            created_at=when
        )
        Notification.objects.filter(request_id=request_pk, pk__gt=last_notice).update(
            published_at=when
        )
        request = ServiceRequest.objects.select_related("company").get(pk=request_pk)
        moved = [
            name
            for name in MOMENTS
            if getattr(request, name) is not None and getattr(request, name) != before.get(name)
        ]
        for name in moved:
            setattr(request, name, when)
        if not before:
            # Just opened: the clocks start on the day of receipt, as open_request starts them.
            day = timezone.localdate(when)
            request.first_answer_due_on = add_business_days(
                day, request.company.request_first_answer_days
            )
            moved.append("first_answer_due_on")
            if request.is_complaint:
                request.received_on = day
                request.due_on = complaint_due_date(day, services.complaint_clock(request))
                moved += ["received_on", "due_on"]
        if moved:
            request.save(update_fields=moved)
        return result

    # The customer's side.

    def open(
        self, days_ago: int, at: str, user: PortalUser, kind: RequestKind, **fields: Any
    ) -> ServiceRequest:
        origin, customer = Origin(self.company, user), user.customer
        assert customer is not None, "requests are opened by customer users"
        return self._run(
            None,
            days_ago,
            at,
            lambda: services.open_request(origin, customer, kind, **fields),
        )

    def reply(
        self,
        request: ServiceRequest,
        days_ago: int,
        at: str,
        user: PortalUser,
        body: str,
        files: list[services.CheckedFile] | None = None,
    ) -> None:
        origin = Origin(self.company, user)
        self._run(
            request.pk,
            days_ago,
            at,
            lambda: services.customer_reply(origin, request, body, files or []),
        )

    # The desk's side.

    def assign(self, request: ServiceRequest, days_ago: int, at: str, operator: PortalUser) -> None:
        origin = Origin(self.company, operator)
        self._run(request.pk, days_ago, at, lambda: services.assign(origin, request, operator))

    def answer(
        self,
        request: ServiceRequest,
        days_ago: int,
        at: str,
        operator: PortalUser,
        body: str,
        *,
        status: RequestStatus | None = None,
        internal: bool = False,
        files: list[services.CheckedFile] | None = None,
    ) -> None:
        origin = Origin(self.company, operator)
        self._run(
            request.pk,
            days_ago,
            at,
            lambda: services.desk_reply(
                origin, request, body, files or [], internal=internal, status=status
            ),
        )

    def note(
        self, request: ServiceRequest, days_ago: int, at: str, operator: PortalUser, body: str
    ) -> None:
        self.answer(request, days_ago, at, operator, body, internal=True)

    def interim(
        self, request: ServiceRequest, days_ago: int, at: str, operator: PortalUser, body: str
    ) -> None:
        origin = Origin(self.company, operator)
        self._run(request.pk, days_ago, at, lambda: services.interim_reply(origin, request, body))

    def set_status(
        self,
        request: ServiceRequest,
        days_ago: int,
        at: str,
        operator: PortalUser,
        status: RequestStatus,
    ) -> None:
        origin = Origin(self.company, operator)
        self._run(request.pk, days_ago, at, lambda: services.set_status(origin, request, status))

    def close(
        self,
        request: ServiceRequest,
        days_ago: int,
        at: str,
        operator: PortalUser,
        answer: str,
        *,
        outcome: str = "",
        files: list[services.CheckedFile] | None = None,
    ) -> None:
        origin = Origin(self.company, operator)
        # A complaint's answer carries the referral of its company's kind (ABF and
        # Conciliatore, or ARERA's Servizio Conciliazione) in the customer's language.
        referral = services.referral_for(request)
        self._run(
            request.pk,
            days_ago,
            at,
            lambda: services.close_request(
                origin,
                request,
                answer=answer,
                outcome=outcome,
                referral=referral if request.is_complaint else "",
                files=files or [],
            ),
        )


@dataclass(frozen=True)
class DeskCast:
    """Who takes part in a company's demo requests."""

    company: Company
    customers: list[Customer]  # the registered ones; the first is the main demo login
    contracts: dict[int, list[Contract]]  # by customer pk
    operator: PortalUser
    complaints_officer: PortalUser

    def user(self, customer: Customer) -> PortalUser:
        return PortalUser.objects.get(customer=customer, parent__isnull=True)

    def sub_user(self, customer: Customer) -> PortalUser:
        return PortalUser.objects.get(customer=customer, parent__isnull=False)


def build_desk(cast: DeskCast, today: dt.date) -> int:
    """The company's requests, in every status and of every kind; returns how many."""
    DeskStory(cast, DeskTimeline(cast.company, today), today).tell()
    renumber_requests(cast.company)
    mark_old_notices_read(cast.company, today)
    return ServiceRequest.objects.filter(company=cast.company).count()


def renumber_requests(company: Company) -> None:
    """Codes in order of receipt, each in its own year, and counters that follow on.

    The services number a request in the year it was *made*; moved back in
    time, a request may belong to an earlier year.
    """
    requests = list(ServiceRequest.objects.filter(company=company).order_by("created_at", "pk"))
    # Out of the way first: a final code may still be held by another row.
    ServiceRequest.objects.filter(company=company).update(
        code=Concat(Value("DEMO-"), Cast("pk", CharField()))
    )
    last: dict[int, int] = {}
    for request in requests:
        year = timezone.localdate(request.created_at).year
        last[year] = last.get(year, 0) + 1
        request.code = f"RIC-{year}-{last[year]:06d}"
    ServiceRequest.objects.bulk_update(requests, ["code"])
    RequestCounter.objects.filter(company=company).exclude(year__in=last).update(last=0)
    for year, number in last.items():
        RequestCounter.objects.update_or_create(
            company=company, year=year, defaults={"last": number}
        )


def mark_old_notices_read(company: Company, today: dt.date) -> None:
    """The customers have seen the desk's older answers; the bell shows the recent ones."""
    cutoff = timezone.make_aware(
        dt.datetime.combine(today - dt.timedelta(days=UNREAD_DAYS), dt.time())
    )
    old = Notification.objects.filter(
        company=company, request__isnull=False, recipient__isnull=False, published_at__lt=cutoff
    ).values_list("pk", "recipient_id")
    NotificationRead.objects.bulk_create(
        NotificationRead(notification_id=pk, user_id=user_id) for pk, user_id in old
    )


class DeskStory:
    """Sixteen requests of five customers, told day by day (days ago, time of day)."""

    def __init__(self, cast: DeskCast, timeline: DeskTimeline, today: dt.date) -> None:
        self.cast = cast
        self.t = timeline
        self.today = today
        self.types = {t.label_it: t for t in RequestType.objects.filter(company=cast.company)}
        # A generator of its own: the rest of the demo stays as it was.
        self.rng = random.Random(f"desk-{cast.company.slug}")

    def request_type(self, label: str) -> RequestType:
        return self.types[label]  # one of companies.LEASING_REQUEST_TYPES

    def day(self, days_ago: int) -> dt.date:
        return self.today - dt.timedelta(days=days_ago)

    def tell(self) -> None:
        customers = self.cast.customers
        self.main_customer(customers[0])
        self.overdue_complaint(customers[1])
        self.pec_change(customers[1])
        self.payment_method(customers[1])
        self.double_debit_complaint(customers[2])
        self.transfer_complaint(customers[2])
        self.moved_office(customers[2])
        self.insurance_question(customers[3])
        self.foreign_iban(customers[4])
        self.rejected_complaint(customers[4])

    # The main demo login: a bit of everything, so a visitor sees it at once.

    def main_customer(self, customer: Customer) -> None:
        t, op, officer = self.t, self.cast.operator, self.cast.complaints_officer
        user, sub_user = self.cast.user(customer), self.cast.sub_user(customer)
        contract = self.cast.contracts[customer.pk][0]

        # Interest certificate: answered with a PDF and closed.
        year = self.day(200).year - 1
        interest = contract.plan.filter(due_date__year=year).aggregate(n=Sum("interest_share"))
        certificate = t.open(
            200, "10:30", user, RequestKind.FREE,
            request_type=self.request_type("Certificazione interessi"),
            title="Certificazione interessi",
            message=f"Buongiorno, mi serve la certificazione degli interessi pagati nel {year} "
            f"sul contratto n. {contract.number}. Grazie.",
        )  # fmt: skip
        t.assign(certificate, 199, "09:05", op)
        t.close(
            certificate, 198, "11:20", op,
            "Gentile cliente, in allegato la certificazione richiesta. Cordiali saluti.",
            files=[demo_pdf(
                f"certificazione-interessi-{year}.pdf",
                f"Certificazione interessi {year}",
                [self.cast.company.name, "", customer.name, f"Codice cliente {customer.code}",
                 f"Contratto n. {contract.number}", "",
                 f"Interessi corrisposti nel {year}: "
                 f"{format_money(interest['n'] or Decimal(0), 'it')}",
                 "", f"Rilasciata il {format_long_date(self.day(198))}"],
            )],
        )  # fmt: skip

        # IBAN change: the desk needs the signed mandate, the customer attaches it.
        new_iban = identity.italian_iban(self.rng)
        effective = self.day(150) + dt.timedelta(days=30)
        iban = t.open(
            150, "09:12", user, RequestKind.IBAN_CHANGE, contract=contract,
            payload={"current_iban": contract.payment_iban, "new_iban": new_iban,
                     "foreign": False, "effective_from": effective.isoformat()},
            message="Ho cambiato banca: vi prego di addebitare i canoni sul nuovo conto "
            "dalla prossima scadenza.",
        )  # fmt: skip
        t.assign(iban, 150, "11:40", op)
        t.answer(
            iban, 149, "10:05", op,
            "Gentile cliente, per addebitare i canoni sul nuovo conto ci serve il mandato SEPA "
            "firmato dall'intestatario del conto: può allegarlo rispondendo a questa richiesta.",
            status=RequestStatus.WAITING_CUSTOMER,
        )  # fmt: skip
        t.reply(
            iban, 146, "18:22", user, "Ecco il mandato firmato.",
            [demo_pdf(
                "mandato-sepa-firmato.pdf",
                "Mandato per addebito diretto SEPA",
                [f"Creditore: {self.cast.company.name}", f"Debitore: {customer.name}",
                 f"IBAN del debitore: {new_iban}", f"Riferimento: contratto n. {contract.number}",
                 "Tipo di pagamento: ricorrente", "",
                 f"Luogo e data: {customer.city}, {format_long_date(self.day(146))}",
                 "Firma: (firmato)"],
            )],
        )  # fmt: skip
        t.close(
            iban, 145, "09:30", op,
            f"Gentile cliente, il mandato è registrato: dal {format_long_date(effective)} i "
            "canoni saranno addebitati sul nuovo conto. Cordiali saluti.",
        )  # fmt: skip
        Contract.objects.filter(pk=contract.pk).update(payment_iban=new_iban)

        # Weeks later the customer writes again: a new request that follows the closed one.
        follow_up = t.open(
            40, "08:51", user, RequestKind.IBAN_CHANGE, contract=contract, follows=iban,
            title=iban.title,
            message="Buongiorno, il canone di questo mese è stato addebitato ancora sul vecchio "
            "conto. Potete verificare?",
        )  # fmt: skip
        t.assign(follow_up, 40, "09:45", op)
        t.note(
            follow_up, 39, "11:10", op,
            "Sentito l'ufficio incassi: il flusso SDD del mese era partito prima della "
            "variazione. Chiesto lo storno alla banca del cliente.",
        )  # fmt: skip
        t.answer(
            follow_up, 39, "11:25", op,
            "Gentile cliente, l'addebito del mese era già stato trasmesso alla banca prima della "
            "variazione. Abbiamo chiesto lo storno e le confermeremo l'esito qui.",
            status=RequestStatus.IN_PROGRESS,
        )  # fmt: skip

        # A complaint whose statutory date is in three days.
        complaint = t.open(
            57, "15:40", user, RequestKind.COMPLAINT, title="Spese di incasso",
            message="Presento reclamo: su ogni canone mi sono addebitati 5,00 € di spese di "
            "incasso che il contratto non prevede. Chiedo il rimborso di quanto pagato.",
        )  # fmt: skip
        t.assign(complaint, 57, "16:30", officer)
        due = self.day(57) + dt.timedelta(days=60)
        t.answer(
            complaint, 56, "09:15", officer,
            "Gentile cliente, abbiamo ricevuto il suo reclamo e le risponderemo entro il "
            f"{format_long_date(due)}, come prevedono le disposizioni della Banca d'Italia.",
            status=RequestStatus.IN_PROGRESS,
        )  # fmt: skip
        t.note(
            complaint, 20, "14:00", officer,
            "Estratto conto chiesto all'ufficio incassi; verificare l'art. 9 delle condizioni "
            "generali (spese di incasso con bollettino).",
        )  # fmt: skip

        # An address change waiting for a document.
        address = t.open(
            12, "19:03", user, RequestKind.ADDRESS_CHANGE,
            payload={"current_address": f"{customer.address}, {customer.postcode} "
                     f"{customer.city} ({customer.province})",
                     "new_address": "Via Rossi, 110, Roma, RM, Italia",
                     "effective_from": (self.day(12) + dt.timedelta(days=15)).isoformat()},
            message="Mi trasferisco a Roma: vi prego di aggiornare l'indirizzo per la "
            "corrispondenza.",
        )  # fmt: skip
        t.assign(address, 11, "09:20", op)
        t.answer(
            address, 11, "09:35", op,
            "Gentile cliente, per aggiornare l'indirizzo ci serve copia di un documento "
            "d'identità o del certificato di residenza: può allegarla rispondendo qui.",
            status=RequestStatus.WAITING_CUSTOMER,
        )  # fmt: skip

        # Early termination: the indicative figures the customer saw when asking.
        asked_on = self.day(6)
        still_due = list(instalments_still_due(contract, asked_on)[:2])
        last = still_due[-1] if still_due else None
        quote = early_termination_quote(contract, asked_on, last)
        termination = t.open(
            6, "12:47", user, RequestKind.EARLY_TERMINATION, contract=contract,
            payload={
                "computed_on": asked_on.isoformat(),
                "residual_capital_today": str(quote.residual_capital_today),
                "last_instalment_number": str(last.number) if last else "",
                "last_instalment_due": last.due_date.isoformat() if last else "",
                "capital_after": str(quote.capital_after),
                "residual_value": str(quote.residual_value),
                "indicative_payoff": str(quote.indicative_payoff),
            },
            message="Vorrei estinguere il contratto dopo il prossimo canone: mi inviate il "
            "conteggio definitivo?",
        )  # fmt: skip
        t.assign(termination, 6, "14:10", op)
        t.note(
            termination, 5, "10:00", op,
            "Chiesto all'ufficio contratti il conteggio con spese di chiusura e imposte.",
        )  # fmt: skip
        t.answer(
            termination, 5, "10:20", op,
            "Gentile cliente, abbiamo preso in carico la richiesta: il conteggio definitivo, "
            "con le eventuali spese e imposte, le arriverà qui entro pochi giorni.",
            status=RequestStatus.IN_PROGRESS,
        )  # fmt: skip

        # The sub-user asks for an invoice duplicate: nobody has taken it yet.
        invoice = (
            Invoice.objects.filter(customer=customer, date__lte=self.day(6))
            .order_by("-date", "-pk")
            .first()
        )
        number = f" n. {invoice.number}" if invoice else ""
        t.open(
            6, "16:20", sub_user, RequestKind.FREE,
            request_type=self.request_type("Richiesta duplicato fattura"),
            title="Richiesta duplicato fattura",
            message=f"Buongiorno, non trovo l'originale della fattura{number}: potete "
            "inviarmene un duplicato?",
        )  # fmt: skip

    # The other customers on the landing page, and two more.

    def overdue_complaint(self, customer: Customer) -> None:
        """Waiting for the customer does not stop the law's clock: it is overdue."""
        t, officer = self.t, self.cast.complaints_officer
        complaint = t.open(
            66, "10:02", self.cast.user(customer), RequestKind.COMPLAINT,
            title="Indicizzazione del canone",
            message="Contestiamo l'indicizzazione applicata ai canoni dell'ultimo trimestre: "
            "il tasso non corrisponde all'Euribor a 3 mesi del periodo.",
        )  # fmt: skip
        t.assign(complaint, 65, "09:00", officer)
        t.answer(
            complaint, 50, "15:30", officer,
            "Gentile cliente, per completare l'istruttoria ci serve copia della fattura "
            "contestata e l'indicazione del trimestre: può allegarla rispondendo qui.",
            status=RequestStatus.WAITING_CUSTOMER,
        )  # fmt: skip

    def pec_change(self, customer: Customer) -> None:
        t, op = self.t, self.cast.operator
        new_pec = f"amministrazione.{customer.code}@legalmail.it"
        pec = t.open(
            30, "11:11", self.cast.user(customer), RequestKind.PEC_CHANGE,
            payload={"current_pec": customer.pec, "new_pec": new_pec},
            message="La società ha attivato una nuova casella PEC.",
        )  # fmt: skip
        t.close(
            pec, 29, "10:40", op,
            "Gentile cliente, la nuova PEC è registrata: le comunicazioni con valore legale "
            "arriveranno a questo indirizzo.",
        )  # fmt: skip
        Customer.objects.filter(pk=customer.pk).update(pec=new_pec)

    def payment_method(self, customer: Customer) -> None:
        """Waiting for the customer, who answers: back in progress."""
        t, op = self.t, self.cast.operator
        user = self.cast.user(customer)
        request = t.open(
            15, "09:48", user, RequestKind.FREE,
            request_type=self.request_type("Variazione modalità di pagamento"),
            title="Variazione modalità di pagamento",
            message="Vorremmo pagare i canoni con addebito diretto invece che con bonifico.",
        )  # fmt: skip
        t.assign(request, 14, "10:00", op)
        t.answer(
            request, 14, "10:30", op,
            "Gentile cliente, ci indica l'IBAN del conto da addebitare e chi lo intesta?",
            status=RequestStatus.WAITING_CUSTOMER,
        )  # fmt: skip
        t.reply(
            request, 13, "17:05", user,
            f"Il conto è intestato alla società: {identity.italian_iban(self.rng)}.",
        )  # fmt: skip

    def double_debit_complaint(self, customer: Customer) -> None:
        """A payment-service complaint answered in time: outcome and referral."""
        t, officer = self.t, self.cast.complaints_officer
        complaint = t.open(
            45, "08:40", self.cast.user(customer), RequestKind.COMPLAINT,
            title="Doppio addebito SEPA", is_payment_service=True,
            message="L'addebito SEPA del canone di questo mese è stato eseguito due volte sul "
            "nostro conto. Chiediamo il riaccredito e il rimborso delle spese bancarie.",
        )  # fmt: skip
        t.assign(complaint, 45, "10:00", officer)
        t.answer(
            complaint, 44, "09:30", officer,
            "Gentile cliente, abbiamo ricevuto il reclamo e stiamo verificando con la banca.",
            status=RequestStatus.IN_PROGRESS,
        )  # fmt: skip
        t.close(
            complaint, 38, "16:15", officer,
            "Gentile cliente, il secondo addebito è dovuto a un errore nel flusso SDD: l'importo "
            "le è stato riaccreditato con valuta del giorno dell'addebito. Le spese bancarie "
            "non sono rimborsabili perché applicate dalla sua banca.",
            outcome=ComplaintOutcome.PARTLY_ACCEPTED,
        )  # fmt: skip

    def transfer_complaint(self, customer: Customer) -> None:
        """A payment-service complaint with an interim reply: 35 business days."""
        t, officer = self.t, self.cast.complaints_officer
        complaint = t.open(
            26, "11:55", self.cast.user(customer), RequestKind.COMPLAINT,
            title="Bonifico non registrato", is_payment_service=True,
            message="Il bonifico fatto per saldare i canoni scaduti non risulta registrato e "
            "continuiamo a ricevere solleciti.",
        )  # fmt: skip
        t.assign(complaint, 25, "09:10", officer)
        due = add_business_days(self.day(26), 35)
        t.interim(
            complaint, 10, "12:00", officer,
            "Gentile cliente, per verificare il bonifico attendiamo la risposta della banca "
            "ordinante, che non è ancora arrivata: le daremo una risposta definitiva entro il "
            f"{format_long_date(due)}.",
        )  # fmt: skip
        t.set_status(complaint, 10, "12:01", officer, RequestStatus.IN_PROGRESS)

    def moved_office(self, customer: Customer) -> None:
        t, op = self.t, self.cast.operator
        new_address = "Via dell'Industria, 24"
        request = t.open(
            120, "10:10", self.cast.user(customer), RequestKind.ADDRESS_CHANGE,
            payload={"current_address": f"{customer.address}, {customer.postcode} "
                     f"{customer.city} ({customer.province})",
                     "new_address": f"{new_address}, {customer.city}, {customer.province}, "
                     "Italia",
                     "effective_from": self.day(110).isoformat()},
            message="Trasferiamo la sede legale: allegheremo la visura se serve.",
        )  # fmt: skip
        t.assign(request, 119, "09:00", op)
        t.close(
            request, 119, "15:00", op,
            "Gentile cliente, l'indirizzo della sede è aggiornato. Cordiali saluti.",
        )  # fmt: skip
        Customer.objects.filter(pk=customer.pk).update(address=new_address)

    def insurance_question(self, customer: Customer) -> None:
        self.t.open(
            1, "10:15", self.cast.user(customer), RequestKind.FREE,
            request_type=self.request_type("Informazioni su polizza assicurativa"),
            title="Informazioni su polizza assicurativa",
            message="Il bene in leasing è coperto da polizza furto e incendio? Vorrei "
            "conoscere massimali e scadenza.",
        )  # fmt: skip

    def foreign_iban(self, customer: Customer) -> None:
        contracts = self.cast.contracts[customer.pk]
        self.t.open(
            2, "17:30", self.cast.user(customer), RequestKind.IBAN_CHANGE,
            contract=contracts[0],
            payload={"current_iban": contracts[0].payment_iban, "new_iban": FOREIGN_IBAN,
                     "foreign": True,
                     "effective_from": (self.day(2) + dt.timedelta(days=20)).isoformat()},
            message="Dal prossimo mese addebitate i canoni sul conto della capogruppo in "
            "Germania.",
        )  # fmt: skip

    def rejected_complaint(self, customer: Customer) -> None:
        t, officer = self.t, self.cast.complaints_officer
        complaint = t.open(
            210, "09:30", self.cast.user(customer), RequestKind.COMPLAINT,
            title="Interessi di mora",
            message="Contestiamo gli interessi di mora addebitati su un canone pagato con "
            "due giorni di ritardo per un disguido bancario.",
        )  # fmt: skip
        t.assign(complaint, 209, "10:00", officer)
        t.close(
            complaint, 180, "12:30", officer,
            "Gentile cliente, gli interessi di mora sono previsti dall'art. 7 del contratto "
            "e calcolati sui giorni di ritardo effettivi: non possiamo stornarli.",
            outcome=ComplaintOutcome.REJECTED,
        )  # fmt: skip
