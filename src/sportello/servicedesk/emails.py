"""One function per e-mail the service desk sends, each through the outbox.

Customers are written to at their notification address (the secondary e-mail
when set, else the primary: seed 003 answer 4), in their language; the desk
at its address and the assignee's.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from sportello.core.outbox import queue_templated_email

from .models import RequestMessage, ServiceRequest


def customer_url(request: ServiceRequest) -> str:
    return request.company.absolute_url(reverse("servicedesk:detail", args=[request.code]))


def back_office_url(request: ServiceRequest) -> str:
    path = reverse("backoffice:request", args=[request.company.slug, request.code])
    if settings.BACK_OFFICE_URL:
        return settings.BACK_OFFICE_URL + path
    return request.company.absolute_url(path)


def send_request_opened(request: ServiceRequest) -> None:
    """The customer's receipt: the code to quote and where to follow the request."""
    author = request.author
    if author is None or not author.email:
        return
    queue_templated_email(
        "request-opened",
        to=[author.notification_email],
        context={"user": author, "request": request, "request_url": customer_url(request)},
        company=request.company,
        language=author.language,
    )


def send_desk_answered(
    request: ServiceRequest, user: Any, message: RequestMessage | None, *, closing: bool = False
) -> None:
    """The desk answered (or closed) a request: the customer is told, never sent the text.

    The answer stays behind the login: an e-mail is not a safe place for what
    the customer's contract says.
    """
    queue_templated_email(
        "request-answered",
        to=[user.notification_email],
        context={
            "user": user,
            "request": request,
            "message": message,
            "closing": closing,
            "request_url": customer_url(request),
        },
        company=request.company,
        language=user.language,
    )


def send_customer_replied(request: ServiceRequest, message: RequestMessage) -> None:
    """A customer wrote: the desk's address and the assignee are told."""
    to = [request.company.service_desk_address]
    assignee = request.assignee
    if assignee is not None and assignee.email and assignee.email not in to:
        to.append(assignee.email)
    queue_templated_email(
        "request-customer-replied",
        to=to,
        context={"request": request, "message": message, "desk_url": back_office_url(request)},
        company=request.company,
        language=settings.LANGUAGE_CODE,
    )
