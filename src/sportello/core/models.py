"""Companies (tenants), their content, the audit log, the e-mail outbox and job runs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum import iban
from stdnum.exceptions import ValidationError as ValidationError_

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Usare un colore nel formato #RRGGBB."))
host_name = RegexValidator(
    r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$",
    _("Inserire un nome host in minuscolo, senza schema né porta (es. clienti.esempio.it)."),
)


# WCAG 2.1 AA, success criterion 1.4.3: normal text needs 4.5:1.
MIN_CONTRAST = 4.5


def contrast_with_white(colour: str) -> float:
    """The WCAG contrast ratio of ``#rrggbb`` against white."""

    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)


class CompanyKind(models.TextChoices):
    LEASING = "leasing", _("Leasing")
    UTILITY = "utility", _("Energia e gas")


class Conformity(models.TextChoices):
    """How far the portal meets WCAG 2.1 AA / EN 301 549 (AgID's model statement)."""

    FULL = "full", _("conforme")
    PARTIAL = "partial", _("parzialmente conforme")
    NONE = "none", _("non conforme")


class ReviewMethod(models.TextChoices):
    """How the accessibility statement was prepared (AgID's model statement)."""

    SELF = "self", _("autovalutazione effettuata direttamente dalla società")
    THIRD_PARTY = "third_party", _("valutazione effettuata da terzi")


@dataclass(frozen=True)
class LocalText:
    """A text the company wrote, and the language it is written in.

    When the company wrote nothing in the page's language the Italian text is
    shown instead; the page marks it ``lang="it"`` so a screen reader reads it
    with Italian pronunciation.
    """

    text: str
    language: str


