"""The customer's requests (E1–E6): the self-service forms and the history."""

from django.urls import path

from .views import history, new

app_name = "servicedesk"

urlpatterns = [
    path("", history.request_list, name="list"),
    path("nuova/", new.choose_kind, name="new"),
    path("nuova/<slug:kind>/", new.create, name="create"),
    path("nuova/estinzione/importi/", new.termination_quote, name="termination_quote"),
    path("<str:code>/", history.request_detail, name="detail"),
    path("<str:code>/rispondi/", history.reply, name="reply"),
    path("<str:code>/allegati/<uuid:uid>/", history.attachment, name="attachment"),
]
