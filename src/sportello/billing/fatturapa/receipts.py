"""SdI's receipts and notices about a transmitted file (MessaggiTypes v1.1).

Each names the file it is about (``NomeFile``) and SdI's identity of it
(``IdentificativoSdI``). What each says of the invoices in that file:

====  ==============================  ===================================
RC    RicevutaConsegna                delivered, at DataOraConsegna
MC    NotificaMancataConsegna         not delivered (the invoice waits in
                                      the buyer's area of the Agenzia
                                      delle Entrate), at DataOraRicezione
AT    AttestazioneTrasmissioneFattura the same, for a public buyer
NS    NotificaScarto                  rejected by SdI, at DataOraRicezione
NE    NotificaEsito                   EC01 accepted / EC02 refused by the
                                      public buyer, for one body when it
                                      names PosizioneFattura
DT    NotificaDecorrenzaTermini       the public buyer let the 15 days pass
====  ==============================  ===================================

NE and DT carry no date: the time they are imported stands for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from ..models import DeliveryStatus
from .xml import InvalidFile, parse

ROME = ZoneInfo("Europe/Rome")
NAMESPACE = "http://www.fatturapa.gov.it/sdi/messaggi/v1.0"

#: The status each receipt sets and the element holding its time (if any).
KINDS: dict[str, tuple[str, DeliveryStatus | None, str]] = {
    "RicevutaConsegna": ("RC", DeliveryStatus.DELIVERED, "DataOraConsegna"),
    "NotificaMancataConsegna": ("MC", DeliveryStatus.NOT_DELIVERED, "DataOraRicezione"),
    "AttestazioneTrasmissioneFattura": ("AT", DeliveryStatus.NOT_DELIVERED, "DataOraRicezione"),
    "NotificaScarto": ("NS", DeliveryStatus.REJECTED, "DataOraRicezione"),
    # NE's status is in its EsitoCommittente.
    "NotificaEsito": ("NE", None, ""),
    "NotificaDecorrenzaTermini": ("DT", DeliveryStatus.EXPIRED, ""),
}
#: Invoice.sdi_identifier's length.
SDI_IDENTIFIER_LENGTH = 20
OUTCOMES = {"EC01": DeliveryStatus.ACCEPTED, "EC02": DeliveryStatus.REFUSED}


@dataclass(frozen=True)
class Receipt:
    """What one receipt says: of which file, which status, since when."""

    kind: str
    file_name: str
    sdi_identifier: str
    status: DeliveryStatus
    at: dt.datetime | None
    #: The body the receipt is about (NE/DT's PosizioneFattura); None for the whole file.
    body: int | None = None


def read_receipt(data: bytes) -> Receipt:
    """The receipt in ``data``; :class:`InvalidFile` when it is none of SdI's."""
    root = parse(data).getroot()
    name = etree.QName(root)
    if name.namespace != NAMESPACE or name.localname not in KINDS:
        raise InvalidFile(_("Il file non è una ricevuta o una notifica SdI riconosciuta."))
    kind, status, time_element = KINDS[name.localname]
    if status is None:
        outcome = _text(root, "EsitoCommittente/Esito")
        if outcome not in OUTCOMES:
            raise InvalidFile(_("L'esito del committente non è EC01 né EC02."))
        status = OUTCOMES[outcome]
    file_name = _text(root, "NomeFile")
    if not file_name:
        raise InvalidFile(_("La ricevuta non indica il nome del file (NomeFile)."))
    identifier = _text(root, "IdentificativoSdI")
    if not identifier.isdigit() or len(identifier) > SDI_IDENTIFIER_LENGTH:
        raise InvalidFile(_("L'identificativo SdI della ricevuta non è valido."))
    position = _text(root, "EsitoCommittente/RiferimentoFattura/PosizioneFattura") or _text(
        root, "RiferimentoFattura/PosizioneFattura"
    )
    return Receipt(
        kind=kind,
        file_name=file_name,
        sdi_identifier=identifier,
        status=status,
        at=_datetime(_text(root, time_element)) if time_element else None,
        body=int(position) if position.isdigit() else None,
    )


def _text(root: etree._Element, path: str) -> str:
    # The receipt's own children are unqualified, as in SdI's samples.
    return (root.findtext(path) or "").strip()


def _datetime(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidFile(
            _("La data della ricevuta non è leggibile: %(value)s") % {"value": value}
        ) from None
    # SdI writes Italian local time, with or without its offset.
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=ROME)
