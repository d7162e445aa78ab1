"""What each kind of request carries in its ``payload``, and how it reads on a page.

The customer forms write these keys; the detail page and the back office show
them through ``typed_fields``, so both read the same data the same way.

* ``iban_change``: ``current_iban``, ``new_iban``, ``foreign`` (bool), ``effective_from``
* ``address_change``: ``current_address``, ``new_address``, ``effective_from``
* ``early_termination``: ``computed_on``, ``residual_capital_today``,
  ``last_instalment_number``, ``last_instalment_due``, ``capital_after``,
  ``residual_value``, ``indicative_payoff`` (amounts as decimal strings)
* ``pec_change``: ``current_pec``, ``new_pec``
* ``complaint`` of an energy seller (TIQV art. 8): ``name``, ``supply_address``,
  ``reply_address`` (postal or e-mail), ``service`` (``ComplaintService``),
  ``point_code`` (POD or PDR, may be empty), ``customer_code``
* ``data_discrepancy``: ``field`` (a key of ``customers.registry.REGISTRY_FIELDS``),
  ``current_value`` (as the portal showed it), ``correct_value``
* ``free``, a leasing ``complaint``, ``utility_ticket``: nothing beyond the
  message (the request type, the payment-service flag and the supply point
  are fields of the request; ``typed_fields`` shows a leasing complaint's
  flag and any request's supply point too)

Dates are ISO strings (``2026-03-31``), shown in the long form (``31/03/2026``);
IBANs are stored compact and shown in groups of four.

``capital_after`` is the capital share of the instalments after the last one
paid, *without* the residual value (shown on its own row): labelled so, lest it
read as the plan's residual capital (which includes the residual value).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sportello.core.templatetags.sportello import longdate, money
from sportello.customers.identifiers import format_iban
from sportello.customers.registry import REGISTRY_FIELDS

from .models import ComplaintService, RequestKind, ServiceRequest

_DATE, _MONEY, _TEXT, _FLAG, _IBAN, _SERVICE = "date", "money", "text", "flag", "iban", "service"
_REGISTRY_FIELD = "registry_field"

FIELDS: dict[str, list[tuple[str, Promise, str]]] = {
    RequestKind.IBAN_CHANGE: [
        ("current_iban", _("Codice IBAN attuale"), _IBAN),
        ("new_iban", _("Nuovo IBAN"), _IBAN),
        ("foreign", _("IBAN estero"), _FLAG),
        ("effective_from", _("A partire dal"), _DATE),
    ],
    RequestKind.ADDRESS_CHANGE: [
        ("current_address", _("Indirizzo attuale"), _TEXT),
        ("new_address", _("Nuovo indirizzo"), _TEXT),
        ("effective_from", _("A partire dal"), _DATE),
    ],
    RequestKind.DATA_DISCREPANCY: [
        ("field", _("Dato da correggere"), _REGISTRY_FIELD),
        ("current_value", _("Valore registrato"), _TEXT),
        ("correct_value", _("Valore corretto"), _TEXT),
    ],
    RequestKind.EARLY_TERMINATION: [
        ("computed_on", _("Calcolato il"), _DATE),
        ("residual_capital_today", _("Capitale residuo ad oggi"), _MONEY),
        ("last_instalment_number", _("Ultimo canone da pagare"), _TEXT),
        ("last_instalment_due", _("Scadenza dell'ultimo canone"), _DATE),
        ("capital_after", _("Quota capitale dei canoni successivi"), _MONEY),
        ("residual_value", _("Valore residuo (riscatto)"), _MONEY),
        ("indicative_payoff", _("Importo indicativo per l'estinzione"), _MONEY),
    ],
    RequestKind.PEC_CHANGE: [
        ("current_pec", _("PEC attuale"), _TEXT),
        ("new_pec", _("Nuova PEC"), _TEXT),
    ],
    # A leasing complaint has none of these keys: only an energy seller's has them.
    RequestKind.COMPLAINT: [
        ("name", _("Nome e cognome o denominazione"), _TEXT),
        ("supply_address", _("Indirizzo di fornitura"), _TEXT),
        ("reply_address", _("Indirizzo per la risposta"), _TEXT),
        ("service", _("Servizio"), _SERVICE),
        ("point_code", _("POD o PDR"), _TEXT),
        ("customer_code", _("Codice cliente"), _TEXT),
    ],
}


def _shown(value: Any, how: str) -> str:
    if how == _FLAG:
        return str(_("Sì") if value else _("No"))
    if how == _SERVICE and value in ComplaintService.values:
        return str(ComplaintService(value).label)
    if how == _REGISTRY_FIELD:
        return str(REGISTRY_FIELDS.get(str(value), value))
    if value in (None, ""):
        return "–"
    try:
        if how == _DATE:
            return longdate(dt.date.fromisoformat(str(value)))
        if how == _IBAN:
            return format_iban(str(value))
        if how == _MONEY:
            return money(Decimal(str(value)))
    except (ValueError, InvalidOperation):
        pass
    return str(value)


def typed_fields(request: ServiceRequest) -> list[tuple[str, str]]:
    """The request's typed data as (label, value) rows, in the active language.

    Read with the request's company and supply point (``select_related``).
    """
    rows = [
        (str(label), _shown(request.payload[key], how))
        for key, label, how in FIELDS.get(request.kind, [])
        if key in request.payload
    ]
    if request.is_complaint and request.company.is_leasing:
        rows.append(
            (str(_("Riguarda un servizio di pagamento")), _shown(request.is_payment_service, _FLAG))
        )
    if request.supply_point_id is not None and request.supply_point is not None:
        rows.insert(0, (str(_("Punto di fornitura")), str(request.supply_point)))
    if request.contract_id is not None and request.contract is not None:
        rows.insert(0, (str(_("Contratto")), request.contract.number))
    return rows
