from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sportello.accounts.services.registration import invite_customers
from sportello.core.admin import CompanyScopedAdmin

from .models import Customer


@admin.register(Customer)
class CustomerAdmin(CompanyScopedAdmin):
    list_display = ["code", "name", "kind", "codice_fiscale", "partita_iva", "company"]
    list_filter = ["company", "kind"]
    search_fields = ["code", "name", "codice_fiscale", "partita_iva", "pec"]
    actions = ["invite"]

    def has_invite_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("accounts.add_portaluser")

    @admin.action(description=gettext_lazy("Invita all'area clienti"), permissions=["invite"])
    def invite(self, request: HttpRequest, queryset: QuerySet[Customer]) -> None:
        """A3: the credentials go to each customer's PEC; the others are named and skipped."""
        result = invite_customers(request, list(queryset.select_related("company")))
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
                _("Non invitati (senza PEC o già registrati): %(codes)s.") % {"codes": codes},
                messages.WARNING,
            )
