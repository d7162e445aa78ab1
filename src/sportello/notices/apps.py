from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "sportello.notices"
    label = "notices"
    verbose_name = _("Notifiche")

    def ready(self) -> None:
        # Periodic jobs register themselves when their modules are imported.
        from . import jobs  # noqa: F401
