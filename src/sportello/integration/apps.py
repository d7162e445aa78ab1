from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationConfig(AppConfig):
    name = "sportello.integration"
    label = "integration"
    verbose_name = _("Integrazione")

    def ready(self) -> None:
        # Periodic jobs register themselves when their modules are imported.
        from . import jobs  # noqa: F401
