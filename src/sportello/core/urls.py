from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("guida/", views.guide, name="guide"),
    path("contatti/", views.contacts, name="contacts"),
    path("faq/", views.faq, name="faq"),
    path("accessibilita/", views.accessibility, name="accessibility"),
    path("brand/logo", views.logo, name="logo"),
]
