"""Demo-only pages on the platform host: the landing page and the local mailbox."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from sportello.accounts.http import PortalRequest
from sportello.core.models import OutboxEmail
from sportello.core.pagination import paginate

from .catalogue import DEMO_PASSWORD, demo_catalogue


def _demo_platform_only(request: PortalRequest) -> None:
    if not settings.DEMO or request.company is not None:
        raise Http404


@require_safe
def landing(request: PortalRequest) -> HttpResponse:
    _demo_platform_only(request)
    port = request.get_port()
    suffix = "" if port in {"80", "443"} else f":{port}"
    return render(
        request,
        "demo/landing.html",
        {
            "catalogue": demo_catalogue(request.scheme or "http", suffix),
            "demo_password": DEMO_PASSWORD,
        },
    )


@require_safe
def mailbox(request: PortalRequest) -> HttpResponse:
    _demo_platform_only(request)
    emails = OutboxEmail.objects.select_related("company").order_by("-created_at", "-id")
    page = paginate(request, emails)
    return render(request, "demo/mailbox.html", {"page": page})


@require_safe
def mailbox_message(request: PortalRequest, pk: int) -> HttpResponse:
    _demo_platform_only(request)
    email = get_object_or_404(OutboxEmail.objects.select_related("company"), pk=pk)
    return render(request, "demo/mailbox_message.html", {"email": email})
