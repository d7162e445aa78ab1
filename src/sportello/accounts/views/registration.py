"""Registration pages (A1 leasing, A2 utility) and the definitive password (A4)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from sportello.accounts.http import CompanyRequest
from sportello.core.decorators import company_required, customer_required

from ..forms import registration as forms
from ..models import PortalUser
from ..services import registration as services


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
@company_required
def register_view(request: CompanyRequest) -> HttpResponse:
    """Leasing: contract data (A1). Utility: customer code, then confirmation (A2)."""
    if request.company.is_utility:
        return register_by_code(request)
    form = forms.ContractRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.register_by_contract(request, request.company, **form.cleaned_data)
        except services.RegistrationRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            return redirect("accounts:registration_done")
    return render(request, "accounts/registration.html", {"form": form})


def register_by_code(request: CompanyRequest) -> HttpResponse:
    form = forms.CustomerCodeRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            customer_id = services.find_by_customer_code(
                request, request.company, **form.cleaned_data
            )
        except services.RegistrationRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            services.remember_confirmation(request, request.company, customer_id)
            return redirect("accounts:registration_confirm")
    return render(request, "accounts/registration_code.html", {"form": form})


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
@company_required
def confirm_view(request: CompanyRequest) -> HttpResponse:
    """A2: the customer confirms code, denomination and address and gives the e-mail."""
    if not request.company.is_utility:
        raise Http404
    customer = services.customer_to_confirm(request, request.company)
    if customer is None:
        messages.warning(
            request, _("Inserisci codice cliente e codice fiscale o partita IVA per registrarti.")
        )
        return redirect("accounts:registration")
    form = forms.ConfirmRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.register_confirmed(request, request.company, **form.cleaned_data)
        except services.RegistrationRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
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
    form = forms.ChoosePasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.choose_definitive_password(request, user, form.cleaned_data["new_password2"])
        messages.success(request, _("Password definitiva impostata. Benvenuto nell'area clienti."))
        return redirect("portal:home")
    return render(request, "accounts/choose_password.html", {"form": form})
