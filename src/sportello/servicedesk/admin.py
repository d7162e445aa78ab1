from django.contrib import admin

from sportello.core.admin import CompanyScopedAdmin, CompanyScopedStackedInline

from .models import RequestMessage, RequestType, ServiceRequest


@admin.register(RequestType)
class RequestTypeAdmin(CompanyScopedAdmin):
    list_display = ["label_it", "label_en", "company", "position", "is_active"]
    list_filter = ["company", "is_active"]


class RequestMessageInline(CompanyScopedStackedInline):
    model = RequestMessage
    extra = 0
    fields = ["from_service_desk", "body", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(CompanyScopedAdmin):
    list_display = ["code", "title", "customer", "kind", "status", "last_activity_at"]
    list_filter = ["company", "kind", "status"]
    search_fields = ["code", "title", "customer__name"]
    inlines = [RequestMessageInline]
    list_select_related = ["customer"]
