"""Notification preferences (F3) and the one-click unsubscribe of e-mails (RFC 8058)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sportello.accounts.http import CompanyRequest
from sportello.core.audit import Origin
from sportello.core.decorators import company_required, customer_required
from sportello.notices import preferences, unsubscribe
from sportello.notices.models import NotificationPreference

from ..forms.notifications import NotificationPreferencesForm
from .profile import portal_user


@never_cache
@require_http_methods(["GET", "POST"])
@customer_required
def preferences_view(request: CompanyRequest) -> HttpResponse:
    user = portal_user(request)
    channels = NotificationPreference.objects.channels_for(user)
    form = NotificationPreferencesForm(
        channels,
        request.POST if request.method == "POST" else None,
        company_kind=request.company.kind,
    )
    if request.method == "POST" and form.is_valid():
        preferences.set_channels(Origin.of(request), user, form.channels())
        messages.success(request, _("Preferenze di notifica salvate."))
        return redirect("accounts:notification_preferences")
    context = {
        "form": form,
        "mandatory": preferences.MANDATORY_MESSAGES,
        "active_menu": "profile",
    }
    return render(request, "accounts/notification_preferences.html", context)


@csrf_exempt  # RFC 8058: the mailbox provider POSTs with no cookie; the token is the proof.
@never_cache
@require_http_methods(["GET", "POST"])
@company_required
def unsubscribe_view(request: CompanyRequest, token: str) -> HttpResponse:
    """GET asks for confirmation; POST (one click, no login) stops the e-mails at once."""
    unsubscription = unsubscribe.read_token(request.company, token)
    if unsubscription is None:
        return render(request, "accounts/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        unsubscribe.unsubscribe(Origin.of(request), unsubscription)
        return render(request, "accounts/unsubscribe_done.html", {"unsubscription": unsubscription})
    return render(request, "accounts/unsubscribe.html", {"unsubscription": unsubscription})
