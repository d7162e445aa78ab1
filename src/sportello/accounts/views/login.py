from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from sportello.core.decorators import company_required
from sportello.core.http import PortalRequest

from ..forms.login import LoginForm
from ..services import login as services


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
@company_required
def login_view(request: PortalRequest) -> HttpResponse:
    form = LoginForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid() and form.user is not None:
        services.log_in(request, form.user)
        return redirect("core:home")
    return render(request, "accounts/login.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
@company_required
def logout_view(request: PortalRequest) -> HttpResponse:
    """GET asks for confirmation (the pop-up without JavaScript); POST logs out."""
    if request.method == "POST":
        services.log_out(request)
        return redirect("accounts:login")
    return render(request, "accounts/logout.html")
