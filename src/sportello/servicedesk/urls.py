"""The customer's requests (E1–E6): the self-service forms and the history."""

from django.urls import path

from .views import discrepancy, history, new

app_name = "servicedesk"

urlpatterns = [
    path("", history.request_list, name="list"),
    path("nuova/", new.choose_kind, name="new"),
    # Before ``create``: the same address as ``create`` with the kind "difformita", so
    # the shared form template posts here (G3, a utility's customer).
    path("nuova/difformita/", discrepancy.report_discrepancy, name="discrepancy"),
    path("nuova/<slug:kind>/", new.create, name="create"),
    path("nuova/estinzione/importi/", new.termination_quote, name="termination_quote"),
    path("<str:code>/", history.request_detail, name="detail"),
    path("<str:code>/rispondi/", history.reply, name="reply"),
    path("<str:code>/allegati/<uuid:uid>/", history.attachment, name="attachment"),
]
