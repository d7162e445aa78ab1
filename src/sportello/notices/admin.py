from django.contrib import admin

from sportello.core.admin import CompanyScopedAdmin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(CompanyScopedAdmin):
    list_display = ["title", "company", "recipient", "published_at"]
    list_filter = ["company"]
    search_fields = ["title"]
    raw_id_fields = ["recipient", "request"]
