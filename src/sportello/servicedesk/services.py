"""The service desk's workflows: typed requests, their conversation, complaints' clocks."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from sportello.core.models import Company

from .models import RequestCounter


@transaction.atomic
def next_request_code(company: Company, year: int) -> str:
    """The next request code of ``company`` in ``year``: ``RIC-2026-000123``.

    The counter is raised by one ``UPDATE ... SET last = last + 1``, which
    locks its row until the transaction ends: two requests sent at the same
    moment never get the same number, and a rolled-back request gives its
    number back.
    """
    counter, _created = RequestCounter.objects.get_or_create(company=company, year=year)
    RequestCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"RIC-{year}-{counter.last:06d}"
