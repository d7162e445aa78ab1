"""API keys of each company's core system, the record of imports, and the
Idempotency-Key store of the REST API."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sportello.core.models import Company


class Scope(models.TextChoices):
    """What a key may do: push data, read requests back, read readings back."""

    IMPORT = "import", _("Importazione dati")
    READ_REQUESTS = "read_requests", _("Lettura richieste")
    READ_READINGS = "read_readings", _("Lettura autoletture")


class ApiKey(models.Model):
    """A key with which one company's core system calls the REST API.

    Only a SHA-256 of the key is stored; the key is shown once when created.
    Several keys may be active at once, so a key is rotated without a gap.
    """

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="api_keys", verbose_name=_("società")
    )
    name = models.CharField(_("nome"), max_length=100)
    prefix = models.CharField(_("prefisso"), max_length=8, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("permessi"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("creata da"),
    )
    created_at = models.DateTimeField(_("creata il"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("ultimo uso"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revocata il"), null=True, blank=True)

    class Meta:
        verbose_name = _("chiave API")
        verbose_name_plural = _("chiavi API")
        ordering = ["company", "-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(
        cls, company: Company, name: str, scopes: list[str] | None = None
    ) -> tuple[ApiKey, str]:
        """Create a key; returns the row and the clear key, which is not stored."""
        key = f"spk_{secrets.token_urlsafe(32)}"
        row = cls.objects.create(
            company=company,
            name=name,
            prefix=key[4:12],
            key_hash=cls.hash_key(key),
            scopes=list(scopes if scopes is not None else Scope.values),
        )
        return row, key

    def allows(self, scope: str) -> bool:
        return scope in self.scopes


class ImportSource(models.TextChoices):
    COMMAND = "command", _("Comando")
    BACKOFFICE = "backoffice", _("Back office")
    API = "api", _("API")


class ImportStatus(models.TextChoices):
    RUNNING = "running", _("In corso")
    DONE = "done", _("Completata")
    DRY_RUN = "dry_run", _("Prova senza scrittura")
    REJECTED = "rejected", _("Rifiutata")


class ImportRun(models.Model):
    """One import of one file (or one API batch): all of it is applied, or none.

    ``report`` keeps the rejected rows (at most ``REPORT_LIMIT``; ``rejected``
    counts them all), so an operator downloads it as CSV or XLSX later.
    """

    REPORT_LIMIT = 10_000

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="imports", verbose_name=_("società")
    )
    kind = models.CharField(_("tipo dati"), max_length=40)
    source = models.CharField(_("origine"), max_length=12, choices=ImportSource.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("utente"),
    )
    api_key = models.ForeignKey(
        ApiKey,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="imports",
        verbose_name=_("chiave API"),
    )
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    status = models.CharField(
        _("stato"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    rows = models.PositiveIntegerField(_("righe"), default=0)
    created = models.PositiveIntegerField(_("create"), default=0)
    updated = models.PositiveIntegerField(_("aggiornate"), default=0)
    unchanged = models.PositiveIntegerField(_("invariate"), default=0)
    rejected = models.PositiveIntegerField(_("rifiutate"), default=0)
    report = models.JSONField(_("righe rifiutate"), default=list, blank=True)
    started_at = models.DateTimeField(_("iniziata il"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminata il"), null=True, blank=True)

    class Meta:
        verbose_name = _("importazione")
        verbose_name_plural = _("importazioni")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["company", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.started_at:%d/%m/%Y %H:%M}"


class IdempotencyState(models.TextChoices):
    RUNNING = "running", _("In corso")
    DONE = "done", _("Conclusa")


class IdempotencyRecord(models.Model):
    """A POST/PATCH answered under an ``Idempotency-Key`` (IETF draft
    httpapi-idempotency-key-header-07): replayed as it was, for
    ``IDEMPOTENCY_KEY_HOURS`` hours, to the same API key only."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    state = models.CharField(
        max_length=8, choices=IdempotencyState.choices, default=IdempotencyState.RUNNING
    )
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"", blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["api_key", "key"], name="one_record_per_key"),
        ]

    def __str__(self) -> str:
        return self.key
