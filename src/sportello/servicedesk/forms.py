"""Forms of the service desk shared by the customer pages and the back office."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from sportello.core.forms import StyledForm

from .models import RequestStatus, ServiceRequest
from .services import CheckedFile, attachment_limits, check_files

#: The types a person may pick in the browser's file dialog (the server checks content).
ACCEPTED_TYPES = ".pdf,.jpg,.jpeg,.png,.p7m,application/pdf,image/jpeg,image/png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Zero or more files from one ``<input type=file multiple>``."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Allega file"))
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ACCEPTED_TYPES

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[bytes]]:
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(AttachmentsField, self).clean(f, initial) for f in files]


class AttachmentsForm(StyledForm):
    """A form that takes attachments: every file passes ``check_files`` or none is kept.

    ``service_request`` (when replying) counts the files it already holds
    against the per-request limit. After ``is_valid()``, ``checked_files``
    are what the services store.
    """

    attachments = AttachmentsField(
        help_text=_(
            "PDF, JPEG, PNG o P7M; fino a %(per_file)s MB per file, %(per_message)s file "
            "per messaggio, %(per_request)s MB per richiesta."
        )
    )

    def __init__(
        self, *args: Any, service_request: ServiceRequest | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.service_request = service_request
        self.checked_files: list[CheckedFile] = []
        field = self.fields["attachments"]
        field.help_text = str(field.help_text) % attachment_limits()

    @property
    def files_not_scanned(self) -> bool:
        """No virus scanner is required here (a demo): the form says so beside the field."""
        return not settings.CLAMAV_REQUIRED

    def clean_attachments(self) -> list[UploadedFile[bytes]]:
        files: list[UploadedFile[bytes]] = self.cleaned_data.get("attachments") or []
        self.checked_files = check_files(files, self.service_request)
        return files


#: The longest message a customer writes at once (seed 002: 500 characters).
MESSAGE_MAX_LENGTH = 500


class ReplyForm(AttachmentsForm):
    """The customer's reply on a request: a message, files, or both."""

    message = forms.CharField(
        label=_("Messaggio"),
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Al massimo %(max)s caratteri."),
    )
    field_order = ["message", "attachments"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["message"]
        field.help_text = str(field.help_text) % {"max": MESSAGE_MAX_LENGTH}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        empty = not cleaned.get("message") and not cleaned.get("attachments")
        if empty and not self.has_error("attachments"):
            self.add_error("message", _("Scrivi un messaggio o allega un file."))
        return cleaned


class RequestFilterForm(StyledForm):
    """The history's status filter, in the address; a status it does not know shows all."""

    status = forms.ChoiceField(
        label=_("Stato"), required=False, choices=[("", _("Tutti")), *RequestStatus.choices]
    )

    def chosen_status(self) -> str:
        """The status asked for, or "" (every status) when none or an unknown one."""
        value = self.data.get("status", "")
        return value if value in RequestStatus.values else ""
