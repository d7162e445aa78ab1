"""The document library of the customer area (D5, G8): lists and download.

A document is reached only through ``Document.objects.for_user``: the
customer's own (and its contracts') documents and the company-wide ones.
Anything else, including a guessed id, is a 404. The leasing portal lists
them on one page; a utility's menu (seed 004) has one page per category.
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from sportello.accounts.http import CompanyRequest
from sportello.core import audit
from sportello.core.decorators import customer_required
from sportello.core.files import content_type_for, private_file_response
from sportello.core.pagination import paginate

from .models import CATEGORY_SLUGS, Document

#: The utility menu's key of each category's page (``portal/menu.py``).
MENU_KEYS = {
    "miei": "my-documents",
    "generica": "generic-documents",
    "modulistica": "forms",
    "normative": "regulations",
    "comunicati": "communications",
    "informazioni": "information",
}


@require_safe
@customer_required
def document_list_view(request: CompanyRequest) -> HttpResponseBase:
    if request.company.is_utility:
        # A utility's menu has a page per category and no page of them all.
        return redirect("documents:category", "miei")
    documents = Document.objects.for_user(request.user).select_related("contract")
    # A fleet's contract documents run into the hundreds: they come a page at a
    # time; the company's own are a handful it publishes for everyone.
    mine = paginate(
        request, documents.filter(customer__isnull=False).order_by("-published_on", "-pk")
    )
    company_wide = documents.filter(customer__isnull=True).order_by("category", "-published_on")
    return render(
        request,
        "documents/document_list.html",
        {"mine": mine, "company_wide": company_wide, "active_menu": "documents"},
    )


@require_safe
@customer_required
def document_category_view(request: CompanyRequest, slug: str) -> HttpResponse:
    """One category's documents, newest first, a page at a time (G8)."""
    category = CATEGORY_SLUGS.get(slug)
    if category is None:
        raise Http404
    documents = Document.objects.for_user(request.user).in_category(category)
    context = {
        "category": category,
        "slug": slug,
        "page": paginate(request, documents),
        "active_menu": MENU_KEYS[slug] if request.company.is_utility else "documents",
    }
    return render(request, "documents/category.html", context)


@require_safe
@customer_required
def document_download_view(request: CompanyRequest, uid: UUID) -> HttpResponseBase:
    document = Document.objects.for_user(request.user).filter(uid=uid).first()
    if document is None or not document.file:
        raise Http404
    filename = document.original_name or f"{document.uid.hex}.pdf"
    response = private_file_response(document.file, filename, content_type_for(filename))
    # The company can show when the customer received a document (e.g. its contract).
    audit.record("document.download", request=request, obj=document)
    return response
