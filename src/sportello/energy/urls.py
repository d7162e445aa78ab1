from django.urls import path

from . import views

app_name = "energy"

urlpatterns = [
    path("punto/", views.choose_point_view, name="choose"),
]
