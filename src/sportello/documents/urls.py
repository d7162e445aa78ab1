from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.document_list_view, name="documents"),
    path("<uuid:uid>/scarica/", views.document_download_view, name="download"),
    path("<slug:slug>/", views.document_category_view, name="category"),
]
