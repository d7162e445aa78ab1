"""Who reaches the customer's request pages: a customer whose company offers them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404
from django.http.response import HttpResponseBase

from sportello.core.decorators import customer_required
from sportello.core.http import SiteRequest


def self_service_required(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """``customer_required``, and a 404 where the company switched requests off.

    Leasing companies and energy sellers (E6) alike; a company without
    self-service requests has no request pages at all: the addresses answer as
    if they did not exist.
    """

    @wraps(view)
    @customer_required
    def wrapper(request: SiteRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.company is None or not request.company.feature_requests:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
