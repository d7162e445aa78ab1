"""Password validators that speak the portal's languages."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule, with a message our catalogues translate.

    Django 6.1 reworded this message and its Italian catalogue has no
    translation for the new wording, so Italian pages showed it in English.
    """

    def get_error_message(self) -> str:
        return ngettext(
            "La password è troppo corta: deve avere almeno %(min_length)d carattere.",
            "La password è troppo corta: deve avere almeno %(min_length)d caratteri.",
            self.min_length,
        ) % {"min_length": self.min_length}
