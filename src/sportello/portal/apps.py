from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top floor: home pages, dashboard panels and the menu, composed from the domain apps."""

    name = "sportello.portal"
    verbose_name = "Portale"
