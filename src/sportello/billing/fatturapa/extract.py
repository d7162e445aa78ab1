"""What the portal keeps of each FatturaElettronicaBody of a schema-valid file.

Both formats are read: the ordinary one (FatturaElettronica, FPA12/FPR12) and
the simplified one (FatturaElettronicaSemplificata, FSM10). The tree must have
passed :func:`.xml.validation_errors`: the elements the schema requires are
taken as present.

Figures. The ordinary format's ``DatiRiepilogo`` lines are the fiscal summary:
taxable is the sum of their ``ImponibileImporto``, VAT the sum of their
``Imposta``, and the total is taxable + VAT, which the model's constraint
requires. ``ImportoTotaleDocumento`` is optional and may also carry the
rounding (``Arrotondamento``) or the stamp duty, so it is not stored: the
rendered XML shows it to the customer as issued. In the simplified format
``Importo`` includes VAT; its ``Imposta`` is given or, with only the rate
(``Aliquota``), computed as ``Importo × rate / (100 + rate)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from lxml import etree

CENT = Decimal("0.01")


@dataclass(frozen=True)
class BodyData:
    """One invoice of a file: its body's place (1 for the first) and what the portal stores."""

    body: int
    document_type: str
    number: str
    date: dt.date
    taxable: Decimal
    vat: Decimal
    #: The buyer's partita IVA (an Italian IdFiscaleIVA), if given.
    partita_iva: str
    #: The buyer's codice fiscale, if given.
    codice_fiscale: str
    #: DatiContratto/IdDocumento: the contracts the invoice refers to.
    contract_numbers: tuple[str, ...]

    @property
    def total(self) -> Decimal:
        return self.taxable + self.vat


def bodies(tree: etree._ElementTree) -> list[BodyData]:
    """Each body of the file, in the file's order."""
    root = tree.getroot()
    simplified = etree.QName(root).localname == "FatturaElettronicaSemplificata"
    buyer = root.find(
        "FatturaElettronicaHeader/CessionarioCommittente/"
        + ("IdentificativiFiscali" if simplified else "DatiAnagrafici")
    )
    partita_iva, codice_fiscale = _buyer_ids(buyer)
    found = []
    for index, body in enumerate(root.iterfind("FatturaElettronicaBody"), start=1):
        document = body.find("DatiGenerali/DatiGeneraliDocumento")
        taxable, vat = _simplified_figures(body) if simplified else _figures(body)
        found.append(
            BodyData(
                body=index,
                document_type=_text(document, "TipoDocumento"),
                number=_text(document, "Numero"),
                date=dt.date.fromisoformat(_text(document, "Data")),
                taxable=taxable,
                vat=vat,
                partita_iva=partita_iva,
                codice_fiscale=codice_fiscale,
                contract_numbers=tuple(
                    dict.fromkeys(
                        number
                        for element in body.iterfind("DatiGenerali/DatiContratto/IdDocumento")
                        if (number := (element.text or "").strip())
                    )
                ),
            )
        )
    return found


def _buyer_ids(buyer: etree._Element | None) -> tuple[str, str]:
    if buyer is None:
        return "", ""
    partita_iva = ""
    # Only an Italian IdFiscaleIVA is a partita IVA.
    if _text(buyer, "IdFiscaleIVA/IdPaese").upper() == "IT":
        partita_iva = _text(buyer, "IdFiscaleIVA/IdCodice").upper().removeprefix("IT")
    return partita_iva, _text(buyer, "CodiceFiscale").upper()


def _figures(body: etree._Element) -> tuple[Decimal, Decimal]:
    summary = body.findall("DatiBeniServizi/DatiRiepilogo")
    taxable = sum((_amount(line, "ImponibileImporto") for line in summary), Decimal(0))
    vat = sum((_amount(line, "Imposta") for line in summary), Decimal(0))
    return taxable.quantize(CENT), vat.quantize(CENT)


def _simplified_figures(body: etree._Element) -> tuple[Decimal, Decimal]:
    gross = Decimal(0)
    vat = Decimal(0)
    for line in body.iterfind("DatiBeniServizi"):
        amount = _amount(line, "Importo")
        gross += amount
        if line.find("DatiIVA/Imposta") is not None:
            vat += _amount(line, "DatiIVA/Imposta")
        elif line.find("DatiIVA/Aliquota") is not None:
            rate = _amount(line, "DatiIVA/Aliquota")
            vat += (amount * rate / (100 + rate)).quantize(CENT, ROUND_HALF_UP)
    return (gross - vat).quantize(CENT), vat.quantize(CENT)


def _text(element: etree._Element | None, path: str) -> str:
    if element is None:
        return ""
    return (element.findtext(path) or "").strip()


def _amount(element: etree._Element, path: str) -> Decimal:
    try:
        return Decimal(_text(element, path) or "0")
    except InvalidOperation:
        return Decimal(0)
