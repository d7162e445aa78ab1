from django.urls import path

from .views import login

app_name = "accounts"

urlpatterns = [
    path("", login.login_view, name="login"),
    path("esci/", login.logout_view, name="logout"),
]
