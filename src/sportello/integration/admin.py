from django.contrib import admin

from sportello.core.admin import CompanyScopedAdmin

from .models import ApiKey, ImportBatch


@admin.register(ApiKey)
class ApiKeyAdmin(CompanyScopedAdmin):
    list_display = ["name", "prefix", "company", "created_at", "last_used_at", "revoked_at"]
    fields = ["company", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]


@admin.register(ImportBatch)
class ImportBatchAdmin(CompanyScopedAdmin):
    list_display = ["kind", "company", "status", "rows_total", "rows_rejected", "created_at"]
    list_filter = ["company", "status"]
