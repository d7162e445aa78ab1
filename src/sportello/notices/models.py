"""Notifications: company broadcasts and service-desk messages, with read receipts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sportello.core.models import Company


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user: object) -> NotificationQuerySet:
        """Broadcasts of the user's company and the user's own notices."""
        if not getattr(user, "is_authenticated", False) or not getattr(user, "customer_id", None):
            return self.none()
        company_id = getattr(user, "company_id", None)
        return self.filter(
            Q(recipient=user) | Q(recipient__isnull=True, company_id=company_id),
            published_at__isnull=False,
        )


class Notification(models.Model):
    """A broadcast (no recipient: every customer of the company) or a personal notice.

    The subject shown is "<Company> – <title>" for a broadcast and
    "<request code> – <title>" for a service-desk message (F2).
    """

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("società")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    request = models.ForeignKey(
        "servicedesk.ServiceRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    title = models.CharField(_("titolo"), max_length=200)
    body = models.TextField(_("testo"), blank=True)
    published_at = models.DateTimeField(_("pubblicata il"), null=True, blank=True, db_index=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notifica")
        verbose_name_plural = _("notifiche")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(request__isnull=True) | Q(recipient__isnull=False),
                name="request_notice_has_recipient",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_broadcast(self) -> bool:
        return self.recipient_id is None

    @property
    def subject(self) -> str:
        prefix = self.request.code if self.request_id and self.request else self.company.name
        return f"{prefix} – {self.title}"


class NotificationRead(models.Model):
    """A user's read receipt for one notification."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="reads", verbose_name=_("notifica")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lettura")
        verbose_name_plural = _("letture")
        constraints = [
            models.UniqueConstraint(fields=["notification", "user"], name="one_read_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.notification_id}"
