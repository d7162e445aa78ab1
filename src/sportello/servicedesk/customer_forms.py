"""The customer's self-service forms, one per kind (E1–E4, complaint, PEC change).

Each form checks what the customer typed against the customer's own data
(contracts through ``for_user``, the company's request types) and gives the
view the arguments of ``services.open_request`` (``opening()``): the view
parses, calls the service and renders, and nothing is saved until every
field is right.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypedDict

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIteratorValue
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from stdnum import iban

from sportello.accounts.forms.profile import check_current_password
from sportello.accounts.http import CompanyRequest
from sportello.accounts.models import PortalUser
from sportello.core.formatting import format_long_date
from sportello.core.forms import StyledForm
from sportello.customers.identifiers import clean_iban, format_iban
from sportello.leasing.models import Contract, PlanInstalment
from sportello.leasing.services import (
    EarlyTerminationQuote,
    early_termination_quote,
    instalments_still_due,
)

from .deadlines import ComplaintClock, complaint_due_date
from .forms import AttachmentsForm
from .models import RequestKind, RequestType
from .services import CheckedFile

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

MESSAGE_MAX_LENGTH = 500
COMPLAINT_MAX_LENGTH = 2000


class Opening(TypedDict, total=False):
    """The keyword arguments of ``services.open_request`` a form fills in."""

    title: str
    message: str
    files: Sequence[CheckedFile]
    payload: dict[str, Any]
    contract: Contract | None
    request_type: RequestType | None
    is_payment_service: bool


def message_field(label: _StrPromise | None = None, *, required: bool = False) -> forms.CharField:
    """The message for the service desk: at most 500 characters, as the seed says."""
    return forms.CharField(
        label=label or _("Messaggio per il servizio clienti (opzionale)"),
        max_length=MESSAGE_MAX_LENGTH,
        required=required,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Max 500 caratteri"),
    )


def effective_date_field() -> forms.DateField:
    return forms.DateField(
        label=_("A partire dal"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )


class ContractSelect(forms.Select):
    """Each contract's current IBAN on its option, for the "Codice IBAN attuale" field."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        contract = getattr(option["value"], "instance", None)
        if isinstance(contract, Contract):
            option["attrs"]["data-iban"] = format_iban(contract.payment_iban)
        return option


class ContractChoiceField(forms.ModelChoiceField[Contract]):
    def label_from_instance(self, obj: Contract) -> str:
        return f"{obj.number} – {obj.product.name(get_language() or 'it')}"


class RequestTypeChoiceField(forms.ModelChoiceField[RequestType]):
    def label_from_instance(self, obj: RequestType) -> str:
        return obj.label(get_language() or "it")


class InstalmentChoiceField(forms.ModelChoiceField[PlanInstalment]):
    def label_from_instance(self, obj: PlanInstalment) -> str:
        return str(
            _("Canone n. %(number)s, scadenza %(date)s")
            % {"number": obj.number, "date": format_long_date(obj.due_date)}
        )


class SelfServiceForm(StyledForm):
    """A request of the logged-in customer user (a sub-user too: it is the author)."""

    kind: ClassVar[RequestKind]
    required_css_class = "sp-required"

    def __init__(
        self, request: CompanyRequest, *args: Any, today: dt.date | None = None, **kwargs: Any
    ) -> None:
        user = request.user
        assert isinstance(user, PortalUser) and user.customer is not None
        self.request = request
        self.user = user
        self.customer = user.customer
        self.company = request.company
        self.today = today or timezone.localdate()
        self._chosen_contract: Contract | None = None
        super().__init__(*args, **kwargs)
        if "effective_from" in self.fields:
            self.fields["effective_from"].widget.attrs["min"] = self.today.isoformat()

    def active_contracts(self) -> QuerySet[Contract]:
        return Contract.objects.for_user(self.user).active().order_by("-stipulated_on", "number")

    def set_contract_choices(self, queryset: QuerySet[Contract]) -> None:
        """The customer's contracts; with only one, it is already chosen."""
        field = self.fields["contract"]
        assert isinstance(field, ContractChoiceField)
        field.queryset = queryset
        if field.required and not self.is_bound and self.raw_value("contract") is None:
            contracts = list(queryset[:2])
            if len(contracts) == 1:
                self.initial["contract"] = contracts[0].pk
                self._chosen_contract = contracts[0]

    def raw_value(self, name: str) -> Any:
        """What the customer chose so far: the posted value, else the initial one."""
        if self.is_bound:
            return self.data.get(self.add_prefix(name))
        return self.initial.get(name)

    def chosen_contract(self) -> Contract | None:
        """The contract chosen so far, looked up among the customer's (else None)."""
        if self._chosen_contract is None:
            field = self.fields["contract"]
            assert isinstance(field, ContractChoiceField)
            try:
                self._chosen_contract = field.to_python(self.raw_value("contract"))
            except ValidationError:
                return None
        return self._chosen_contract

    def clean_effective_from(self) -> dt.date:
        day: dt.date = self.cleaned_data["effective_from"]
        if day < self.today:
            raise ValidationError(_("La data non può essere nel passato."), code="past")
        return day

    def opening(self) -> Opening:
        """The arguments of ``services.open_request``, after ``is_valid()``."""
        raise NotImplementedError


