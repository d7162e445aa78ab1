"""The operators' back office, apart from the customer pages (E7).

Under ``/back-office/<company slug>/``: an operator reaches only the companies
it works for; any other slug is a 404.
"""

from django.urls import path

from .views import api_keys, broadcasts, desk, imports, register, requests

app_name = "backoffice"

REQUEST = "<slug:company>/richieste/<str:code>/"
BROADCASTS = "<slug:company>/comunicazioni/"
IMPORTS = "<slug:company>/importazioni/"

urlpatterns = [
    path("", desk.home, name="home"),
    path("<slug:company>/richieste/", desk.queue_view, name="queue"),
    path(REQUEST, requests.request_detail, name="request"),
    path(f"{REQUEST}rispondi/", requests.reply, name="reply"),
    path(f"{REQUEST}nota/", requests.note, name="note"),
    path(f"{REQUEST}stato/", requests.change_status, name="status"),
    path(f"{REQUEST}assegna/", requests.assign, name="assign"),
    path(f"{REQUEST}interlocutoria/", requests.interim_reply, name="interim_reply"),
    path(f"{REQUEST}chiudi/", requests.close, name="close"),
    path(f"{REQUEST}allegati/<uuid:uid>/", requests.attachment, name="attachment"),
    path("<slug:company>/reclami/", register.complaints_page, name="complaints"),
    path(
        "<slug:company>/reclami/registro/",
        register.complaints_register,
        name="complaints_register",
    ),
    path(BROADCASTS, broadcasts.broadcast_list, name="broadcasts"),
    path(f"{BROADCASTS}nuova/", broadcasts.new_broadcast, name="new_broadcast"),
    path(f"{BROADCASTS}<int:pk>/", broadcasts.change_broadcast, name="broadcast"),
    path(f"{BROADCASTS}<int:pk>/ritira/", broadcasts.withdraw, name="withdraw_broadcast"),
    path(IMPORTS, imports.import_list, name="imports"),
    path(f"{IMPORTS}<int:pk>/", imports.import_run, name="imports_run"),
    path(f"{IMPORTS}<int:pk>/righe-rifiutate/", imports.import_report, name="imports_report"),
    path("<slug:company>/chiavi-api/", api_keys.api_keys, name="api_keys"),
    path(
        "<slug:company>/chiavi-api/<int:pk>/revoca/",
        api_keys.revoke_api_key,
        name="revoke_api_key",
    ),
]
