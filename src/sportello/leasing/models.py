"""Leasing contracts, their assets, amortisation plans and transparency statements.

Every figure comes from the company's core system; the portal only derives
totals from what was imported.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sportello.core.fields import money_field
from sportello.core.models import Company
from sportello.core.scoping import OwnedQuerySet
from sportello.customers.models import Customer


class ContractQuerySet(OwnedQuerySet["Contract"]):
    def active(self) -> ContractQuerySet:
        return self.filter(status=ContractStatus.ACTIVE)


_ContractManagerBase = models.Manager.from_queryset(ContractQuerySet)


class ContractManager(_ContractManagerBase["Contract"]):
    """Contracts with their reference data (product, rate, subsidy) in the same query:
    every page that names a contract shows its product, so no page pays a query per row."""

    def get_queryset(self) -> ContractQuerySet:
        queryset = super().get_queryset().select_related("product", "reference_rate", "subsidy")
        assert isinstance(queryset, ContractQuerySet)
        return queryset


class ContractOwnedQuerySet[M: models.Model](OwnedQuerySet[M]):
    customer_path = "contract__customer"


class ContractStatus(models.TextChoices):
    ACTIVE = "active", _("Attivo")
    EXTINCT = "extinct", _("Estinto")


class Periodicity(models.IntegerChoices):
    MONTHLY = 1, _("Mensile")
    BIMONTHLY = 2, _("Bimestrale")
    QUARTERLY = 3, _("Trimestrale")
    HALF_YEARLY = 6, _("Semestrale")
    YEARLY = 12, _("Annuale")


class PaymentMethod(models.TextChoices):
    SEPA = "sepa", _("Addebito in c/c tramite SEPA")
    TRANSFER = "transfer", _("Bonifico bancario")
    BANK_SLIP = "riba", _("Ri.Ba.")


class PaymentReason(models.TextChoices):
    """The causali of the payment schedule and of a contract's first instalment.

    The stored codes are stable (imports and the API send them); the labels are
    what the customer reads, in their language. A schedule row of the plan has
    the code of its plan kind (``InstalmentKind``), so the two read alike.
    """

    ADVANCE = "advance", _("Anticipo")
    INSTALMENT = "instalment", _("Canone")
    INDEXATION = "indexation", _("Indicizzazione")
    RESIDUAL = "residual", _("Valore residuo")
    COLLECTION_FEES = "collection_fees", _("Spese di incasso")


class CompanyReference(models.Model):
    """Reference data of a company's core system, named in Italian and English.

    The core system gives a code; the company's operators keep the two names in
    the back office. Printed as the name in the active language.
    """

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="+", verbose_name=_("società")
    )
    code = models.CharField(
        _("codice"), max_length=40, help_text=_("Il codice del sistema gestionale.")
    )
    name_it = models.CharField(_("nome (italiano)"), max_length=120)
    name_en = models.CharField(_("nome (inglese)"), max_length=120)

    class Meta:
        abstract = True
        ordering = ["company", "name_it"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "code"], name="%(app_label)s_%(class)s_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name(get_language() or "it")

    def name(self, language: str) -> str:
        """The name in ``language`` ("it", "en"), the Italian one when English is missing."""
        return self.name_en if language.startswith("en") and self.name_en else self.name_it


class Product(CompanyReference):
    """A leasing product (e.g. «Leasing targato»)."""

    class Meta(CompanyReference.Meta):
        verbose_name = _("prodotto")
        verbose_name_plural = _("prodotti")


class ReferenceRate(CompanyReference):
    """A contract's reference rate (e.g. «Tasso fisso», «Euribor 3 m.l. (div.360)»)."""

    class Meta(CompanyReference.Meta):
        verbose_name = _("tasso di riferimento")
        verbose_name_plural = _("tassi di riferimento")


class Subsidy(CompanyReference):
    """A public subsidy a contract may enjoy (e.g. «Nessuna agevolazione», Nuova Sabatini)."""

    class Meta(CompanyReference.Meta):
        verbose_name = _("agevolazione")
        verbose_name_plural = _("agevolazioni")