class Company(models.Model):
    """A tenant: one brand, its host names, contacts and enabled features.

    Every customer-facing object belongs to exactly one company, directly or
    through its customer; nothing is ever shown across companies.
    """

    slug = models.SlugField(_("codice"), unique=True, max_length=40)
    name = models.CharField(_("nome"), max_length=120)
    kind = models.CharField(_("tipo"), max_length=10, choices=CompanyKind.choices)
    legal_footer = models.TextField(
        _("piè di pagina legale"), blank=True, help_text=_("Ragione sociale, sede, P.IVA, albo.")
    )
    logo = models.FileField(_("logo"), upload_to="logos/", blank=True)
    primary_colour = models.CharField(
        _("colore principale"), max_length=7, default="#0b4f8a", validators=[hex_colour]
    )
    accent_colour = models.CharField(
        _("colore secondario"), max_length=7, default="#f2b705", validators=[hex_colour]
    )
    support_email = models.EmailField(_("e-mail assistenza tecnica"))
    commercial_contacts = models.TextField(
        _("contatti commerciali"),
        blank=True,
        help_text=_("A chi rivolgersi per informazioni sui servizi (testo libero)."),
    )
    commercial_contacts_en = models.TextField(
        _("contatti commerciali (inglese)"),
        blank=True,
        help_text=_("Se vuoto, le pagine in inglese mostrano il testo italiano."),
    )
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    first_invoice_year = models.PositiveSmallIntegerField(
        _("primo anno fatture"),
        default=2008,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    pec_domains = models.TextField(
        _("domini PEC accettati"),
        blank=True,
        help_text=_("Uno per riga, es. pec.it, legalmail.it."),
    )
    guide = models.TextField(
        _("guida operativa"),
        blank=True,
        help_text=_("Descrivere solo le sezioni che il portale offre già."),
    )
    guide_en = models.TextField(
        _("guida operativa (inglese)"),
        blank=True,
        help_text=_("Se vuota, le pagine in inglese mostrano la guida italiana."),
    )
    # How a customer pays what is overdue (shown on the home and the billing page
    # when something is): the company's own account, not a customer's.
    payment_beneficiary = models.CharField(
        _("beneficiario dei pagamenti"), max_length=200, blank=True
    )
    payment_iban = models.CharField(
        _("IBAN per i pagamenti"),
        max_length=34,
        blank=True,
        help_text=_("Il conto su cui i clienti pagano con bonifico quanto è scaduto."),
    )
    payment_bank = models.CharField(_("banca"), max_length=120, blank=True)
    payment_contact = models.CharField(
        _("contatto per i pagamenti"),
        max_length=200,
        blank=True,
        help_text=_("E-mail o telefono dell'ufficio che risponde sui pagamenti."),
    )
    feature_requests = models.BooleanField(_("richieste self-service"), default=True)
    payment_reminder_days = models.PositiveSmallIntegerField(
        _("promemoria di pagamento (giorni prima)"),
        default=5,
        validators=[MaxValueValidator(60)],
        help_text=_(
            "Leasing: quanti giorni prima di una scadenza il cliente riceve un promemoria; "
            "il giorno dopo una scadenza non pagata riceve l'avviso. 0: nessun promemoria."
        ),
    )
    # The service desk (E5, E7).
    service_desk_email = models.EmailField(
        _("e-mail del servizio clienti"),
        blank=True,
        help_text=_("Riceve l'avviso di ogni risposta dei clienti; se vuota, l'e-mail assistenza."),
    )
    request_reopen_days = models.PositiveSmallIntegerField(
        _("giorni per riaprire una richiesta chiusa"),
        default=30,
        validators=[MaxValueValidator(365)],
        help_text=_(
            "Una risposta del cliente entro questi giorni dalla chiusura riapre la richiesta; "
            "dopo, apre una nuova richiesta collegata."
        ),
    )
    request_first_answer_days = models.PositiveSmallIntegerField(
        _("giorni lavorativi per la prima risposta"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Livello di servizio interno; non cambia i termini di legge dei reclami."),
    )
    feature_sub_users = models.BooleanField(_("sotto-utenze"), default=True)
    feature_transparency = models.BooleanField(_("rendiconti di trasparenza"), default=True)
    feature_self_reading = models.BooleanField(_("autolettura contatore"), default=True)
    # Plausibility of meter self-readings (G7).
    reading_deviation_percent = models.PositiveSmallIntegerField(
        _("scostamento dal consumo previsto (%)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_(
            "Un'autolettura con un consumo fuori da questo margine, o nullo, "
            "va confermata dal cliente."
        ),
    )
    reading_max_annual_factor = models.DecimalField(
        _("consumo massimo rispetto all'annuo"),
        max_digits=4,
        decimal_places=1,
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Un'autolettura che implica un consumo oltre questo multiplo dell'annuo è rifiutata."
        ),
    )
    # The accessibility statement (L. 4/2004 art. 3-bis; D.Lgs. 82/2022, the
    # European Accessibility Act, in force since 28 June 2025): the page
    # /accessibilita/ is generated from these fields.
    accessibility_conformity = models.CharField(
        _("stato di conformità"),
        max_length=10,
        choices=Conformity.choices,
        default=Conformity.PARTIAL,
        help_text=_("Rispetto alle WCAG 2.1 livello AA e alla norma EN 301 549."),
    )
    accessibility_issues = models.TextField(
        _("contenuti non accessibili"),
        blank=True,
        help_text=_(
            "Un paragrafo per contenuto: che cosa non è accessibile, perché (non conformità, "
            "onere sproporzionato, fuori ambito) e l'alternativa accessibile."
        ),
    )
    accessibility_issues_en = models.TextField(
        _("contenuti non accessibili (inglese)"),
        blank=True,
        help_text=_("Se vuoto, le pagine in inglese mostrano il testo italiano."),
    )
    accessibility_feedback_email = models.EmailField(
        _("e-mail per le segnalazioni di accessibilità"),
        blank=True,
        help_text=_("Se vuota, si usa l'e-mail di assistenza tecnica."),
    )
    accessibility_feedback_url = models.URLField(
        _("modulo per le segnalazioni di accessibilità"),
        blank=True,
        help_text=_("Facoltativo: l'indirizzo di un modulo on line."),
    )
    accessibility_reviewed_on = models.DateField(
        _("data dell'ultimo riesame"), null=True, blank=True
    )
    accessibility_review_method = models.CharField(
        _("metodo di valutazione"),
        max_length=12,
        choices=ReviewMethod.choices,
        default=ReviewMethod.SELF,
    )

    class Meta:
        verbose_name = _("società")
        verbose_name_plural = _("società")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.payment_iban:
            try:
                self.payment_iban = iban.validate(self.payment_iban)
            except ValidationError_:
                raise ValidationError(
                    {
                        "payment_iban": _(
                            "L'IBAN non è valido: controllare paese, cifre di controllo e lunghezza."
                        )
                    }
                ) from None
        # White text sits on the primary colour in the header and on buttons.
        if contrast_with_white(self.primary_colour) < MIN_CONTRAST:
            raise ValidationError(
                {
                    "primary_colour": _(
                        "Il testo bianco su questo colore non è leggibile (contrasto "
                        "inferiore a 4,5:1, WCAG 2.1 AA): scegliere un colore più scuro."
                    )
                }
            )

    @property
    def has_payment_details(self) -> bool:
        """Whether the portal can tell a customer how to pay what is overdue."""
        return bool(self.payment_beneficiary and self.payment_iban)

    @property
    def formatted_payment_iban(self) -> str:
        """The payment IBAN in groups of four, as people copy it."""
        return str(iban.format(self.payment_iban)) if self.payment_iban else ""

    @property
    def is_leasing(self) -> bool:
        return self.kind == CompanyKind.LEASING

    @property
    def is_utility(self) -> bool:
        return self.kind == CompanyKind.UTILITY

    @property
    def primary_host(self) -> str:
        hosts = [h for h in self.hosts.all() if h.is_primary]
        if not hosts:
            raise ValidationError(f"Company {self.slug} has no primary host name.")
        return hosts[0].host

    def absolute_url(self, path: str = "/") -> str:
        """A link for e-mails, built from configuration, never from a request."""
        port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
        return f"{settings.PUBLIC_SCHEME}://{self.primary_host}{port}{path}"

    def text(self, field: str, language: str) -> LocalText:
        """The company's text ``field`` in ``language``, or the Italian one if it wrote none.

        Italian lives in ``field``, English in ``field_en``.
        """
        if language != "it":
            translated = getattr(self, f"{field}_{language}", "")
            if translated.strip():
                return LocalText(translated, language)
        return LocalText(getattr(self, field), "it")

    @property
    def accessibility_email(self) -> str:
        """Where accessibility feedback goes: its own address, else the support one."""
        return self.accessibility_feedback_email or self.support_email

    @property
    def service_desk_address(self) -> str:
        """Where customers' replies are announced: the desk's address, else the support one."""
        return self.service_desk_email or self.support_email

    def pec_domain_list(self) -> list[str]:
        return [d.strip().lower() for d in self.pec_domains.splitlines() if d.strip()]

    def is_pec_address(self, address: str) -> bool:
        """Whether ``address`` is on one of the PEC providers' domains the company accepts."""
        return address.strip().rpartition("@")[2].lower() in self.pec_domain_list()


class CompanyHost(models.Model):
    """A host name that serves one company's portal."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="hosts", verbose_name=_("società")
    )
    host = models.CharField(_("host"), max_length=253, unique=True, validators=[host_name])
    is_primary = models.BooleanField(
        _("principale"), default=False, help_text=_("Usato per i link nelle e-mail.")
    )

    class Meta:
        verbose_name = _("host")
        verbose_name_plural = _("host")
        constraints = [
            models.UniqueConstraint(
                fields=["company"],
                condition=models.Q(is_primary=True),
                name="one_primary_host_per_company",
            )
        ]

    def __str__(self) -> str:
        return self.host

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.host = self.host.lower()
        super().save(*args, **kwargs)


class FaqQuerySet(models.QuerySet["FaqEntry"]):
    def for_language(self, language: str) -> tuple[FaqQuerySet, str]:
        """The entries in ``language``, or the Italian ones if the company wrote none.

        Also returns the language the entries are in, to mark the page.
        """
        entries = self.filter(language=language)
        if language != "it" and not entries.exists():
            return self.filter(language="it"), "it"
        return entries, language


class FaqEntry(models.Model):
    """A question and answer on the company's FAQ page (H3), in one language."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="faq_entries", verbose_name=_("società")
    )
    language = models.CharField(_("lingua"), max_length=2, choices=settings.LANGUAGES)
    position = models.PositiveSmallIntegerField(_("posizione"), default=0)
    question = models.CharField(_("domanda"), max_length=300)
    answer = models.TextField(_("risposta"))

    objects: ClassVar[FaqQuerySet] = FaqQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("domanda frequente")
        verbose_name_plural = _("domande frequenti")
        ordering = ["company", "language", "position", "id"]

    def __str__(self) -> str:
        return self.question


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only.")


