from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnergyConfig(AppConfig):
    name = "sportello.energy"
    label = "energy"
    verbose_name = _("Energia e gas")

    def ready(self) -> None:
        # Periodic jobs register themselves when their modules are imported.
        from . import jobs  # noqa: F401
