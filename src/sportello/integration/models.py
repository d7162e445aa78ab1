"""API keys of each company's core system, and the record of bulk imports."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from sportello.core.models import Company


class ApiKey(models.Model):
    """A key with which one company's core system calls the REST API.

    Only a SHA-256 of the key is stored; the key is shown once when created.
    """

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="api_keys", verbose_name=_("società")
    )
    name = models.CharField(_("nome"), max_length=100)
    prefix = models.CharField(_("prefisso"), max_length=8, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("creata il"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("ultimo uso"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revocata il"), null=True, blank=True)

    class Meta:
        verbose_name = _("chiave API")
        verbose_name_plural = _("chiavi API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, company: Company, name: str) -> tuple[ApiKey, str]:
        """Create a key; returns the row and the clear key, which is not stored."""
        key = f"spk_{secrets.token_urlsafe(32)}"
        row = cls.objects.create(
            company=company, name=name, prefix=key[4:12], key_hash=cls.hash_key(key)
        )
        return row, key


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("In coda")
    DONE = "done", _("Completata")
    REJECTED = "rejected", _("Rifiutata")


class ImportBatch(models.Model):
    """One bulk import from the core system: all of it is applied, or none."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="imports", verbose_name=_("società")
    )
    kind = models.CharField(_("tipo dati"), max_length=40)
    file = models.FileField(_("file"), upload_to="imports/")
    status = models.CharField(
        _("stato"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    rows_total = models.PositiveIntegerField(_("righe"), default=0)
    rows_rejected = models.PositiveIntegerField(_("righe rifiutate"), default=0)
    report = models.JSONField(_("esito"), default=list, blank=True)
    created_at = models.DateTimeField(_("caricata il"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminata il"), null=True, blank=True)

    class Meta:
        verbose_name = _("importazione")
        verbose_name_plural = _("importazioni")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%d/%m/%Y %H:%M}"
