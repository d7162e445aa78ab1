"""The tabular kinds of feed: one per object the portal shows (docs/feeds.md).

Each names its model's fields as columns, the references by code (always within
the importing company) and its natural key, the one the database holds unique.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sportello.billing.models import Invoice, ScheduleEntry
from sportello.core.models import Company
from sportello.customers.identifiers import clean_codice_fiscale, clean_iban, clean_partita_iva
from sportello.customers.models import Customer
from sportello.documents.models import Document, DocumentCategory
from sportello.energy.identifiers import identifier_problem
from sportello.energy.models import Consumption, Measure, ReadingWindow, SupplyPoint
from sportello.leasing.models import (
    Asset,
    CompanyReference,
    Contract,
    PlanInstalment,
    Product,
    ReferenceRate,
    Subsidy,
)

from .tabular import NEW_UUID, Reference, RowStep, TabularKind, now

Problems = Iterable[tuple[str, str, str]]
HALF_CENT = Decimal("0.005")


def _codes(model: type[Model], company_field: str = "company", code: str = "code") -> Any:
    def lookup(company: Company) -> dict[Any, int]:
        rows = model._default_manager.filter(**{company_field: company}).values_list(code, "pk")
        return dict(rows)

    return lookup


def _reference_data(model: type[CompanyReference]) -> Any:
    """Reference data the core system names by code: an unknown code is created,
    named by its code until operators name it in the back office."""

    def create(company: Company, code: str) -> int:
        row, _created = model._default_manager.get_or_create(
            company=company, code=code, defaults={"name_it": code, "name_en": ""}
        )
        return int(row.pk)

    return create


def _customer(required: bool = True) -> Reference:
    return Reference(
        "customer_code",
        "customer",
        _codes(Customer),
        required,
        gettext_lazy("Cliente sconosciuto per questa società."),
    )


def _contract(required: bool = True) -> Reference:
    return Reference(
        "contract_number",
        "contract",
        _codes(Contract, code="number"),
        required,
        gettext_lazy("Contratto sconosciuto per questa società."),
    )


def _supply_point() -> Reference:
    return Reference(
        "supply_point_code",
        "supply_point",
        _codes(SupplyPoint),
        True,
        gettext_lazy("Punto di fornitura (POD/PDR) sconosciuto per questa società."),
    )


# -- row checks ------------------------------------------------------------


def _canonical(row: dict[str, Any], name: str, clean: Any) -> Problems:
    if row.get(name):
        try:
            row[name] = clean(row[name])
        except ValidationError as error:
            yield name, error.code or "invalid", " ".join(str(m) for m in error.messages)


def _customer_check(row: dict[str, Any]) -> Problems:
    if not row["codice_fiscale"] and not row["partita_iva"]:
        yield "codice_fiscale", "tax_id", _("Serve il codice fiscale o la partita IVA.")
    yield from _canonical(row, "codice_fiscale", clean_codice_fiscale)
    yield from _canonical(row, "partita_iva", clean_partita_iva)


def _contract_check(row: dict[str, Any]) -> Problems:
    yield from _canonical(row, "payment_iban", clean_iban)
    if row["end_date"] < row["start_date"]:
        yield "end_date", "dates", _("La data termine precede la data inizio.")
    if row["amount"] <= 0:
        yield "amount", "positive", _("L'importo deve essere maggiore di zero.")
    for name in ("advance", "residual_value"):
        if row[name] < 0:
            yield name, "negative", _("L'importo non può essere negativo.")


def _plan_check(row: dict[str, Any]) -> Problems:
    if row["accrual_end"] < row["accrual_start"]:
        yield "accrual_end", "dates", _("La fine competenza precede l'inizio.")


def _schedule_check(row: dict[str, Any]) -> Problems:
    paid = row["paid"] if row["paid"] is not None else Decimal("0.00")
    if paid < 0:
        yield "paid", "negative", _("Il pagato non può essere negativo.")
    elif row["amount"] >= 0 and paid > row["amount"]:
        yield "paid", "paid_too_much", _("Il pagato supera l'importo.")


def _invoice_check(row: dict[str, Any]) -> Problems:
    if abs(row["total"] - row["taxable"] - row["vat"]) > HALF_CENT:
        yield "total", "total", _("Il totale non è imponibile + IVA.")


def _point_check(row: dict[str, Any]) -> Problems:
    problem = identifier_problem(row["commodity"], row["code"])
    if problem is not None:
        yield "code", "identifier", str(problem)
    if row["has_corrector"] and row["commodity"] != "gas":
        yield "has_corrector", "corrector", _("Il correttore c'è solo sui punti gas.")


def _consumption_check(row: dict[str, Any]) -> Problems:
    if not 1 <= row["month"] <= 12:
        yield "month", "month", _("Il mese va da 1 a 12.")


def _measure_check(row: dict[str, Any]) -> Problems:
    if row["interval_minutes"] not in (15, 60):
        yield "interval_minutes", "interval", _("Intervallo di 15 o 60 minuti.")


def _window_check(row: dict[str, Any]) -> Problems:
    if row["closes_at"] <= row["opens_at"]:
        yield "closes_at", "dates", _("La chiusura deve seguire l'apertura.")


def _document_check(row: dict[str, Any]) -> Problems:
    if not row["code"]:
        yield "code", "required", _("Dato obbligatorio mancante.")
    if row["contract"] is not None and row["customer"] is None:
        yield "customer_code", "required", _("Un documento di contratto va legato al suo cliente.")
    elif row["category"] == DocumentCategory.MINE and row["customer"] is None:
        yield (
            "customer_code",
            "required",
            _("Un documento «I miei documenti» va legato a un cliente."),
        )


def _document_contract(company: Company) -> RowStep:
    """A contract's document belongs to that contract's customer (``Document.clean``)."""
    holders = dict(Contract.objects.filter(company=company).values_list("pk", "customer_id"))

    def step(row: dict[str, Any]) -> Problems:
        if row["contract"] is not None and holders[row["contract"]] != row["customer"]:
            yield "contract_number", "other_customer", _("Il contratto è di un altro cliente.")

    return step


#: Rows of documents; their files come with them in a ZIP (``archives``).
DOCUMENTS = TabularKind(
    name="documents",
    label=gettext_lazy("Documenti"),
    model=Document,
    references=[_customer(required=False), _contract(required=False)],
    fields=["code", "category", "title", "file", "original_name", "published_on"],
    optional=["original_name"],
    key=["company", "code"],
    # Documents an operator uploaded have no code and are never matched.
    conflict_where="NOT (code = '')",
    check=_document_check,
    complete=_document_contract,
    on_insert={"uid": NEW_UUID},
)

TABULAR = [
    TabularKind(
        name="customers",
        label=gettext_lazy("Clienti"),
        model=Customer,
        fields=[
            "code",
            "kind",
            "name",
            "codice_fiscale",
            "partita_iva",
            "address",
            "postcode",
            "city",
            "province",
            "pec",
            "email",
            "phone",
            "fax",
            "paper_invoices",
        ],
        key=["company", "code"],
        check=_customer_check,
    ),
    TabularKind(
        name="contracts",
        label=gettext_lazy("Contratti"),
        model=Contract,
        references=[
            _customer(),
            Reference("product_code", "product", _codes(Product), create=_reference_data(Product)),
            Reference(
                "reference_rate_code",
                "reference_rate",
                _codes(ReferenceRate),
                required=False,
                create=_reference_data(ReferenceRate),
            ),
            Reference(
                "subsidy_code",
                "subsidy",
                _codes(Subsidy),
                required=False,
                create=_reference_data(Subsidy),
            ),
        ],
        fields=[
            "number",
            "module_number",
            "status",
            "stipulated_on",
            "start_date",
            "end_date",
            "amount",
            "first_instalment",
            "advance",
            "residual_value",
            "periodicity",
            "instalment_count",
            "instalment_amount",
            "duration_months",
            "beneficiary_code",
            "beneficiary_name",
            "payment_iban",
        ],
        key=["company", "number"],
        check=_contract_check,
    ),
    TabularKind(
        name="plan",
        label=gettext_lazy("Piano di ammortamento"),
        model=PlanInstalment,
        company_field=None,
        references=[_contract()],
        fields=[
            "number",
            "due_date",
            "kind",
            "amount",
            "capital_share",
            "interest_share",
            "residual_capital",
            "payment_method",
            "accrual_start",
            "accrual_end",
            "collection_date",
        ],
        key=["contract", "number", "kind", "due_date"],
        check=_plan_check,
    ),
    TabularKind(
        name="schedule",
        label=gettext_lazy("Scadenziario"),
        model=ScheduleEntry,
        company_field=None,
        references=[_contract()],
        fields=[
            "due_date",
            "instalment_number",
            "reason",
            "payment_method",
            "amount",
            "paid",
            "paid_on",
        ],
        # The core system's causale is kept as sent, also one the portal does not know yet.
        open_choices=["reason"],
        key=["contract", "due_date", "instalment_number", "reason"],
        check=_schedule_check,
    ),
    TabularKind(
        name="assets",
        label=gettext_lazy("Beni in locazione"),
        model=Asset,
        company_field=None,
        references=[_contract()],
        fields=[
            "code",
            "asset_type",
            "financial_value",
            "future_value",
            "description",
            "lease_end",
        ],
        key=["contract", "code"],
    ),
    TabularKind(
        name="invoices",
        label=gettext_lazy("Fatture (dati)"),
        model=Invoice,
        references=[
            _customer(),
            Reference(
                "supply_point_code",
                "supply_point",
                _codes(SupplyPoint),
                required=False,
                message=gettext_lazy(
                    "Punto di fornitura (POD/PDR) sconosciuto per questa società."
                ),
            ),
        ],
        fields=["number", "date", "document_type", "taxable", "vat", "total"],
        derived={"year": lambda row: row["date"].year},
        key=["company", "document_type", "number", "year"],
        check=_invoice_check,
        on_insert={"uid": NEW_UUID, "published_at": now},
    ),
    TabularKind(
        name="supply_points",
        label=gettext_lazy("Punti di fornitura"),
        model=SupplyPoint,
        references=[_customer()],
        fields=[
            "number",
            "code",
            "commodity",
            "address",
            "active_from",
            "annual_consumption",
            "distributor",
            "meter_number",
            "voltage",
            "contracted_power",
            "available_power",
            "has_time_bands",
            "meter_class",
            "has_corrector",
            "corrector_number",
            "remi_code",
            "usage",
            "offer",
            "market",
            "contract_start",
            "billing_frequency",
            "payment_method",
        ],
        key=["company", "code"],
        check=_point_check,
    ),
    TabularKind(
        name="consumption",
        label=gettext_lazy("Prelievi fatturati"),
        model=Consumption,
        company_field=None,
        references=[_supply_point()],
        fields=[
            "year",
            "month",
            "energy",
            "power",
            "energy_f1",
            "energy_f2",
            "energy_f3",
            "is_estimated",
        ],
        key=["supply_point", "year", "month"],
        check=_consumption_check,
    ),
    TabularKind(
        name="measures",
        label=gettext_lazy("Misure elettriche"),
        model=Measure,
        company_field=None,
        references=[_supply_point()],
        fields=[
            "measured_at",
            "interval_minutes",
            "active_energy",
            "reactive_energy",
            "peak_power",
        ],
        key=["supply_point", "measured_at"],
        check=_measure_check,
    ),
    TabularKind(
        name="reading_windows",
        label=gettext_lazy("Finestre di autolettura"),
        model=ReadingWindow,
        fields=["commodity", "opens_at", "closes_at"],
        key=["company", "commodity", "opens_at"],
        check=_window_check,
    ),
]
