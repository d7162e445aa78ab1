"""The complaints register (registro dei reclami): one row per complaint.

What Banca d'Italia's transparency provisions (and, for an energy seller,
ARERA's TIQV) ask a company to be able to show: when each complaint arrived,
which clock it ran on, what it was about, when it was due and answered, how it
ended and in how many days. The page and the export read the same entries, so
they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sportello.core.exports import Column, Exporter
from sportello.core.models import Company
from sportello.servicedesk.models import RequestKind, ServiceRequest
from sportello.servicedesk.services import ServiceLevel, service_level


def complaints(company: Company, year: int | None = None) -> QuerySet[ServiceRequest]:
    """``company``'s complaints in order of receipt, those received in ``year`` if given."""
    found = ServiceRequest.objects.for_company(company).filter(kind=RequestKind.COMPLAINT)
    if year is not None:
        found = found.filter(received_on__year=year)
    return found.select_related("customer", "company").order_by("received_on", "code")


def complaint_years(company: Company) -> list[int]:
    """The years in which ``company`` received complaints, latest first."""
    days = complaints(company).dates("received_on", "year", order="DESC")
    return [day.year for day in days]


@dataclass(frozen=True)
class RegisterEntry:
    """One complaint as the register shows it."""

    complaint: ServiceRequest
    answered_on: dt.date | None
    days_taken: int | None  # calendar days from receipt to the answer
    within_deadline: str  # «sì», «no», or empty while the complaint is open and in time

    @property
    def kind_label(self) -> str:
        if self.complaint.company.is_utility:
            return _("TIQV (ARERA), 30 giorni")
        if self.complaint.is_payment_service:
            return _("Servizio di pagamento")
        return _("Ordinario")


def register_entry(complaint: ServiceRequest, today: dt.date) -> RegisterEntry:
    """The register's view of ``complaint`` on ``today``.

    A complaint is answered when it is closed; whether that was in time is
    ``service_level``'s verdict, the same the queue shows.
    """
    answered_on = timezone.localdate(complaint.closed_at) if complaint.closed_at else None
    days = None
    if answered_on is not None and complaint.received_on is not None:
        days = (answered_on - complaint.received_on).days
    level = service_level(complaint, today)
    verdict = {ServiceLevel.MET: _("sì"), ServiceLevel.OVERDUE: _("no")}.get(level, "")
    return RegisterEntry(complaint, answered_on, days, verdict)


def register_entries(rows: Iterable[ServiceRequest], today: dt.date) -> Iterator[RegisterEntry]:
    for complaint in rows:
        yield register_entry(complaint, today)


class ComplaintsRegisterExporter(Exporter):
    basename = gettext_lazy("registro-reclami")
    sheet = gettext_lazy("Registro reclami")
    columns = [
        Column(gettext_lazy("Codice"), width=18),
        Column(gettext_lazy("Codice cliente"), width=14),
        Column(gettext_lazy("Cliente"), width=30),
        Column(gettext_lazy("Ricevuto il"), "date", width=12),
        Column(gettext_lazy("Tipo"), width=22),
        Column(gettext_lazy("Oggetto"), width=40),
        Column(gettext_lazy("Risposta entro il"), "date", width=14),
        Column(gettext_lazy("Risposta interlocutoria il"), "date", width=14),
        Column(gettext_lazy("Risposto il"), "date", width=12),
        Column(gettext_lazy("Esito"), width=16),
        Column(gettext_lazy("Giorni impiegati"), "integer", width=10),
        Column(gettext_lazy("Stato"), width=20),
        Column(gettext_lazy("Nei termini"), width=10),
    ]

    def __init__(self, company: Company, today: dt.date, year: int | None = None) -> None:
        self.complaints = complaints(company, year)
        self.today = today
        # The company in the name: an operator of several downloads one register each.
        self.suffix = f"{company.slug}-{year}" if year else company.slug

    def rows(self) -> Iterable[Sequence[Any]]:
        for entry in register_entries(self.complaints.iterator(chunk_size=2000), self.today):
            complaint = entry.complaint
            interim = complaint.interim_reply_at
            yield (
                complaint.code,
                complaint.customer.code,
                complaint.customer.name,
                complaint.received_on,
                entry.kind_label,
                complaint.title,
                complaint.due_on,
                timezone.localdate(interim) if interim else None,
                entry.answered_on,
                complaint.get_outcome_display(),
                entry.days_taken,
                complaint.get_status_display(),
                entry.within_deadline,
            )
