"""The back office's forms: the queue's filters, the request page's actions, broadcasts.

Each action on the request page is its own form with its own ``prefix``, so
the page can hold them all without two fields sharing an id.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sportello.accounts.models import PortalUser
from sportello.core.audit import Origin
from sportello.core.forms import StyledForm
from sportello.core.models import Company, CompanyKind
from sportello.core.uploads import check_size, megabytes
from sportello.integration.feeds import KINDS
from sportello.integration.models import ImportRun, ImportSource, Scope
from sportello.integration.services import import_file
from sportello.leasing.models import Product
from sportello.notices.models import Audience, Notification
from sportello.notices.services import (
    PROVINCE_CODE,
    BroadcastContent,
    publish_broadcast,
    split_audience,
    update_broadcast,
)
from sportello.servicedesk import services
from sportello.servicedesk.deadlines import ComplaintClock
from sportello.servicedesk.forms import AttachmentsForm
from sportello.servicedesk.models import (
    ComplaintOutcome,
    RequestKind,
    RequestStatus,
    ServiceRequest,
)
from sportello.servicedesk.services import ServiceLevel, complaint_clock, referral_for

from .access import company_operators
from .queue import ALL_STATUSES, ASSIGNED_TO_ME, UNASSIGNED, QueueFilter

#: A message's length, as the model keeps it.
BODY_MAX = 5000

OPEN_STATUS_CHOICES = [(s.value, s.label) for s in RequestStatus if s != RequestStatus.CLOSED]


def operator_name(user: PortalUser) -> str:
    return user.get_full_name() or user.username


def body_field(label: Any, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=BODY_MAX,
        required=required,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class QueueFilterForm(StyledForm):
    """The queue's filters, from the address (``?status=&kind=&assignee=&deadline=``)."""

    status = forms.ChoiceField(
        label=_("Stato"),
        required=False,
        choices=[
            ("", _("Aperte (non chiuse)")),
            *[(s.value, s.label) for s in RequestStatus],
            (ALL_STATUSES, _("Tutte")),
        ],
    )
    kind = forms.ChoiceField(label=_("Tipo"), required=False)
    assignee = forms.ChoiceField(label=_("Assegnata a"), required=False)
    deadline = forms.ChoiceField(
        label=_("Scadenza"),
        required=False,
        choices=[("", _("Tutte")), *[(level.value, level.label) for level in ServiceLevel]],
    )

    def __init__(
        self,
        *args: Any,
        operators: Iterable[PortalUser] = (),
        kinds: Iterable[RequestKind] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Only the company's kinds: a leasing desk never sees a utility ticket.
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            ("", _("Tutti")),
            *[(kind.value, kind.label) for kind in kinds],
        ]
        self.fields["assignee"].choices = [  # type: ignore[attr-defined]
            ("", _("Chiunque")),
            (ASSIGNED_TO_ME, _("A me")),
            (UNASSIGNED, _("A nessuno")),
            *[(str(user.pk), operator_name(user)) for user in operators],
        ]

    def chosen(self) -> QueueFilter:
        data = self.cleaned_data
        return QueueFilter(data["status"], data["kind"], data["assignee"], data["deadline"])


