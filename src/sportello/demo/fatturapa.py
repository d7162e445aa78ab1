"""The demo companies' invoices as the FatturaPA files their core systems would send.

Each demo invoice becomes an ordinary e-invoice (FPR12, one body) that the
official XSD accepts: the company is the CedentePrestatore, the customer the
CessionarioCommittente (partita IVA and/or codice fiscale), the lines add up to
the invoice's taxable amount and DatiRiepilogo gives its taxable amount and VAT
exactly, as the portal shows them. A credit note is a TD04 with positive
amounts, as the Agenzia's rules want.

The tree is built with lxml, which escapes every value; the texts are reduced
to Latin-1, the only characters the schema allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from lxml import etree
from stdnum import luhn

from sportello.billing.models import Invoice
from sportello.customers.models import Customer, PersonKind

NAMESPACE = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"
#: The VAT rates a demo line may carry; the one nearest the invoice's VAT is named.
RATES = (Decimal("22"), Decimal("10"), Decimal("5"), Decimal("4"))
CENT = Decimal("0.01")
#: Characters outside Latin-1 that the demo's texts use, and what the file says instead.
PLAIN = str.maketrans({"–": "-", "—": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "…": "..."})


@dataclass(frozen=True)
class Seller:
    """A company as the CedentePrestatore of its invoices."""

    name: str
    vat_number: str
    address: str
    postcode: str
    city: str
    province: str

    @classmethod
    def with_check_digit(cls, name: str, vat_body: str, *seat: str) -> Seller:
        """``vat_body`` is the partita IVA's first ten digits; the check digit is computed."""
        address, postcode, city, province = seat
        return cls(
            name, vat_body + luhn.calc_check_digit(vat_body), address, postcode, city, province
        )


@dataclass(frozen=True)
class Line:
    """One DettaglioLinee: a description and its taxable amount."""

    description: str
    amount: Decimal


def latin(text: str, limit: int) -> str:
    """``text`` as the schema's Latin-1 string types accept it, cut to ``limit``."""
    plain = text.translate(PLAIN).encode("latin-1", "replace").decode("latin-1")
    return " ".join(plain.split())[:limit] or "-"


def vat_rate(invoice: Invoice) -> Decimal:
    """The rate (22, 10, …) whose VAT is nearest the invoice's."""
    if not invoice.taxable:
        return RATES[0]
    actual = invoice.vat * 100 / invoice.taxable
    return min(RATES, key=lambda rate: abs(rate - actual))


def amount(value: Decimal) -> str:
    return str(value.quantize(CENT))


def _add(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def _seat(parent: etree._Element, address: str, postcode: str, city: str, province: str) -> None:
    seat = _add(parent, "Sede")
    _add(seat, "Indirizzo", latin(address, 60))
    _add(seat, "CAP", postcode)
    _add(seat, "Comune", latin(city, 60))
    _add(seat, "Provincia", province.upper())
    _add(seat, "Nazione", "IT")


def _buyer(header: etree._Element, customer: Customer) -> None:
    buyer = _add(header, "CessionarioCommittente")
    data = _add(buyer, "DatiAnagrafici")
    if customer.partita_iva:
        vat = _add(data, "IdFiscaleIVA")
        _add(vat, "IdPaese", "IT")
        _add(vat, "IdCodice", customer.partita_iva)
    if customer.codice_fiscale:
        _add(data, "CodiceFiscale", customer.codice_fiscale.upper())
    _add(_add(data, "Anagrafica"), "Denominazione", latin(customer.name, 80))
    _seat(buyer, customer.address, customer.postcode, customer.city, customer.province)


def progressive(sequence: int) -> str:
    """ProgressivoInvio and the file name's suffix: five base-36 characters."""
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    text = ""
    for _ in range(5):
        sequence, digit = divmod(sequence, 36)
        text = digits[digit] + text
    return text


def sdi_file_name(seller: Seller, sequence: int) -> str:
    return f"IT{seller.vat_number}_{progressive(sequence)}.xml"


def fatturapa_xml(
    invoice: Invoice, customer: Customer, seller: Seller, lines: Sequence[Line], sequence: int
) -> bytes:
    """The FPR12 file of ``invoice`` (one body), sent as the ``sequence``-th file."""
    if sum((line.amount for line in lines), Decimal(0)) != invoice.taxable:
        raise ValueError(f"The lines of {invoice.number} do not add up to its taxable amount.")
    rate = amount(vat_rate(invoice))
    root = etree.Element(f"{{{NAMESPACE}}}FatturaElettronica", nsmap={"p": NAMESPACE})
    root.set("versione", "FPR12")
    header = _add(root, "FatturaElettronicaHeader")
    transmission = _add(header, "DatiTrasmissione")
    sender = _add(transmission, "IdTrasmittente")
    _add(sender, "IdPaese", "IT")
    _add(sender, "IdCodice", seller.vat_number)
    _add(transmission, "ProgressivoInvio", progressive(sequence))
    _add(transmission, "FormatoTrasmissione", "FPR12")
    # A consumer has no recipient code: SdI files the invoice in its reserved area.
    _add(transmission, "CodiceDestinatario", "0000000")
    if customer.kind == PersonKind.LEGAL and customer.pec:
        _add(transmission, "PECDestinatario", customer.pec)

    data = _add(_add(header, "CedentePrestatore"), "DatiAnagrafici")
    vat = _add(data, "IdFiscaleIVA")
    _add(vat, "IdPaese", "IT")
    _add(vat, "IdCodice", seller.vat_number)
    _add(_add(data, "Anagrafica"), "Denominazione", latin(seller.name, 80))
    _add(data, "RegimeFiscale", "RF01")
    seller_element = data.getparent()
    assert seller_element is not None
    _seat(seller_element, seller.address, seller.postcode, seller.city, seller.province)
    _buyer(header, customer)

    body = _add(root, "FatturaElettronicaBody")
    document = _add(_add(body, "DatiGenerali"), "DatiGeneraliDocumento")
    _add(document, "TipoDocumento", invoice.document_type)
    _add(document, "Divisa", "EUR")
    _add(document, "Data", invoice.date.isoformat())
    _add(document, "Numero", invoice.number)
    _add(document, "ImportoTotaleDocumento", amount(invoice.total))
    goods = _add(body, "DatiBeniServizi")
    for number, line in enumerate(lines, start=1):
        detail = _add(goods, "DettaglioLinee")
        _add(detail, "NumeroLinea", str(number))
        _add(detail, "Descrizione", latin(line.description, 1000))
        _add(detail, "PrezzoUnitario", amount(line.amount))
        _add(detail, "PrezzoTotale", amount(line.amount))
        _add(detail, "AliquotaIVA", rate)
    summary = _add(goods, "DatiRiepilogo")
    _add(summary, "AliquotaIVA", rate)
    _add(summary, "ImponibileImporto", amount(invoice.taxable))
    _add(summary, "Imposta", amount(invoice.vat))
    _add(summary, "EsigibilitaIVA", "I")
    xml: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return xml
