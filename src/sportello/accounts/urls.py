from django.urls import path

from .views import login, profile

app_name = "accounts"

urlpatterns = [
    path("", login.login_view, name="login"),
    path("esci/", login.logout_view, name="logout"),
    path("profilo/", profile.profile_view, name="profile"),
    path("profilo/password/", profile.password_change_view, name="password_change"),
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
