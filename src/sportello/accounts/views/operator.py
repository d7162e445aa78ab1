"""The operators' login to the back office: password, then the e-mailed code.

The same steps and rules as a customer's login (services.login): the code
goes to the operator's e-mail through the outbox, is valid 5 minutes, once,
for this attempt only; wrong passwords and codes count against the same
limits. The admin's own login page is replaced by these views (urls.py).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from sportello.core.audit import Origin

from .. import throttle
from ..forms.login import CodeForm
from ..models import PortalUser
from ..services import login as services
from . import steps
from .login import TOO_MANY

LOGIN_TEMPLATE = "admin/login.html"
CODE_TEMPLATE = "accounts/operator_otp.html"


def admin_context(request: HttpRequest, **context: object) -> dict[str, object]:
    return {**admin.site.each_context(request), "title": _("Accesso operatori"), **context}


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def operator_login_view(request: HttpRequest) -> HttpResponse:
    """Step 1: username and password of a staff user; a right one e-mails a code."""
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    form = AdminAuthenticationForm(request, data=request.POST if request.method == "POST" else None)
    context = admin_context(
        request, form=form, app_path=request.get_full_path(), next=next_url, username=""
    )
    if request.method == "POST":
        origin = Origin.of(request)
        wait = services.address_wait(origin)
        if wait:
            form.add_error(None, throttle.wait_message(wait))
            return render(request, LOGIN_TEMPLATE, context, status=TOO_MANY)
        if form.is_valid():
            user = form.get_user()
            assert isinstance(user, PortalUser)
            pending = services.start_login(origin, user)
            steps.remember(request, steps.OPERATOR, pending, next_url)
            return redirect("operator_otp")
        failures = getattr(request, "axes_failures_since_start", None)
        username = str(request.POST.get("username", ""))
        services.login_failed(origin, username, failures, operator=True)
    return render(request, LOGIN_TEMPLATE, context)


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def operator_otp_view(request: HttpRequest) -> HttpResponseBase:
    """Step 2: the code e-mailed for this attempt; then the back office."""

    def page(form: CodeForm, user: PortalUser) -> HttpResponse:
        context = admin_context(request, form=form, email=services.mask_email(user.email))
        return render(request, CODE_TEMPLATE, context)

    return steps.code_step(request, steps.OPERATOR_DOOR, page)


@csrf_protect
@never_cache
@require_POST
def operator_otp_resend_view(request: HttpRequest) -> HttpResponseBase:
    """«Invia un nuovo codice», at most once a minute."""
    return steps.resend_code(request, steps.OPERATOR_DOOR)
