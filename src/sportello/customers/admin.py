from django.contrib import admin

from sportello.core.admin import CompanyScopedAdmin

from .models import Customer


@admin.register(Customer)
class CustomerAdmin(CompanyScopedAdmin):
    list_display = ["code", "name", "kind", "codice_fiscale", "partita_iva", "company"]
    list_filter = ["company", "kind"]
    search_fields = ["code", "name", "codice_fiscale", "partita_iva", "pec"]
