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


@admin.register(MeterReading)
class MeterReadingAdmin(CompanyScopedAdmin):
    company_path = "supply_point__company"
    list_display = ["supply_point", "reading_date", "meter_value", "corrector_value", "status"]
    list_filter = ["status"]
    list_select_related = ["supply_point"]


@admin.register(Consumption)
class ConsumptionAdmin(CompanyScopedAdmin):
    company_path = "supply_point__company"
    list_display = ["supply_point", "year", "month", "energy", "power"]
    list_select_related = ["supply_point"]
