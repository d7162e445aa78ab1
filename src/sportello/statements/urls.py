from django.urls import path

from . import views

app_name = "transparency"

urlpatterns = [
    path("", views.statement_list, name="list"),
    path("<int:contract_id>/<int:year>/", views.statement_detail, name="detail"),
    path("<int:contract_id>/<int:year>/pdf/", views.statement_pdf, name="pdf"),
]
