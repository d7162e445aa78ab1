"""Self-service requests (tickets), their conversation and attachments."""

from __future__ import annotations

import os
import uuid
from typing import Any, ClassVar, Self

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sportello.core.models import Company
from sportello.core.scoping import OwnedQuerySet
from sportello.customers.models import Customer
from sportello.energy.models import SupplyPoint
from sportello.leasing.models import Contract


class RequestKind(models.TextChoices):
    IBAN_CHANGE = "iban_change", _("Modifica banca appoggio / IBAN")
    ADDRESS_CHANGE = "address_change", _("Variazione indirizzo")
    FREE = "free", _("Altre richieste")
    EARLY_TERMINATION = "early_termination", _("Richiesta estinzione anticipata")
    DATA_DISCREPANCY = "data_discrepancy", _("Segnalazione difformità dati anagrafici")
    UTILITY_TICKET = "utility_ticket", _("Ticket")
    COMPLAINT = "complaint", _("Reclamo")
    PEC_CHANGE = "pec_change", _("Modifica indirizzo PEC")


class ComplaintOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Accolto")
    PARTLY_ACCEPTED = "partly_accepted", _("Accolto in parte")
    REJECTED = "rejected", _("Respinto")


class ComplaintService(models.TextChoices):
    """What an energy seller's complaint is about (TIQV art. 8: electricity, gas, both)."""

    ELECTRICITY = "electricity", _("Energia elettrica")
    GAS = "gas", _("Gas")
    BOTH = "both", _("Entrambi")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Aperta")
    IN_PROGRESS = "in_progress", _("In lavorazione")
    WAITING_CUSTOMER = "waiting_customer", _("In attesa del cliente")
    CLOSED = "closed", _("Chiusa")


class RequestType(models.Model):
    """A request type from the list the company keeps ("Richieste default", E3/E6)."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="request_types", verbose_name=_("società")
    )
    label_it = models.CharField(_("nome (italiano)"), max_length=120)
    label_en = models.CharField(_("nome (inglese)"), max_length=120)
    position = models.PositiveSmallIntegerField(_("posizione"), default=0)
    is_active = models.BooleanField(_("attivo"), default=True)

    class Meta:
        verbose_name = _("tipo di richiesta")
        verbose_name_plural = _("tipi di richiesta")
        ordering = ["company", "position", "id"]

    def __str__(self) -> str:
        return self.label_it

    def label(self, language: str) -> str:
        return self.label_en if language.startswith("en") else self.label_it


class RequestScopedQuerySet[M: models.Model](OwnedQuerySet[M]):
    """Rows of requests, as a customer user or a company's desk may see them."""

    #: The path from the model to the request (``""``: the model is the request).
    request_path = ""

    def for_user(self, user: Any) -> Self:
        """The customer's requests; a sub-user set to see only its own, only those (J5)."""
        queryset = super().for_user(user)
        if getattr(user, "parent_id", None) and not getattr(user, "sees_all_requests", True):
            prefix = f"{self.request_path}__" if self.request_path else ""
            queryset = queryset.filter(**{f"{prefix}author": user})
        return queryset

    def for_company(self, company: Company) -> Self:
        prefix = f"{self.request_path}__" if self.request_path else ""
        return self.filter(**{f"{prefix}company": company})


class ServiceRequestQuerySet(RequestScopedQuerySet["ServiceRequest"]):
    pass


