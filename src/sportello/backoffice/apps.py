from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "sportello.backoffice"
    verbose_name = _("Back office")

    def ready(self) -> None:
        from django.contrib import admin
        from django.urls import reverse_lazy

        # The admin's «Visualizza sito» leads operators to their back office,
        # not to a customer's portal where they cannot log in.
        admin.site.site_url = reverse_lazy("backoffice:home")  # type: ignore[assignment]
