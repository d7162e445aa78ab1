"""The payment schedule (scadenziario) and invoices with their credit notes."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sportello.core.fields import money_field
from sportello.core.formatting import format_long_date
from sportello.core.models import Company
from sportello.core.scoping import OwnedQuerySet
from sportello.customers.models import Customer
from sportello.energy.models import SupplyPoint
from sportello.leasing.models import (
    Contract,
    ContractOwnedQuerySet,
    PaymentMethod,
    PaymentReason,
)

HALF_CENT = Decimal("0.005")

#: The invoice list's parameter that chooses the supply point (a notice's link, G2).
POINT_PARAMETER = "punto"


class EntryStatus(models.TextChoices):
    TO_BE_DUE = "to_be_due", _("A scadere")
    OVERDUE = "overdue", _("Scaduto")
    PAID = "paid", _("Pagato")


class ScheduleEntry(models.Model):
    """A due payment of a contract. Its status is derived, never stored:
    paid when the paid amount covers the amount; otherwise overdue once the due
    date has passed, else to be due. A payment due today is not yet overdue.
    """

    contract = models.ForeignKey(
        Contract,
        on_delete=models.CASCADE,
        related_name="schedule",
        verbose_name=_("contratto"),
        # The natural key's unique index starts with this column: no second index.
        db_index=False,
    )
    due_date = models.DateField(_("scadenza"))
    instalment_number = models.PositiveSmallIntegerField(_("n. canone"))
    # The core system's causale as a stable code; a code the portal does not
    # know yet is kept as sent and shown as it is.
    reason = models.CharField(_("causale"), max_length=60, choices=PaymentReason.choices)
    payment_method = models.CharField(_("pagamento"), max_length=10, choices=PaymentMethod.choices)
    amount = money_field(_("importo"))
    paid = money_field(_("pagato"), default=Decimal("0.00"))
    paid_on = models.DateField(_("data pagamento"), null=True, blank=True)
    invoice = models.ForeignKey(
        "Invoice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="schedule_entries",
        verbose_name=_("fattura"),
    )
    # When the customer was reminded (before the due date) and told it is overdue
    # (after): each once, claimed by the job that sends it.
    reminded_on = models.DateField(_("promemoria inviato il"), null=True, blank=True)
    overdue_notified_on = models.DateField(_("avviso di scaduto il"), null=True, blank=True)

    objects: ClassVar[ContractOwnedQuerySet[ScheduleEntry]] = ContractOwnedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("scadenza")
        verbose_name_plural = _("scadenziario")
        ordering = ["contract", "due_date", "instalment_number"]
        constraints = [
            models.CheckConstraint(condition=Q(paid__gte=0), name="schedule_paid_not_negative"),
            models.CheckConstraint(
                condition=Q(paid__lte=models.F("amount")) | Q(amount__lt=0),
                name="schedule_paid_at_most_amount",
            ),
            # The core system's natural key of an entry: what an import matches on.
            models.UniqueConstraint(
                fields=["contract", "due_date", "instalment_number", "reason"],
                name="unique_schedule_entry",
            ),
        ]
        # The billing page reads each part of its order by due date (services.schedule_list):
        # the open entries (overdue, to be due) from their own small index, the paid ones
        # from the whole list's, so that a fleet's page reads 25 rows, not 20,000.
        indexes = [
            models.Index(
                fields=["due_date"],
                condition=Q(paid__lt=models.F("amount")),
                name="schedule_open_by_due_date",
            ),
            models.Index(fields=["due_date"], name="schedule_by_due_date"),
        ]

    def __str__(self) -> str:
        return f"{self.contract.number} {self.due_date:%d/%m/%Y} {self.amount}"

    @property
    def balance(self) -> Decimal:
        """Saldo: what is still to pay."""
        return Decimal(self.amount - self.paid)

    def status_on(self, day: dt.date) -> EntryStatus:
        if self.balance <= 0:
            return EntryStatus.PAID
        return EntryStatus.OVERDUE if self.due_date < day else EntryStatus.TO_BE_DUE

    def overdue_balance_on(self, day: dt.date) -> Decimal:
        """Saldo scaduto: the balance once the due date has passed."""
        return self.balance if self.status_on(day) == EntryStatus.OVERDUE else Decimal("0.00")


class DocumentType(models.TextChoices):
    """FatturaPA TipoDocumento codes the portal shows: those a company issues to its
    customers. The self-invoices a buyer issues to itself (TD16-TD23, TD26-TD29)
    never reach a customer area."""

    INVOICE = "TD01", _("Fattura")
    ADVANCE_INVOICE = "TD02", _("Acconto/anticipo su fattura")
    ADVANCE_FEE_NOTE = "TD03", _("Acconto/anticipo su parcella")
    CREDIT_NOTE = "TD04", _("Nota di credito")
    DEBIT_NOTE = "TD05", _("Nota di debito")
    FEE_NOTE = "TD06", _("Parcella")
    DEFERRED_INVOICE = "TD24", _("Fattura differita")
    DEFERRED_INVOICE_THIRD_PARTY = "TD25", _("Fattura differita (art. 21, c. 4, lett. b)")
    SIMPLIFIED_INVOICE = "TD07", _("Fattura semplificata")
    SIMPLIFIED_CREDIT_NOTE = "TD08", _("Nota di credito semplificata")
    SIMPLIFIED_DEBIT_NOTE = "TD09", _("Nota di debito semplificata")


class DeliveryStatus(models.TextChoices):
    """What SdI's receipts say of an e-invoice (RC, MC, NS and the PA outcomes)."""

    UNKNOWN = "", _("Non nota")
    DELIVERED = "delivered", _("Consegnata")
    NOT_DELIVERED = "not_delivered", _("Non recapitata")
    REJECTED = "rejected", _("Scartata")
    ACCEPTED = "accepted", _("Accettata")
    REFUSED = "refused", _("Rifiutata")
    EXPIRED = "expired", _("Decorsi i termini")


