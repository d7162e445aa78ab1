"""The notification list's filters, in the address."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sportello.core.forms import StyledForm

from .reading import Kind


class NotificationFilterForm(StyledForm):
    """Unread only and kind; a kind it does not know shows every kind."""

    unread = forms.BooleanField(label=_("Solo non lette"), required=False)
    kind = forms.ChoiceField(
        label=_("Tipo"),
        required=False,
        choices=[
            ("", _("Tutte")),
            (Kind.BROADCAST, _("Comunicazioni della società")),
            (Kind.REQUEST, _("Messaggi del servizio clienti")),
        ],
    )

    def unread_only(self) -> bool:
        return self.data.get("unread") in {"1", "on", "true"}

    def chosen_kind(self) -> str:
        value = self.data.get("kind", "")
        return value if value in {Kind.BROADCAST, Kind.REQUEST} else ""
