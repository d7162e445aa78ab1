from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeasingConfig(AppConfig):
    name = "sportello.leasing"
    label = "leasing"
    verbose_name = _("Leasing")
