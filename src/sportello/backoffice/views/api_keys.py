"""A company's API keys: the list, a new key (shown once), revoking one.

Creating a key answers with a redirect (POST → redirect → GET), so reloading
the page cannot create a second key. The clear key waits in the session for
that one GET, which pops it: shown once, in a page the browser does not store
(``no-store``); the database holds only its hash, and nothing logs it.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from sportello.integration.keys import company_keys, issue_key, revoke_key
from sportello.integration.models import Scope

from ..access import OfficeRequest, company_for, operator_required, origin_for
from ..forms import ApiKeyForm


def new_key_session_key(company_pk: int) -> str:
    """Per company, so a key made for one is never shown on another's page."""
    return f"_new_api_key_{company_pk}"


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters()
@operator_required
def api_keys(request: OfficeRequest, company: str) -> HttpResponseBase:
    office = company_for(request, company)
    form = ApiKeyForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        data = form.cleaned_data
        _issued, clear = issue_key(
            origin_for(request, office), office, data["name"], data["scopes"]
        )
        request.session[new_key_session_key(office.pk)] = clear
        return redirect("backoffice:api_keys", office.slug)
    context = {
        "company": office,
        "active": "api_keys",
        "form": form,
        "rows": [
            (key, [str(Scope(scope).label) for scope in key.scopes if scope in Scope.values])
            for key in company_keys(office).select_related("created_by")
        ],
        # Only a GET takes the key: a HEAD (a link checker) must not swallow it.
        "new_key": (
            request.session.pop(new_key_session_key(office.pk), None)
            if request.method == "GET"
            else None
        ),
    }
    response: HttpResponse = render(request, "backoffice/api_keys.html", context)
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@operator_required
def revoke_api_key(request: OfficeRequest, company: str, pk: int) -> HttpResponseBase:
    """GET asks (revoking is for good: the core system using the key stops); POST revokes."""
    office = company_for(request, company)
    key = get_object_or_404(company_keys(office).filter(revoked_at__isnull=True), pk=pk)
    if request.method != "POST":
        context = {"company": office, "active": "api_keys", "key": key}
        return render(request, "backoffice/api_key_revoke.html", context)
    revoke_key(origin_for(request, office), key)
    messages.success(request, _("Chiave revocata: non funziona più."))
    return redirect("backoffice:api_keys", office.slug)
