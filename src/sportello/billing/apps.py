from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "sportello.billing"
    label = "billing"
    verbose_name = _("Fatturazione e pagamenti")

    def ready(self) -> None:
        # Periodic jobs register themselves when their modules are imported.
        from . import jobs  # noqa: F401
