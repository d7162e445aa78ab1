"""What the notices' tests share: a desk answer, a broadcast, a choice of channel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from tests.factories import Tenant, make_operator

from sportello.accounts.models import PortalUser
from sportello.core.audit import Origin
from sportello.notices.models import Category, Notification, NotificationPreference
from sportello.servicedesk import services
from sportello.servicedesk.models import RequestKind, ServiceRequest


def open_request(tenant: Tenant, kind: str = RequestKind.FREE) -> ServiceRequest:
    return services.open_request(
        Origin(tenant.company, tenant.user, "192.0.2.1"), tenant.customer, kind, title="Copia"
    )


def desk_answers(tenant: Tenant, request: ServiceRequest) -> None:
    operator = make_operator(tenant.company, permissions=[])
    services.desk_reply(Origin(tenant.company, operator), request, "Le abbiamo risposto.")


def broadcast(tenant: Tenant, title: str = "Uffici chiusi", **fields: Any) -> Notification:
    fields.setdefault("published_at", timezone.now() - dt.timedelta(minutes=1))
    return Notification.objects.create(
        company=tenant.company,
        category=fields.pop("category", Category.BROADCASTS),
        title=title,
        body=fields.pop("body", "Gli uffici restano chiusi venerdì."),
        **fields,
    )


def choose(user: PortalUser, category: str, channel: str) -> None:
    NotificationPreference.objects.update_or_create(
        user=user, category=category, defaults={"channel": channel}
    )
