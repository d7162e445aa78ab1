from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("", views.schedule_view, name="schedule"),
    path("esporta/", views.schedule_export, name="schedule_export"),
    path("fatture/", views.invoices_view, name="invoices"),
    path("fatture/<uuid:uid>/", views.invoice_detail, name="invoice_detail"),
    path("fatture/<uuid:uid>/fattura/", views.invoice_rendering, name="invoice_rendering"),
    path("fatture/<uuid:uid>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("fatture/<uuid:uid>/xml/", views.invoice_xml, name="invoice_xml"),
]