class Contract(models.Model):
    """A leasing contract: "a reddito" (active, instalments being billed) or extinct."""

    # The company is the customer's; it is kept here too so the database can
    # enforce one contract number per company.
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("società")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("cliente")
    )
    number = models.CharField(_("numero contratto"), max_length=20)
    module_number = models.CharField(
        _("numero modulo"), max_length=20, help_text=_("La parte dopo la «/» sul contratto.")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("prodotto")
    )
    status = models.CharField(_("status"), max_length=8, choices=ContractStatus.choices)
    stipulated_on = models.DateField(_("data stipula"))
    start_date = models.DateField(_("data inizio"))
    end_date = models.DateField(_("data termine"))
    amount = money_field(_("importo contratto"))
    first_instalment = models.CharField(
        _("prima rata"),
        max_length=40,
        choices=PaymentReason.choices,
        default=PaymentReason.ADVANCE,
    )
    advance = money_field(_("importo anticipo"))
    residual_value = money_field(_("importo valore residuo"))
    reference_rate = models.ForeignKey(
        ReferenceRate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name=_("tasso di riferimento"),
    )
    subsidy = models.ForeignKey(
        Subsidy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name=_("agevolazione"),
    )
    periodicity = models.PositiveSmallIntegerField(
        _("periodicità rata"), choices=Periodicity.choices, default=Periodicity.MONTHLY
    )
    instalment_count = models.PositiveSmallIntegerField(_("numero rate"))
    instalment_amount = money_field(_("importo rata (imponibile)"))
    duration_months = models.PositiveSmallIntegerField(_("durata (mesi)"))
    beneficiary_code = models.CharField(_("codice beneficiario"), max_length=20, blank=True)
    beneficiary_name = models.CharField(_("beneficiario"), max_length=200, blank=True)
    payment_iban = models.CharField(_("IBAN"), max_length=34, blank=True)

    objects: ClassVar[ContractQuerySet] = ContractManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("contratto")
        verbose_name_plural = _("contratti")
        ordering = ["-stipulated_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="unique_contract_number"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="contract_dates_in_order"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="contract_amount_positive"),
            models.CheckConstraint(
                condition=Q(advance__gte=0) & Q(residual_value__gte=0),
                name="contract_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        # Without the product: a row listed with its contract (admin, audit log)
        # must not cost a query for the contract's reference data.
        return f"{self.number}/{self.module_number}"

    def clean(self) -> None:
        if self.customer_id and self.company_id != self.customer.company_id:
            raise ValidationError({"customer": _("Il cliente appartiene a un'altra società.")})
        for name in ("product", "reference_rate", "subsidy"):
            reference = getattr(self, name, None)
            if reference is not None and reference.company_id != self.company_id:
                raise ValidationError({name: _("Il dato appartiene a un'altra società.")})

    @property
    def financed_amount(self) -> Decimal:
        """What the plan amortises: the price less the advance."""
        return Decimal(self.amount - self.advance)


class Asset(models.Model):
    """A leased asset (bene in locazione)."""

    contract = models.ForeignKey(
        Contract,
        on_delete=models.CASCADE,
        related_name="assets",
        verbose_name=_("contratto"),
        # The natural key's unique index starts with this column: no second index.
        db_index=False,
    )
    code = models.CharField(_("codice del bene"), max_length=20)
    asset_type = models.CharField(_("tipo bene"), max_length=100)
    financial_value = money_field(_("valore finanziario"))
    future_value = money_field(_("valore atteso futuro"))
    description = models.CharField(_("descrizione"), max_length=300)
    lease_end = models.DateField(_("scadenza locazione"))

    objects: ClassVar[ContractOwnedQuerySet[Asset]] = ContractOwnedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("bene in locazione")
        verbose_name_plural = _("beni in locazione")
        ordering = ["contract", "code"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "code"], name="unique_asset_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class InstalmentKind(models.TextChoices):
    ADVANCE = "advance", _("Rata anticipata")
    INSTALMENT = "instalment", _("Rata")
    INDEXATION = "indexation", _("Indicizzazione")
    RESIDUAL = "residual", _("Valore residuo")


class PlanInstalment(models.Model):
    """One row of the amortisation plan (piano di ammortamento), as seed 002 shows it.

    Indexation rows carry number 0 and an interest-only adjustment; they do not
    move the residual capital.
    """

    contract = models.ForeignKey(
        Contract,
        on_delete=models.CASCADE,
        related_name="plan",
        verbose_name=_("contratto"),
        # The natural key's unique index starts with this column: no second index.
        db_index=False,
    )
    number = models.PositiveSmallIntegerField(_("num. rata"))
    due_date = models.DateField(_("data scadenza"))
    kind = models.CharField(_("tipologia rata"), max_length=10, choices=InstalmentKind.choices)
    amount = money_field(_("importo rata"))
    capital_share = money_field(_("quota capitale"))
    interest_share = money_field(_("quota interessi"))
    residual_capital = money_field(_("capitale residuo"))
    payment_method = models.CharField(
        _("modalità di pagamento"), max_length=10, choices=PaymentMethod.choices
    )
    accrual_start = models.DateField(_("inizio competenza"))
    accrual_end = models.DateField(_("fine competenza"))
    collection_date = models.DateField(_("data di incasso"), null=True, blank=True)

    objects: ClassVar[ContractOwnedQuerySet[PlanInstalment]] = ContractOwnedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("rata del piano")
        verbose_name_plural = _("piano di ammortamento")
        ordering = ["contract", "due_date", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "number"],
                condition=~Q(kind="indexation"),
                name="unique_plan_instalment_number",
            ),
            models.UniqueConstraint(
                fields=["contract", "due_date"],
                condition=Q(kind="indexation"),
                name="one_indexation_per_date",
            ),
            # The core system's natural key of a row: what an import matches on.
            models.UniqueConstraint(
                fields=["contract", "number", "kind", "due_date"], name="unique_plan_row"
            ),
            models.CheckConstraint(
                condition=Q(accrual_end__gte=models.F("accrual_start")),
                name="plan_accrual_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract.number} #{self.number} {self.due_date:%d/%m/%Y}"


class TransparencyStatement(models.Model):
    """The annual transparency statement of a contract (rendiconto annuale, H4).

    ``figures`` holds what was computed from the plan and the schedule when the
    statement was issued; an issued statement is never recomputed.
    """

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="transparency_statements"
    )
    year = models.PositiveSmallIntegerField(_("anno"))
    figures = models.JSONField(_("importi"), default=dict)
    pdf = models.FileField(_("PDF"), upload_to="statements/%Y/", blank=True)
    issued_at = models.DateTimeField(_("emesso il"), auto_now_add=True)

    objects: ClassVar[ContractOwnedQuerySet[TransparencyStatement]]
    objects = ContractOwnedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("rendiconto di trasparenza")
        verbose_name_plural = _("rendiconti di trasparenza")
        ordering = ["contract", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "year"], name="one_statement_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.contract.number} {self.year}"
