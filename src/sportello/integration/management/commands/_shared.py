"""What the import commands share: the company named on the command line, a run in one line."""

from __future__ import annotations

from django.core.management.base import CommandError

from sportello.core.models import Company
from sportello.integration.models import ImportRun


def company_named(slug: str) -> Company:
    try:
        return Company.objects.get(slug=slug)
    except Company.DoesNotExist:
        raise CommandError(f"Società sconosciuta: {slug}") from None


def summary(run: ImportRun) -> str:
    return (
        f"{run.get_status_display()} — righe {run.rows}, create {run.created}, "
        f"aggiornate {run.updated}, invariate {run.unchanged}, rifiutate {run.rejected}"
    )
