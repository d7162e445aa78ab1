"""Password validators that speak the portal's languages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext


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


class NotTheLoginValidator:
    """Refuses a password built from the login, e.g. ``100061000610006`` for ``10006``.

    Django's similarity rule compares the whole strings, so a login repeated
    three times passes it; a login is printed on the customer's contract and
    invoices, so it is the first thing a guesser tries. NIST SP 800-63B 3.1.1.2
    asks to refuse "context-specific words, such as the name of the service,
    the username".
    """

    #: Logins shorter than this are too common a substring to refuse.
    MIN_LOGIN_LENGTH = 4

    def validate(self, password: str, user: Any = None) -> None:
        for login in {getattr(user, "login", ""), getattr(user, "username", "")}:
            login = str(login or "").split("/")[-1].casefold()
            if len(login) >= self.MIN_LOGIN_LENGTH and login in password.casefold():
                raise ValidationError(self.message(), code="password_contains_login")

    def message(self) -> str:
        return gettext("La password non può contenere il tuo nome utente.")

    def get_help_text(self) -> str:
        return self.message()