class IbanChangeForm(SelfServiceForm):
    """E1: the account the instalments are taken from; the password is asked again."""

    kind = RequestKind.IBAN_CHANGE

    contract = ContractChoiceField(
        queryset=Contract.objects.none(),
        label=_("Seleziona contratto"),
        empty_label=_("Seleziona…"),
        widget=ContractSelect(attrs={"data-sp-shows-iban": "current-iban"}),
    )
    new_iban = forms.CharField(
        label=_("Nuovo IBAN"),
        max_length=42,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
    foreign = forms.BooleanField(label=_("IBAN estero"), required=False)
    effective_from = effective_date_field()
    message = message_field()
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_(
            "Per cambiare il conto di addebito ti chiediamo di nuovo la password di accesso."
        ),
        error_messages={"required": _("Inserisci la password di accesso.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contracts = self.active_contracts()
        self.set_contract_choices(contracts)
        field = self.fields["contract"]
        assert isinstance(field, ContractChoiceField)
        # Read once: the options and the no-JavaScript list of IBANs both show them.
        self.contracts: list[Contract] = list(contracts)
        field.choices = [("", field.empty_label or "")] + [
            (ModelChoiceIteratorValue(row.pk, row), field.label_from_instance(row))
            for row in self.contracts
        ]
        #: True when the password given was wrong: the view has it audited.
        self.reauthentication_failed = False

    def current_iban(self) -> str:
        contract = self.chosen_contract()
        return format_iban(contract.payment_iban) if contract else ""

    def current_ibans(self) -> list[tuple[str, str]]:
        """Each contract's number and current IBAN, when there is a choice to make.

        Without JavaScript the "Codice IBAN attuale" field cannot follow the
        choice: the page lists them all instead.
        """
        if len(self.contracts) < 2:
            return []
        return [(row.number, format_iban(row.payment_iban)) for row in self.contracts]

    def clean_new_iban(self) -> str:
        return clean_iban(self.cleaned_data["new_iban"])

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        try:
            check_current_password(self.request, self.user, password)
        except ValidationError as error:
            self.reauthentication_failed = error.code == "wrong"
            raise
        return password

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new, contract = data.get("new_iban"), data.get("contract")
        if new and not new.startswith("IT") and not data.get("foreign"):
            self.add_error(
                "new_iban",
                ValidationError(
                    _("L'IBAN non è italiano: se il conto è all'estero spunta «IBAN estero»."),
                    code="foreign",
                ),
            )
        elif (
            new
            and contract
            and contract.payment_iban
            and new == iban.compact(contract.payment_iban)
        ):
            self.add_error(
                "new_iban",
                ValidationError(_("Il nuovo IBAN è uguale a quello attuale."), code="same"),
            )
        return data

    def opening(self) -> Opening:
        data = self.cleaned_data
        contract: Contract = data["contract"]
        return {
            "contract": contract,
            "message": data["message"],
            "payload": {
                "current_iban": contract.payment_iban,
                "new_iban": data["new_iban"],
                "foreign": not data["new_iban"].startswith("IT"),
                "effective_from": data["effective_from"].isoformat(),
            },
        }


class AddressChangeForm(SelfServiceForm):
    """E2: the registered address, from a date."""

    kind = RequestKind.ADDRESS_CHANGE

    new_address = forms.CharField(
        label=_("Indirizzo"),
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("ES: Via Rossi, 110, Roma, RM, Italia"),
                "autocomplete": "street-address",
            }
        ),
    )
    effective_from = effective_date_field()
    message = message_field()

    def opening(self) -> Opening:
        data = self.cleaned_data
        return {
            "message": data["message"],
            "payload": {
                "current_address": self.customer.full_address,
                "new_address": data["new_address"],
                "effective_from": data["effective_from"].isoformat(),
            },
        }


class FreeRequestForm(SelfServiceForm, AttachmentsForm):
    """E3: one of the company's request types, a message and files."""

    kind = RequestKind.FREE

    request_type = RequestTypeChoiceField(
        queryset=RequestType.objects.none(),
        label=_("Richieste default"),
        empty_label=_("Seleziona…"),
    )
    message = message_field(_("Inserire la richiesta per il servizio clienti"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = self.company.request_types.filter(is_active=True).order_by("position", "pk")
        field = self.fields["request_type"]
        assert isinstance(field, RequestTypeChoiceField)
        field.queryset = types
        if not types.exists():
            # A company without a list: the message says it all.
            del self.fields["request_type"]

    def opening(self) -> Opening:
        data = self.cleaned_data
        request_type: RequestType | None = data.get("request_type")
        return {
            "title": request_type.label_it if request_type else "",
            "request_type": request_type,
            "message": data["message"],
            "files": self.checked_files,
        }


class EarlyTerminationForm(SelfServiceForm):
    """E4: the contract, the last instalment to pay and the indicative payoff."""

    kind = RequestKind.EARLY_TERMINATION

    contract = ContractChoiceField(
        queryset=Contract.objects.none(),
        label=_("Seleziona contratto"),
        empty_label=_("Seleziona…"),
    )
    last_instalment = InstalmentChoiceField(
        queryset=PlanInstalment.objects.none(),
        label=_("Ultimo canone da pagare"),
        empty_label=_("Seleziona…"),
        to_field_name="number",
    )
    message = message_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_contract_choices(self.active_contracts())
        self.selected_contract = self.chosen_contract()
        self.instalments: list[PlanInstalment] = []
        field = self.fields["last_instalment"]
        assert isinstance(field, InstalmentChoiceField)
        if self.selected_contract is not None:
            # The choices are the chosen contract's: another contract's instalment is no choice.
            field.queryset = instalments_still_due(self.selected_contract, self.today)
            self.instalments = list(field.queryset)
        # Rendered from the list already read, not with one more query.
        field.choices = [("", field.empty_label or "")] + [
            (str(row.number), field.label_from_instance(row)) for row in self.instalments
        ]
        # With JavaScript the figures follow the choices at once (no-JS: "Calcola").
        quote_url = reverse("servicedesk:termination_quote")
        self.fields["contract"].widget.attrs.update(
            {"hx-get": quote_url, "hx-target": "#termination-quote", "hx-trigger": "change"}
        )
        field.widget.attrs.update(
            {
                "hx-get": quote_url,
                "hx-trigger": "change",
                "hx-include": f"#{self['contract'].auto_id}",
                "hx-target": "#termination-payoff",
                "hx-select": "#termination-payoff-figures",
            }
        )

    def chosen_instalment(self) -> PlanInstalment | None:
        value = str(self.raw_value("last_instalment") or "")
        return next((row for row in self.instalments if str(row.number) == value), None)

    def quote(self) -> EarlyTerminationQuote | None:
        """The figures for the contract (and last instalment) chosen so far."""
        if self.selected_contract is None:
            return None
        return early_termination_quote(self.selected_contract, self.today, self.chosen_instalment())

    def opening(self) -> Opening:
        data = self.cleaned_data
        contract: Contract = data["contract"]
        last: PlanInstalment = data["last_instalment"]
        quote = early_termination_quote(contract, self.today, last)
        return {
            "contract": contract,
            "message": data["message"],
            "payload": {
                "computed_on": self.today.isoformat(),
                "residual_capital_today": str(quote.residual_capital_today),
                "last_instalment_number": last.number,
                "last_instalment_due": last.due_date.isoformat(),
                "capital_after": str(quote.capital_after),
                "residual_value": str(quote.residual_value),
                "indicative_payoff": str(quote.indicative_payoff),
            },
        }


class ComplaintForm(SelfServiceForm, AttachmentsForm):
    """A complaint (reclamo): the law's clock starts on receipt."""

    kind = RequestKind.COMPLAINT

    subject = forms.CharField(label=_("Oggetto"), max_length=200)
    description = forms.CharField(
        label=_("Descrizione del reclamo"),
        max_length=COMPLAINT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Max 2000 caratteri"),
    )
    contract = ContractChoiceField(
        queryset=Contract.objects.none(),
        label=_("Contratto"),
        required=False,
        empty_label=_("Nessuno in particolare"),
    )
    is_payment_service = forms.BooleanField(
        label=_("Il reclamo riguarda un servizio di pagamento (es. addebito diretto SEPA)"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any of the customer's contracts, extinct ones too: a complaint may be about the past.
        self.set_contract_choices(
            Contract.objects.for_user(self.user).order_by("-stipulated_on", "number")
        )

    def due_dates(self) -> dict[str, dt.date]:
        """When the answer is due if the complaint is sent today, by either clock."""
        return {
            "leasing": complaint_due_date(self.today, ComplaintClock.LEASING),
            "payment_service": complaint_due_date(self.today, ComplaintClock.PAYMENT_SERVICE),
        }

    def opening(self) -> Opening:
        data = self.cleaned_data
        return {
            "title": data["subject"],
            "message": data["description"],
            "contract": data.get("contract"),
            "is_payment_service": bool(data.get("is_payment_service")),
            "files": self.checked_files,
        }


class PecChangeForm(SelfServiceForm):
    """The PEC on file for every communication (seed 003, answer 4)."""

    kind = RequestKind.PEC_CHANGE

    new_pec = forms.EmailField(
        label=_("Nuova PEC"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    message = message_field()

    def clean_new_pec(self) -> str:
        address: str = self.cleaned_data["new_pec"].strip()
        domains = self.company.pec_domain_list()
        if domains and not self.company.is_pec_address(address):
            raise ValidationError(
                _("La nuova PEC deve essere presso un gestore PEC: %(domains)s."),
                code="not_pec",
                params={"domains": ", ".join(domains)},
            )
        if address.lower() == self.customer.pec.strip().lower():
            raise ValidationError(_("La nuova PEC è uguale a quella attuale."), code="same")
        return address

    def opening(self) -> Opening:
        data = self.cleaned_data
        return {
            "message": data["message"],
            "payload": {"current_pec": self.customer.pec, "new_pec": data["new_pec"]},
        }


@dataclass(frozen=True)
class SelfServiceKind:
    """One entry of the self-service area: its address, its form and its words."""

    slug: str
    form: type[SelfServiceForm]
    title: Promise  # the dialog's title, as the seed's pop-ups say
    description: Promise

    @property
    def kind(self) -> RequestKind:
        return self.form.kind

    @property
    def fields_template(self) -> str:
        return f"servicedesk/fields/{self.slug}.html"

    @property
    def label(self) -> str:
        return str(self.kind.label)


#: The leasing self-service area, in the order the home and the area list it.
SELF_SERVICE_KINDS = {
    kind.slug: kind
    for kind in [
        SelfServiceKind(
            "iban",
            IbanChangeForm,
            _("Cambio IBAN"),
            _("Cambia il conto su cui sono addebitati i canoni di un contratto."),
        ),
        SelfServiceKind(
            "indirizzo",
            AddressChangeForm,
            _("Cambio indirizzo"),
            _("Comunica il nuovo indirizzo della sede o della residenza."),
        ),
        SelfServiceKind(
            "altre",
            FreeRequestForm,
            _("Richiesta libera"),
            _("Una delle richieste più frequenti o una domanda al servizio clienti, con allegati."),
        ),
        SelfServiceKind(
            "estinzione",
            EarlyTerminationForm,
            _("Richiesta estinzione anticipata"),
            _("Il capitale residuo di un contratto e un importo indicativo per chiuderlo prima."),
        ),
        SelfServiceKind(
            "reclamo",
            ComplaintForm,
            _("Reclamo"),
            _("Un reclamo formale: la risposta arriva entro i termini di legge."),
        ),
        SelfServiceKind(
            "pec",
            PecChangeForm,
            _("Modifica indirizzo PEC"),
            _("Cambia la PEC a cui la società invia tutte le comunicazioni."),
        ),
    ]
}
