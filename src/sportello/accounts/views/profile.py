"""Profile (A13, A14), password change (A9) and sub-users (A12).

Sub-users are only ever reached through ``request.user.sub_users``: another
customer's sub-user, or any sub-user asked for by a sub-user, is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from sportello.accounts.http import CompanyRequest
from sportello.core.audit import Origin
from sportello.core.decorators import company_required, customer_required

from ..forms.profile import ChangePasswordForm, ProfileForm, SetPasswordForm, SubUserForm
from ..models import PortalUser
from ..services import profile as services
from .tokens import token_from_session

#: Where the welcome link's token waits, so it never stays in the address bar.
WELCOME_SESSION_KEY = "_sub_user_welcome"


def portal_user(request: CompanyRequest) -> PortalUser:
    user = request.user
    assert isinstance(user, PortalUser)  # customer_required let only a customer in
    return user


def main_user_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Only a customer's main user manages sub-users; for anyone else the page does not exist."""

    @wraps(view)
    @customer_required
    def wrapper(request: CompanyRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if portal_user(request).is_sub_user:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def own_sub_user(request: CompanyRequest, pk: int) -> PortalUser:
    return get_object_or_404(portal_user(request).sub_users.all(), pk=pk)


def profile_context(request: CompanyRequest, form: ProfileForm) -> dict[str, Any]:
    user = portal_user(request)
    context: dict[str, Any] = {"form": form, "active_menu": "profile"}
    if not user.is_sub_user:
        sub_users = list(user.sub_users.order_by("login"))
        context["sub_users"] = [
            (sub_user, SubUserForm(user, instance=sub_user, auto_id=f"sub{sub_user.pk}_%s"))
            for sub_user in sub_users
        ]
        context["add_form"] = SubUserForm(user, auto_id="add_%s")
    return context


@sensitive_post_parameters("current_password")
@never_cache
@require_http_methods(["GET", "POST"])
@customer_required
def profile_view(request: CompanyRequest) -> HttpResponse:
    user = portal_user(request)
    form = ProfileForm(request, user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        change = form.change()
        services.update_profile(Origin.of(request), user, change)
        # The next pages, and this message, in the language just chosen.
        translation.activate(change.language)
        messages.success(request, _("Profilo aggiornato."))
        response = redirect("accounts:profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            change.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
    return render(request, "accounts/profile.html", profile_context(request, form))


@sensitive_post_parameters("current_password", "new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
@customer_required
def password_change_view(request: CompanyRequest) -> HttpResponse:
    user = portal_user(request)
    form = ChangePasswordForm(request, user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.change_password(Origin.of(request), user, form.cleaned_data["new_password1"])
        # This session goes on under a new id; every other one ended with the old hash.
        update_session_auth_hash(request, user)
        messages.success(
            request, _("Password modificata. Gli altri accessi aperti sono stati chiusi.")
        )
        return redirect("accounts:profile")
    return render(
        request, "accounts/profile_password.html", {"form": form, "active_menu": "profile"}
    )


@never_cache
@require_http_methods(["GET", "POST"])
@main_user_required
def sub_user_add_view(request: CompanyRequest) -> HttpResponse:
    user = portal_user(request)
    form = SubUserForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        sub_user = services.create_sub_user(Origin.of(request), user, form.data_for_service())
        messages.success(
            request,
            _("Sotto utente %(login)s aggiunto: riceverà un'e-mail per scegliere la password.")
            % {"login": sub_user.login},
        )
        return redirect("accounts:profile")
    return render(
        request, "accounts/sub_user_form.html", {"form": form, "sub_user": None, "parent": user}
    )


@never_cache
@require_http_methods(["GET", "POST"])
@main_user_required
def sub_user_edit_view(request: CompanyRequest, pk: int) -> HttpResponse:
    user = portal_user(request)
    sub_user = own_sub_user(request, pk)
    form = SubUserForm(user, request.POST if request.method == "POST" else None, instance=sub_user)
    if request.method == "POST" and form.is_valid():
        services.update_sub_user(Origin.of(request), sub_user, form.data_for_service())
        messages.success(
            request, _("Sotto utente %(login)s aggiornato.") % {"login": sub_user.login}
        )
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/sub_user_form.html",
        {"form": form, "sub_user": sub_user, "parent": user},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@main_user_required
def sub_user_delete_view(request: CompanyRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation (the dialog without JavaScript); POST deletes."""
    sub_user = own_sub_user(request, pk)
    if request.method == "POST":
        login = sub_user.login
        services.delete_sub_user(Origin.of(request), sub_user)
        messages.success(request, _("Sotto utente %(login)s eliminato.") % {"login": login})
        return redirect("accounts:profile")
    return render(request, "accounts/sub_user_delete.html", {"sub_user": sub_user})


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
@company_required
def sub_user_set_password_view(
    request: CompanyRequest, uidb64: str, token: str
) -> HttpResponseBase:
    """The welcome link. Like Django's reset view, the token moves from the address
    into the session at once, so it leaks through no Referer, log or browser history."""
    token_or_redirect = token_from_session(
        request, WELCOME_SESSION_KEY, "accounts:sub_user_set_password", uidb64, token
    )
    if not isinstance(token_or_redirect, str):
        return token_or_redirect
    sub_user = services.welcome_link_user(request.company, uidb64, token_or_redirect)
    if sub_user is None:
        return render(request, "accounts/sub_user_set_password.html", {"valid_link": False})
    form = SetPasswordForm(request, sub_user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.set_sub_user_password(
            Origin.of(request), sub_user, form.cleaned_data["new_password1"]
        )
        del request.session[WELCOME_SESSION_KEY]
        messages.success(
            request, _("Password impostata. Ora puoi accedere con il tuo nome utente.")
        )
        return redirect("accounts:login")
    return render(
        request,
        "accounts/sub_user_set_password.html",
        {"valid_link": True, "form": form, "sub_user": sub_user},
    )
