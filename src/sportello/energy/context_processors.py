from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selection import select_point


def supply_point(request: HttpRequest) -> dict[str, Any]:
    """The header's supply-point selector, for a utility's logged-in customer (G1)."""
    company = getattr(request, "company", None)
    user = getattr(request, "user", None)
    if company is None or not company.is_utility or not getattr(user, "customer_id", None):
        return {}
    return {"supply": SimpleLazyObject(lambda: select_point(request))}
