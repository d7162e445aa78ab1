from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_email.models import EmailDevice

from sportello.core.admin import CompanyScopedAdmin, operator_company_ids
from sportello.core.audit import Origin
from sportello.customers.models import Customer

from .models import PortalUser
from .services.registration import invite_customers


@admin.register(PortalUser)
class PortalUserAdmin(CompanyScopedAdmin, UserAdmin[PortalUser]):
    list_display = ["username", "first_name", "last_name", "email", "customer", "is_staff"]
    list_filter = ["company", "is_staff", "is_active"]
    search_fields = ["username", "login", "first_name", "last_name", "email"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Area clienti"), {"fields": ["company", "login", "customer", "parent", "language"]}),
        (
            _("Dati personali"),
            {"fields": ["first_name", "last_name", "email", "secondary_email"]},
        ),
        (
            _("Permessi"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "operator_companies"]},
        ),
        (_("Date"), {"fields": ["last_login", "previous_login", "date_joined"]}),
    ]
    readonly_fields = ["username", "last_login", "previous_login", "date_joined"]
    actions = ["unlock_access"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # Customers' users of the operator's companies; other staff stay invisible.
        queryset = super().get_queryset(request)
        if operator_company_ids(request) is not None:
            queryset = queryset.filter(is_staff=False)
        return queryset

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # A customer's password is the customer's: operators unlock accounts and
        # customers choose a new password through the e-mailed link.
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(self.readonly_fields)
        if not request.user.is_superuser:
            fields += ["is_staff", "is_superuser", "groups", "operator_companies", "company"]
        return fields

    @admin.action(description=_("Sblocca l'accesso"), permissions=["change"])
    def unlock_access(self, request: HttpRequest, queryset: QuerySet[PortalUser]) -> None:
        """Lifts the lockout after three failed passwords (A7), audited per user."""
        from .services.login import unlock_by_operator

        unlocked = sum(unlock_by_operator(Origin.of(request), user) for user in queryset)
        self.message_user(
            request,
            ngettext("%(count)d utente sbloccato.", "%(count)d utenti sbloccati.", unlocked)
            % {"count": unlocked},
            messages.SUCCESS,
        )


# A login's e-mail device lives only while its code is awaited (services.login):
# nothing to manage, and django-otp's admin page is not scoped by company.
admin.site.unregister(EmailDevice)


# Permission groups are the platform's, not a company's: an operator who could edit
# them would grant itself any permission, and would read the groups of every company.
admin.site.unregister(Group)


@admin.register(Group)
class PlatformGroupAdmin(GroupAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


# The customers' admin lives here, not in the customers app: its invitation
# action is an accounts workflow, and customers stands below accounts.
@admin.register(Customer)
class CustomerAdmin(CompanyScopedAdmin):
    list_display = ["code", "name", "kind", "codice_fiscale", "partita_iva", "company"]
    list_filter = ["company", "kind"]
    search_fields = ["code", "name", "codice_fiscale", "partita_iva", "pec"]
    actions = ["invite"]

    def has_invite_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("accounts.add_portaluser")

    @admin.action(description=_("Invita all'area clienti"), permissions=["invite"])
    def invite(self, request: HttpRequest, queryset: QuerySet[Customer]) -> None:
        """A3: the credentials go to each customer's PEC; the others are named and skipped."""
        result = invite_customers(Origin.of(request), list(queryset.select_related("company")))
        if result.invited:
            self.message_user(
                request,
                ngettext(
                    "Invito inviato alla PEC di %(count)d cliente.",
                    "Invito inviato alla PEC di %(count)d clienti.",
                    len(result.invited),
                )
                % {"count": len(result.invited)},
                messages.SUCCESS,
            )
        if result.skipped:
            codes = ", ".join(customer.code for customer in result.skipped)
            self.message_user(
                request,
                gettext_now("Non invitati (senza PEC o già registrati): %(codes)s.")
                % {"codes": codes},
                messages.WARNING,
            )
