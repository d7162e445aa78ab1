from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sportello.core.audit import Origin
from sportello.core.forms import StyledForm

from .. import throttle
from ..models import PortalUser
from ..services.profile import REAUTHENTICATION, ProfileChange, SubUserData
from .passwords import check_new_passwords, new_password_fields, password_field

if TYPE_CHECKING:
    pass

NAME_MAX_LENGTH = 150  # PortalUser.first_name / last_name
EMAIL_MAX_LENGTH = 254

#: The sub-user form's choices of requests seen (PortalUser.sees_all_requests).
SEES_ALL, SEES_OWN = "all", "own"


#: Each language by its own name, as the header's switch shows them.
LANGUAGE_NAMES = {"it": "Italiano", "en": "English"}


def language_field() -> forms.ChoiceField:
    choices = [(code, LANGUAGE_NAMES.get(code, code)) for code, _name in settings.LANGUAGES]
    return forms.ChoiceField(label=_("Lingua"), choices=choices)


class AccountForm(StyledForm):
    """A form about the logged-in user's own account: re-authentication and new passwords."""

    errors_for_account = {
        "required": _("Inserisci la password attuale."),
        "wrong": _("La password attuale non è corretta."),
    }

    def __init__(
        self, request: HttpRequest | None, user: PortalUser, *args: Any, **kwargs: Any
    ) -> None:
        self.request = request
        self.user = user
        super().__init__(*args, **kwargs)

    def check_current_password(self, password: str) -> None:
        assert self.request is not None
        check_current_password(self.request, self.user, password)

    def check_new_password(self) -> None:
        check_new_passwords(self, self.user)


def check_current_password(request: HttpRequest, user: PortalUser, password: str) -> None:
    """Re-authentication inside a session: the user's password, or a ``ValidationError``.

    Throttled, so a session left open cannot be used to guess the password
    (codes ``wrong`` and ``throttled``).
    """
    origin = Origin.of(request)
    wait = throttle.wait_seconds(REAUTHENTICATION, origin, str(user.pk))
    if wait:
        raise forms.ValidationError(throttle.wait_message(wait), code="throttled")
    if not user.check_password(password):
        throttle.count(REAUTHENTICATION, origin, str(user.pk))
        raise forms.ValidationError(AccountForm.errors_for_account["wrong"], code="wrong")
    throttle.forget(REAUTHENTICATION, origin, str(user.pk))


class ProfileForm(AccountForm):
    """The user's settings; the customer's paper-invoice choice for the main user only."""

    language = language_field()
    email = forms.EmailField(label=_("Email principale"), max_length=EMAIL_MAX_LENGTH)
    secondary_email = forms.EmailField(
        label=_("Email secondaria"),
        max_length=EMAIL_MAX_LENGTH,
        required=False,
        help_text=_("Non PEC: riceve le notifiche delle richieste aperte nel portale."),
    )
    paper_invoices = forms.BooleanField(
        label=_("Ricevi anche le fatture cartacee per posta"),
        required=False,
        help_text=_(
            "Con la registrazione all'area clienti l'invio delle fatture per posta ordinaria "
            "è revocato; puoi riattivarlo qui."
        ),
    )
    current_password = password_field(
        _("Password attuale"),
        "current-password",
        required=False,
        help_text=_("Necessaria solo per cambiare l'email principale."),
    )

    error_messages = {
        "secondary_is_pec": _("L'email secondaria non deve essere un indirizzo PEC."),
    }

    def __init__(self, request: HttpRequest, user: PortalUser, *args: Any, **kwargs: Any) -> None:
        customer = user.customer
        kwargs.setdefault(
            "initial",
            {
                "language": user.language,
                "email": user.email,
                "secondary_email": user.secondary_email,
                "paper_invoices": customer.paper_invoices if customer else False,
            },
        )
        super().__init__(request, user, *args, **kwargs)
        if user.is_sub_user:
            # The customer's settings belong to its main user.
            del self.fields["paper_invoices"]

    @property
    def email_changes(self) -> bool:
        new = self.cleaned_data.get("email") or ""
        return bool(new) and new.lower() != self.user.email.lower()

    def clean_secondary_email(self) -> str:
        address: str = self.cleaned_data["secondary_email"]
        company = self.user.company
        if address and company is not None and company.is_pec_address(address):
            raise forms.ValidationError(
                self.error_messages["secondary_is_pec"], code="secondary_is_pec"
            )
        return address

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "email" in data and self.email_changes:
            # Re-authentication: whoever holds an open session must not redirect the mail.
            password = data.get("current_password") or ""
            try:
                if not password:
                    raise forms.ValidationError(
                        self.errors_for_account["required"], code="required"
                    )
                self.check_current_password(password)
            except forms.ValidationError as error:
                self.add_error("current_password", error)
        return data

    def change(self) -> ProfileChange:
        data = self.cleaned_data
        return ProfileChange(
            language=data["language"],
            email=data["email"] if self.email_changes else self.user.email,
            secondary_email=data["secondary_email"],
            paper_invoices=data["paper_invoices"] if "paper_invoices" in self.fields else None,
        )


