"""Registration pages (A1 leasing, A2 utility) and the definitive password (A4)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from sportello.accounts.http import CompanyRequest
from sportello.core.audit import Origin
from sportello.core.decorators import company_required, customer_required

from ..forms import registration as forms
from ..models import PortalUser
from ..services import registration as services

SESSION_KEY = "registration"


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
@company_required
def register_view(request: CompanyRequest) -> HttpResponse:
    """Leasing: contract data (A1). Utility: customer code, then confirmation (A2)."""
    if request.company.is_utility:
        return register_by_code(request)
    form = forms.ContractRegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.register_by_contract(Origin.of(request), **form.cleaned_data)
        except services.RegistrationRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            return redirect("accounts:registration_done")
    return render(request, "accounts/registration.html", {"form": form})


def register_by_code(request: CompanyRequest) -> HttpResponse:
    form = forms.CustomerCodeRegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            customer_id = services.find_by_customer_code(Origin.of(request), **form.cleaned_data)
        except services.RegistrationRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            remember_confirmation(request, customer_id)
            return redirect("accounts:registration_confirm")
    return render(request, "accounts/registration_code.html", {"form": form})


def remember_confirmation(request: CompanyRequest, customer_id: int) -> None:
    """Keep the matched customer in the session (never in the page) for the next step."""
    expires = timezone.now() + services.CONFIRMATION_VALIDITY
    request.session[SESSION_KEY] = {
        "company": request.company.pk,
        "customer": customer_id,
        "expires": expires.timestamp(),
    }


def confirmation(request: CompanyRequest) -> int | None:
    """The id of the customer the first step matched in this session, if still valid."""
    pending = request.session.get(SESSION_KEY)
    if not isinstance(pending, dict) or pending.get("company") != request.company.pk:
        return None
    if timezone.now().timestamp() > float(pending.get("expires", 0)):
        request.session.pop(SESSION_KEY, None)
        return None
    customer_id = pending.get("customer")
    return customer_id if isinstance(customer_id, int) else None


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
@company_required
def confirm_view(request: CompanyRequest) -> HttpResponse:
    """A2: the customer confirms code, denomination and address and gives the e-mail."""
    if not request.company.is_utility:
        raise Http404
    customer_id = confirmation(request)
    customer = services.customer_to_confirm(request.company, customer_id) if customer_id else None
    if customer is None:
        messages.warning(
            request, _("Inserisci codice cliente e codice fiscale o partita IVA per registrarti.")
        )
        return redirect("accounts:registration")
    form = forms.ConfirmRegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.register_confirmed(Origin.of(request), customer, **form.cleaned_data)
        except services.RegistrationRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            request.session.pop(SESSION_KEY, None)
            return redirect("accounts:registration_done")
    return render(
        request, "accounts/registration_confirm.html", {"form": form, "customer": customer}
    )


@require_safe
@company_required
def done_view(request: CompanyRequest) -> HttpResponse:
    return render(request, "accounts/registration_done.html")


@sensitive_post_parameters("new_password1", "new_password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
@customer_required
def choose_password_view(request: CompanyRequest) -> HttpResponse:
    """A4: the only page a user with a temporary password can open."""
    user = request.user
    assert isinstance(user, PortalUser)
    if not user.must_change_password:
        return redirect("portal:home")
    form = forms.ChoosePasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.choose_definitive_password(
            Origin.of(request), user, form.cleaned_data["new_password2"]
        )
        # This session goes on; every other one ended with the temporary password.
        update_session_auth_hash(request, user)
        messages.success(request, _("Password definitiva impostata. Benvenuto nell'area clienti."))
        return redirect("portal:home")
    return render(request, "accounts/choose_password.html", {"form": form})
