"""FatturaPA invoices and SdI's receipts, imported by file.

A FatturaPA file (``.xml``, a signed ``.xml.p7m``, or a ZIP of them) becomes
one invoice per ``FatturaElettronicaBody``, tied to the company's customer the
``CessionarioCommittente`` names. Its invoices are upserted on the natural key
(company, document type, number, year), so the same file imported twice
changes nothing. An SdI receipt sets the delivery status of the invoices of the
file it names.

The XML is kept once per content, under its SHA-256 in the company's folder:
the bodies of one file share it, and a re-import finds the very name again. It
is written only when the file had no error, so a rejected file leaves nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sportello.billing.fatturapa import containers, extract, receipts
from sportello.billing.fatturapa.xml import InvalidFile, located_validation_errors, parse
from sportello.billing.models import DeliveryStatus, DocumentType, Invoice
from sportello.core.models import Company
from sportello.customers.models import Customer
from sportello.leasing.models import Contract

from ..services import FeedKind, Outcome, Rejection

#: The longest name SdI gives a file (and Invoice.sdi_file_name holds).
SDI_FILE_NAME_LENGTH = 60


@dataclass
class _PendingFile:
    name: str
    content: bytes


def load_fatturapa(company: Company, source: IO[bytes], *, file_name: str) -> Outcome:
    """One invoice per body of each FatturaPA file in ``source``, all or nothing."""
    outcome = Outcome()
    pending: dict[str, _PendingFile] = {}
    row = 0
    for name, data in _files(source, file_name, outcome):
        row = _load_invoice_file(company, name, data, outcome, pending, first_row=row)
    if not outcome.errors:
        for stored in pending.values():
            if not default_storage.exists(stored.name):
                default_storage.save(stored.name, ContentFile(stored.content))
    return outcome


def load_sdi_receipts(company: Company, source: IO[bytes], *, file_name: str) -> Outcome:
    """The delivery status of the company's invoices each receipt in ``source`` names."""
    outcome = Outcome()
    for row, (name, data) in enumerate(_files(source, file_name, outcome), start=1):
        outcome.rows += 1
        try:
            receipt = receipts.read_receipt(containers.unwrap(data))
        except InvalidFile as error:
            outcome.reject(Rejection(row, "", name, "file", str(error)))
            continue
        _apply_receipt(company, receipt, row, outcome)
    return outcome


def _files(source: IO[bytes], file_name: str, outcome: Outcome) -> Iterator[tuple[str, bytes]]:
    data = source.read(containers.MAX_BYTES + 1)
    if len(data) > containers.MAX_BYTES:
        outcome.reject(Rejection(0, "", file_name, "size", _("Il file è troppo grande.")))
        return
    if not containers.is_zip(data):
        yield _base_name(file_name), data
        return
    try:
        yield from containers.zip_members(data)
    except InvalidFile as error:
        outcome.reject(Rejection(0, "", file_name, "file", str(error)))


def _base_name(file_name: str) -> str:
    return file_name.replace("\\", "/").rsplit("/", 1)[-1]


def _load_invoice_file(
    company: Company,
    name: str,
    data: bytes,
    outcome: Outcome,
    pending: dict[str, _PendingFile],
    *,
    first_row: int,
) -> int:
    """Load one file's bodies as rows ``first_row + 1``…; the last row used."""
    try:
        content = containers.unwrap(data)
        tree = parse(content)
    except InvalidFile as error:
        outcome.reject(Rejection(0, "", name, "file", str(error)))
        return first_row
    errors = located_validation_errors(tree)
    for path, message in errors:
        outcome.reject(Rejection(0, path, name, "xsd", message))
    if errors:
        return first_row
    stored_name = f"invoices/{company.pk}/fatturapa/{hashlib.sha256(content).hexdigest()}.xml"
    pending[stored_name] = _PendingFile(stored_name, content)
    row = first_row
    found = extract.bodies(tree)
    # The buyer is in the file's header: one for all its bodies.
    customer = _buyer(company, found[0], name) if found else None
    for body in found:
        row += 1
        outcome.rows += 1
        if isinstance(customer, Rejection):
            outcome.reject(replace(customer, row=row))
        elif customer is not None:
            _upsert_invoice(company, customer, body, name, stored_name, row, outcome)
    return row


def _buyer(company: Company, body: extract.BodyData, name: str) -> Customer | Rejection:
    """The company's one customer the file's CessionarioCommittente names, or why not
    (a rejection of row 0: each body of the file is rejected with it)."""
    column = "CessionarioCommittente"
    if not body.partita_iva and not body.codice_fiscale:
        message = _("Il cessionario/committente non ha partita IVA né codice fiscale.")
        return Rejection(0, column, name, "customer", message)
    # The partita IVA first; a company's codice fiscale is often its partita IVA.
    attempts = []
    if body.partita_iva:
        attempts.append(Q(partita_iva=body.partita_iva))
    if body.codice_fiscale:
        by_code = Q(codice_fiscale=body.codice_fiscale)
        if body.codice_fiscale.isdigit():
            by_code |= Q(partita_iva=body.codice_fiscale)
        attempts.append(by_code)
    value = " / ".join(filter(None, (body.partita_iva, body.codice_fiscale)))
    for condition in attempts:
        customers = list(Customer.objects.filter(condition, company=company)[:2])
        if len(customers) == 1:
            return customers[0]
        if customers:
            message = _("Più clienti della società hanno questa partita IVA o codice fiscale.")
            return Rejection(0, column, value, "customer_ambiguous", message)
    message = _("Nessun cliente della società ha questa partita IVA o codice fiscale.")
    return Rejection(0, column, value, "customer", message)