class InvoiceQuerySet(OwnedQuerySet["Invoice"]):
    def published(self) -> InvoiceQuerySet:
        return self.filter(published_at__isnull=False)


def invoice_upload_path(invoice: Invoice, filename: str) -> str:
    # Generated names only: nothing the uploader chose reaches the file system.
    extension = ".xml" if filename.lower().endswith(".xml") else ".pdf"
    return f"invoices/{invoice.company_id}/{invoice.date:%Y}/{invoice.uid.hex}{extension}"


class Invoice(models.Model):
    """An issued invoice or credit note. Issued figures are never recomputed."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("società")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("cliente")
    )
    contracts = models.ManyToManyField(
        Contract, blank=True, related_name="invoices", verbose_name=_("contratti")
    )
    #: A utility's bill is for one supply point (G2): the list follows the header's choice.
    supply_point = models.ForeignKey(
        SupplyPoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("punto di fornitura"),
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("numero"), max_length=30)
    date = models.DateField(_("data"))
    #: The year of ``date``, kept so the database can hold one number per year (set on save).
    year = models.PositiveSmallIntegerField(_("anno"), editable=False)
    document_type = models.CharField(
        _("tipo documento"),
        max_length=4,
        choices=DocumentType.choices,
        default=DocumentType.INVOICE,
    )
    taxable = money_field(_("imponibile"))
    vat = money_field(_("IVA"))
    total = money_field(_("totale"))
    pdf = models.FileField(_("PDF"), upload_to=invoice_upload_path, blank=True)
    xml = models.FileField(_("FatturaPA XML"), upload_to=invoice_upload_path, blank=True)
    #: Which FatturaElettronicaBody of ``xml`` this invoice is (1 for the first).
    xml_body = models.PositiveSmallIntegerField(_("corpo FatturaPA"), null=True, blank=True)
    #: SdI's identity of the file, which its receipts name.
    sdi_identifier = models.CharField(_("identificativo SdI"), max_length=20, blank=True)
    sdi_file_name = models.CharField(_("nome file SdI"), max_length=60, blank=True)
    delivery_status = models.CharField(
        _("esito consegna"),
        max_length=16,
        choices=DeliveryStatus.choices,
        blank=True,
        default=DeliveryStatus.UNKNOWN,
    )
    delivery_at = models.DateTimeField(_("data esito"), null=True, blank=True)
    published_at = models.DateTimeField(_("pubblicata il"), null=True, blank=True)
    notified_at = models.DateTimeField(_("notificata il"), null=True, blank=True)

    objects: ClassVar[InvoiceQuerySet] = InvoiceQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("fattura")
        verbose_name_plural = _("fatture")
        ordering = ["-date", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "document_type", "number", "year"], name="unique_invoice_number"
            ),
            # Within half a cent: SQLite compares decimals as floating point.
            models.CheckConstraint(
                condition=Q(total__gte=models.F("taxable") + models.F("vat") - HALF_CENT)
                & Q(total__lte=models.F("taxable") + models.F("vat") + HALF_CENT),
                name="invoice_total_is_taxable_plus_vat",
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "-date"]),
            models.Index(fields=["supply_point", "-date"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_document_type_display()} {self.number} {self.date:%d/%m/%Y}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.year = self.date.year
        super().save(*args, **kwargs)

    @property
    def is_credit_note(self) -> bool:
        return self.document_type in (DocumentType.CREDIT_NOTE, DocumentType.SIMPLIFIED_CREDIT_NOTE)

    @property
    def is_e_invoice(self) -> bool:
        """It came as a FatturaPA file: the XML is the invoice, the PDF a courtesy copy."""
        return bool(self.xml)

    def delivery_text(self) -> str:
        """What SdI's last receipt says, in a sentence for the customer."""
        when = format_long_date(self.delivery_at) if self.delivery_at else ""
        status = self.delivery_status
        if status == DeliveryStatus.NOT_DELIVERED:
            return gettext(
                "Non recapitata: la trovi nella tua area riservata Fatture e corrispettivi "
                "dell'Agenzia delle Entrate"
            )
        if status == DeliveryStatus.REJECTED:
            return gettext(
                "Scartata dal Sistema di Interscambio: questo documento non è una fattura "
                "valida e sarà sostituito"
            )
        if status == DeliveryStatus.UNKNOWN:
            return gettext("Esito della consegna non ancora ricevuto dal Sistema di Interscambio")
        if not when:
            return str(self.get_delivery_status_display())
        dated = {
            DeliveryStatus.DELIVERED: gettext("Consegnata il %(date)s"),
            DeliveryStatus.ACCEPTED: gettext("Accettata il %(date)s"),
            DeliveryStatus.REFUSED: gettext("Rifiutata il %(date)s"),
            DeliveryStatus.EXPIRED: gettext(
                "Consegnata; decorsi i termini per accettarla o rifiutarla il %(date)s"
            ),
        }
        return dated[DeliveryStatus(status)] % {"date": when}

    def list_url(self) -> str:
        """Where the customer finds this invoice: the list searched by its number and,
        for a utility's bill, on its supply point (the list follows the header's choice)."""
        query: dict[str, Any] = {"number": self.number}
        if self.supply_point_id is not None:
            query = {POINT_PARAMETER: self.supply_point_id} | query
        return f"{reverse('billing:invoices')}?{urlencode(query)}"

    def clean(self) -> None:
        if self.customer_id and self.company_id != self.customer.company_id:
            raise ValidationError({"customer": _("Il cliente appartiene a un'altra società.")})
        if self.date and self.company_id and self.date.year < self.company.first_invoice_year:
            raise ValidationError(
                {"date": _("La data precede il primo anno di fatturazione della società.")}
            )
