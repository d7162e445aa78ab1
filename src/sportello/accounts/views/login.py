"""Login (password, then the e-mailed code), logout, password reset and unlock."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from sportello.accounts.http import CompanyRequest, PortalRequest
from sportello.core.decorators import company_required

from ..forms.login import CodeForm, LoginForm, ResetRequestForm, UnlockForm
from ..forms.passwords import NewPasswordForm
from ..services import login as services
from ..services.login import CodeCheck, NewCode

TOO_MANY = 429


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
@company_required
def login_view(request: CompanyRequest) -> HttpResponse:
    """Step 1: username and password; a right one e-mails a code (A6)."""
    form = LoginForm(request, request.POST or None)
    if request.method == "POST":
        if not services.address_allowed(request):
            form.refuse_for_address()
            return render(request, "accounts/login.html", {"form": form}, status=TOO_MANY)
        if form.is_valid() and form.user is not None:
            services.start_login(request, form.user, request.GET.get("next", ""))
            return redirect("accounts:otp")
        if form.refused:
            services.login_failed(request, str(request.POST.get("login", "")))
    return render(request, "accounts/login.html", {"form": form})


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
@company_required
def otp_view(request: CompanyRequest) -> HttpResponse:
    """Step 2: "Inserisci il codice" e-mailed for this attempt."""
    pending = services.pending_login(request)
    user = services.pending_user(request, pending) if pending is not None else None
    if pending is None or user is None:
        services.abandon_login(request)
        messages.info(request, _("Il tempo per inserire il codice è scaduto: accedi di nuovo."))
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = services.verify_code(request, form.cleaned_data["code"])
        if outcome is CodeCheck.OK:
            return redirect(pending.next_url or "portal:home")
        if outcome is CodeCheck.WRONG:
            form.wrong_code()
        else:
            messages.warning(request, restart_message(outcome))
            return redirect("accounts:login")
    context = {"form": form, "email": services.mask_email(user.email)}
    return render(request, "accounts/otp.html", context)


def restart_message(outcome: CodeCheck) -> str:
    if outcome is CodeCheck.THROTTLED:
        return _("Troppi tentativi: riprova più tardi inserendo di nuovo username e password.")
    if outcome is CodeCheck.VOID:
        return _("Il codice non è più valido: inserisci di nuovo username e password.")
    return _("Il tempo per inserire il codice è scaduto: accedi di nuovo.")


@csrf_protect
@never_cache
@require_POST
@company_required
def otp_resend_view(request: CompanyRequest) -> HttpResponse:
    """«Invia un nuovo codice», at most once a minute."""
    outcome, seconds = services.send_new_code(request)
    if outcome is NewCode.EXPIRED:
        messages.warning(request, restart_message(CodeCheck.EXPIRED))
        return redirect("accounts:login")
    if outcome is NewCode.TOO_EARLY:
        messages.warning(
            request,
            _("Puoi chiedere un nuovo codice tra %(seconds)s secondi.") % {"seconds": seconds},
        )
    else:
        messages.success(request, _("Ti abbiamo inviato un nuovo codice."))
    return redirect("accounts:otp")


@never_cache
@require_http_methods(["GET", "POST"])
@company_required
def logout_view(request: PortalRequest) -> HttpResponse:
    """GET asks for confirmation (the pop-up without JavaScript); POST logs out."""
    if request.method == "POST":
        services.log_out(request)
        return redirect("accounts:login")
    return render(request, "accounts/logout.html")


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
@company_required
def reset_request_view(request: CompanyRequest) -> HttpResponse:
    """«Password dimenticata?»: the same answer whoever the data name (A8)."""
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.request_reset(request, form.cleaned_data["identifier"]):
            return render(request, "accounts/reset_sent.html")
        form.refuse_throttled()
        return render(request, "accounts/reset_request.html", {"form": form}, status=TOO_MANY)
    return render(request, "accounts/reset_request.html", {"form": form})


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
@company_required
def unlock_view(request: CompanyRequest) -> HttpResponse:
    """«Login bloccata / password dimenticata»: contract or customer data (A7)."""
    form = UnlockForm(request.company, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.request_unlock(request, **form.cleaned_data):
            return render(request, "accounts/reset_sent.html")
        form.refuse_throttled()
        return render(request, "accounts/unlock.html", {"form": form}, status=TOO_MANY)
    return render(request, "accounts/unlock.html", {"form": form})


@sensitive_post_parameters("new_password1", "new_password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
@company_required
def reset_confirm_view(request: CompanyRequest, uidb64: str, token: str) -> HttpResponse:
    """The e-mailed link: choose the new password, then log in as usual."""
    user = services.user_for_link(request, uidb64, token)
    if user is None:
        return render(request, "accounts/reset_invalid.html")
    form = NewPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_password_from_link(request, user, form.cleaned_data["new_password1"])
        messages.success(
            request,
            _("La password è stata aggiornata: accedi con la nuova password."),
        )
        return redirect("accounts:login")
    return render(request, "accounts/reset_confirm.html", {"form": form, "user_login": user.login})
