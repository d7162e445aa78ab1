"""The URLs of a platform host (one that serves no company).

``core.middleware.CompanyMiddleware`` picks this URLconf for such hosts: the
demo's landing page takes the root, and the company URLs stay reversible (a
back-office action e-mails customers links to their portal); every customer
view answers 404 without a company.
"""

from django.urls import path

from sportello.demo import views as demo_views
from sportello.urls import handler404, handler500
from sportello.urls import urlpatterns as company_urlpatterns

urlpatterns = [
    path("", demo_views.landing, name="landing"),
    *company_urlpatterns,
]

__all__ = ["handler404", "handler500", "urlpatterns"]
