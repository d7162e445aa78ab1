from django.contrib import admin

from sportello.core.admin import CompanyScopedAdmin

from .models import ApiKey, ImportRun


@admin.register(ApiKey)
class ApiKeyAdmin(CompanyScopedAdmin):
    list_display = ["name", "prefix", "company", "created_at", "last_used_at", "revoked_at"]
    fields = ["company", "name", "prefix", "scopes", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]


@admin.register(ImportRun)
class ImportRunAdmin(CompanyScopedAdmin):
    list_display = ["kind", "company", "status", "rows", "created", "updated", "rejected"]
    list_filter = ["company", "status"]
    readonly_fields = ["started_at", "finished_at"]
