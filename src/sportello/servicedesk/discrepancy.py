"""«Segnala una difformità» (G3): the customer says a registry field is wrong.

The registry is the core system's: the customer cannot change it, so it tells
the service desk which field is wrong and what it should read. The request
records the value the portal showed next to the one the customer gave, so the
desk compares them without looking the customer up. The form is one of the
self-service forms (``SelfServiceForm``) and goes through ``open_request``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sportello.customers.registry import REGISTRY_FIELDS, registry_rows, registry_value

from .customer_forms import Opening, SelfServiceForm, SelfServiceKind, message_field
from .models import RequestKind

CORRECT_VALUE_MAX_LENGTH = 200


class DataDiscrepancyForm(SelfServiceForm):
    """Which registry field is wrong, what it should be, and an optional message."""

    kind = RequestKind.DATA_DISCREPANCY

    field = forms.ChoiceField(
        label=_("Dato da correggere"),
        choices=[("", _("Seleziona…")), *REGISTRY_FIELDS.items()],
        error_messages={
            "required": _("Scegli il dato da correggere."),
            "invalid_choice": _("Scegli uno dei dati dell'elenco."),
        },
    )
    correct_value = forms.CharField(
        label=_("Valore corretto"),
        max_length=CORRECT_VALUE_MAX_LENGTH,
        error_messages={"required": _("Scrivi come dovrebbe essere il dato.")},
    )
    message = message_field()

    def registry(self) -> list[Any]:
        """The customer's registry as the portal shows it, beside the form."""
        return registry_rows(self.customer)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        key, value = data.get("field"), data.get("correct_value")
        if key and value:
            current = registry_value(self.customer, key)
            if " ".join(value.split()).casefold() == " ".join(current.split()).casefold():
                self.add_error(
                    "correct_value",
                    ValidationError(
                        _("È il valore già registrato: scrivi quello corretto."), code="same"
                    ),
                )
        return data

    def opening(self) -> Opening:
        data = self.cleaned_data
        return {
            "message": data["message"],
            "payload": {
                "field": data["field"],
                "current_value": registry_value(self.customer, data["field"]),
                "correct_value": " ".join(data["correct_value"].split()),
            },
        }


#: Reached from «Dati anagrafici», not from the self-service area's list.
DISCREPANCY = SelfServiceKind(
    "difformita",
    DataDiscrepancyForm,
    _("Segnala una difformità"),
    _("Un dato anagrafico non è corretto: indica quale e come dovrebbe essere."),
)
