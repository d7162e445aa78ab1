"""The URLs of a company's host. A platform host (no company) uses ``platform_urls``."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from sportello.accounts.views import notifications, operator

urlpatterns = [
    # The admin's login is the operators' two-step login (password, e-mailed code).
    path("admin/login/", operator.operator_login_view, name="operator_login"),
    path("admin/login/codice/", operator.operator_otp_view, name="operator_otp"),
    path(
        "admin/login/codice/nuovo/", operator.operator_otp_resend_view, name="operator_otp_resend"
    ),
    path("admin/", admin.site.urls),
    path("lingua/", set_language, name="set_language"),
    # RFC 8058 one-click unsubscribe: no login, no cookie, the token is the proof.
    path(
        "notifiche/disiscrizione/<str:token>/",
        notifications.unsubscribe_view,
        name="notifications_unsubscribe",
    ),
    path("accesso/", include("sportello.accounts.urls")),
    path("demo/", include("sportello.demo.urls")),
    path("fatture-e-pagamenti/", include("sportello.billing.urls")),
    path("rendiconti/", include("sportello.statements.urls")),
    path("contratti/", include("sportello.leasing.urls")),
    path("documenti/", include("sportello.documents.urls")),
    path("fornitura/", include("sportello.energy.urls")),
    path("richieste/", include("sportello.servicedesk.urls")),
    path("notifiche/", include("sportello.notices.urls")),
    path("back-office/", include("sportello.backoffice.urls")),
    # The core system's REST API: API keys only, never a session (integration/api).
    path("api/", include("sportello.integration.api.urls")),
    path("", include("sportello.core.urls")),
    path("", include("sportello.portal.urls")),
]

handler404 = "sportello.core.views.page_not_found"
handler500 = "sportello.core.views.server_error"
