from django.contrib import admin

from sportello.core.admin import CompanyScopedAdmin, CompanyScopedTabularInline

from .models import (
    Asset,
    Contract,
    PlanInstalment,
    Product,
    ReferenceRate,
    Subsidy,
    TransparencyStatement,
)


class AssetInline(CompanyScopedTabularInline):
    model = Asset
    extra = 0


@admin.register(Contract)
class ContractAdmin(CompanyScopedAdmin):
    list_display = ["number", "module_number", "customer", "product", "status", "stipulated_on"]
    list_filter = ["company", "status", "product"]
    search_fields = ["number", "customer__name", "customer__code"]
    inlines = [AssetInline]
    list_select_related = ["customer", "product"]


@admin.register(Product, ReferenceRate, Subsidy)
class CompanyReferenceAdmin(CompanyScopedAdmin):
    """Products, reference rates and subsidies: the operators keep the English names."""

    list_display = ["name_it", "name_en", "code", "company"]
    list_filter = ["company"]
    search_fields = ["name_it", "name_en", "code"]


@admin.register(PlanInstalment)
class PlanInstalmentAdmin(CompanyScopedAdmin):
    company_path = "contract__company"
    list_display = ["contract", "number", "due_date", "kind", "amount", "residual_capital"]
    list_filter = ["kind"]
    search_fields = ["contract__number"]
    list_select_related = ["contract"]


@admin.register(Asset)
class AssetAdmin(CompanyScopedAdmin):
    company_path = "contract__company"
    list_display = ["code", "contract", "asset_type", "financial_value", "lease_end"]
    search_fields = ["code", "contract__number", "description"]
    list_select_related = ["contract"]


@admin.register(TransparencyStatement)
class TransparencyStatementAdmin(CompanyScopedAdmin):
    company_path = "contract__company"
    list_display = ["contract", "year", "issued_at"]
    list_select_related = ["contract"]
