"""The customer's notifications (F1, F2)."""

from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("conteggio/", views.badge, name="badge"),
    path("ultime/", views.latest, name="latest"),
    path("segna-lette/", views.mark_all_read, name="mark_all_read"),
    path("<int:pk>/", views.open_notification, name="open"),
]
