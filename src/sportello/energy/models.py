"""Supply points of a utility customer, meter self-readings, consumption and measures."""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sportello.core.models import Company
from sportello.core.scoping import OwnedQuerySet
from sportello.customers.models import Customer

from .identifiers import identifier_problem


class Commodity(models.TextChoices):
    ELECTRICITY = "electricity", _("Energia elettrica")
    GAS = "gas", _("Gas")


class BillingFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Mensile")
    BIMONTHLY = "bimonthly", _("Bimestrale")
    QUARTERLY = "quarterly", _("Trimestrale")


class PaymentMethod(models.TextChoices):
    SEPA = "sepa", _("Addebito SEPA Direct Debit")
    BANK_TRANSFER = "transfer", _("Bonifico bancario")
    PAGOPA = "pagopa", _("Avviso pagoPA")
    POSTAL = "postal", _("Bollettino postale")


class SupplyPoint(models.Model):
    """A point of delivery: POD (electricity, IT…E…) or PDR (gas, 14 digits).

    The identifiers have no public check digit: only their shape is checked
    (``identifiers.py``). Technical data come from the distributor, contract
    data from the supply contract; both are read-only in the portal (G5).
    """

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="supply_points", verbose_name=_("società")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="supply_points", verbose_name=_("cliente")
    )
    number = models.CharField(
        _("punto di fornitura"),
        max_length=20,
        help_text=_("Il codice del punto nel sistema gestionale, es. PR002874."),
    )
    code = models.CharField(_("POD/PDR"), max_length=20)
    commodity = models.CharField(_("fornitura"), max_length=12, choices=Commodity.choices)
    address = models.CharField(_("indirizzo di fornitura"), max_length=200)
    active_from = models.DateField(_("attiva dal"))
    annual_consumption = models.DecimalField(
        _("consumo annuo"),
        max_digits=12,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_(
            "kWh o Smc all'anno, stimato dal distributore; serve al controllo delle autoletture."
        ),
    )
    # Technical data (distributor).
    distributor = models.CharField(_("distributore"), max_length=100, blank=True)
    meter_number = models.CharField(_("matricola contatore"), max_length=30, blank=True)
    voltage = models.CharField(
        _("tensione"), max_length=30, blank=True, help_text=_("es. BT 230 V")
    )
    contracted_power = models.DecimalField(
        _("potenza impegnata (kW)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    available_power = models.DecimalField(
        _("potenza disponibile (kW)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    has_time_bands = models.BooleanField(_("misuratore per fasce orarie (F1/F2/F3)"), default=False)
    meter_class = models.CharField(
        _("classe contatore"), max_length=10, blank=True, help_text=_("Gas, es. G4, G16.")
    )
    has_corrector = models.BooleanField(_("con correttore"), default=False)
    corrector_number = models.CharField(_("matricola correttore"), max_length=30, blank=True)
    remi_code = models.CharField(_("codice REMI"), max_length=20, blank=True)
    usage = models.CharField(_("uso"), max_length=60, blank=True, help_text=_("es. Domestico"))
    # Contract data.
    offer = models.CharField(_("offerta"), max_length=100, blank=True)
    market = models.CharField(_("mercato"), max_length=30, blank=True, help_text=_("es. Libero"))
    contract_start = models.DateField(_("inizio fornitura"), null=True, blank=True)
    billing_frequency = models.CharField(
        _("periodicità di fatturazione"),
        max_length=10,
        choices=BillingFrequency.choices,
        blank=True,
    )
    payment_method = models.CharField(
        _("modalità di pagamento"), max_length=10, choices=PaymentMethod.choices, blank=True
    )

    objects: ClassVar[OwnedQuerySet[SupplyPoint]] = OwnedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("punto di fornitura")
        verbose_name_plural = _("punti di fornitura")
        ordering = ["customer", "number", "code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="unique_supply_point"),
            models.UniqueConstraint(
                fields=["company", "number"], name="unique_supply_point_number"
            ),
            models.CheckConstraint(
                condition=Q(has_corrector=False) | Q(commodity="gas"),
                name="corrector_only_on_gas",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.code_label}: {self.code}); {self.address}"

    @property
    def is_electricity(self) -> bool:
        return self.commodity == Commodity.ELECTRICITY

    @property
    def code_label(self) -> str:
        """ "Pod" or "Pdr", as the seed's header writes them."""
        return "Pod" if self.is_electricity else "Pdr"

    @property
    def unit(self) -> str:
        return "kWh" if self.is_electricity else "Smc"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.customer_id and self.company_id != self.customer.company_id:
            errors["customer"] = str(_("Il cliente appartiene a un'altra società."))
        problem = identifier_problem(self.commodity, self.code)
        if problem:
            errors["code"] = str(problem)
        if errors:
            raise ValidationError(errors)


class ReadingWindow(models.Model):
    """A period in which self-readings may be entered ("Dal … alle ore … Al … fino alle ore")."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="reading_windows", verbose_name=_("società")
    )
    commodity = models.CharField(_("fornitura"), max_length=12, choices=Commodity.choices)
    opens_at = models.DateTimeField(_("dal"))
    closes_at = models.DateTimeField(_("al"))
    # When the notices "the window is open" and "it closes in two days" went
    # out: the job that writes them runs again without writing them twice.
    opening_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    closing_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("finestra di autolettura")
        verbose_name_plural = _("finestre di autolettura")
        ordering = ["company", "-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="window_closes_after_opening"
            ),
            models.UniqueConstraint(
                fields=["company", "commodity", "opens_at"], name="unique_reading_window"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opens_at:%d/%m/%Y %H:%M} – {self.closes_at:%d/%m/%Y %H:%M}"


class SupplyPointOwnedQuerySet[M: models.Model](OwnedQuerySet[M]):
    customer_path = "supply_point__customer"


class Plausibility(models.TextChoices):
    """Why the customer had to confirm a reading (G7): stored with it."""

    NONE = "", _("Nessuna conferma richiesta")
    ZERO = "zero", _("Consumo nullo confermato dal cliente")
    DEVIATION = "deviation", _("Consumo fuori dal previsto confermato dal cliente")


class ReadingStatus(models.TextChoices):
    PENDING = "pending", _("Da acquisire")
    ACQUIRED = "acquired", _("Acquisita")


class MeterReading(models.Model):
    """A self-reading; deletable by the customer until a job acquires it. One per day."""

    supply_point = models.ForeignKey(
        SupplyPoint,
        on_delete=models.CASCADE,
        related_name="readings",
        verbose_name=_("punto di fornitura"),
        # The natural key's unique index starts with this column: no second index.
        db_index=False,
    )
    reading_date = models.DateField(_("data lettura"))
    meter_value = models.PositiveIntegerField(_("lettura contatore"))
    corrector_value = models.PositiveIntegerField(_("lettura correttore"), null=True, blank=True)
    status = models.CharField(
        _("lettura acquisita"),
        max_length=10,
        choices=ReadingStatus.choices,
        default=ReadingStatus.PENDING,
    )
    entered_by = models.ForeignKey(
        "accounts.PortalUser", on_delete=models.SET_NULL, null=True, blank=True
    )
    confirmed = models.CharField(
        _("conferma del cliente"),
        max_length=10,
        choices=Plausibility.choices,
        blank=True,
        default=Plausibility.NONE,
    )
    #: The consumption the reading implies, and what was expected, when it was entered.
    implied_consumption = models.IntegerField(null=True, blank=True, editable=False)
    expected_consumption = models.IntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    acquired_at = models.DateTimeField(null=True, blank=True)
    #: When the core system acknowledged it through the API: each reading is exported once.
    exported_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[SupplyPointOwnedQuerySet[MeterReading]]
    objects = SupplyPointOwnedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("autolettura")
        verbose_name_plural = _("autoletture")
        ordering = ["supply_point", "-reading_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["supply_point", "reading_date"], name="one_reading_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.supply_point.code} {self.reading_date:%d/%m/%Y}"


class Consumption(models.Model):
    """Billed consumption of one period (G4): energy, and power for electricity."""

    supply_point = models.ForeignKey(
        SupplyPoint,
        on_delete=models.CASCADE,
        related_name="consumptions",
        # The natural key's unique index starts with this column: no second index.
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("anno"))
    month = models.PositiveSmallIntegerField(_("mese"))
    energy = models.DecimalField(
        _("energia"), max_digits=12, decimal_places=3, help_text=_("kWh o Smc")
    )
    power = models.DecimalField(
        _("potenza (kW)"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    # Energy per time band, for electricity meters that have them (F1 peak
    # hours, F2 intermediate, F3 night and holidays); their sum is ``energy``.
    energy_f1 = models.DecimalField(_("F1"), max_digits=12, decimal_places=3, null=True, blank=True)
    energy_f2 = models.DecimalField(_("F2"), max_digits=12, decimal_places=3, null=True, blank=True)
    energy_f3 = models.DecimalField(_("F3"), max_digits=12, decimal_places=3, null=True, blank=True)
    is_estimated = models.BooleanField(
        _("stimato"), default=False, help_text=_("Fatturato su stima, non su lettura effettiva.")
    )

    objects: ClassVar[SupplyPointOwnedQuerySet[Consumption]] = SupplyPointOwnedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("prelievo fatturato")
        verbose_name_plural = _("prelievi fatturati")
        ordering = ["supply_point", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["supply_point", "year", "month"], name="one_consumption_per_month"
            ),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="valid_month"),
        ]

    def __str__(self) -> str:
        return f"{self.supply_point.code} {self.month:02d}/{self.year}"


class Measure(models.Model):
    """An electric measure of one interval (G6), as 2G meters send them.

    ``measured_at`` is the interval's start in UTC (a quarter of an hour or an
    hour, ``interval_minutes``); pages and files show it in Europe/Rome, where
    the spring day has 92 quarter hours and the autumn one 100.
    """

    supply_point = models.ForeignKey(
        SupplyPoint,
        on_delete=models.CASCADE,
        related_name="measures",
        verbose_name=_("punto di fornitura"),
        # The natural key's unique index starts with this column: no second index.
        db_index=False,
    )
    measured_at = models.DateTimeField(_("data e ora"))
    interval_minutes = models.PositiveSmallIntegerField(_("intervallo (minuti)"), default=15)
    active_energy = models.DecimalField(_("energia attiva (kWh)"), max_digits=12, decimal_places=3)
    reactive_energy = models.DecimalField(
        _("energia reattiva (kvarh)"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    peak_power = models.DecimalField(
        _("potenza massima (kW)"), max_digits=9, decimal_places=3, null=True, blank=True
    )

    objects: ClassVar[SupplyPointOwnedQuerySet[Measure]] = SupplyPointOwnedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("misura elettrica")
        verbose_name_plural = _("misure elettriche")
        ordering = ["supply_point", "measured_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["supply_point", "measured_at"], name="one_measure_per_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.supply_point.code} {self.measured_at:%d/%m/%Y %H:%M}"
