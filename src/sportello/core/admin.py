"""The back office. Operators see only the rows of the companies they are bound to."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.options import BaseModelAdmin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelChoiceField, ModelMultipleChoiceField
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
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


# Models that belong to the platform rather than to a company: offered unfiltered.
# Any other model that cannot be traced to a company offers no choice at all to an
# operator (fail closed), so a new relation never opens a window on another company.
PLATFORM_MODELS = frozenset({"auth.group", "auth.permission", "contenttypes.contenttype"})


def company_path_for(model: type[models.Model]) -> str | None:
    """The lookup from ``model`` to its company, or None when it has none.

    The registered admin's ``company_path`` says it; a model without a scoped admin
    reaches its company through a field named ``company``.
    """
    if model is Company:
        return "pk"
    model_admin = admin.site._registry.get(model)
    if isinstance(model_admin, CompanyScopedAdmin):
        return model_admin.company_path
    try:
        field = model._meta.get_field("company")
    except FieldDoesNotExist:
        return None
    return "company" if getattr(field, "related_model", None) is Company else None


def scope_choices(queryset: QuerySet[Any], ids: list[int]) -> QuerySet[Any]:
    """The rows of ``queryset`` that belong to the companies ``ids``."""
    model = queryset.model
    if model._meta.label_lower in PLATFORM_MODELS:
        return queryset
    path = company_path_for(model)
    if path is None:
        return queryset.none()
    return queryset.filter(**{f"{path}__in": ids})


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """Django's raw-id input, naming only an object the operator may choose.

    Django's own widget looks the typed id up in every row of the model and prints
    its name next to the input: an operator posting another company's id would
    read that company's customer ("10093 MARIO RICCI") in the error page.
    """

    def __init__(self, widget: ForeignKeyRawIdWidget, queryset: QuerySet[Any]) -> None:
        super().__init__(widget.rel, widget.admin_site, widget.attrs, widget.db)
        self.queryset = queryset

    def label_and_url_for_value(self, value: Any) -> tuple[str, str]:
        key = self.rel.get_related_field().name
        try:
            self.queryset.get(**{key: value})
        except (ValueError, self.queryset.model.DoesNotExist, ValidationError):
            return "", ""
        label, url = super().label_and_url_for_value(value)
        return str(label), str(url)


class ScopedChoicesMixin(BaseModelAdmin[Any]):
    """Foreign-key and many-to-many fields that offer *and accept* only own rows.

    The scoped queryset is the form field's own, so validation uses it: another
    company's id gets Django's "Select a valid choice" exactly like a missing id.
    Used by the scoped admins and by their inlines.
    """

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        ids = operator_company_ids(request)
        if field is not None and field.queryset is not None and ids is not None:
            field.queryset = scope_choices(field.queryset, ids)
            if isinstance(field.widget, ForeignKeyRawIdWidget):
                field.widget = ScopedRawIdWidget(field.widget, field.queryset)
        return field

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField[Any] | None:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        ids = operator_company_ids(request)
        if field is not None and field.queryset is not None and ids is not None:
            field.queryset = scope_choices(field.queryset, ids)
        return field


class ParentRowsInlineFormSet(BaseInlineFormSet[Any, Any, Any]):
    """An inline formset that accepts only the ids of its parent's rows.

    Django checks a posted row id against every row of the model: another
    company's row would pass where a missing id fails, telling the operator
    that it exists.
    """

    def add_fields(self, form: Any, index: int | None) -> None:
        super().add_fields(form, index)
        pk_field = form.fields.get(form._meta.model._meta.pk.name)
        if isinstance(pk_field, ModelChoiceField):
            pk_field.queryset = self.get_queryset()


class CompanyScopedTabularInline(ScopedChoicesMixin, admin.TabularInline[Any, Any]):
    """An inline whose choices are limited like its parent admin's."""

    formset = ParentRowsInlineFormSet


class CompanyScopedStackedInline(ScopedChoicesMixin, admin.StackedInline[Any, Any]):
    """An inline whose choices are limited like its parent admin's."""

    formset = ParentRowsInlineFormSet


