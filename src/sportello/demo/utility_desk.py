"""The utility's demo tickets (E6): about supply points, in every status, and a complaint.

Like the leasing companies' requests (``desk.py``), they go through the
service desk's own functions, moved back to the day the story tells.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sportello.accounts.models import PortalUser
from sportello.billing.models import Invoice
from sportello.core.formatting import format_long_date
from sportello.core.models import Company
from sportello.customers.models import Customer
from sportello.energy.models import Consumption, MeterReading, SupplyPoint
from sportello.servicedesk import services
from sportello.servicedesk.models import (
    RequestKind,
    RequestStatus,
    RequestType,
    ServiceRequest,
)

from .desk import DeskTimeline, demo_pdf, mark_old_notices_read, renumber_requests


def build_utility_desk(
    company: Company,
    customers: list[Customer],
    points: list[SupplyPoint],
    operator: PortalUser,
    today: dt.date,
) -> int:
    """The tickets of the registered ``customers`` (the first is the main demo login)."""
    story = UtilityDeskStory(company, customers, points, operator, today)
    story.tell()
    renumber_requests(company)
    mark_old_notices_read(company, today)
    return ServiceRequest.objects.filter(company=company).count()


#: A demo bill is issued this long after its period ends.
BILLED_AFTER = dt.timedelta(days=12)


def billed_month(bill: Invoice) -> tuple[int, int]:
    """The last month a demo bill charges."""
    day = bill.date - BILLED_AFTER
    return day.year, day.month


def complaint_payload(customer: Customer, point: SupplyPoint) -> dict[str, str]:
    """What ARERA's TIQV (art. 8) asks a written complaint to carry, from the chosen point."""
    return {
        "name": customer.name,
        "supply_address": point.address,
        "reply_address": f"{customer.address} - {customer.postcode} {customer.city} "
        f"({customer.province})",
        "service": point.commodity,
        "point_code": point.code,
        "customer_code": customer.code,
    }


