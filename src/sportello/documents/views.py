"""The document library of the customer area (D5): list and download.

A document is reached only through ``Document.objects.for_user``: the
customer's own (and its contracts') documents and the company-wide ones.
Anything else, including a guessed id, is a 404.
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_safe

from sportello.accounts.http import CompanyRequest
from sportello.core import audit
from sportello.core.decorators import leasing_customer_required
from sportello.core.files import content_type_for, private_file_response

from .models import Document


@require_safe
@leasing_customer_required
def document_list_view(request: CompanyRequest) -> HttpResponse:
    documents = Document.objects.for_user(request.user).select_related("contract")
    mine = [d for d in documents if d.customer_id is not None]
    company_wide = [d for d in documents if d.customer_id is None]
    return render(
        request,
        "documents/document_list.html",
        {"mine": mine, "company_wide": company_wide, "active_menu": "documents"},
    )


@require_safe
@leasing_customer_required
def document_download_view(request: CompanyRequest, uid: UUID) -> HttpResponseBase:
    document = Document.objects.for_user(request.user).filter(uid=uid).first()
    if document is None or not document.file:
        raise Http404
    filename = document.original_name or f"{document.uid.hex}.pdf"
    response = private_file_response(document.file, filename, content_type_for(filename))
    # The company can show when the customer received a document (e.g. its contract).
    audit.record("document.download", request=request, obj=document)
    return response
