"""A company's API keys: the list, a new key (shown once), revoking one.

The clear key is in the answer to the POST that created it and nowhere else:
the page is not stored by the browser (``no-store``), and the database holds
only its hash.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from sportello.integration.keys import company_keys, issue_key, revoke_key
from sportello.integration.models import Scope

from ..access import OfficeRequest, company_for, operator_required, origin_for
from ..forms import ApiKeyForm


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters()
@operator_required
def api_keys(request: OfficeRequest, company: str) -> HttpResponse:
    office = company_for(request, company)
    form = ApiKeyForm(request.POST if request.method == "POST" else None)
    new_key = None
    if form.is_valid():
        data = form.cleaned_data
        _issued, new_key = issue_key(
            origin_for(request, office), office, data["name"], data["scopes"]
        )
        form = ApiKeyForm()
    context = {
        "company": office,
        "active": "api_keys",
        "form": form,
        "rows": [
            (key, [str(Scope(scope).label) for scope in key.scopes if scope in Scope.values])
            for key in company_keys(office).select_related("created_by")
        ],
        "new_key": new_key,
    }
    response = render(request, "backoffice/api_keys.html", context)
    add_never_cache_headers(response)
    return response


@require_POST
@operator_required
def revoke_api_key(request: OfficeRequest, company: str, pk: int) -> HttpResponseBase:
    office = company_for(request, company)
    key = get_object_or_404(company_keys(office), pk=pk)
    revoke_key(origin_for(request, office), key)
    messages.success(request, _("Chiave revocata: non funziona più."))
    return redirect("backoffice:api_keys", office.slug)