def _same_xml(invoice: Invoice, stored_name: str) -> bool:
    """Whether the invoice already keeps this very XML (under this name, or under
    another one with the same content: the demo's, or an older naming)."""
    if not invoice.xml.name:
        return False
    if invoice.xml.name == stored_name:
        return True
    digest = stored_name.rsplit("/", 1)[-1].removesuffix(".xml")
    try:
        with invoice.xml.open("rb") as kept:
            return hashlib.sha256(kept.read()).hexdigest() == digest
    except OSError:
        return False


def _upsert_invoice(
    company: Company,
    customer: Customer,
    body: extract.BodyData,
    file_name: str,
    stored_name: str,
    row: int,
    outcome: Outcome,
) -> None:
    if body.document_type not in DocumentType.values:
        outcome.reject(
            Rejection(
                row,
                "DatiGeneraliDocumento/TipoDocumento",
                body.document_type,
                "document_type",
                _("Il tipo documento %(type)s non è tra quelli che il portale mostra ai clienti.")
                % {"type": body.document_type},
            )
        )
        return
    invoice = Invoice.objects.filter(
        company=company,
        document_type=body.document_type,
        number=body.number,
        year=body.date.year,
    ).first()
    contracts = set(
        Contract.objects.filter(
            company=company, customer=customer, number__in=body.contract_numbers
        ).values_list("pk", flat=True)
    )
    values = {
        "customer_id": customer.pk,
        "date": body.date,
        "taxable": body.taxable,
        "vat": body.vat,
        "total": body.total,
        "xml_body": body.body,
        "sdi_file_name": file_name if len(file_name) <= SDI_FILE_NAME_LENGTH else "",
    }
    if invoice is None:
        invoice = Invoice(
            company=company,
            document_type=body.document_type,
            number=body.number,
            published_at=timezone.now(),
            **values,
        )
        created = True
    else:
        same = all(getattr(invoice, field) == value for field, value in values.items())
        old_contracts = set(invoice.contracts.values_list("pk", flat=True))
        # A file that names none of the customer's contracts leaves the links the
        # invoice has (a feed or the demo made them); one that names some sets them.
        if not contracts:
            contracts = old_contracts
        if same and _same_xml(invoice, stored_name) and old_contracts == contracts:
            outcome.unchanged += 1
            return
        for field, value in values.items():
            setattr(invoice, field, value)
        created = False
    if not _same_xml(invoice, stored_name):
        invoice.xml.name = stored_name
    try:
        invoice.clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                outcome.reject(
                    Rejection(row, field, str(getattr(invoice, field, "")), "invalid", message)
                )
        return
    invoice.save()
    invoice.contracts.set(contracts)
    if created:
        outcome.created += 1
    else:
        outcome.updated += 1


#: How far along SdI's sequence each status is: delivery (or not), then the outcome.
_STAGE: dict[str, int] = {
    DeliveryStatus.UNKNOWN: 0,
    DeliveryStatus.NOT_DELIVERED: 1,
    DeliveryStatus.DELIVERED: 1,
    DeliveryStatus.REJECTED: 2,
    DeliveryStatus.ACCEPTED: 2,
    DeliveryStatus.REFUSED: 2,
    DeliveryStatus.EXPIRED: 2,
}


def _apply_receipt(company: Company, receipt: receipts.Receipt, row: int, outcome: Outcome) -> None:
    invoices = Invoice.objects.filter(company=company, sdi_file_name=receipt.file_name)
    if receipt.body is not None:
        invoices = invoices.filter(xml_body=receipt.body)
    found = list(invoices.order_by("xml_body", "pk"))
    if not found:
        outcome.reject(
            Rejection(
                row,
                "NomeFile",
                receipt.file_name,
                "invoice",
                _("Nessuna fattura della società proviene dal file indicato dalla ricevuta."),
            )
        )
        return
    now = timezone.now()
    for invoice in found:
        if _STAGE[receipt.status] < _STAGE[invoice.delivery_status]:
            # A receipt imported late (an RC after the PA's outcome) does not undo a later one.
            outcome.unchanged += 1
            continue
        if (
            invoice.delivery_status == receipt.status
            and invoice.sdi_identifier == receipt.sdi_identifier
            and (receipt.at is None or invoice.delivery_at == receipt.at)
        ):
            outcome.unchanged += 1
            continue
        if receipt.at is not None:
            invoice.delivery_at = receipt.at
        elif invoice.delivery_status != receipt.status:
            invoice.delivery_at = now
        invoice.delivery_status = receipt.status
        invoice.sdi_identifier = receipt.sdi_identifier
        invoice.save(update_fields=["delivery_status", "delivery_at", "sdi_identifier"])
        outcome.updated += 1


KINDS = {
    "fatturapa": FeedKind(
        "fatturapa", gettext_lazy("Fatture elettroniche (FatturaPA)"), load_fatturapa
    ),
    "sdi_receipts": FeedKind(
        "sdi_receipts", gettext_lazy("Ricevute e notifiche SdI"), load_sdi_receipts
    ),
}
