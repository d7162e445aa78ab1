"""The customer's registry data (anagrafica) as the core system gives it."""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sportello.core.models import Company
from sportello.core.scoping import OwnedQuerySet

from . import identifiers


class CustomerQuerySet(OwnedQuerySet["Customer"]):
    customer_path = "pk"

    def for_customer(self, customer_id: int | None) -> CustomerQuerySet:
        return self.none() if customer_id is None else self.filter(pk=customer_id)


class PersonKind(models.TextChoices):
    NATURAL = "natural", _("Persona fisica")
    LEGAL = "legal", _("Persona giuridica")


class Customer(models.Model):
    """A customer of one company: a natural person or a legal person (company)."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="customers", verbose_name=_("società")
    )
    code = models.CharField(
        _("codice cliente"), max_length=20, help_text=_("Il codice del sistema gestionale.")
    )
    kind = models.CharField(_("natura giuridica"), max_length=8, choices=PersonKind.choices)
    name = models.CharField(_("denominazione"), max_length=200)
    codice_fiscale = models.CharField(_("codice fiscale"), max_length=16, blank=True)
    partita_iva = models.CharField(_("partita IVA"), max_length=11, blank=True)
    address = models.CharField(_("indirizzo"), max_length=200)
    postcode = models.CharField(_("CAP"), max_length=5)
    city = models.CharField(_("comune"), max_length=100)
    province = models.CharField(_("provincia"), max_length=2)
    pec = models.EmailField(_("PEC"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefono"), max_length=30, blank=True)
    fax = models.CharField(_("fax"), max_length=30, blank=True)
    paper_invoices = models.BooleanField(
        _("fatture cartacee"),
        default=True,
        help_text=_("La registrazione al portale revoca l'invio cartaceo (fatturazione on-line)."),
    )

    objects: ClassVar[CustomerQuerySet] = CustomerQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("cliente")
        verbose_name_plural = _("clienti")
        ordering = ["company", "code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="unique_customer_code"),
            models.CheckConstraint(
                condition=~models.Q(codice_fiscale="") | ~models.Q(partita_iva=""),
                name="customer_has_tax_id",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "codice_fiscale"]),
            models.Index(fields=["company", "partita_iva"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_legal_person(self) -> bool:
        return self.kind == PersonKind.LEGAL

    @property
    def full_address(self) -> str:
        return f"{self.address} - {self.postcode} {self.city} ({self.province})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.codice_fiscale:
            try:
                self.codice_fiscale = identifiers.clean_codice_fiscale(self.codice_fiscale)
            except ValidationError as exc:
                errors["codice_fiscale"] = exc.messages[0]
        if self.partita_iva:
            try:
                self.partita_iva = identifiers.clean_partita_iva(self.partita_iva)
            except ValidationError as exc:
                errors["partita_iva"] = exc.messages[0]
        if self.kind == PersonKind.LEGAL and not self.pec:
            errors["pec"] = str(_("Una persona giuridica deve avere un indirizzo PEC."))
        if errors:
            raise ValidationError(errors)
