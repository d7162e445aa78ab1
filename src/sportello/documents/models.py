"""The document library: customer, contract and company-wide documents."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sportello.core.models import Company
from sportello.customers.models import Customer
from sportello.leasing.models import Contract


class DocumentCategory(models.TextChoices):
    MINE = "mine", _("I miei documenti")
    GENERIC = "generic", _("Documentazione generica")
    FORMS = "forms", _("Modulistica")
    REGULATIONS = "regulations", _("Normative")
    COMMUNICATIONS = "communications", _("Comunicati")
    INFORMATION = "information", _("Informazioni")


#: Each category's page in the address (``/documenti/<slug>/``), in the menu's order.
CATEGORY_SLUGS = {
    "miei": DocumentCategory.MINE,
    "generica": DocumentCategory.GENERIC,
    "modulistica": DocumentCategory.FORMS,
    "normative": DocumentCategory.REGULATIONS,
    "comunicati": DocumentCategory.COMMUNICATIONS,
    "informazioni": DocumentCategory.INFORMATION,
}


class DocumentQuerySet(models.QuerySet["Document"]):
    def for_user(self, user: object) -> DocumentQuerySet:
        """Company-wide documents of the user's company, and the customer's own."""
        customer_id = getattr(user, "customer_id", None)
        if not getattr(user, "is_authenticated", False) or customer_id is None:
            return self.none()
        return self.filter(
            Q(customer_id=customer_id)
            | Q(customer__isnull=True, company_id=getattr(user, "company_id", None))
        )

    def in_category(self, category: str) -> DocumentQuerySet:
        """One category's documents, newest first, with their contract (one query)."""
        return (
            self.filter(category=category)
            .select_related("contract")
            .order_by("-published_on", "title", "pk")
        )


def document_path(document: Document, filename: str) -> str:
    return f"documents/{document.company_id}/{document.uid.hex}"


class Document(models.Model):
    """A file: company-wide (no customer), a customer's, or a contract's."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="documents", verbose_name=_("società")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    #: The core system's code of the document, its natural key in imports (blank when
    #: an operator uploaded it).
    code = models.CharField(_("codice"), max_length=60, blank=True)
    category = models.CharField(_("categoria"), max_length=16, choices=DocumentCategory.choices)
    title = models.CharField(_("titolo"), max_length=200)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(_("file"), upload_to=document_path)
    original_name = models.CharField(_("nome file"), max_length=200)
    published_on = models.DateField(_("pubblicato il"))

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("documento")
        verbose_name_plural = _("documenti")
        ordering = ["company", "category", "-published_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contract__isnull=True) | Q(customer__isnull=False),
                name="contract_document_has_customer",
            ),
            models.CheckConstraint(
                condition=~Q(category="mine") | Q(customer__isnull=False),
                name="my_documents_have_customer",
            ),
            models.UniqueConstraint(
                fields=["company", "code"], condition=~Q(code=""), name="unique_document_code"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.customer is not None and self.customer.company_id != self.company_id:
            raise ValidationError({"customer": _("Il cliente appartiene a un'altra società.")})
        if self.contract is not None and self.contract.customer_id != self.customer_id:
            raise ValidationError({"contract": _("Il contratto è di un altro cliente.")})