class ServiceRequest(models.Model):
    """A customer's request to the service desk, with a typed payload per kind.

    A complaint (``kind`` complaint) carries the law's clock: ``due_on`` is the
    statutory date (``deadlines.complaint_due_date``), which no status pauses;
    ``first_answer_due_on`` is the company's own service level, which waiting
    for the customer pauses.
    """

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="requests", verbose_name=_("società")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="requests", verbose_name=_("cliente")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="requests"
    )
    # RIC-<year>-<number>, numbered per company and year (services.next_request_code).
    code = models.CharField(_("codice"), max_length=20)
    kind = models.CharField(_("tipo"), max_length=20, choices=RequestKind.choices)
    request_type = models.ForeignKey(
        RequestType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("richiesta")
    )
    title = models.CharField(_("titolo"), max_length=200)
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )
    #: A utility's ticket is about one supply point (E6), chosen in the header.
    supply_point = models.ForeignKey(
        SupplyPoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("punto di fornitura"),
    )
    payload = models.JSONField(_("dati"), default=dict, blank=True)
    status = models.CharField(
        _("stato"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    created_at = models.DateTimeField(_("aperta il"), auto_now_add=True)
    last_activity_at = models.DateTimeField(_("ultima operazione"), db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_requests",
        verbose_name=_("assegnata a"),
    )
    follows = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followed_by",
        verbose_name=_("segue la richiesta"),
    )
    # The service level: the first answer of the desk is due by this day
    # (business days); waiting for the customer moves it on by the days waited.
    first_answer_due_on = models.DateField(_("prima risposta entro il"), null=True, blank=True)
    first_answered_at = models.DateTimeField(_("prima risposta il"), null=True, blank=True)
    waiting_since = models.DateTimeField(_("in attesa del cliente dal"), null=True, blank=True)
    closed_at = models.DateTimeField(_("chiusa il"), null=True, blank=True)
    # Complaints only.
    received_on = models.DateField(_("ricevuto il"), null=True, blank=True)
    due_on = models.DateField(_("risposta entro il"), null=True, blank=True)
    is_payment_service = models.BooleanField(_("riguarda un servizio di pagamento"), default=False)
    interim_reply_at = models.DateTimeField(_("risposta interlocutoria il"), null=True, blank=True)
    outcome = models.CharField(
        _("esito"), max_length=20, choices=ComplaintOutcome.choices, blank=True
    )

    objects: ClassVar[ServiceRequestQuerySet] = ServiceRequestQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("richiesta")
        verbose_name_plural = _("richieste")
        ordering = ["-last_activity_at"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="request_code_per_company")
        ]
        indexes = [
            models.Index(fields=["customer", "-last_activity_at"], name="request_customer_recent"),
            models.Index(fields=["company", "status", "due_on"], name="request_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"

    @property
    def display_title(self) -> str:
        """The title in the active language.

        A request of a company's type is named by the type (both names are kept),
        a utility's ticket by its type and its subject; a typed request by its kind's label; a free request by what the customer wrote.
        """
        if self.request_type is not None:
            label = self.request_type.label(get_language() or "it")
            names = (self.request_type.label_it, self.request_type.label_en)
            if self.kind == RequestKind.UTILITY_TICKET and self.title and self.title not in names:
                # A utility's ticket has a subject of its own beside its type (E6).
                return f"{label}: {self.title}"
            return label
        if self.kind in (RequestKind.FREE, RequestKind.UTILITY_TICKET):
            return self.title
        kind = str(self.get_kind_display())
        if self.kind == RequestKind.COMPLAINT and self.title and self.title != kind:
            # The subject the customer wrote, after the word that says it is a complaint.
            return f"{kind}: {self.title}"
        return kind

    @property
    def is_complaint(self) -> bool:
        return self.kind == RequestKind.COMPLAINT

    @property
    def is_closed(self) -> bool:
        return self.status == RequestStatus.CLOSED


class RequestCounter(models.Model):
    """The last request number given in one company and year (``RIC-2026-000123``)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "year"], name="one_counter_per_company_year")
        ]

    def __str__(self) -> str:
        return f"{self.company_id}/{self.year}: {self.last}"


class RequestMessageQuerySet(RequestScopedQuerySet["RequestMessage"]):
    customer_path = "request__customer"
    request_path = "request"

    def visible_to_customer(self) -> Self:
        return self.filter(is_internal=False)


class RequestMessage(models.Model):
    """One message of a request's conversation, from the customer or the desk."""

    request = models.ForeignKey(
        ServiceRequest,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("richiesta"),
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    from_service_desk = models.BooleanField(_("dal service desk"), default=False)
    # An operators' note: never shown to the customer, never e-mailed.
    is_internal = models.BooleanField(_("nota interna"), default=False)
    is_interim_reply = models.BooleanField(_("risposta interlocutoria"), default=False)
    body = models.TextField(_("messaggio"), max_length=5000)
    created_at = models.DateTimeField(_("inviato il"), auto_now_add=True)

    objects: ClassVar[RequestMessageQuerySet] = RequestMessageQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("messaggio")
        verbose_name_plural = _("messaggi")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request.code} {self.created_at:%d/%m/%Y %H:%M}"


#: The extensions a stored attachment may carry (given by its content, never its name).
STORED_EXTENSIONS = (".pdf", ".jpg", ".png", ".p7m")


def attachment_path(attachment: RequestAttachment, filename: str) -> str:
    """A generated name; the extension only when it is one the content checks give."""
    extension = os.path.splitext(filename)[1].lower()
    return f"attachments/{attachment.uid.hex}{extension if extension in STORED_EXTENSIONS else ''}"


class RequestAttachmentQuerySet(RequestScopedQuerySet["RequestAttachment"]):
    customer_path = "message__request__customer"
    request_path = "message__request"

    def visible_to_customer(self) -> Self:
        return self.filter(message__is_internal=False)


class RequestAttachment(models.Model):
    """A file attached to a message; stored under a generated name."""

    message = models.ForeignKey(
        RequestMessage, on_delete=models.CASCADE, related_name="attachments"
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("nome file"), max_length=200)
    content_type = models.CharField(_("tipo"), max_length=100)
    size = models.PositiveIntegerField(_("dimensione"))

    objects: ClassVar[RequestAttachmentQuerySet] = RequestAttachmentQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("allegato")
        verbose_name_plural = _("allegati")

    def __str__(self) -> str:
        return self.original_name
