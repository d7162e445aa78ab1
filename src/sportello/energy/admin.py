from django.contrib import admin

from sportello.core.admin import CompanyScopedAdmin

from .models import Consumption, MeterReading, ReadingWindow, SupplyPoint


@admin.register(SupplyPoint)
class SupplyPointAdmin(CompanyScopedAdmin):
    list_display = ["code", "commodity", "customer", "address", "has_corrector"]
    list_filter = ["company", "commodity"]
    search_fields = ["code", "customer__name", "customer__code"]
    list_select_related = ["customer"]


@admin.register(ReadingWindow)
class ReadingWindowAdmin(CompanyScopedAdmin):
    list_display = ["company", "commodity", "opens_at", "closes_at"]
    list_filter = ["commodity"]
    # When the job told the customers (G7): shown, never typed.
    readonly_fields = ["opening_notified_at", "closing_notified_at"]


@admin.register(MeterReading)
class MeterReadingAdmin(CompanyScopedAdmin):
    company_path = "supply_point__company"
    list_display = [
        "supply_point",
        "reading_date",
        "meter_value",
        "corrector_value",
        "status",
        "confirmed",
        "acquired_at",
    ]
    list_filter = ["status", "confirmed"]
    search_fields = ["supply_point__code", "supply_point__number"]
    # What the customer confirmed, and the figures it was shown, as they were then.
    readonly_fields = ["implied_consumption", "expected_consumption", "created_at"]
    list_select_related = ["supply_point"]


@admin.register(Consumption)
class ConsumptionAdmin(CompanyScopedAdmin):
    company_path = "supply_point__company"
    list_display = ["supply_point", "year", "month", "energy", "power"]
    list_select_related = ["supply_point"]
