"""The customer's notifications (F1, F2): the bell's badge and pop-up, the list, one notice.

Every notification is reached through ``Notification.objects.for_user`` (in
``reading.visible``): another customer's id is a 404. A notice whose request
or invoice is gone, or no longer the user's to see, opens a "no longer
available" page, never a 404 or a 500.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.views.decorators.http import require_POST, require_safe

from sportello.core.decorators import background_poll, customer_required
from sportello.core.http import CompanySiteRequest
from sportello.core.pagination import paginate

from . import hooks, reading
from .forms import NotificationFilterForm


@require_safe
@background_poll
@customer_required
def badge(request: CompanySiteRequest) -> HttpResponse:
    """The badge alone, for htmx: a 304 with no body while nothing changed."""
    state = reading.badge(request.user)
    etag = f'"{get_language()}-{state.etag}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = render(request, "notices/badge.html", {"badge": state})
    response.headers["ETag"] = etag
    return response


@require_safe
@customer_required
def latest(request: CompanySiteRequest) -> HttpResponse:
    """The bell's pop-up: the last five, newest first."""
    rows = reading.latest(request.user)
    return render(request, "notices/latest.html", {"notifications": rows})


@require_safe
@customer_required
def notification_list(request: CompanySiteRequest) -> HttpResponse:
    form = NotificationFilterForm(request.GET)
    unread_only, kind = form.unread_only(), form.chosen_kind()
    page = paginate(request, reading.chosen(request.user, unread_only, kind))
    context = {
        "active_menu": "notifications",
        "form": form,
        "page": page,
        "filtered": unread_only or bool(kind),
        "unread_here": reading.chosen(request.user, True, kind).count(),
    }
    return render(request, "notices/list.html", context)


@require_POST
@customer_required
def mark_all_read(request: CompanySiteRequest) -> HttpResponse:
    """Reads every unread notification of the list's current filter."""
    form = NotificationFilterForm(request.POST)
    rows = reading.chosen(request.user, form.unread_only(), form.chosen_kind())
    done = reading.mark_all_read(rows, request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d notifica segnata come letta.",
            "%(count)d notifiche segnate come lette.",
            done,
        )
        % {"count": done},
    )
    query = {"unread": "1"} if form.unread_only() else {}
    if kind := form.chosen_kind():
        query["kind"] = kind
    return redirect(f"{reverse('notices:list')}?{urlencode(query)}")


@require_safe
@customer_required
def open_notification(request: CompanySiteRequest, pk: int) -> HttpResponseBase:
    """Marks the notification read and goes to its object, or shows it."""
    visible = reading.visible(request.user).select_related("company", "request")
    found = visible.filter(pk=pk).first()
    if found is None:
        if reading.was_visible(request.user, pk):
            # Withdrawn, expired, or no longer the user's to see: say so, show nothing.
            return render(request, "notices/gone.html", {}, status=410)
        raise Http404
    reading.mark_read(found, request.user)
    target = hooks.target_url(found, request.user)
    if target is None:
        return render(request, "notices/gone.html", {"notification": found}, status=410)
    if target:
        return redirect(target)
    language = get_language() or "it"
    context = {
        "notification": found,
        "title": found.title_in(language),
        "body": found.body_in(language),
        "active_menu": "notifications",
    }
    return render(request, "notices/detail.html", context)
