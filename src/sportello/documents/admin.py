from django.contrib import admin

from sportello.core.admin import CompanyScopedAdmin

from .models import Document


@admin.register(Document)
class DocumentAdmin(CompanyScopedAdmin):
    list_display = ["title", "category", "company", "customer", "contract", "published_on"]
    list_filter = ["company", "category"]
    search_fields = ["title", "customer__name"]
    raw_id_fields = ["customer", "contract"]
