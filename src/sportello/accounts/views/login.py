"""Login (password, then the e-mailed code), logout, password reset and unlock."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from sportello.accounts.http import CompanyRequest, PortalRequest
from sportello.core.audit import Origin
from sportello.core.decorators import company_required

from ..forms.login import CodeForm, LoginForm, ResetRequestForm, UnlockForm
from ..forms.passwords import NewPasswordForm
from ..models import PortalUser
from ..services import login as services
from . import steps
from .tokens import token_from_session

TOO_MANY = 429
#: Where a reset or unlock link's token waits, out of the address bar.
RESET_SESSION_KEY = "_reset_link_token"


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
@company_required
def login_view(request: CompanyRequest) -> HttpResponse:
    """Step 1: username and password; a right one e-mails a code (A6)."""
    form = LoginForm(request, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        origin = Origin.of(request)
        wait = services.address_wait(origin)
        if wait:
            form.refuse_for_address(wait)
            return render(request, "accounts/login.html", {"form": form}, status=TOO_MANY)
        if form.is_valid() and form.user is not None:
            pending = services.start_login(origin, form.user)
            steps.remember(request, steps.CUSTOMER, pending, request.GET.get("next", ""))
            return redirect("accounts:otp")
        if form.refused:
            failures = getattr(request, "axes_failures_since_start", None)
            services.login_failed(origin, str(request.POST.get("login", "")), failures)
    return render(request, "accounts/login.html", {"form": form})


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
@company_required
def otp_view(request: CompanyRequest) -> HttpResponseBase:
    """Step 2: "Inserisci il codice" e-mailed for this attempt."""

    def page(form: CodeForm, user: PortalUser) -> HttpResponse:
        context = {"form": form, "email": services.mask_email(user.email)}
        return render(request, "accounts/otp.html", context)

    return steps.code_step(request, steps.CUSTOMER_DOOR, page)


@csrf_protect
@never_cache
@require_POST
@company_required
def otp_resend_view(request: CompanyRequest) -> HttpResponseBase:
    """«Invia un nuovo codice», at most once a minute."""
    return steps.resend_code(request, steps.CUSTOMER_DOOR)


@never_cache
@require_http_methods(["GET", "POST"])
@company_required
def logout_view(request: PortalRequest) -> HttpResponse:
    """GET asks for confirmation (the pop-up without JavaScript); POST logs out."""
    if request.method == "POST":
        if isinstance(request.user, PortalUser):
            services.log_out(Origin.of(request), request.user)
        logout(request)
        return redirect("accounts:login")
    return render(request, "accounts/logout.html")


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
@company_required
def reset_request_view(request: CompanyRequest) -> HttpResponse:
    """«Password dimenticata?»: the same answer, in the same time, whoever the data name (A8)."""
    form = ResetRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        wait = services.request_reset(Origin.of(request), form.cleaned_data["identifier"])
        if not wait:
            return render(request, "accounts/reset_sent.html")
        form.refuse_throttled(wait)
        return render(request, "accounts/reset_request.html", {"form": form}, status=TOO_MANY)
    return render(request, "accounts/reset_request.html", {"form": form})


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
@company_required
def unlock_view(request: CompanyRequest) -> HttpResponse:
    """«Login bloccata / password dimenticata»: contract or customer data (A7)."""
    form = UnlockForm(request.company, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        wait = services.request_unlock(Origin.of(request), **form.cleaned_data)
        if not wait:
            return render(request, "accounts/reset_sent.html")
        form.refuse_throttled(wait)
        return render(request, "accounts/unlock.html", {"form": form}, status=TOO_MANY)
    return render(request, "accounts/unlock.html", {"form": form})


@sensitive_post_parameters("new_password1", "new_password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
@company_required
def reset_confirm_view(request: CompanyRequest, uidb64: str, token: str) -> HttpResponseBase:
    """The e-mailed link: choose the new password, then log in as usual."""
    token_or_redirect = token_from_session(
        request, RESET_SESSION_KEY, "accounts:reset_confirm", uidb64, token
    )
    if not isinstance(token_or_redirect, str):
        return token_or_redirect
    user = services.user_for_link(request.company, uidb64, token_or_redirect)
    if user is None:
        return render(request, "accounts/reset_invalid.html")
    form = NewPasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.set_password_from_link(
            Origin.of(request), user, form.cleaned_data["new_password1"]
        )
        request.session.pop(RESET_SESSION_KEY, None)
        steps.abandon(request, steps.CUSTOMER)
        messages.success(
            request,
            _("La password è stata aggiornata: accedi con la nuova password."),
        )
        return redirect("accounts:login")
    return render(request, "accounts/reset_confirm.html", {"form": form, "user_login": user.login})