class ChangePasswordForm(AccountForm):
    current_password = password_field(_("Password attuale"), "current-password")
    new_password1, new_password2 = new_password_fields()

    def clean_current_password(self) -> str:
        password: str = self.cleaned_data["current_password"]
        self.check_current_password(password)
        return password

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            self.check_new_password()
        return data


class SetPasswordForm(AccountForm):
    """A sub-user's first password, from its welcome link (no current password)."""

    new_password1, new_password2 = new_password_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.check_new_password()
        return data


class SubUserForm(StyledForm):
    """A sub-user's data. Its parent, customer and company are never read from the form."""

    first_name = forms.CharField(label=_("Nome"), max_length=NAME_MAX_LENGTH)
    last_name = forms.CharField(label=_("Cognome"), max_length=NAME_MAX_LENGTH)
    email = forms.EmailField(label=_("Email principale"), max_length=EMAIL_MAX_LENGTH)
    secondary_email = forms.EmailField(
        label=_("Email secondaria"), max_length=EMAIL_MAX_LENGTH, required=False
    )
    language = language_field()
    # J5: which of the customer's requests the sub-user sees.
    requests_seen = forms.ChoiceField(
        label=_("Richieste visibili"),
        choices=[
            (SEES_ALL, _("Vede tutte le richieste del cliente")),
            (SEES_OWN, _("Vede solo le proprie richieste")),
        ],
        widget=forms.RadioSelect,
        # A form sent without it (not a browser: the radios always send one) keeps what was set.
        required=False,
    )

    def __init__(
        self, parent: PortalUser, *args: Any, instance: PortalUser | None = None, **kwargs: Any
    ) -> None:
        self.parent = parent
        self.instance = instance
        if instance is not None:
            initial = {
                name: getattr(instance, name)
                for name in ("first_name", "last_name", "email", "secondary_email", "language")
            }
            initial["requests_seen"] = SEES_ALL if instance.sees_all_requests else SEES_OWN
            kwargs.setdefault("initial", initial)
        else:
            kwargs.setdefault("initial", {"language": parent.language, "requests_seen": SEES_ALL})
        super().__init__(*args, **kwargs)
        self.fields["requests_seen"].widget.attrs["class"] = "form-check-input"

    def data_for_service(self) -> SubUserData:
        data = self.cleaned_data
        return SubUserData(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            secondary_email=data["secondary_email"],
            language=data["language"],
            sees_all_requests=self.sees_all_requests(),
        )

    def sees_all_requests(self) -> bool:
        chosen = self.cleaned_data.get("requests_seen")
        if not chosen:
            return self.instance.sees_all_requests if self.instance is not None else True
        return bool(chosen == SEES_ALL)