class CompanyScopedAdmin(ScopedChoicesMixin, admin.ModelAdmin[Any]):
    """A ModelAdmin whose rows and choices are limited to the operator's companies.

    ``company_path`` is the lookup from the model to its company. Every page that
    shows a customer's records (change, history, delete, a list narrowed to one
    customer) is written to the audit log (see ``audit.record_customer_read``).
    """

    company_path = "company"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        ids = operator_company_ids(request)
        if ids is None:
            return queryset
        return queryset.filter(**{f"{self.company_path}__in": ids})

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
        if related is not None and related._meta.label_lower not in PLATFORM_MODELS:
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

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        self._audit_object_page(request, response, "original", "change")
        return response

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().history_view(request, object_id, extra_context)
        self._audit_object_page(request, response, "object", "history")
        return response

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().delete_view(request, object_id, extra_context)
        self._audit_object_page(request, response, "object", "delete")
        return response

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = _context(response).get("cl")
        if changelist is not None and (changelist.query or changelist.get_filters_params()):
            # A list narrowed (by a filter or a search) to one customer's rows is a
            # read of that customer's records; a list of many customers is not.
            customer = only_customer_of(changelist.queryset)
            if customer is not None:
                audit.record_customer_read(
                    customer,
                    request=request,
                    page="changelist",
                    model=self.model._meta.label,
                    query=request.GET.urlencode()[:500],
                )
        return response

    def _audit_object_page(
        self, request: HttpRequest, response: HttpResponse, key: str, page: str
    ) -> None:
        # A page shown, not a form posted: a posted change is audited by save_model.
        if request.method != "GET" or response.status_code != 200:
            return
        obj = _context(response).get(key)
        customer = customer_of(obj) if obj is not None else None
        if customer is not None:
            audit.record_customer_read(customer, request=request, page=page, obj=obj)


def _context(response: HttpResponse) -> dict[str, Any]:
    return getattr(response, "context_data", None) or {}


def company_of(obj: Any, path: str) -> Company | None:
    current = obj
    for part in path.split("__"):
        current = getattr(current, part, None)
    return current if isinstance(current, Company) else None


# The customer is named by label, as AUTH_USER_MODEL is: core imports no domain app.
CUSTOMER_MODEL = "customers.customer"


def customer_paths_for(model: type[models.Model], depth: int = 2) -> list[str]:
    """The lookups from ``model`` to a customer, nearest first ("" is the customer itself).

    Derived from the foreign keys, so a new model that belongs to a customer is
    audited when an operator reads it without anyone listing it here. A key
    without a reverse relation (``related_name="+"``: who created a notice, who
    ran an import) names an author, not an owner, and is not followed.
    """
    if model._meta.label_lower == CUSTOMER_MODEL:
        return [""]
    if depth == 0:
        return []
    paths: list[str] = []
    for field in model._meta.get_fields():
        related = getattr(field, "related_model", None)
        if not (field.many_to_one and field.concrete) or related in (None, Company, model):
            continue
        if isinstance(field, models.ForeignKey) and field.remote_field.hidden:
            continue
        paths += [
            f"{field.name}__{rest}".removesuffix("__")
            for rest in customer_paths_for(related, depth - 1)
        ]
    return sorted(paths, key=lambda path: path.count("__"))


def customer_of(obj: models.Model) -> Any:
    """The customer ``obj`` belongs to, or None (company-wide rows, staff…)."""
    for path in customer_paths_for(type(obj)):
        current: Any = obj
        for part in path.split("__") if path else []:
            current = getattr(current, part, None)
        if current is not None:
            return current
    return None


def only_customer_of(queryset: QuerySet[Any]) -> Any:
    """The one customer all rows of ``queryset`` belong to, or None."""
    ids: set[Any] = set()
    for path in customer_paths_for(queryset.model):
        key = f"{path}__pk" if path else "pk"
        rows = queryset.order_by().exclude(**{key: None}).values_list(key, flat=True)
        ids.update(rows.distinct()[:2])
        if len(ids) > 1:
            return None
    if len(ids) != 1:
        return None
    customer_model = apps.get_model(CUSTOMER_MODEL)
    return customer_model._default_manager.select_related("company").get(pk=ids.pop())


class CompanyHostInline(CompanyScopedTabularInline):
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
        (
            _("Dati per i pagamenti"),
            {
                "fields": [
                    "payment_beneficiary",
                    "payment_iban",
                    "payment_bank",
                    "payment_contact",
                ],
                "description": _(
                    "Mostrati ai clienti che hanno pagamenti scaduti, in home e in "
                    "«Fatture e pagamenti»."
                ),
            },
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
    list_display = ["when", "company", "actor_label", "action", "object_label", "ip_address"]
    list_filter = ["action", "company"]
    search_fields = ["actor_label", "object_label", "action"]
    date_hierarchy = "created_at"

    @admin.display(description=_("quando"), ordering="created_at")
    def when(self, event: AuditEvent) -> str:
        """The time in the installation's zone, saying which zone it is (the
        compliance record must not leave an operator guessing)."""
        local = timezone.localtime(event.created_at)
        return f"{local:%d/%m/%Y %H:%M:%S} {local:%Z}"


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
