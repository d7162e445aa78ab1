"""The back office. Operators see only the rows of the companies they are bound to."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import audit, outbox
from .models import AuditEvent, Company, CompanyHost, FaqEntry, OutboxEmail, PeriodicJobRun

admin.site.site_header = _("Sportello – back office")
admin.site.site_title = _("Sportello")


def operator_company_ids(request: HttpRequest) -> list[int] | None:
    """The companies the user may see; None means all (superuser)."""
    user = request.user
    if user.is_superuser:
        return None
    companies = getattr(user, "operator_companies", None)
    return [] if companies is None else list(companies.values_list("pk", flat=True))


class CompanyScopedAdmin(admin.ModelAdmin[Any]):
    """A ModelAdmin whose rows and choices are limited to the operator's companies.

    ``company_path`` is the lookup from the model to its company.
    """

    company_path = "company"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        ids = operator_company_ids(request)
        if ids is None:
            return queryset
        return queryset.filter(**{f"{self.company_path}__in": ids})

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        ids = operator_company_ids(request)
        if field is not None and field.queryset is not None and ids is not None:
            field.queryset = scope_choices(field.queryset, ids)
        return field

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField[Any] | None:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        ids = operator_company_ids(request)
        if field is not None and field.queryset is not None and ids is not None:
            field.queryset = scope_choices(field.queryset, ids)
        return field

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        # A plain related filter lists every row of the related model: an operator
        # would read the other companies' names in the side bar. Offer only the
        # values that occur in the rows the operator may see.
        filters = list(super().get_list_filter(request))
        if operator_company_ids(request) is None:
            return filters
        return [self._scoped_list_filter(item) for item in filters]

    def _scoped_list_filter(self, item: Any) -> Any:
        if not isinstance(item, str):
            return item
        try:
            field = get_fields_from_path(self.model, item)[-1]
        except FieldDoesNotExist:
            return item
        related = getattr(field, "related_model", None)
        if related is not None and related._meta.label_lower in CHOICE_COMPANY_PATHS:
            return (item, admin.RelatedOnlyFieldListFilter)
        return item

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit.record(
            "admin.change" if change else "admin.add",
            request=request,
            company=company_of(obj, self.company_path),
            obj=obj,
            fields=sorted(form.changed_data),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit.record(
            "admin.delete", request=request, company=company_of(obj, self.company_path), obj=obj
        )
        super().delete_model(request, obj)


def company_of(obj: Any, path: str) -> Company | None:
    current = obj
    for part in path.split("__"):
        current = getattr(current, part, None)
    return current if isinstance(current, Company) else None


# How each model that can be chosen in a form reaches its company.
CHOICE_COMPANY_PATHS = {
    "core.company": "pk",
    "customers.customer": "company",
    "leasing.contract": "company",
    "billing.invoice": "company",
    "servicedesk.servicerequest": "company",
    "servicedesk.requesttype": "company",
    "energy.supplypoint": "company",
    "accounts.portaluser": "company",
}


def scope_choices(queryset: QuerySet[Any], ids: list[int]) -> QuerySet[Any]:
    path = CHOICE_COMPANY_PATHS.get(queryset.model._meta.label_lower)
    if path is None:
        return queryset
    return queryset.filter(**{f"{path}__in": ids})


class CompanyHostInline(admin.TabularInline[CompanyHost, Company]):
    model = CompanyHost
    extra = 0


@admin.register(Company)
class CompanyAdmin(CompanyScopedAdmin):
    company_path = "pk"
    list_display = ["name", "kind", "support_email", "first_invoice_year"]
    inlines = [CompanyHostInline]
    actions = ["send_test_email"]
    fieldsets = [
        (None, {"fields": ["slug", "name", "kind", "legal_footer"]}),
        (_("Marchio"), {"fields": ["logo", "primary_colour", "accent_colour"]}),
        (
            _("Contatti"),
            {"fields": ["support_email", "phone", "commercial_contacts", "commercial_contacts_en"]},
        ),
        (_("Regole"), {"fields": ["first_invoice_year", "pec_domains"]}),
        (_("Guida operativa"), {"fields": ["guide", "guide_en"]}),
        (
            _("Dichiarazione di accessibilità"),
            {
                "fields": [
                    "accessibility_conformity",
                    "accessibility_issues",
                    "accessibility_issues_en",
                    "accessibility_feedback_email",
                    "accessibility_feedback_url",
                    "accessibility_reviewed_on",
                    "accessibility_review_method",
                ]
            },
        ),
        (
            _("Funzioni"),
            {
                "fields": [
                    "feature_requests",
                    "feature_sub_users",
                    "feature_transparency",
                    "feature_self_reading",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Operators edit their brand and content; the tenant's identity is the superuser's.
        return [] if request.user.is_superuser else ["slug", "kind"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    @admin.action(description=_("Invia una e-mail di prova all'indirizzo di assistenza"))
    def send_test_email(self, request: HttpRequest, queryset: QuerySet[Company]) -> None:
        for company in queryset:
            outbox.queue_templated_email(
                "test",
                to=[company.support_email],
                context={"operator": request.user.get_username()},
                company=company,
            )
            audit.record("admin.test_email", request=request, company=company, obj=company)
        self.message_user(request, _("E-mail di prova accodate."), messages.SUCCESS)


@admin.register(FaqEntry)
class FaqEntryAdmin(CompanyScopedAdmin):
    list_display = ["question", "company", "language", "position"]
    list_filter = ["company", "language"]


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin, CompanyScopedAdmin):
    list_display = ["created_at", "company", "actor_label", "action", "object_label", "ip_address"]
    list_filter = ["action", "company"]
    search_fields = ["actor_label", "object_label", "action"]
    date_hierarchy = "created_at"


@admin.register(OutboxEmail)
class OutboxEmailAdmin(ReadOnlyAdmin, CompanyScopedAdmin):
    list_display = ["created_at", "company", "subject", "status", "attempts", "sent_at"]
    list_filter = ["company"]
    search_fields = ["subject"]
    # Bodies can hold one-time passwords and codes: nobody reads them here.
    exclude = ["body_text", "body_html"]


@admin.register(PeriodicJobRun)
class PeriodicJobRunAdmin(ReadOnlyAdmin):
    list_display = ["name", "last_started_at", "last_finished_at"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser
