from django.urls import path

from . import views

app_name = "leasing"

urlpatterns = [
    path("", views.contract_list_view, name="contracts"),
    path("seleziona/", views.contract_select_view, name="contract_select"),
    path("<int:pk>/", views.contract_detail_view, name="contract"),
    path("<int:pk>/piano/", views.plan_view, name="plan"),
    path("<int:pk>/piano/esporta/", views.plan_export_view, name="plan_export"),
    path("<int:pk>/documenti/", views.contract_documents_view, name="contract_documents"),
    path("beni/", views.asset_list_view, name="assets"),
    path("beni/esporta/", views.asset_export_view, name="assets_export"),
]
