"""Celery tasks of the accounts app. They take ids and plain data, and are safe to run twice.

Reset and unlock look the account up here, out of the request, so that the
page answers in the same time whoever the data name (see services.login).
"""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache

from sportello.core.audit import Origin
from sportello.core.models import Company

from .services import login

#: How long a request id is remembered, so a redelivered task e-mails once.
DONE_SECONDS = 24 * 60 * 60


def _first_run(kind: str, request_id: str) -> bool:
    return bool(cache.add(f"accounts-task:{kind}:{request_id}", 1, DONE_SECONDS))


def _origin(company_id: int, ip_address: str | None) -> Origin | None:
    company = Company.objects.filter(pk=company_id).first()
    return Origin(company=company, ip_address=ip_address) if company is not None else None


@shared_task(ignore_result=True)
def send_reset_link(
    *, request_id: str, company_id: int, ip_address: str | None, identifier: str
) -> None:
    origin = _origin(company_id, ip_address)
    if origin is not None and _first_run("reset", request_id):
        login.send_reset_link(origin, identifier)


@shared_task(ignore_result=True)
def send_unlock_link(
    *,
    request_id: str,
    company_id: int,
    ip_address: str | None,
    tax_id: str,
    contract_number: str = "",
    module_number: str = "",
    customer_code: str = "",
) -> None:
    origin = _origin(company_id, ip_address)
    if origin is not None and _first_run("unlock", request_id):
        login.send_unlock_link(
            origin,
            tax_id=tax_id,
            contract_number=contract_number,
            module_number=module_number,
            customer_code=customer_code,
        )
