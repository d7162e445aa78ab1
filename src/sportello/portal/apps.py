from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top floor: home pages, dashboard panels and the menu, composed from the domain apps."""

    name = "sportello.portal"
    verbose_name = "Portale"

    def ready(self) -> None:
        from sportello.notices import hooks

        from . import audience

        hooks.register(audience_keys=audience.audience_keys, target_url=audience.target_url)
