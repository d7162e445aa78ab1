from django.urls import path

from . import views

app_name = "energy"

urlpatterns = [
    path("punto/", views.choose_point_view, name="choose"),
    path("autoletture/", views.readings_view, name="readings"),
    path("autoletture/<int:pk>/cancella/", views.reading_delete_view, name="reading_delete"),
]
