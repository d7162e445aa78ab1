"""The operators' back office, apart from the customer pages (E7).

Under ``/back-office/<company slug>/``: an operator reaches only the companies
it works for; any other slug is a 404.
"""

from django.urls import path

from . import views

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:company>/richieste/", views.queue, name="queue"),
    path("<slug:company>/richieste/<str:code>/", views.request_detail, name="request"),
]