class DeskForm(StyledForm):
    """An action on one request, which the form is bound to; ``save`` calls its service."""

    def __init__(self, *args: Any, service_request: ServiceRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service_request = service_request


def bound_request(form: AttachmentsForm) -> ServiceRequest:
    assert form.service_request is not None, "a desk form is bound to a request"
    return form.service_request


class ReplyForm(AttachmentsForm):
    """An answer to the customer, with attachments and, if chosen, a new status."""

    prefix = "reply"
    body = body_field(_("Risposta al cliente"))
    status = forms.ChoiceField(
        label=_("Nuovo stato"),
        required=False,
        choices=[("", _("Non cambiare")), *OPEN_STATUS_CHOICES],
    )
    field_order = ["body", "attachments", "status"]

    def save(self, origin: Origin) -> None:
        status = self.cleaned_data["status"]
        services.desk_reply(
            origin,
            bound_request(self),
            self.cleaned_data["body"],
            self.checked_files,
            status=RequestStatus(status) if status else None,
        )


class NoteForm(DeskForm):
    """An internal note: the customer never sees it, nobody is e-mailed."""

    prefix = "note"
    body = body_field(_("Nota interna"))

    def save(self, origin: Origin) -> None:
        services.desk_reply(origin, self.service_request, self.cleaned_data["body"], internal=True)


class StatusForm(DeskForm):
    prefix = "status"
    status = forms.ChoiceField(label=_("Stato"), choices=OPEN_STATUS_CHOICES)

    def save(self, origin: Origin) -> None:
        services.set_status(
            origin, self.service_request, RequestStatus(self.cleaned_data["status"])
        )


class OperatorChoiceField(forms.ModelChoiceField[PortalUser]):
    def label_from_instance(self, obj: PortalUser) -> str:
        return operator_name(obj)


class AssignForm(DeskForm):
    """The request to one of its company's operators, or to nobody."""

    prefix = "assign"
    assignee = OperatorChoiceField(
        label=_("Assegna a"),
        queryset=PortalUser.objects.none(),
        required=False,
        empty_label=_("Nessuno"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = company_operators(self.service_request.company)

    def save(self, origin: Origin) -> None:
        services.assign(origin, self.service_request, self.cleaned_data["assignee"])


class InterimReplyForm(AttachmentsForm):
    """A payment-service complaint's interim reply: why the answer needs more time."""

    prefix = "interim"
    body = body_field(_("Motivi del ritardo"))
    field_order = ["body", "attachments"]

    def save(self, origin: Origin) -> None:
        services.interim_reply(
            origin, bound_request(self), self.cleaned_data["body"], self.checked_files
        )


class CloseForm(AttachmentsForm):
    """Closing: a complaint needs the final answer, the outcome and the referral
    (ABF and Conciliatore for a leasing company, ARERA's Servizio Conciliazione
    for an energy seller), written here in the customer's language.

    The fields are not required here: ``close_request`` decides what a
    complaint needs, and its errors are shown by these fields.
    """

    prefix = "close"
    answer = body_field(_("Risposta finale"), required=False)
    outcome = forms.ChoiceField(
        label=_("Esito"), required=False, choices=[("", "—"), *ComplaintOutcome.choices]
    )
    referral = forms.CharField(
        label=_("Indicazione ABF e Conciliatore BancarioFinanziario"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Nella lingua del cliente; è aggiunta in fondo alla risposta finale."),
    )
    field_order = ["answer", "outcome", "referral", "attachments"]

    def __init__(self, *args: Any, service_request: ServiceRequest, **kwargs: Any) -> None:
        super().__init__(*args, service_request=service_request, **kwargs)
        if service_request.is_complaint:
            self.fields["referral"].initial = referral_for(service_request)
            if complaint_clock(service_request) is ComplaintClock.UTILITY:
                self.fields["referral"].label = _("Indicazione del Servizio Conciliazione ARERA")
        else:
            del self.fields["outcome"]
            del self.fields["referral"]
            self.fields["answer"].label = _("Ultima risposta al cliente (facoltativa)")

    def save(self, origin: Origin) -> None:
        services.close_request(
            origin,
            bound_request(self),
            answer=self.cleaned_data["answer"],
            outcome=self.cleaned_data.get("outcome", ""),
            referral=self.cleaned_data.get("referral", ""),
            files=self.checked_files,
        )


class RegisterFilterForm(StyledForm):
    """The complaints register's year of receipt (``?year=``), among those there are."""

    year = forms.TypedChoiceField(
        label=_("Anno di ricezione"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, years: Iterable[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            ("", _("Tutti")),
            *[(str(year), str(year)) for year in years],
        ]


class DateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker; the value is Rome's local time."""

    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class ProductChoiceField(forms.ModelChoiceField[Product]):
    def label_from_instance(self, obj: Product) -> str:
        return f"{obj} ({obj.code})"


#: The audiences that make sense for every company, and those of each kind.
COMMON_AUDIENCES = [Audience.ALL, Audience.PROVINCE, Audience.OVERDUE]
AUDIENCES_BY_KIND: dict[str, list[Audience]] = {
    CompanyKind.LEASING: [Audience.LEASING, Audience.PRODUCT],
    CompanyKind.UTILITY: [Audience.UTILITY, Audience.ELECTRICITY, Audience.GAS],
}


class BroadcastForm(StyledForm):
    """A broadcast of one company: text in Italian and English, audience, publication.

    The product is chosen among the company's own; the province and the product
    count only for their audiences.
    """

    title = forms.CharField(label=_("Titolo"), max_length=200)
    body = body_field(_("Testo"))
    title_en = forms.CharField(label=_("Titolo in inglese"), max_length=200, required=False)
    body_en = body_field(_("Testo in inglese"), required=False)
    link = forms.URLField(
        label=_("Link"), required=False, help_text=_("Facoltativo: un indirizzo https://…")
    )
    is_important = forms.BooleanField(
        label=_("Importante: in evidenza in cima alle notifiche"), required=False
    )
    audience = forms.ChoiceField(label=_("Destinatari"))
    product = ProductChoiceField(
        label=_("Prodotto"),
        empty_label=_("Scegli un prodotto"),
        queryset=Product.objects.none(),
        to_field_name="code",
        required=False,
        help_text=_("Solo per i destinatari «Clienti con un prodotto»."),
    )
    province = forms.CharField(
        label=_("Provincia"),
        max_length=2,
        required=False,
        help_text=_("Sigla di due lettere (es. MI); solo per «Clienti di una provincia»."),
    )
    published_at = forms.DateTimeField(
        label=_("Pubblica il"),
        widget=DateTimeInput(),
        help_text=_("Una data futura programma la pubblicazione."),
    )
    expires_at = forms.DateTimeField(
        label=_("Scade il"),
        widget=DateTimeInput(),
        required=False,
        help_text=_("Facoltativa: dopo questa data i clienti non la vedono più."),
    )

    def __init__(
        self, *args: Any, company: Company, broadcast: Notification | None = None, **kwargs: Any
    ) -> None:
        if broadcast is not None:
            kwargs.setdefault("initial", broadcast_initial(broadcast))
        super().__init__(*args, **kwargs)
        self.company, self.broadcast = company, broadcast
        if broadcast is None:
            self.fields["published_at"].initial = timezone.now
        audiences = COMMON_AUDIENCES[:1] + AUDIENCES_BY_KIND.get(company.kind, [])
        audiences += COMMON_AUDIENCES[1:]
        self.fields["audience"].choices = [(a.value, a.label) for a in audiences]  # type: ignore[attr-defined]
        product = self.fields["product"]
        assert isinstance(product, forms.ModelChoiceField)
        product.queryset = Product.objects.filter(company=company).order_by("name_it")

    def clean_province(self) -> str:
        province: str = self.cleaned_data["province"].strip().upper()
        if province and not PROVINCE_CODE.fullmatch(province):
            raise ValidationError(
                _("Indica la provincia con la sua sigla di due lettere (es. MI).")
            )
        return province

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        audience = data.get("audience")
        if audience == Audience.PRODUCT and not data.get("product"):
            self.add_error("product", _("Scegli uno dei prodotti della società."))
        if audience == Audience.PROVINCE and not data.get("province") and "province" in data:
            self.add_error("province", _("Indica la provincia dei clienti."))
        published, expires = data.get("published_at"), data.get("expires_at")
        if published and expires and expires <= published:
            self.add_error(
                "expires_at", _("La scadenza deve essere successiva alla pubblicazione.")
            )
        return data

    def content(self) -> BroadcastContent:
        data = self.cleaned_data
        audience = Audience(data["audience"])
        value = ""
        if audience == Audience.PRODUCT:
            value = data["product"].code
        elif audience == Audience.PROVINCE:
            value = data["province"]
        return BroadcastContent(
            title=data["title"],
            body=data["body"],
            title_en=data["title_en"],
            body_en=data["body_en"],
            link=data["link"],
            is_important=data["is_important"],
            audience=audience,
            audience_value=value,
            published_at=data["published_at"],
            expires_at=data["expires_at"],
        )

    def save(self, origin: Origin) -> Notification:
        if self.broadcast is None:
            return publish_broadcast(origin, self.company, self.content())
        return update_broadcast(origin, self.broadcast, self.content())


def broadcast_initial(broadcast: Notification) -> dict[str, Any]:
    """The form's fields as ``broadcast`` has them, its audience split into its parts."""
    audience, value = split_audience(broadcast.audience)
    return {
        "title": broadcast.title,
        "body": broadcast.body,
        "title_en": broadcast.title_en,
        "body_en": broadcast.body_en,
        "link": broadcast.link,
        "is_important": broadcast.is_important,
        "audience": audience,
        "product": value if audience == Audience.PRODUCT else None,
        "province": value if audience == Audience.PROVINCE else "",
        "published_at": broadcast.published_at,
        "expires_at": broadcast.expires_at,
    }


def import_kind_choices() -> list[tuple[str, str]]:
    """The feed kinds an operator may upload, by label."""
    return sorted(((name, str(kind.label)) for name, kind in KINDS.items()), key=lambda c: c[1])


class ImportForm(StyledForm):
    """A feed file of one kind, checked for size here and read by the import service."""

    kind = forms.ChoiceField(label=_("Tipo di dati"), choices=import_kind_choices)
    file = forms.FileField(
        label=_("File"),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,.jsonl,.ndjson,.json,.xml,.p7m,.zip"}),
    )
    dry_run = forms.BooleanField(label=_("Solo prova (nessuna scrittura)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV (separato da «;» o «,»), XLSX o JSON lines; le fatture FatturaPA e le "
            "ricevute SdI in XML, P7M o ZIP. Al massimo %(limit)s MB."
        ) % {"limit": megabytes(settings.IMPORT_UPLOAD_MAX_BYTES)}

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        check_size(upload, max_bytes=settings.IMPORT_UPLOAD_MAX_BYTES)
        return upload

    def save(self, company: Company, operator: PortalUser) -> ImportRun:
        """Import the file for ``company``, streamed from where Django put the upload."""
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        upload.seek(0)
        return import_file(
            company,
            self.cleaned_data["kind"],
            cast(IO[bytes], upload),
            file_name=upload.name or "",
            source_kind=ImportSource.BACKOFFICE,
            actor=operator,
            dry_run=self.cleaned_data["dry_run"],
        )


class ApiKeyForm(StyledForm):
    """A new API key for the company's core system: a name and what it may do."""

    name = forms.CharField(
        label=_("Nome"),
        max_length=100,
        help_text=_("Per riconoscerla, ad esempio «Sistema gestionale – produzione»."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Permessi"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Scegli almeno un permesso.")},
    )
