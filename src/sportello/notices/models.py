"""Notifications: company broadcasts and service-desk messages, with read receipts."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sportello.core.models import Company

if TYPE_CHECKING:
    from sportello.accounts.models import PortalUser


class Category(models.TextChoices):
    """What a notification is about: the unit of the preferences (F3)."""

    REQUESTS = "requests", _("Risposte alle richieste")
    BROADCASTS = "broadcasts", _("Comunicazioni della società")
    DOCUMENTS = "documents", _("Nuove fatture e documenti")
    SELF_READING = "self_reading", _("Finestre di autolettura")
    PAYMENT_REMINDERS = "payment_reminders", _("Promemoria di pagamento")


class Audience(models.TextChoices):
    """Who a broadcast is for; ``audience_value`` names the product or the province."""

    ALL = "all", _("Tutti i clienti")
    LEASING = "leasing", _("Clienti leasing")
    UTILITY = "utility", _("Clienti energia e gas")
    PRODUCT = "product", _("Clienti con un prodotto")
    PROVINCE = "province", _("Clienti di una provincia")
    OVERDUE = "overdue", _("Clienti con pagamenti scaduti")
    ELECTRICITY = "electricity", _("Clienti con punti di fornitura elettrici")
    GAS = "gas", _("Clienti con punti di fornitura gas")


def bilingual_fields(**fields: Callable[[], str]) -> dict[str, str]:
    """A notice's text fields written in Italian and in English, for the bell to pick.

    ``bilingual_fields(title=lambda: _("..."))`` gives ``{"title": "...", "title_en": "..."}``:
    each callable runs once per language, with that language active.
    """
    texts: dict[str, str] = {}
    for language, suffix in (("it", ""), ("en", "_en")):
        with translation.override(language):
            texts.update({f"{name}{suffix}": make() for name, make in fields.items()})
    return texts


def audience_key(audience: str, value: str = "") -> str:
    """The key a broadcast is stored under and a customer is matched by: ``province:MI``."""
    return f"{audience}:{value}" if value else audience


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(
        self, user: object, audience_keys: Iterable[str] = ("all",)
    ) -> NotificationQuerySet:
        """What ``user`` may see now: its own notices and its company's live broadcasts.

        ``audience_keys``: the segments the user's customer belongs to
        (``audience_key`` values, computed where contracts, schedules and supply
        points are known); a broadcast reaches the user when its key is one of
        them. A sub-user set to see only its own requests sees only the notices
        of those (J5).
        """
        if not getattr(user, "is_authenticated", False) or not getattr(user, "customer_id", None):
            return self.none()
        now = timezone.now()
        company_id = getattr(user, "company_id", None)
        own = Q(recipient=user)
        if getattr(user, "parent_id", None) and not getattr(user, "sees_all_requests", True):
            own &= Q(request__isnull=True) | Q(request__author=user)
        broadcasts = Q(
            recipient__isnull=True,
            company_id=company_id,
            audience__in=list(audience_keys),
        ) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        return self.filter(own | broadcasts, published_at__isnull=False, published_at__lte=now)

    def broadcasts(self) -> NotificationQuerySet:
        return self.filter(recipient__isnull=True)


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
    invoice = models.ForeignKey(
        "billing.Invoice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    category = models.CharField(
        _("categoria"), max_length=20, choices=Category.choices, default=Category.REQUESTS
    )
    # Complaint answers, contract and transparency communications: sent whatever
    # the preferences say (F3).
    is_mandatory = models.BooleanField(_("obbligatoria"), default=False)
    title = models.CharField(_("titolo"), max_length=200)
    title_en = models.CharField(_("titolo (inglese)"), max_length=200, blank=True)
    body = models.TextField(_("testo"), blank=True)
    body_en = models.TextField(_("testo (inglese)"), blank=True)
    link = models.URLField(_("link"), blank=True)
    is_important = models.BooleanField(_("importante"), default=False)
    # Broadcasts only: ``audience_key(audience, value)``, e.g. "all", "province:MI".
    audience = models.CharField(_("destinatari"), max_length=60, default=Audience.ALL)
    published_at = models.DateTimeField(_("pubblicata il"), null=True, blank=True, db_index=True)
    expires_at = models.DateTimeField(_("scade il"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("creata da"),
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notifica")
        verbose_name_plural = _("notifiche")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-published_at"], name="notice_recipient_recent"),
            models.Index(fields=["company", "audience", "-published_at"], name="notice_broadcasts"),
        ]
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

    def title_in(self, language: str) -> str:
        return self.title_en if language.startswith("en") and self.title_en else self.title

    def body_in(self, language: str) -> str:
        return self.body_en if language.startswith("en") and self.body_en else self.body

    @property
    def subject(self) -> str:
        """ "<Company> – <title>" or "<request code> – <title>", in the active language."""
        prefix = self.request.code if self.request_id and self.request else self.company.name
        return f"{prefix} – {self.title_in(get_language() or 'it')}"


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


class Channel(models.TextChoices):
    """How a user hears of a category's notices. The bell lists every notice whatever
    the channel: channels only decide the e-mail (F3: "off" stops the e-mail, not the bell)."""

    PORTAL = "portal", _("Solo nel portale")
    EMAIL = "email", _("E-mail subito")
    DIGEST = "digest", _("Riepilogo giornaliero")
    OFF = "off", _("Disattivata")


#: The channel of a category when the user chose none. Broadcasts go in the daily
#: digest: one e-mail a day at most for what the company writes to everybody;
#: what concerns the user alone goes at once.
DEFAULT_CHANNELS: dict[str, str] = {
    Category.REQUESTS: Channel.EMAIL,
    Category.BROADCASTS: Channel.DIGEST,
    Category.DOCUMENTS: Channel.EMAIL,
    Category.SELF_READING: Channel.EMAIL,
    Category.PAYMENT_REMINDERS: Channel.EMAIL,
}


class NotificationPreferenceQuerySet(models.QuerySet["NotificationPreference"]):
    def channels_for(self, user: PortalUser) -> dict[str, str]:
        """Every category's channel for ``user``: the chosen one, else the default."""
        chosen = dict(self.filter(user=user).values_list("category", "channel"))
        return {
            category: chosen.get(category, default)
            for category, default in DEFAULT_CHANNELS.items()
        }


