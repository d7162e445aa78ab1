"""Who a notification reaches and where it leads: the notices app's two hooks (F1, F4).

A broadcast is stored once with a segment key; a customer sees it when the key
is one of its own. The keys come from contracts, schedules and supply points,
which the notices app (a lower floor) may not import: the portal computes them
and registers these functions in ``PortalConfig.ready``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from sportello.billing.models import ScheduleEntry
from sportello.billing.services import overdue_on, published_invoices
from sportello.customers.models import Customer
from sportello.energy.models import Commodity, SupplyPoint
from sportello.leasing.models import Contract
from sportello.notices.models import Audience, Notification, audience_key
from sportello.servicedesk.models import ServiceRequest


def cache_key(user_id: int) -> str:
    return f"notice-audience:{user_id}"


def audience_keys(user: Any) -> list[str]:
    """The segments of the user's customer, cached a few minutes so the badge stays cheap:
    "all", the company's kind, "product:<code>", "province:<XX>", "overdue",
    "electricity", "gas"."""
    if not getattr(user, "customer_id", None):
        return []
    key = cache_key(user.pk)
    keys: list[str] | None = cache.get(key)
    if keys is None:
        keys = _compute(user.customer_id)
        cache.set(key, keys, settings.NOTIFICATIONS_AUDIENCE_CACHE_SECONDS)
    return keys


def _compute(customer_id: int) -> list[str]:
    """Two queries: the customer with its flags, and its contracts' products."""
    today = timezone.localdate()
    points = SupplyPoint.objects.filter(customer_id=OuterRef("pk"))
    customer = (
        Customer.objects.select_related("company")
        .annotate(
            overdue=Exists(
                ScheduleEntry.objects.filter(contract__customer_id=OuterRef("pk")).filter(
                    overdue_on(today)
                )
            ),
            electricity=Exists(points.filter(commodity=Commodity.ELECTRICITY)),
            gas=Exists(points.filter(commodity=Commodity.GAS)),
        )
        .get(pk=customer_id)
    )
    keys = [audience_key(Audience.ALL), audience_key(customer.company.kind)]
    if customer.province:
        keys.append(audience_key(Audience.PROVINCE, customer.province.upper()))
    products = (
        Contract.objects.filter(customer_id=customer_id)
        .values_list("product__code", flat=True)
        .distinct()
        .order_by()
    )
    keys += [audience_key(Audience.PRODUCT, code) for code in products]
    flags = [
        (getattr(customer, "overdue", False), Audience.OVERDUE),
        (getattr(customer, "electricity", False), Audience.ELECTRICITY),
        (getattr(customer, "gas", False), Audience.GAS),
    ]
    keys += [audience_key(audience) for present, audience in flags if present]
    return keys


def target_url(notification: Notification, user: Any) -> str | None:
    """Where a notice leads: its request or its invoice if the user may still see
    it (None otherwise); "" for a notice without an object (a broadcast)."""
    company = notification.company
    if notification.request is not None:
        visible = (
            company.feature_requests
            and ServiceRequest.objects.for_user(user).filter(pk=notification.request.pk).exists()
        )
        return reverse("servicedesk:detail", args=[notification.request.code]) if visible else None
    if notification.invoice_id:
        # Either kind of company: a utility's bill leads to its supply point's list.
        invoices = published_invoices(user, company, timezone.now())
        invoice = invoices.filter(pk=notification.invoice_id).only("number", "supply_point").first()
        return invoice.list_url() if invoice is not None else None
    return ""
