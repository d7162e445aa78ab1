"""The customer's self-service forms, one per kind: a leasing company's (E1–E4,
complaint, PEC change) and an energy seller's (E6: ticket, TIQV complaint).

Each form checks what the customer typed against the customer's own data
(contracts through ``for_user``, the company's request types) and gives the
view the arguments of ``services.open_request`` (``opening()``): the view
parses, calls the service and renders, and nothing is saved until every
field is right. ``SELF_SERVICE_KINDS`` lists the kinds each kind of company
offers: a new kind is a form and one entry there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypedDict

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
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
from sportello.core.models import Company, CompanyKind
from sportello.customers.identifiers import clean_iban, format_iban
from sportello.energy.identifiers import PDR, POD, identifier_problem, normalise
from sportello.energy.models import SupplyPoint
from sportello.energy.selection import select_point
from sportello.leasing.models import Contract, PlanInstalment
from sportello.leasing.services import (
    EarlyTerminationQuote,
    early_termination_quote,
    instalments_still_due,
)

from .deadlines import ComplaintClock, complaint_due_date
from .forms import AttachmentsForm
from .models import ComplaintService, RequestKind, RequestType
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
    supply_point: SupplyPoint | None
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


def offer_request_types(form: SelfServiceForm) -> None:
    """The company's active request types in the form's choice; a company that keeps
    no list gets no choice (the message or the subject says what the request is about)."""
    types = form.company.request_types.filter(is_active=True).order_by("position", "pk")
    field = form.fields["request_type"]
    assert isinstance(field, RequestTypeChoiceField)
    field.queryset = types
    if not types.exists():
        del form.fields["request_type"]


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
        offer_request_types(self)

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


class UtilityRequestForm(SelfServiceForm):
    """A request of an energy seller's customer about the supply point chosen in the
    header (G1), or about none when the customer has no point.

    The point travels with the form in a hidden field, checked among the user's
    own points: the request is about the point the customer saw, even if another
    tab changed the header's choice meanwhile.
    """

    supply_point = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The header's list (already read for the page): no query of its own.
        selection = select_point(self.request)
        self.points = {str(point.pk): point for point in selection.points}
        if selection.point is not None:
            self.initial.setdefault("supply_point", selection.point.pk)

    def point(self) -> SupplyPoint | None:
        """The point chosen so far, among the user's own (else None)."""
        return self.points.get(str(self.raw_value("supply_point") or ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("supply_point") and self.point() is None:
            self.add_error(
                None,
                ValidationError(
                    _("Il punto di fornitura non è tra i tuoi: sceglilo di nuovo in alto."),
                    code="not_yours",
                ),
            )
        return data


class UtilityTicketForm(UtilityRequestForm, AttachmentsForm):
    """E6: a ticket of one of the company's request types, about the chosen point."""

    kind = RequestKind.UTILITY_TICKET

    request_type = RequestTypeChoiceField(
        queryset=RequestType.objects.none(),
        label=_("Tipo di richiesta"),
        empty_label=_("Seleziona…"),
    )
    subject = forms.CharField(label=_("Oggetto"), max_length=200)
    message = message_field(_("Messaggio per il servizio clienti"), required=True)
    field_order = ["request_type", "subject", "message", "attachments"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_request_types(self)

    def opening(self) -> Opening:
        data = self.cleaned_data
        return {
            "title": data["subject"],
            "request_type": data.get("request_type"),
            "message": data["message"],
            "supply_point": self.point(),
            "files": self.checked_files,
        }


class UtilityComplaintForm(UtilityRequestForm, AttachmentsForm):
    """A written complaint to an energy or gas seller, with the fields ARERA requires.

    TIQV (Testo integrato della qualità dei servizi di vendita, Allegato A to
    Delibera 413/2016/R/com), art. 8: the seller's complaint form carries at
    least the customer's name, the supply address, the postal or e-mail
    address for the reply, the service (electricity, gas or both), the POD or
    PDR (where known, else the customer code) and a description of the facts.
    They are filled in from the chosen point and the customer; the customer
    may change them (they say what the complaint is about), and the customer
    code is always added. The answer is due in 30 calendar days (art. 14).
    """

    kind = RequestKind.COMPLAINT

    name = forms.CharField(
        label=_("Nome e cognome o denominazione"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    supply_address = forms.CharField(label=_("Indirizzo di fornitura"), max_length=200)
    reply_address = forms.CharField(
        label=_("Indirizzo per la risposta (postale o e-mail)"),
        max_length=254,
        help_text=_(
            "L'indirizzo e-mail, o l'indirizzo postale se diverso da quello di fornitura, "
            "a cui inviare la risposta scritta."
        ),
    )
    service = forms.ChoiceField(
        label=_("Servizio"), choices=[("", _("Seleziona…")), *ComplaintService.choices]
    )
    point_code = forms.CharField(
        label=_("POD o PDR"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "characters"}),
        help_text=_(
            "Il codice del punto, in bolletta: POD per l'energia elettrica, PDR per il gas. "
            "Se non lo conosci lascia vuoto: il reclamo riporta il tuo codice cliente."
        ),
    )
    subject = forms.CharField(label=_("Oggetto"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Descrizione del reclamo"),
        max_length=COMPLAINT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Max 2000 caratteri"),
    )
    field_order = [
        "name",
        "supply_address",
        "reply_address",
        "service",
        "point_code",
        "subject",
        "description",
        "attachments",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        point = self.point()
        prefill: dict[str, Any] = {
            "name": self.customer.name,
            "reply_address": self.user.notification_email or self.customer.full_address,
        }
        if point is not None:
            prefill |= {
                "supply_address": point.address,
                "service": point.commodity,
                "point_code": point.code,
            }
        for name, value in prefill.items():
            self.initial.setdefault(name, value)

    def due_date(self) -> dt.date:
        """When the answer is due if the complaint is sent today."""
        return complaint_due_date(self.today, ComplaintClock.UTILITY)

    def clean_reply_address(self) -> str:
        address: str = self.cleaned_data["reply_address"].strip()
        if "@" in address:
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError(
                    _("L'e-mail non è valida: controllala o indica un indirizzo postale."),
                    code="email",
                ) from None
        return address

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code, service = normalise(data.get("point_code") or ""), data.get("service")
        data["point_code"] = code
        if not code or not service:
            return data
        if service == ComplaintService.BOTH:
            if not (POD.fullmatch(code) or PDR.fullmatch(code)):
                self.add_error(
                    "point_code",
                    ValidationError(
                        _(
                            "Indica un POD (IT, tre cifre, E e otto o nove caratteri) "
                            "o un PDR di 14 cifre."
                        ),
                        code="shape",
                    ),
                )
        elif problem := identifier_problem(service, code):
            self.add_error("point_code", ValidationError(str(problem), code="shape"))
        if (
            "point_code" not in self.errors
            and not self.customer.supply_points.filter(code=code).exists()
        ):
            # The complaint names one of the customer's own points, or none (the
            # customer code then identifies it): a stranger's code would point
            # the desk at someone else's supply.
            self.add_error(
                "point_code",
                ValidationError(
                    _(
                        "Il codice non è di un tuo punto di fornitura: scegli il punto "
                        "in alto nella pagina o lascia il campo vuoto."
                    ),
                    code="not_yours",
                ),
            )
        return data

    def opening(self) -> Opening:
        data = self.cleaned_data
        return {
            "title": data["subject"],
            "message": data["description"],
            "supply_point": self.point(),
            "files": self.checked_files,
            "payload": {
                "name": data["name"],
                "supply_address": data["supply_address"],
                "reply_address": data["reply_address"],
                "service": data["service"],
                "point_code": data["point_code"],
                "customer_code": self.customer.code,
            },
        }


@dataclass(frozen=True)
class SelfServiceKind:
    """One entry of the self-service area: its address, its form and its words."""

    slug: str
    form: type[SelfServiceForm]
    title: Promise  # the dialog's title, as the seed's pop-ups say
    description: Promise
    #: The fields' template when another company kind's entry has the same slug.
    fields: str = ""

    @property
    def kind(self) -> RequestKind:
        return self.form.kind

    @property
    def fields_template(self) -> str:
        return f"servicedesk/fields/{self.fields or self.slug}.html"

    @property
    def label(self) -> str:
        return str(self.kind.label)


#: The leasing self-service area, in the order the home and the area list it.
LEASING_KINDS = {
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

#: An energy seller's self-service area (E6), in the order it is listed.
UTILITY_KINDS = {
    kind.slug: kind
    for kind in [
        SelfServiceKind(
            "ticket",
            UtilityTicketForm,
            _("Nuovo ticket"),
            _("Una richiesta al servizio clienti sul punto di fornitura scelto, con allegati."),
        ),
        SelfServiceKind(
            "reclamo",
            UtilityComplaintForm,
            _("Reclamo"),
            _("Un reclamo scritto: la risposta motivata arriva entro 30 giorni dal ricevimento."),
            fields="reclamo-utility",
        ),
    ]
}

#: The kinds each kind of company offers, by the slug of their address.
SELF_SERVICE_KINDS: dict[str, dict[str, SelfServiceKind]] = {
    CompanyKind.LEASING: LEASING_KINDS,
    CompanyKind.UTILITY: UTILITY_KINDS,
}


def self_service_kinds(company: Company) -> dict[str, SelfServiceKind]:
    """The kinds ``company``'s customers may open (none if it offers no requests)."""
    if not company.feature_requests:
        return {}
    return SELF_SERVICE_KINDS.get(company.kind, {})