class AuditEvent(models.Model):
    """One change made by a customer, an operator or the system. Append-only.

    Never store a password, a code, a token or a full IBAN in ``data``.
    """

    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("società"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("utente"),
    )
    actor_label = models.CharField(_("autore"), max_length=150)
    action = models.CharField(_("azione"), max_length=60, db_index=True)
    object_type = models.CharField(_("tipo oggetto"), max_length=60, blank=True)
    object_id = models.CharField(_("id oggetto"), max_length=60, blank=True)
    object_label = models.CharField(_("oggetto"), max_length=200, blank=True)
    data = models.JSONField(_("dettagli"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("indirizzo IP"), null=True, blank=True)
    # Stored in UTC like every datetime; the admin shows it with its zone.
    created_at = models.DateTimeField(_("quando"), auto_now_add=True, db_index=True)

    objects: ClassVar[AuditQuerySet] = AuditQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("evento di audit")
        verbose_name_plural = _("registro di audit")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} UTC {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only.")


class OutboxEmail(models.Model):
    """An e-mail written in the same transaction as the change that causes it.

    A task sends it after commit; a periodic job retries failures with backoff.
    The row id is the Message-ID, so a receiver sees one message even if the
    transport is retried.
    """

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, null=True, blank=True, related_name="emails"
    )
    to = models.JSONField(_("destinatari"))
    subject = models.CharField(_("oggetto"), max_length=255)
    body_text = models.TextField(_("testo"))
    body_html = models.TextField(_("HTML"), blank=True)
    # Extra headers, e.g. List-Unsubscribe on the e-mails a customer may stop (RFC 8058).
    headers = models.JSONField(_("intestazioni"), default=dict, blank=True)
    created_at = models.DateTimeField(_("creato"), auto_now_add=True, db_index=True)
    # The row is due when next_attempt_at has passed; a sender claims it by
    # moving next_attempt_at forward, so two senders never both send it.
    next_attempt_at = models.DateTimeField(_("prossimo tentativo"), null=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("tentativi"), default=0)
    sent_at = models.DateTimeField(_("inviato"), null=True, blank=True)
    last_error = models.TextField(_("ultimo errore"), blank=True)

    class Meta:
        verbose_name = _("e-mail in uscita")
        verbose_name_plural = _("e-mail in uscita")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject

    @property
    def status(self) -> str:
        if self.sent_at:
            return str(_("inviata"))
        if self.next_attempt_at is None:
            return str(_("fallita"))
        return str(_("in attesa"))

    @property
    def message_id(self) -> str:
        return f"<outbox-{self.pk}@sportello>"


class PeriodicJobRun(models.Model):
    """When each registered periodic job last ran (used by ``runperiodic``)."""

    name = models.CharField(max_length=100, unique=True)
    last_started_at = models.DateTimeField()
    last_finished_at = models.DateTimeField(null=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("esecuzione job periodico")
        verbose_name_plural = _("esecuzioni job periodici")

    def __str__(self) -> str:
        return self.name
