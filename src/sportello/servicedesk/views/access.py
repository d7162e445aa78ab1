"""Who reaches the customer's request pages: a leasing customer whose company offers them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404
from django.http.response import HttpResponseBase

from sportello.core.decorators import leasing_customer_required
from sportello.core.http import SiteRequest


def self_service_required(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """``leasing_customer_required``, and a 404 where the company switched requests off.

    A company without self-service requests has no request pages at all: the
    addresses answer as if they did not exist, as the utility's do until E6.
    """

    @wraps(view)
    @leasing_customer_required
    def wrapper(request: SiteRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.company is None or not request.company.feature_requests:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
