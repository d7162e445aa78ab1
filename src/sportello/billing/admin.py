from django.contrib import admin

from sportello.core.admin import CompanyScopedAdmin

from .models import Invoice, ScheduleEntry


@admin.register(ScheduleEntry)
class ScheduleEntryAdmin(CompanyScopedAdmin):
    company_path = "contract__company"
    list_display = ["contract", "due_date", "instalment_number", "reason", "amount", "paid"]
    search_fields = ["contract__number"]
    list_select_related = ["contract"]


@admin.register(Invoice)
class InvoiceAdmin(CompanyScopedAdmin):
    list_display = ["number", "date", "document_type", "customer", "total", "published_at"]
    list_filter = ["company", "document_type"]
    search_fields = ["number", "customer__name", "customer__code"]
    date_hierarchy = "date"
    list_select_related = ["customer"]
    filter_horizontal = ["contracts"]
