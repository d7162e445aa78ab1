"""Requests, messages and files as the history tests need them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from sportello.accounts.models import PortalUser
from sportello.customers.models import Customer
from sportello.servicedesk.models import (
    RequestAttachment,
    RequestKind,
    RequestMessage,
    RequestStatus,
    ServiceRequest,
)
from sportello.servicedesk.services import next_request_code

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"


def make_request(
    customer: Customer,
    author: PortalUser | None,
    *,
    kind: str = RequestKind.FREE,
    status: str = RequestStatus.OPEN,
    title: str = "Duplicato fattura",
    **fields: Any,
) -> ServiceRequest:
    """A request of ``customer`` raised by ``author`` (None: by the service desk)."""
    now = timezone.now()
    fields.setdefault("last_activity_at", now)
    fields.setdefault("code", next_request_code(customer.company, now.year))
    return ServiceRequest.objects.create(
        company=customer.company,
        customer=customer,
        author=author,
        kind=kind,
        status=status,
        title=title,
        **fields,
    )


def add_message(
    request: ServiceRequest,
    body: str,
    *,
    author: PortalUser | None = None,
    from_desk: bool = False,
    internal: bool = False,
    interim: bool = False,
    created_at: dt.datetime | None = None,
) -> RequestMessage:
    message = RequestMessage.objects.create(
        request=request,
        author=author,
        body=body,
        from_service_desk=from_desk,
        is_internal=internal,
        is_interim_reply=interim,
    )
    if created_at is not None:
        RequestMessage.objects.filter(pk=message.pk).update(created_at=created_at)
    return message


def add_file(message: RequestMessage, name: str, content: bytes = PDF) -> RequestAttachment:
    attachment = RequestAttachment(
        message=message, original_name=name, content_type="application/pdf", size=len(content)
    )
    attachment.file.save(f"{attachment.uid.hex}.pdf", ContentFile(content), save=False)
    attachment.save()
    return attachment
