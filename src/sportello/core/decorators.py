"""Decorators for views of the customer area."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.http.response import HttpResponseBase

from .http import SiteRequest
from .middleware import BACKGROUND_POLL


def company_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """The view exists only on a company's host."""

    @wraps(view)
    def wrapper(request: SiteRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.company is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def customer_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A logged-in user of a customer of this host's company; else to the login page."""

    @wraps(view)
    @company_required
    def wrapper(request: SiteRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated or not getattr(request.user, "customer_id", None):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def leasing_customer_required(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """A customer of a leasing company, as ``customer_required``; a 404 on a utility's portal.

    The leasing pages (contracts, payment schedule, statements) speak of leases:
    on a utility's portal their addresses answer as if they did not exist.
    """

    @wraps(view)
    @customer_required
    def wrapper(request: SiteRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.company is None or not request.company.is_leasing:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def utility_customer_required(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """A customer of a utility, as ``customer_required``; a 404 on a leasing portal."""

    @wraps(view)
    @customer_required
    def wrapper(request: SiteRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.company is None or not request.company.is_utility:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def background_poll(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A request a page makes on its own (a badge refreshing): it does not renew the
    session's idle limit, so an open tab does not keep a session alive."""

    @wraps(view)
    def wrapper(request: SiteRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        setattr(request, BACKGROUND_POLL, True)
        return view(request, *args, **kwargs)

    return wrapper
