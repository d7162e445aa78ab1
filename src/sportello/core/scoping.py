"""Owner-scoped lookups: the only way a customer view reaches an object.

Every customer-owned model's manager is built from ``OwnedQuerySet`` and
names the path to its customer; views call ``get_for_user`` or
``Model.objects.for_user(user)``, never ``Model.objects.get(pk=...)``.
"""

from __future__ import annotations

from typing import Any, Self

from django.db import models
from django.http import Http404


class OwnedQuerySet[M: models.Model](models.QuerySet[M]):
    """A queryset that can narrow itself to what one portal user may see."""

    #: The lookup path from the model to its ``customers.Customer``.
    customer_path = "customer"

    def for_customer(self, customer_id: int | None) -> Self:
        if customer_id is None:
            return self.none()
        return self.filter(**{f"{self.customer_path}_id": customer_id})

    def for_user(self, user: Any) -> Self:
        """Rows of the user's customer (a sub-user sees its parent's customer)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.for_customer(getattr(user, "customer_id", None))


def get_for_user[M: models.Model](
    source: type[M] | OwnedQuerySet[M], user: Any, **lookup: Any
) -> M:
    """The one object matching ``lookup`` that ``user`` owns, else 404."""
    queryset = source if isinstance(source, OwnedQuerySet) else source._default_manager.all()
    if not isinstance(queryset, OwnedQuerySet):
        raise TypeError(f"{queryset.model.__name__} is not owner-scoped.")
    try:
        found: M = queryset.for_user(user).get(**lookup)
        return found
    except queryset.model.DoesNotExist:
        raise Http404 from None
