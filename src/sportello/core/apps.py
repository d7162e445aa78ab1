from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sportello.core"
    label = "core"
    verbose_name = _("Piattaforma")

    def ready(self) -> None:
        # Periodic jobs register themselves when their modules are imported.
        from . import jobs, signals  # noqa: F401