class UtilityDeskStory:
    """Eight tickets of four customers, told day by day (days ago, time of day)."""

    def __init__(
        self,
        company: Company,
        customers: list[Customer],
        points: list[SupplyPoint],
        operator: PortalUser,
        today: dt.date,
    ) -> None:
        self.t = DeskTimeline(company, today)
        self.customers = customers
        self.operator = operator
        self.today = today
        self.points: dict[int, list[SupplyPoint]] = defaultdict(list)
        for point in points:
            self.points[point.customer_id].append(point)
        self.types = {t.label_it: t for t in RequestType.objects.filter(company=company)}

    def day(self, days_ago: int) -> dt.date:
        return self.today - dt.timedelta(days=days_ago)

    @staticmethod
    def user(customer: Customer, *, sub_user: bool = False) -> PortalUser:
        return PortalUser.objects.get(customer=customer, parent__isnull=not sub_user)

    def ticket(
        self,
        days_ago: int,
        at: str,
        user: PortalUser,
        point: SupplyPoint | None,
        label: str,
        message: str,
        files: list[services.CheckedFile] | None = None,
    ) -> ServiceRequest:
        """A ticket of one of the company's types (``companies.UTILITY_REQUEST_TYPES``)."""
        return self.t.open(
            days_ago, at, user, RequestKind.UTILITY_TICKET, supply_point=point,
            request_type=self.types[label], title=label, message=message, files=files or [],
        )  # fmt: skip

    def tell(self) -> None:
        self.main_customer(self.customers[0])
        self.takeover(self.customers[1])
        self.more_power(self.customers[2])
        self.instalments(self.customers[3])

    # The main demo login: a ticket in every status, on each of its points.

    def main_customer(self, customer: Customer) -> None:
        t, op = self.t, self.operator
        user, sub_user = self.user(customer), self.user(customer, sub_user=True)
        power, gas, workshop = self.points[customer.pk][:3]

        # A bill on estimated consumption, put right with the customer's reading: closed.
        estimated = set(
            Consumption.objects.filter(supply_point=power, is_estimated=True).values_list(
                "year", "month"
            )
        )
        bills = Invoice.objects.filter(supply_point=power, date__lte=self.day(96))
        bill = next(
            (b for b in bills.order_by("-date") if billed_month(b) in estimated),
            bills.order_by("-date").first(),
        )
        reading = (
            MeterReading.objects.filter(supply_point=power, reading_date__lte=self.day(96))
            .order_by("-reading_date")
            .first()
        )
        number = f" n. {bill.number}" if bill else ""
        value = f"{reading.meter_value} kWh" if reading else "vedi foto"
        correction = self.ticket(
            96, "18:40", user, power, "Rettifica di fatturazione",
            f"Buongiorno, la bolletta{number} è calcolata su consumi stimati molto più alti dei "
            "miei. Allego la lettura del contatore: vi chiedo di ricalcolarla.",
            [demo_pdf(
                "lettura-contatore.pdf", "Lettura del contatore",
                [customer.name, f"POD {power.code}", power.address, "",
                 f"Lettura del {format_long_date(self.day(96))}: {value}"],
            )],
        )  # fmt: skip
        t.assign(correction, 95, "09:10", op)
        t.close(
            correction, 88, "11:30", op,
            "Gentile cliente, abbiamo ricalcolato la bolletta con la lettura che ci ha inviato: "
            "la differenza le sarà accreditata nella prossima bolletta. Cordiali saluti.",
        )  # fmt: skip

        # The workshop's volume corrector has an alarm: the distributor is on it.
        check = self.ticket(
            21, "08:15", user, workshop, "Verifica del contatore",
            "Il correttore del contatore gas del laboratorio segnala da alcuni giorni un "
            "allarme di batteria scarica. Potete mandare un tecnico?",
        )  # fmt: skip
        t.assign(check, 21, "09:30", op)
        t.note(
            check, 20, "10:00", op,
            f"Chiesto al distributore l'intervento sul correttore n. {workshop.corrector_number}.",
        )  # fmt: skip
        t.answer(
            check, 20, "10:15", op,
            "Gentile cliente, abbiamo chiesto l'intervento al distributore: il tecnico la "
            "contatterà per fissare l'appuntamento. Nel frattempo il correttore continua a "
            "registrare i volumi.",
            status=RequestStatus.IN_PROGRESS,
        )  # fmt: skip

        # A change of holder, waiting for the signed form.
        transfer = self.ticket(
            9, "19:05", user, gas, "Voltura",
            "Vorrei intestare la fornitura del gas di casa al nuovo titolare del contratto di "
            "affitto, dal primo del mese prossimo.",
        )  # fmt: skip
        t.assign(transfer, 8, "09:00", op)
        t.answer(
            transfer, 8, "09:20", op,
            "Gentile cliente, per la voltura ci servono il modulo di richiesta firmato dal nuovo "
            "intestatario, che trova tra la modulistica, e copia di un suo documento "
            "d'identità: può allegarli rispondendo qui.",
            status=RequestStatus.WAITING_CUSTOMER,
        )  # fmt: skip

        # A complaint (reclamo): the answer is due on the law's date from its receipt.
        complaint = t.open(
            24, "11:40", user, RequestKind.COMPLAINT, title="Conguaglio non dovuto",
            supply_point=power, payload=complaint_payload(customer, power),
            message="Nell'ultima bolletta mi è stato addebitato un conguaglio per un "
            "periodo in cui l'abitazione era disabitata. Chiedo la verifica delle letture "
            "e lo storno del conguaglio.",
        )  # fmt: skip
        t.assign(complaint, 24, "15:00", op)
        complaint.refresh_from_db()
        due = format_long_date(complaint.due_on)
        t.answer(
            complaint, 23, "09:40", op,
            "Gentile cliente, abbiamo ricevuto il suo reclamo: le risponderemo per iscritto "
            f"entro il {due}.",
            status=RequestStatus.IN_PROGRESS,
        )  # fmt: skip
        t.note(
            complaint, 10, "15:20", op,
            "Chieste al distributore le letture effettive del periodo contestato.",
        )  # fmt: skip

        # The sub-user asks what the time bands are: nobody has taken it yet.
        self.ticket(
            2, "17:45", sub_user, power, "Informazioni sulla bolletta",
            "Nella bolletta i consumi sono divisi in F1, F2 e F3: che cosa indicano le fasce?",
        )  # fmt: skip

    # Three other customers.

    def takeover(self, customer: Customer) -> None:
        """A new site whose meter was disconnected: not one of the customer's points yet."""
        request = self.ticket(
            60, "10:20", self.user(customer), None, "Subentro",
            "Abbiamo preso in locazione un nuovo magazzino con il contatore della luce "
            "disattivato: chiediamo il subentro dal mese prossimo.",
        )  # fmt: skip
        self.t.assign(request, 60, "11:00", self.operator)
        self.t.close(
            request, 57, "16:10", self.operator,
            "Gentile cliente, abbiamo chiesto al distributore la riattivazione: la fornitura "
            "sarà attiva entro cinque giorni lavorativi. Cordiali saluti.",
        )  # fmt: skip

    def more_power(self, customer: Customer) -> None:
        warehouse = self.points[customer.pk][-1]
        self.ticket(
            3, "11:05", self.user(customer), warehouse, "Variazione della potenza impegnata",
            "Chiediamo di aumentare la potenza impegnata del magazzino per una nuova linea di "
            "ricarica dei carrelli elevatori.",
        )  # fmt: skip

    def instalments(self, customer: Customer) -> None:
        gas = self.points[customer.pk][0]
        request = self.ticket(
            40, "20:30", self.user(customer), gas, "Rateizzazione bolletta",
            "Posso pagare a rate la bolletta del gas dell'inverno?",
        )  # fmt: skip
        self.t.assign(request, 39, "09:00", self.operator)
        self.t.close(
            request, 38, "12:00", self.operator,
            "Gentile cliente, abbiamo diviso la bolletta in tre rate mensili, addebitate sul "
            "suo conto: la prima alla scadenza della bolletta. Cordiali saluti.",
        )  # fmt: skip
