"""«Dati anagrafici» (G3): the customer's registry, read-only, and its contacts.

Every user of the customer sees the page; only the main user changes the
contacts (a sub-user's POST is refused: the customer's settings are its main
user's). A field found wrong is reported to the service desk
(``servicedesk:discrepancy``), never changed here.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sportello.accounts.http import CompanyRequest
from sportello.core.audit import Origin
from sportello.core.decorators import utility_customer_required
from sportello.customers import services
from sportello.customers.registry import registry_rows

from ..forms.personal_data import ContactsForm
from .profile import portal_user


@never_cache
@require_http_methods(["GET", "POST"])
@utility_customer_required
def personal_data_view(request: CompanyRequest) -> HttpResponseBase:
    user = portal_user(request)
    customer = user.customer
    assert customer is not None  # utility_customer_required let only a customer in
    if request.method == "POST" and user.is_sub_user:
        raise PermissionDenied
    form = (
        None
        if user.is_sub_user
        else ContactsForm(customer, request.POST if request.method == "POST" else None)
    )
    if form is not None and request.method == "POST" and form.is_valid():
        changed = services.update_contacts(Origin.of(request), customer, form.contacts())
        if changed:
            messages.success(request, _("Recapiti aggiornati."))
        else:
            messages.info(request, _("Nessuna modifica: i recapiti erano già questi."))
        return redirect("accounts:personal_data")
    return render_page(request, form)


def render_page(request: CompanyRequest, form: ContactsForm | None) -> HttpResponse:
    customer = portal_user(request).customer
    assert customer is not None
    context = {
        "customer": customer,
        "registry": registry_rows(customer),
        "form": form,
        # A company without self-service requests takes reports by its contacts page.
        "can_report": request.company.feature_requests,
        "active_menu": "personal-data",
    }
    return render(request, "accounts/personal_data.html", context)
