from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sportello.accounts"
    label = "accounts"
    verbose_name = _("Utenti")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import jobs  # noqa: F401
        from .services.registration import mark_temporary_password_used

        # A temporary password logs in once (A4).
        user_logged_in.connect(mark_temporary_password_used, dispatch_uid="temporary-password-used")
