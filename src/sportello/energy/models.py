"""Supply points of a utility customer, meter self-readings, consumption and measures."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sportello.core.models import Company
from sportello.core.scoping import OwnedQuerySet
from sportello.customers.models import Customer


class Commodity(models.TextChoices):
    ELECTRICITY = "electricity", _("Energia elettrica")
    GAS = "gas", _("Gas")


class SupplyPoint(models.Model):
    """A point of delivery: POD (electricity, IT…E…) or PDR (gas, 14 digits)."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="supply_points", verbose_name=_("società")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="supply_points", verbose_name=_("cliente")
    )
    code = models.CharField(_("POD/PDR"), max_length=20)
    commodity = models.CharField(_("fornitura"), max_length=12, choices=Commodity.choices)
    address = models.CharField(_("indirizzo di fornitura"), max_length=200)
    meter_number = models.CharField(_("matricola contatore"), max_length=30, blank=True)
    has_corrector = models.BooleanField(_("con correttore"), default=False)
    technical_data = models.JSONField(_("dati tecnici"), default=dict, blank=True)
    contract_data = models.JSONField(_("dati contrattuali"), default=dict, blank=True)
    active_from = models.DateField(_("attiva dal"))

    objects: ClassVar[OwnedQuerySet[SupplyPoint]] = OwnedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("punto di fornitura")
        verbose_name_plural = _("punti di fornitura")
        ordering = ["customer", "code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="unique_supply_point"),
            models.CheckConstraint(
                condition=Q(has_corrector=False) | Q(commodity="gas"),
                name="corrector_only_on_gas",
            ),
        ]

    def __str__(self) -> str:
        kind = "Pod" if self.commodity == Commodity.ELECTRICITY else "Pdr"
        return f"{kind}: {self.code} – {self.address}"


class ReadingWindow(models.Model):
    """A period in which self-readings may be entered ("Dal … alle ore … Al … fino alle ore")."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="reading_windows", verbose_name=_("società")
    )
    commodity = models.CharField(_("fornitura"), max_length=12, choices=Commodity.choices)
    opens_at = models.DateTimeField(_("dal"))
    closes_at = models.DateTimeField(_("al"))

    class Meta:
        verbose_name = _("finestra di autolettura")
        verbose_name_plural = _("finestre di autolettura")
        ordering = ["company", "-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="window_closes_after_opening"
            )
        ]

    def __str__(self) -> str:
        return f"{self.opens_at:%d/%m/%Y %H:%M} – {self.closes_at:%d/%m/%Y %H:%M}"


class SupplyPointOwnedQuerySet[M: models.Model](OwnedQuerySet[M]):
    customer_path = "supply_point__customer"


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
    created_at = models.DateTimeField(auto_now_add=True)
    acquired_at = models.DateTimeField(null=True, blank=True)

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
        SupplyPoint, on_delete=models.CASCADE, related_name="consumptions"
    )
    year = models.PositiveSmallIntegerField(_("anno"))
    month = models.PositiveSmallIntegerField(_("mese"))
    energy = models.DecimalField(
        _("energia"), max_digits=12, decimal_places=3, help_text=_("kWh o Smc")
    )
    power = models.DecimalField(
        _("potenza (kW)"), max_digits=9, decimal_places=3, null=True, blank=True
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
    """An electric measure at a timestamp (G6): active and reactive energy, peak power."""

    supply_point = models.ForeignKey(
        SupplyPoint,
        on_delete=models.CASCADE,
        related_name="measures",
        verbose_name=_("punto di fornitura"),
    )
    measured_at = models.DateTimeField(_("data e ora"))
    active_energy = models.DecimalField(_("energia attiva (kWh)"), max_digits=12, decimal_places=3)
    reactive_energy = models.DecimalField(
        _("energia reattiva (kvarh)"), max_digits=12, decimal_places=3
    )
    peak_power = models.DecimalField(_("potenza massima (kW)"), max_digits=9, decimal_places=3)

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
