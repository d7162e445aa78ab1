from django.urls import path

from . import views

app_name = "energy"

urlpatterns = [
    path("punto/", views.choose_point_view, name="choose"),
    path("autoletture/", views.readings_view, name="readings"),
    path("autoletture/<int:pk>/cancella/", views.reading_delete_view, name="reading_delete"),
    path("prelievi/", views.consumption_view, name="consumption"),
    path("dati-tecnici/", views.technical_data_view, name="technical"),
    path("dati-contrattuali/", views.contract_data_view, name="contract"),
    path("misure/", views.measures_view, name="measures"),
    path("misure/esporta/", views.measures_export_view, name="measures_export"),
]
