"""Portal users: customers' users and sub-users, and operators."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sportello.core.models import Company


class PortalUserManager(UserManager["PortalUser"]):
    def get_by_login(self, company: Company, login: str) -> PortalUser:
        return self.get(company=company, login=login)


class PortalUser(AbstractUser):
    """A person who logs in.

    A customer user belongs to one company and one customer; its ``login`` is
    what it types (the generated customer username, the utility's customer
    code, or ``parent.n`` for a sub-user) and is unique within the company.
    ``username`` is ``<company slug>/<login>`` so it is unique installation-wide.
    An operator is a staff user bound to one or more companies.
    """

    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("società"),
    )
    login = models.CharField(_("nome utente"), max_length=60, blank=True)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("cliente"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sub_users",
        verbose_name=_("username padre"),
    )
    secondary_email = models.EmailField(
        _("e-mail secondaria"),
        blank=True,
        help_text=_("Non PEC: riceve le notifiche delle richieste."),
    )
    # J5: the main user decides whether a sub-user sees every request of the
    # customer or only those it raised itself; a main user sees them all.
    sees_all_requests = models.BooleanField(
        _("vede tutte le richieste del cliente"),
        default=True,
        help_text=_("Per i sotto-utenti: se no, vede solo le richieste che ha aperto."),
    )
    language = models.CharField(
        _("lingua"), max_length=2, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    must_change_password = models.BooleanField(_("deve cambiare password"), default=False)
    registered_at = models.DateTimeField(_("registrato il"), null=True, blank=True)
    temporary_password_expires_at = models.DateTimeField(
        _("password temporanea valida fino al"),
        null=True,
        blank=True,
        help_text=_("Vuoto quando l'utente ha una password definitiva."),
    )
    previous_login = models.DateTimeField(_("ultimo accesso"), null=True, blank=True)
    operator_companies = models.ManyToManyField(
        Company,
        blank=True,
        related_name="operators",
        verbose_name=_("società gestite"),
        help_text=_("Per gli operatori: le società di cui vedono i dati nel back office."),
    )

    objects: ClassVar[PortalUserManager] = PortalUserManager()

    class Meta:
        verbose_name = _("utente")
        verbose_name_plural = _("utenti")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "login"],
                condition=models.Q(company__isnull=False),
                name="unique_login_per_company",
            ),
            models.CheckConstraint(
                condition=models.Q(customer__isnull=True) | models.Q(company__isnull=False),
                name="customer_user_has_company",
            ),
        ]

    def __str__(self) -> str:
        return self.login or self.username

    @property
    def is_sub_user(self) -> bool:
        return self.parent_id is not None

    @property
    def notification_email(self) -> str:
        """Request notices go to the secondary e-mail when set (F3)."""
        return self.secondary_email or self.email

    def set_definitive_password(self, password: str) -> None:
        """The one way a password the person chose is set, and saved.

        First access, reset and unlock links, the profile's change and a
        sub-user's welcome link all end here: any temporary password is gone,
        and every session opened with the old one ends (its hash changed).
        """
        self.set_password(password)
        self.must_change_password = False
        self.temporary_password_expires_at = None
        self.save(
            update_fields=["password", "must_change_password", "temporary_password_expires_at"]
        )

    def clean(self) -> None:
        super().clean()
        if self.customer is not None and self.customer.company_id != self.company_id:
            raise ValidationError({"customer": _("Il cliente appartiene a un'altra società.")})
        if self.parent is not None and self.parent.customer_id != self.customer_id:
            raise ValidationError({"parent": _("Il sotto-utente deve avere il cliente del padre.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.company_id and self.login:
            slug = Company.objects.values_list("slug", flat=True).get(pk=self.company_id)
            self.username = f"{slug}/{self.login}"
        elif not self.login:
            self.login = self.username
        super().save(*args, **kwargs)


class ThrottleCounter(models.Model):
    """One count of ``accounts.throttle`` (failed logins, codes, registrations…)
    for one key in one window; the window is part of the key.

    In the database rather than the cache: Redis here keeps nothing on disk,
    and a counter that a Redis restart set back to zero would give an attacker
    a fresh allowance. Rows are written on failures only and purged hourly
    once their window has ended.
    """

    key = models.CharField(max_length=100, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}={self.count}"
