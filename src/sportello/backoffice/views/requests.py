"""A request's page in the back office, and each thing an operator does on it.

Every action posts to its own address, resolves the company through the
operator and the request through the company (anything else is a 404 and
changes nothing), calls one service and comes back to the page with a
message; a form with errors is shown again on the page, at the action's
address: a GET there (a reload, the language switcher coming back) goes to the
request's page. Every showing of the page is a read of the customer's records
and is audited.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from sportello.core import audit
from sportello.core.files import private_file_response
from sportello.servicedesk.models import RequestAttachment, ServiceRequest

from ..access import OfficeRequest, company_for, operator_required, origin_for, request_for
from ..detail import request_facts
from ..forms import (
    AssignForm,
    CloseForm,
    InterimReplyForm,
    NoteForm,
    ReplyForm,
    StatusForm,
)

#: An action's address: posted to; reached by GET only after its form failed.
action = require_http_methods(["GET", "HEAD", "POST"])

#: The request page's forms, by the name the template knows them.
FORMS = {
    "reply_form": ReplyForm,
    "note_form": NoteForm,
    "status_form": StatusForm,
    "assign_form": AssignForm,
    "interim_form": InterimReplyForm,
    "close_form": CloseForm,
}

DeskForm = ReplyForm | NoteForm | StatusForm | AssignForm | InterimReplyForm | CloseForm


def request_page(
    request: OfficeRequest, service_request: ServiceRequest, failed: DeskForm | None = None
) -> HttpResponse:
    """The page; ``failed`` is a posted form shown again with its errors."""
    audit.record_customer_read(
        service_request.customer, request=request, page="servicedesk.request", obj=service_request
    )
    forms = {name: form(service_request=service_request) for name, form in FORMS.items()}
    if failed is not None:
        forms[f"{failed.prefix}_form"] = failed
    company = service_request.company
    context = {
        "company": company,
        "active": "queue",
        "customer": service_request.customer,
        "works_here": request.user.operator_companies.filter(pk=company.pk).exists(),
        **request_facts(service_request, timezone.localdate()).as_context(),
        **forms,
    }
    return render(request, "backoffice/request.html", context)


@require_safe
@operator_required
def request_detail(request: OfficeRequest, company: str, code: str) -> HttpResponse:
    return request_page(request, request_for(company_for(request, company), code))


def act(
    request: OfficeRequest, company: str, code: str, form_class: type[DeskForm], done: str
) -> HttpResponse:
    """Post ``form_class`` on the request; back to its page, saying ``done`` or the errors.

    A GET goes to the request's page, through the same company and request.
    """
    office = company_for(request, company)
    service_request = request_for(office, code)
    if request.method != "POST":
        return redirect("backoffice:request", office.slug, service_request.code)
    form = form_class(request.POST, request.FILES, service_request=service_request)
    if form.is_valid():
        try:
            form.save(origin_for(request, office))
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, done)
            return redirect("backoffice:request", office.slug, service_request.code)
    return request_page(request, service_request, form)


@action
@operator_required
def reply(request: OfficeRequest, company: str, code: str) -> HttpResponse:
    return act(request, company, code, ReplyForm, _("Risposta inviata al cliente."))


@action
@operator_required
def note(request: OfficeRequest, company: str, code: str) -> HttpResponse:
    return act(request, company, code, NoteForm, _("Nota interna aggiunta."))


@action
@operator_required
def change_status(request: OfficeRequest, company: str, code: str) -> HttpResponse:
    return act(request, company, code, StatusForm, _("Stato aggiornato."))


@action
@operator_required
def assign(request: OfficeRequest, company: str, code: str) -> HttpResponse:
    return act(request, company, code, AssignForm, _("Assegnazione aggiornata."))


@action
@operator_required
def interim_reply(request: OfficeRequest, company: str, code: str) -> HttpResponse:
    return act(request, company, code, InterimReplyForm, _("Risposta interlocutoria inviata."))


@action
@operator_required
def close(request: OfficeRequest, company: str, code: str) -> HttpResponse:
    return act(request, company, code, CloseForm, _("Richiesta chiusa."))


@require_safe
@operator_required
def attachment(request: OfficeRequest, company: str, code: str, uid: uuid.UUID) -> HttpResponseBase:
    """A file of the conversation (an internal note's too), through the company."""
    office = company_for(request, company)
    found = RequestAttachment.objects.for_company(office).select_related(
        "message__request__customer__company"
    )
    file = get_object_or_404(found, message__request__code=code, uid=uid)
    customer = file.message.request.customer
    audit.record_customer_read(customer, request=request, page="servicedesk.attachment", obj=file)
    return private_file_response(file.file, file.original_name, file.content_type)