class NotificationPreference(models.Model):
    """A user's chosen channel for one category; no row means ``DEFAULT_CHANNELS``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    category = models.CharField(_("categoria"), max_length=20, choices=Category.choices)
    channel = models.CharField(_("canale"), max_length=10, choices=Channel.choices)
    updated_at = models.DateTimeField(_("aggiornata il"), auto_now=True)

    objects = NotificationPreferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("preferenza di notifica")
        verbose_name_plural = _("preferenze di notifica")
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="one_channel_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.category}: {self.channel}"


class DigestCursor(models.Model):
    """Up to when a user's daily digest has covered: the next one starts there.

    Moved forward in the same transaction that queues the digest, by an update
    that only succeeds if nobody moved it first, so a digest is never sent twice.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_cursor"
    )
    sent_until = models.DateTimeField(_("riepilogo fino al"))

    class Meta:
        verbose_name = _("riepilogo giornaliero")
        verbose_name_plural = _("riepiloghi giornalieri")

    def __str__(self) -> str:
        return f"{self.user_id} {self.sent_until:%Y-%m-%d %H:%M}"


class BroadcastMailing(models.Model):
    """A broadcast's immediate e-mails were queued: written once, so they go out once."""

    notification = models.OneToOneField(
        Notification, on_delete=models.CASCADE, related_name="mailing"
    )
    queued_at = models.DateTimeField(_("accodata il"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("destinatari"), default=0)

    class Meta:
        verbose_name = _("invio di una comunicazione")
        verbose_name_plural = _("invii delle comunicazioni")

    def __str__(self) -> str:
        return f"{self.notification_id} {self.queued_at:%Y-%m-%d %H:%M}"
