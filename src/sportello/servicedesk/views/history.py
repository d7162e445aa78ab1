"""The customer's request history, detail and conversation (E5).

Every request, message and file is reached through its owner
(``for_user``, which also applies the sub-user "own requests only" rule, J5):
another customer's code or file, and a reply to it, are a 404 that changes
nothing (OCA/helpdesk#1089).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from sportello.accounts.http import CompanyRequest
from sportello.core import audit
from sportello.core.audit import Origin
from sportello.core.files import private_file_response
from sportello.core.pagination import paginate
from sportello.core.scoping import get_for_user

from .. import services
from ..deadlines import conciliation_from
from ..forms import ReplyForm, RequestFilterForm
from ..models import RequestAttachment, RequestMessage, ServiceRequest
from ..payloads import typed_fields
from .access import self_service_required


@dataclass(frozen=True)
class ComplaintDue:
    """A complaint's statutory date as the customer reads it (open complaints only)."""

    due_on: dt.date
    is_past: bool
    after_interim_reply: bool


def complaint_due(service_request: ServiceRequest, today: dt.date) -> ComplaintDue | None:
    if not service_request.is_complaint or service_request.is_closed:
        return None
    if service_request.due_on is None:
        return None
    level = services.service_level(service_request, today)
    return ComplaintDue(
        service_request.due_on,
        level == services.ServiceLevel.OVERDUE,
        service_request.interim_reply_at is not None,
    )


@require_safe
@self_service_required
def request_list(request: CompanyRequest) -> HttpResponse:
    form = RequestFilterForm(request.GET)
    rows = ServiceRequest.objects.for_user(request.user).select_related("author", "request_type")
    if status := form.chosen_status():
        rows = rows.filter(status=status)
    page = paginate(request, rows.order_by("-last_activity_at", "-pk"))
    today = timezone.localdate()
    return render(
        request,
        "servicedesk/request_list.html",
        {
            "active_menu": "requests",
            "form": form,
            "page": page,
            "rows": [(row, complaint_due(row, today)) for row in page],
            "filtered": bool(status),
        },
    )


def _customer_request(request: CompanyRequest, code: str) -> ServiceRequest:
    """The request ``code`` of the user's customer (as the sub-user rule allows), else 404."""
    found = ServiceRequest.objects.select_related(
        "company", "author", "request_type", "contract", "supply_point"
    )
    return get_for_user(found, request.user, code=code)


def _conversation(request: CompanyRequest, service_request: ServiceRequest) -> list[RequestMessage]:
    """The messages the customer may read, oldest first, with their files (two queries)."""
    files = RequestAttachment.objects.order_by("pk")
    return list(
        RequestMessage.objects.for_user(request.user)
        .visible_to_customer()
        .filter(request=service_request)
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=files))
        .order_by("created_at", "pk")
    )


def _linked(request: CompanyRequest, service_request: ServiceRequest) -> QuerySet[ServiceRequest]:
    """The request this one follows and those that follow it, as far as the user may see them."""
    return (
        ServiceRequest.objects.for_user(request.user)
        .filter(Q(pk=service_request.follows_id) | Q(follows=service_request))
        .order_by("created_at", "pk")
    )


def detail_context(
    request: CompanyRequest, service_request: ServiceRequest, form: ReplyForm
) -> dict[str, Any]:
    linked = list(_linked(request, service_request))
    reopen_days = request.company.request_reopen_days
    closed_at = service_request.closed_at
    reopen_until = closed_at + dt.timedelta(days=reopen_days) if closed_at else None
    received_on = service_request.received_on
    utility_complaint = service_request.is_complaint and request.company.is_utility
    return {
        "active_menu": "requests",
        "service_request": service_request,
        "typed_fields": typed_fields(service_request),
        "conversation": _conversation(request, service_request),
        "follows": next((r for r in linked if r.pk == service_request.follows_id), None),
        "followed_by": [r for r in linked if r.follows_id == service_request.pk],
        "due": complaint_due(service_request, timezone.localdate()),
        # An energy seller's complaint: when ARERA's conciliation opens without an answer.
        "conciliation_from": conciliation_from(received_on)
        if utility_complaint and received_on
        else None,
        "reopen_days": reopen_days,
        "reopen_until": reopen_until,
        "can_reopen": reopen_until is not None and timezone.now() <= reopen_until,
        "form": form,
        "unscanned": not settings.CLAMAV_REQUIRED,
    }


@require_safe
@self_service_required
def request_detail(request: CompanyRequest, code: str) -> HttpResponse:
    service_request = _customer_request(request, code)
    form = ReplyForm(service_request=service_request, auto_id="reply_%s")
    context = detail_context(request, service_request, form)
    return render(request, "servicedesk/request_detail.html", context)


def _sent_message(before: ServiceRequest, landed: ServiceRequest, days: int) -> str:
    if landed.pk != before.pk:
        return ngettext(
            "La richiesta era chiusa da più di %(days)s giorno: abbiamo aperto la nuova "
            "richiesta %(code)s.",
            "La richiesta era chiusa da più di %(days)s giorni: abbiamo aperto la nuova "
            "richiesta %(code)s.",
            days,
        ) % {"days": days, "code": landed.code}
    if before.is_closed:
        return _("Risposta inviata: la richiesta è stata riaperta.")
    return _("Risposta inviata.")


@require_http_methods(["GET", "HEAD", "POST"])
@self_service_required
def reply(request: CompanyRequest, code: str) -> HttpResponseBase:
    service_request = _customer_request(request, code)
    if request.method != "POST":
        # A reply with errors is shown at this address: switching language or
        # reloading there asks for it again, and finds the request's page.
        return redirect("servicedesk:detail", code=service_request.code)
    form = ReplyForm(
        request.POST, request.FILES, service_request=service_request, auto_id="reply_%s"
    )
    if not form.is_valid():
        context = detail_context(request, service_request, form)
        return render(request, "servicedesk/request_detail.html", context)
    landed = services.customer_reply(
        Origin.of(request), service_request, form.cleaned_data["message"], form.checked_files
    )
    days = request.company.request_reopen_days
    messages.success(request, _sent_message(service_request, landed, days))
    return redirect("servicedesk:detail", code=landed.code)


@require_safe
@self_service_required
def attachment(request: CompanyRequest, code: str, uid: uuid.UUID) -> HttpResponseBase:
    visible = RequestAttachment.objects.for_user(request.user).visible_to_customer()
    found = get_for_user(
        visible.select_related("message__request"),
        request.user,
        uid=uid,
        message__request__code=code,
    )
    response = private_file_response(found.file, found.original_name, found.content_type)
    audit.record(
        "request.attachment_downloaded",
        origin=Origin.of(request),
        obj=found.message.request,
        attachment=str(found.uid),
    )
    return response
