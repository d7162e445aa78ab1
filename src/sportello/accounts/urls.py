from django.urls import path

from .views import login, notifications, personal_data, profile, registration

app_name = "accounts"

urlpatterns = [
    path("", login.login_view, name="login"),
    path("esci/", login.logout_view, name="logout"),
    path("codice/", login.otp_view, name="otp"),
    path("codice/nuovo/", login.otp_resend_view, name="otp_resend"),
    path("password-dimenticata/", login.reset_request_view, name="reset"),
    path("sblocco/", login.unlock_view, name="unlock"),
    path("nuova-password/<uidb64>/<token>/", login.reset_confirm_view, name="reset_confirm"),
    path("registrazione/", registration.register_view, name="registration"),
    path("registrazione/conferma/", registration.confirm_view, name="registration_confirm"),
    path("registrazione/inviata/", registration.done_view, name="registration_done"),
    path("password-definitiva/", registration.choose_password_view, name="choose_password"),
    path("profilo/", profile.profile_view, name="profile"),
    path("profilo/password/", profile.password_change_view, name="password_change"),
    path("dati-anagrafici/", personal_data.personal_data_view, name="personal_data"),
    path(
        "profilo/notifiche/",
        notifications.preferences_view,
        name="notification_preferences",
    ),
    path("profilo/sotto-utenti/nuovo/", profile.sub_user_add_view, name="sub_user_add"),
    path(
        "profilo/sotto-utenti/<int:pk>/modifica/",
        profile.sub_user_edit_view,
        name="sub_user_edit",
    ),
    path(
        "profilo/sotto-utenti/<int:pk>/elimina/",
        profile.sub_user_delete_view,
        name="sub_user_delete",
    ),
    path(
        "benvenuto/<uidb64>/<str:token>/",
        profile.sub_user_set_password_view,
        name="sub_user_set_password",
    ),
]
