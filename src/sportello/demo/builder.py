"""Builds the demo: four companies with realistic, deterministic data.

Everything derives from one seed and from "today", so two runs on the same
day give the same data. Rows are written with bulk inserts, so
``demo --scale N`` stays quick enough for benchmarks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify

from sportello.accounts.models import PortalUser
from sportello.billing.models import (
    DeliveryStatus,
    DocumentType,
    Invoice,
    ScheduleEntry,
    invoice_upload_path,
)
from sportello.core import outbox
from sportello.core.formatting import format_long_date, to_money
from sportello.core.models import Company, CompanyHost, FaqEntry
from sportello.customers.models import Customer, PersonKind
from sportello.documents.models import Document, DocumentCategory
from sportello.energy.models import (
    BillingFrequency,
    Commodity,
    Consumption,
    Measure,
    MeterReading,
    ReadingStatus,
    ReadingWindow,
    SupplyPoint,
)
from sportello.energy.models import PaymentMethod as SupplyPaymentMethod
from sportello.energy.readings import CLOSING_NOTICE, notify_reading_windows
from sportello.leasing.models import (
    Asset,
    Contract,
    ContractStatus,
    InstalmentKind,
    PaymentMethod,
    PaymentReason,
    PlanInstalment,
    ReferenceRate,
    Subsidy,
)
from sportello.leasing.models import Product as ContractProduct
from sportello.notices.digest import send_digest
from sportello.notices.models import (
    Audience,
    Category,
    DigestCursor,
    Notification,
    audience_key,
)
from sportello.portal.menu import menu_for
from sportello.servicedesk.models import (
    RequestType,
)

from . import identity, meters
from .catalogue import DEMO_PASSWORD
from .companies import COMPANIES, UTILITY_DOCUMENTS, CompanySpec
from .desk import DeskCast, build_desk
from .fatturapa import Line, Seller, fatturapa_xml, sdi_file_name
from .finance import add_months, french_plan
from .pdf import text_pdf
from .utility_desk import BILLED_AFTER, build_utility_desk

VAT_RATE = Decimal("0.22")
#: The fixed part of every utility bill (its other line is the energy).
UTILITY_FIXED_FEE = Decimal("18.50")
#: Each plan row's causale in the schedule: the same code as its kind.
REASONS = {kind: PaymentReason(kind.value) for kind in InstalmentKind}
#: The reference rates and subsidies of every demo leasing company: code, Italian, English.
REFERENCE_RATES = [
    ("FIXED", "Tasso fisso", "Fixed rate"),
    ("EUR3M", "Euribor 3 m.l. (div.360)", "3-month Euribor (act/360)"),
]
SUBSIDIES = [
    ("NONE", "Nessuna agevolazione", "No subsidy"),
    ("SABATINI", "Nuova Sabatini (L. 98/2013)", "Nuova Sabatini (Law 98/2013)"),
]


@dataclass(frozen=True)
class Product:
    code: str
    name: str
    name_en: str
    asset_type: str
    assets: list[str]
    amount: tuple[int, int]
    durations: tuple[int, ...]
    periodicity: int
    residual_share: tuple[float, float]
    supplier: str


PRODUCTS = [
    Product(
        "TARG", "Leasing targato", "Vehicle leasing",
        "AUTO LEASING FINANZIARIO",
        ["FIAT DUCATO 2.3 MJT FURGONE", "VOLKSWAGEN GOLF 1.5 TSI", "IVECO DAILY 35S16",
         "RENAULT MEGANE E-TECH", "FORD TRANSIT CUSTOM 2.0"],
        (18_000, 65_000), (36, 48, 60), 1, (0.01, 0.15), "Concessionaria Auto Nord S.p.A.",
    ),
    Product(
        "STRU", "Leasing strumentale", "Equipment leasing",
        "Beni mobili in locazione finanziaria",
        ["POLTRONA PER TRATTAMENTI TEST PLUS CON ACC", "PANORAMICO PAX I 2D COMFORT EXTRA",
         "MOBILI STERILIZZAZIONE", "COMPOSIZIONE MOBILI STUDIO 2", "COMPOSIZIONE MOBILI STUDIO 1",
         "TORNIO CNC A 3 ASSI", "COMPRESSORE A VITE 15 KW"],
        (12_000, 90_000), (48, 60, 84), 1, (0.01, 0.01), "Dental & Tech S.r.l.",
    ),
    Product(
        "IMMO", "Leasing immobiliare", "Real-estate leasing",
        "Immobile strumentale",
        ["CAPANNONE INDUSTRIALE CON UFFICI", "NEGOZIO AL PIANO TERRA", "UFFICIO DIREZIONALE"],
        (180_000, 850_000), (120, 144, 180), 3, (0.10, 0.20), "Costruzioni Generali S.p.A.",
    ),
]  # fmt: skip
#: A fleet's vehicles: longer plans than a single car's (some 66 rows each).
FLEET_PRODUCT = dataclasses.replace(PRODUCTS[0], durations=(60, 72))
#: A big account's invoices of this many days come with their FatturaPA file; older
#: ones are on record without one (the list says so), which keeps the build quick.
FLEET_FILES_DAYS = 60


@dataclass(frozen=True)
class PointPlan:
    """A supply point a demo customer has."""

    commodity: str
    #: "home" or "office": at the customer's own address; any other site elsewhere.
    site: str
    business: bool
    #: kWh or Smc a year (the base customers' figure; scaled copies vary it).
    annual: int
    time_bands: bool = False
    corrector: bool = False
    #: The 2G meter's curve interval in minutes (0: no curves).
    curve_minutes: int = 0
    #: The customer entered a reading yesterday, not acquired yet.
    pending: bool = False


_E, _G = Commodity.ELECTRICITY, Commodity.GAS
#: Each utility customer's points, by its place among the eight (persons at 0, 3, 6).
POINT_PLANS = [
    # The main demo login: home power with time bands and quarter-hourly curves,
    # home gas, and the gas of the family's workshop, with a volume corrector.
    [PointPlan(_E, "home", False, 2_700, time_bands=True, curve_minutes=15, pending=True),
     PointPlan(_G, "home", False, 900, pending=True),
     PointPlan(_G, "workshop", True, 3_500, corrector=True)],
    [PointPlan(_E, "office", True, 34_000, time_bands=True, curve_minutes=60, pending=True),
     PointPlan(_G, "office", True, 5_200, corrector=True)],
    [PointPlan(_E, "office", True, 52_000, time_bands=True, curve_minutes=15),
     PointPlan(_E, "warehouse", True, 9_000, time_bands=True)],
    [PointPlan(_G, "home", False, 750)],
    [PointPlan(_E, "office", True, 18_000, time_bands=True),
     PointPlan(_G, "office", True, 8_000, corrector=True)],
    [PointPlan(_E, "office", True, 12_000, time_bands=True)],
    [PointPlan(_E, "home", False, 2_200), PointPlan(_G, "home", False, 650)],
    [PointPlan(_G, "plant", True, 12_000, corrector=True)],
]  # fmt: skip
#: The offer by commodity, business use and time bands.
OFFERS: dict[tuple[str, bool, bool], str] = {
    (_E, False, False): "Luce Casa Fissa",
    (_E, False, True): "Luce Casa Tre Fasce",
    (_E, True, True): "Luce Business Fasce",
    (_E, True, False): "Luce Business Monoraria",
    (_G, False, False): "Gas Casa Indicizzato",
    (_G, True, False): "Gas Business Indicizzato",
}
#: A multi-site customer's points, in turn: shops and offices, a few with gas.
FLEET_POINT_PLANS = [
    PointPlan(_E, "shop", True, 14_000, time_bands=True),
    PointPlan(_E, "branch", True, 30_000, time_bands=True),
    PointPlan(_G, "shop", True, 4_000, corrector=True),
    PointPlan(_E, "warehouse", True, 9_000),
]


@dataclass
class Built:
    """What the builder wrote, for the command's summary."""

    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def build_demo(*, seed: int = 2026, scale: int = 1, today: dt.date | None = None) -> Built:
    """Create the demo companies and their data in one transaction."""
    builder = DemoBuilder(seed=seed, scale=scale, today=today or timezone.localdate())
    # The core system's documents (invoice PDFs) are written in Italian. The service
    # desk's receipts and notices of requests dated weeks back are dropped: the local
    # mailbox starts empty, as it does for the invoices.
    with transaction.atomic(), translation.override("it"), outbox.dropped():
        builder.build()
    send_demo_digests()
    return builder.built


def send_demo_digests(now: dt.datetime | None = None) -> int:
    """This morning's digest for each company's first demo login, as the job would send it.

    The mailbox then shows one (the broadcasts of the past week, with the
    one-click unsubscribe), while every other e-mail of the build was dropped.
    """
    now = now or timezone.now()
    sent = 0
    for company in Company.objects.order_by("slug"):
        user = (
            PortalUser.objects.filter(company=company, customer__isnull=False, parent__isnull=True)
            .order_by("login")
            .first()
        )
        if user is None:
            continue
        DigestCursor.objects.update_or_create(
            user=user, defaults={"sent_until": now - dt.timedelta(days=7)}
        )
        sent += send_digest(user, now)
    return sent


class DemoBuilder:
    def __init__(self, *, seed: int, scale: int, today: dt.date) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.scale = scale
        self.today = today
        self.built = Built()
        self.password_hash = make_password(DEMO_PASSWORD)
        # With --scale, only the first customers of each company get files (PDFs,
        # documents); the rest exist to make the tables large.
        self.base_customer_ids: set[int] = set()
        self.companies_with_first_year: set[int] = set()
        #: Each company's e-invoicing identity and how many files it has sent.
        self.sellers: dict[str, Seller] = {}
        self.files_sent: dict[str, int] = defaultdict(int)
        #: The big accounts (a leasing fleet, a multi-site utility customer).
        self.fleet_ids: set[int] = set()

    @contextmanager
    def _own_rng(self, name: str) -> Iterator[None]:
        """Draw from a generator of its own: the rest of the demo stays as it was."""
        saved, self.rng = self.rng, random.Random(f"{self.seed}-{name}")
        try:
            yield
        finally:
            self.rng = saved

    # -- companies ---------------------------------------------------------

    def build(self) -> None:
        operators = self._operator_group()
        PortalUser.objects.create(
            username="admin",
            login="admin",
            password=self.password_hash,
            is_staff=True,
            is_superuser=True,
            first_name="Amministratore",
            last_name="Demo",
            email="admin@sportello.demo.example",
        )
        for spec in COMPANIES:
            company = self._company(spec)
            desk = [self._operator(company, spec, "operatore", "Operatore", spec.name, operators)]
            if company.is_leasing:
                # Complaints go to the complaints office (the funzione reclami).
                desk.append(
                    self._operator(company, spec, "reclami", "Ufficio", "Reclami", operators)
                )
                self._leasing_customers(company, spec, desk)
            else:
                self._utility_customers(company, spec, desk[0])
            self.built.counts["companies"] += 1

    def _operator(
        self,
        company: Company,
        spec: CompanySpec,
        role: str,
        first_name: str,
        last_name: str,
        group: Group,
    ) -> PortalUser:
        operator = PortalUser.objects.create(
            username=f"{role}-{spec.slug}",
            login=f"{role}-{spec.slug}",
            password=self.password_hash,
            is_staff=True,
            first_name=first_name,
            last_name=last_name,
            email=f"{role}@{spec.slug}.demo.example",
        )
        operator.groups.add(group)
        operator.operator_companies.add(company)
        self.built.counts["operators"] += 1
        return operator

    def _operator_group(self) -> Group:
        group, _ = Group.objects.get_or_create(name="Operatori")
        editable = {
            "core": ["company", "faqentry"],
            "servicedesk": ["requesttype", "servicerequest", "requestmessage"],
            "leasing": ["product", "referencerate", "subsidy"],
            "notices": ["notification"],
            "documents": ["document"],
            "energy": ["readingwindow"],
            "accounts": ["portaluser"],
        }
        permissions = Permission.objects.filter(
            content_type__app_label__in=[
                "core",
                "accounts",
                "customers",
                "leasing",
                "billing",
                "servicedesk",
                "notices",
                "energy",
                "documents",
                "integration",
            ]
        ).select_related("content_type")
        chosen = [
            p
            for p in permissions
            if p.codename.startswith("view_")
            or p.content_type.model in editable.get(p.content_type.app_label, [])
        ]
        group.permissions.set(chosen)
        return group

    def _company(self, spec: CompanySpec) -> Company:
        self.sellers[spec.slug] = spec.seller
        company = Company(
            slug=spec.slug,
            name=spec.name,
            kind=spec.kind,
            legal_footer=spec.legal_footer,
            primary_colour=spec.primary_colour,
            accent_colour=spec.accent_colour,
            support_email=spec.support_email,
            service_desk_email=spec.service_desk_email,
            phone=spec.phone,
            commercial_contacts=spec.commercial_contacts,
            first_invoice_year=spec.first_invoice_year,
            pec_domains=spec.pec_domains,
            commercial_contacts_en=spec.commercial_contacts_en,
            accessibility_conformity=spec.accessibility_conformity,
            accessibility_issues=spec.accessibility_issues[0],
            accessibility_issues_en=spec.accessibility_issues[1],
            accessibility_feedback_email=spec.accessibility_feedback_email,
            accessibility_reviewed_on=self.today - dt.timedelta(days=45),
            feature_self_reading=spec.kind == "utility",
            feature_transparency=spec.kind == "leasing",
            payment_beneficiary=spec.payment[0],
            # A generator of its own: the rest of the demo stays as it was.
            payment_iban=identity.italian_iban(random.Random(spec.slug)) if spec.payment[0] else "",
            payment_bank=spec.payment[1],
            payment_contact=spec.payment[2],
        )
        # The guide and the FAQ speak only of the sections the portal offers.
        built = {entry.key for entry in menu_for(company)}
        company.guide, company.guide_en = spec.guides(built)
        company.full_clean()
        company.logo.save(f"{spec.slug}.svg", ContentFile(self._logo_svg(spec)), save=False)
        company.save()
        CompanyHost.objects.create(company=company, host=spec.host, is_primary=True)
        FaqEntry.objects.bulk_create(
            entry
            for position, (q_it, a_it, q_en, a_en, _) in enumerate(spec.faq_of(built))
            for entry in (
                FaqEntry(company=company, language="it", position=position, question=q_it, answer=a_it),
                FaqEntry(company=company, language="en", position=position, question=q_en, answer=a_en),
            )
        )  # fmt: skip
        RequestType.objects.bulk_create(
            RequestType(company=company, label_it=it, label_en=en, position=position)
            for position, (it, en) in enumerate(spec.request_types)
        )
        self._company_documents(company)
        self._broadcasts(company)
        return company

    def _logo_svg(self, spec: CompanySpec) -> bytes:
        initials = "".join(word[0] for word in spec.name.split()[:2]).upper()
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="220" height="48" '
            f'viewBox="0 0 220 48" role="img"><title>{spec.name}</title>'
            f'<rect width="48" height="48" rx="8" fill="{spec.primary_colour}"/>'
            f'<text x="24" y="31" font-family="Arial" font-size="18" font-weight="bold" '
            f'fill="#fff" text-anchor="middle">{initials}</text>'
            f'<text x="58" y="31" font-family="Arial" font-size="17" font-weight="bold" '
            f'fill="{spec.primary_colour}">{spec.name.split(" –")[0]}</text></svg>'
        ).encode()

    def _broadcasts(self, company: Company) -> None:
        """The company's notices to its customers: live, pinned, targeted, expired, scheduled.

        One row each whatever the audience (a customer matches it by its segments).
        """
        now = timezone.now()
        kind = Audience.UTILITY if company.is_utility else Audience.LEASING
        rows = [
            (
                "Nuova area clienti",
                "New customer area",
                "Da oggi l'area clienti è più semplice, accessibile e disponibile anche in inglese.",
                "From today the customer area is simpler, accessible and available in English too.",
                Audience.ALL,
                20,
                None,
                False,
            ),
            (
                "Chiusura uffici per festività",
                "Offices closed for the holidays",
                "Gli uffici resteranno chiusi dal 24 al 26 dicembre; l'area clienti resta "
                "disponibile.",
                "The offices will be closed from 24 to 26 December; the customer area stays open.",
                Audience.ALL,
                2,
                None,
                True,
            ),
            (
                "Pagamenti scaduti: come mettersi in regola",
                "Overdue payments: how to settle them",
                "Se hai pagamenti scaduti trovi in Fatture e pagamenti le coordinate per il "
                "bonifico e il contatto dell'ufficio incassi.",
                "If you have overdue payments, Invoices and payments shows the bank details "
                "for the transfer and the collections office's contact.",
                Audience.OVERDUE,
                5,
                None,
                False,
            ),
            (
                "Nuovi servizi per i clienti",
                "New services for customers",
                "Abbiamo ampliato gli orari del servizio clienti.",
                "Customer service now has longer opening hours.",
                kind,
                40,
                None,
                False,
            ),
            (
                "Sciopero dei trasporti",
                "Transport strike",
                "Possibili ritardi nelle consegne della documentazione cartacea.",
                "Paper documents may arrive late.",
                Audience.ALL,
                60,
                30,
                False,  # expired 30 days ago: no longer shown
            ),
        ]
        notices = [
            Notification(
                company=company,
                category=Category.BROADCASTS,
                title=title,
                title_en=title_en,
                body=body,
                body_en=body_en,
                audience=audience_key(audience),
                is_important=important,
                published_at=now - dt.timedelta(days=days_ago),
                expires_at=now - dt.timedelta(days=expired_ago) if expired_ago else None,
            )
            for title, title_en, body, body_en, audience, days_ago, expired_ago, important in rows
        ]
        # Scheduled: an operator wrote it, customers see it from next week.
        notices.append(
            Notification(
                company=company,
                category=Category.BROADCASTS,
                title="Manutenzione programmata",
                title_en="Planned maintenance",
                body="L'area clienti non sarà disponibile domenica dalle 6 alle 8.",
                body_en="The customer area will be unavailable on Sunday from 6 to 8 am.",
                audience=audience_key(Audience.ALL),
                published_at=now + dt.timedelta(days=7),
            )
        )
        Notification.objects.bulk_create(notices)

    def _company_documents(self, company: Company) -> None:
        if company.is_utility:
            for category, title in UTILITY_DOCUMENTS:
                self._document(company, None, None, category, title)
            return
        titles = {
            DocumentCategory.GENERIC: "Condizioni generali di servizio",
            DocumentCategory.FORMS: "Modulo di richiesta variazione dati",
            DocumentCategory.REGULATIONS: "Guida alla trasparenza bancaria",
            DocumentCategory.COMMUNICATIONS: "Comunicazione aggiornamento tassi",
            DocumentCategory.INFORMATION: "Informativa privacy (art. 13 GDPR)",
        }
        for category, title in titles.items():
            self._document(company, None, None, category, title)

    def _document(
        self,
        company: Company,
        customer: Customer | None,
        contract: Contract | None,
        category: str,
        title: str,
        details: list[str] | None = None,
    ) -> None:
        document = Document(
            company=company,
            customer=customer,
            contract=contract,
            category=category,
            title=title,
            original_name=f"{slugify(title)[:100]}.pdf",
            published_on=self.today - dt.timedelta(days=self.rng.randint(5, 400)),
        )
        lines = [company.name, "", title]
        if customer:
            lines += [f"Cliente: {customer.code} {customer.name}"]
        if contract:
            lines += [f"Contratto n. {contract.number}/{contract.module_number}"]
        lines += details or []
        document.file.save("document.pdf", ContentFile(text_pdf(title, lines)), save=False)
        document.save()
        self.built.counts["documents"] += 1

    # -- people ---------------------------------------------------------------

    def _person(self, company: Company, index: int, legal: bool) -> Customer:
        rng = self.rng
        place = rng.choice(identity.PLACES)
        surname = rng.choice(identity.SURNAMES)
        if legal:
            pattern, form = rng.choice(identity.BUSINESS_NAMES)
            vat = identity.partita_iva(rng, place)
            slug = surname.lower().replace(" ", "")
            return Customer(
                company=company,
                kind=PersonKind.LEGAL,
                name=f"{pattern.format(s=surname)} {form}",
                codice_fiscale=vat,
                partita_iva=vat,
                pec=f"{slug}{index}@pec.it",
                email=f"amministrazione@{slug}{index}.demo.example",
                phone=f"0{rng.randint(10, 99)} {rng.randint(100000, 9999999)}",
                address=identity.street_address(rng),
                postcode=place.postcode,
                city=place.city,
                province=place.province,
            )
        female = rng.random() < 0.5
        first = rng.choice(identity.FEMALE_NAMES if female else identity.MALE_NAMES)
        # Some people have an omocodia code, as the Agenzia issues them.
        omocodia = 1 if index % 9 == 3 else 0
        cf = identity.codice_fiscale(
            first, surname, identity.birth_date(rng), female, place, omocodia
        )
        slug = f"{first}.{surname}".lower().replace(" ", "")
        return Customer(
            company=company,
            kind=PersonKind.NATURAL,
            name=f"{first} {surname}".upper(),
            codice_fiscale=cf,
            email=f"{slug}{index}@mail.demo.example",
            pec=f"{slug}{index}@pec.it" if index % 3 == 0 else "",
            phone=f"3{rng.randint(10, 99)} {rng.randint(1000000, 9999999)}",
            address=identity.street_address(rng),
            postcode=place.postcode,
            city=place.city,
            province=place.province,
        )

    def _customers(self, company: Company, spec: CompanySpec) -> list[Customer]:
        customers = []
        for index in range(spec.customers * self.scale):
            customer = self._person(company, index, legal=index % 3 != 0)
            customer.code = (
                f"{spec.customer_code_start + index:06d}"
                if company.is_utility
                else str(spec.customer_code_start + index)
            )
            # Registered customers chose online invoicing, which stops paper (A14).
            customer.paper_invoices = not self._registered(spec, index)
            customers.append(customer)
        created = Customer.objects.bulk_create(customers, batch_size=1000)
        self.base_customer_ids |= {c.pk for c in created[: spec.customers]}
        self.built.counts["customers"] += len(created)
        return created

    def _fleet_customer(self, company: Company, spec: CompanySpec) -> Customer:
        """A big account (a company with a fleet, or with many sites) and its portal user."""
        customer = self._person(company, 900, legal=True)
        customer.code = spec.fleet_code
        customer.name = (
            "Supermercati Toscani S.p.A." if company.is_utility else "Flotte Italia Noleggio S.p.A."
        )
        customer.paper_invoices = False
        customer.save()
        self.fleet_ids.add(customer.pk)
        PortalUser.objects.create(
            company=company,
            customer=customer,
            login=customer.code,
            username=f"{company.slug}/{customer.code}",
            password=self.password_hash,
            first_name="Referente",
            last_name=customer.name[:150],
            email=customer.pec,
            secondary_email=customer.email,
            last_login=timezone.now() - dt.timedelta(days=1, hours=2),
        )
        self.built.counts["customers"] += 1
        self.built.counts["users"] += 1
        return customer

    def _registered(self, spec: CompanySpec, index: int) -> bool:
        """Five of every eight customers have a portal user; the rest can register."""
        return index % spec.customers < 5

    def _users(self, company: Company, spec: CompanySpec, customers: list[Customer]) -> None:
        users = []
        for index, customer in enumerate(customers):
            if not self._registered(spec, index):
                continue
            first, _, last = (
                customer.name.title().partition(" ")
                if customer.kind == PersonKind.NATURAL
                else ("Referente", "", customer.name)
            )
            users.append(
                PortalUser(
                    company=company,
                    customer=customer,
                    login=customer.code,
                    username=f"{company.slug}/{customer.code}",
                    password=self.password_hash,
                    first_name=first,
                    last_name=last[:150],
                    email=customer.pec or customer.email,
                    secondary_email=customer.email if customer.pec else "",
                    last_login=timezone.now() - dt.timedelta(days=index + 1, hours=3),
                )
            )
        created = PortalUser.objects.bulk_create(users, batch_size=1000)
        # The first customer has a sub-user, as in seed 002 (10093 → 10093.1).
        parent = created[0]
        PortalUser.objects.create(
            company=company,
            customer=parent.customer,
            parent=parent,
            login=f"{parent.login}.1",
            password=self.password_hash,
            first_name="Mario",
            last_name="Rossi",
            email=f"mario.rossi.{company.slug}@mail.demo.example",
            language="it",
            # Logged in before, so the home shows the sub-user's own last access.
            last_login=timezone.now() - dt.timedelta(days=2, hours=5),
        )
        self.built.counts["users"] += len(created) + 1

    # -- leasing --------------------------------------------------------------

    def _leasing_references(self, company: Company) -> None:
        """The company's products, reference rates and subsidies, named in both languages."""
        self.products = {
            p.name: ContractProduct.objects.create(
                company=company, code=p.code, name_it=p.name, name_en=p.name_en
            )
            for p in PRODUCTS
        }
        self.rates = {
            code: ReferenceRate.objects.create(company=company, code=code, name_it=it, name_en=en)
            for code, it, en in REFERENCE_RATES
        }
        self.subsidies = {
            code: Subsidy.objects.create(company=company, code=code, name_it=it, name_en=en)
            for code, it, en in SUBSIDIES
        }

    def _leasing_customers(
        self, company: Company, spec: CompanySpec, operators: list[PortalUser]
    ) -> None:
        self._leasing_references(company)
        customers = self._customers(company, spec)
        self._users(company, spec, customers)
        number = spec.contract_number_start
        contracts: list[tuple[Contract, Any, Product, bool]] = []
        for index, customer in enumerate(customers):
            for position in range(1 + index % 3):
                product = PRODUCTS[(index + position) % len(PRODUCTS)]
                if product.name == "Leasing immobiliare" and customer.kind == PersonKind.NATURAL:
                    product = PRODUCTS[0]
                active = position == 0 or index % 2 == 0
                late_payer = index % 4 == 1 and position == 0
                contract, plan = self._contract(company, customer, product, number, active)
                contracts.append((contract, plan, product, late_payer))
                number += self.rng.randint(3, 40)
        fleet: list[tuple[Contract, Any, Product, bool]] = []
        if spec.fleet_contracts:
            with self._own_rng(f"fleet-{spec.slug}"):
                customer = self._fleet_customer(company, spec)
                for position in range(spec.fleet_contracts):
                    # Eight in ten vehicles on the road; two contracts paid late.
                    contract, plan = self._contract(
                        company, customer, FLEET_PRODUCT, number, position % 10 < 8
                    )
                    fleet.append((contract, plan, FLEET_PRODUCT, position in (3, 4)))
                    number += self.rng.randint(1, 3)
        Contract.objects.bulk_create([c for c, *_ in contracts + fleet], batch_size=1000)
        self.built.counts["contracts"] += len(contracts) + len(fleet)
        self._contract_rows(company, contracts)
        self._contract_documents(company, [c for c, *_ in contracts], spec)
        self._desk(company, spec, customers, [c for c, *_ in contracts], operators)
        if fleet:
            with self._own_rng(f"fleet-rows-{spec.slug}"):
                self._contract_rows(company, fleet, series="FL/")

    def _contract_rows(
        self,
        company: Company,
        contracts: list[tuple[Contract, Any, Product, bool]],
        series: str = "",
    ) -> None:
        """The contracts' assets, plans, schedules and invoices (numbered in ``series``)."""
        assets: list[Asset] = []
        plan_rows: list[PlanInstalment] = []
        entries: list[ScheduleEntry] = []
        invoices: list[tuple[Invoice, Contract, ScheduleEntry | None, str]] = []
        # Once, not per row: a choice's display walks the choices each time.
        reasons = {reason.value: str(reason.label) for reason in PaymentReason}
        for contract, plan, product, late_payer in contracts:
            assets += self._assets(contract, product)
            for row in plan.rows:
                plan_rows.append(
                    PlanInstalment(
                        contract=contract,
                        number=row.number,
                        due_date=row.due_date,
                        kind=row.kind,
                        amount=row.amount,
                        capital_share=row.capital_share,
                        interest_share=row.interest_share,
                        residual_capital=row.residual_capital,
                        payment_method=row.payment_method,
                        accrual_start=row.accrual_start,
                        accrual_end=row.accrual_end,
                        collection_date=row.collection_date if row.due_date <= self.today else None,
                    )
                )
            contract_entries = self._schedule(contract, plan, late_payer)
            entries += contract_entries
            for entry in contract_entries:
                if entry.due_date > self.today + dt.timedelta(days=20):
                    continue
                issued = max(entry.due_date - dt.timedelta(days=15), contract.stipulated_on)
                if issued.year < company.first_invoice_year:
                    continue
                taxable = to_money(entry.amount / (1 + VAT_RATE))
                invoice = Invoice(
                    company=company,
                    customer=contract.customer,
                    date=issued,
                    document_type=DocumentType.INVOICE,
                    taxable=taxable,
                    vat=entry.amount - taxable,
                    total=entry.amount,
                )
                invoices.append(
                    (
                        invoice,
                        contract,
                        entry,
                        f"{reasons[entry.reason]} n. {entry.instalment_number}",
                    )
                )
            if (
                contract.customer.code.endswith(("2", "7"))
                and contract.status == ContractStatus.ACTIVE
            ):
                issued = max(self.today - dt.timedelta(days=45), contract.stipulated_on)
                invoices.append(
                    (
                        Invoice(
                            company=company,
                            customer=contract.customer,
                            date=issued,
                            document_type=DocumentType.CREDIT_NOTE,
                            taxable=Decimal("25.00"),
                            vat=Decimal("5.50"),
                            total=Decimal("30.50"),
                        ),
                        contract,
                        None,
                        "Storno spese di incasso",
                    )
                )
        Asset.objects.bulk_create(assets, batch_size=2000)
        PlanInstalment.objects.bulk_create(plan_rows, batch_size=2000)
        self._write_invoices(company, invoices, series)
        ScheduleEntry.objects.bulk_create(entries, batch_size=2000)
        self.built.counts["assets"] += len(assets)
        self.built.counts["plan rows"] += len(plan_rows)
        self.built.counts["schedule entries"] += len(entries)

    def _desk(
        self,
        company: Company,
        spec: CompanySpec,
        customers: list[Customer],
        contracts: list[Contract],
        operators: list[PortalUser],
    ) -> None:
        """Requests of the registered base customers, in every status and of every kind."""
        registered = [
            customer
            for index, customer in enumerate(customers[: spec.customers])
            if self._registered(spec, index)
        ]
        by_customer: dict[int, list[Contract]] = defaultdict(list)
        for contract in contracts:
            by_customer[contract.customer_id].append(contract)
        operator, complaints_officer = operators
        cast = DeskCast(company, registered, by_customer, operator, complaints_officer)
        self.built.counts["requests"] += build_desk(cast, self.today)

    def _contract(
        self, company: Company, customer: Customer, product: Product, number: int, active: bool
    ) -> tuple[Contract, Any]:
        rng = self.rng
        duration = rng.choice(product.durations)
        amount = Decimal(rng.randrange(product.amount[0], product.amount[1], 50))
        advance = to_money(amount * Decimal(rng.choice([0, 5, 10, 15, 20])) / 100)
        residual_value = to_money(amount * Decimal(str(rng.uniform(*product.residual_share))))
        if active:
            months_ago = rng.randint(3, duration - 4)
            stipulated = add_months(self.today, -months_ago).replace(day=rng.randint(1, 28))
        else:
            latest_end_year = self.today.year - 1
            earliest = company.first_invoice_year
            start_year = rng.randint(earliest, max(earliest, latest_end_year - duration // 12))
            if company.pk not in self.companies_with_first_year:
                # Each company's archive reaches back to its first invoice year.
                self.companies_with_first_year.add(company.pk)
                start_year = earliest
            stipulated = dt.date(start_year, rng.randint(1, 12), rng.randint(1, 28))
        indexed = product.name != "Leasing targato" or rng.random() < 0.5
        plan = french_plan(
            amount=amount,
            advance=advance,
            residual_value=residual_value,
            spread=Decimal(rng.choice(["0.025", "0.030", "0.035", "0.040"])),
            duration_months=duration,
            periodicity=product.periodicity,
            stipulated_on=stipulated,
            indexed=indexed,
        )
        contract = Contract(
            company=company,
            customer=customer,
            number=str(number),
            module_number=str(rng.randint(1, 9999)),
            product=self.products[product.name],
            status=ContractStatus.ACTIVE if plan.end_date >= self.today else ContractStatus.EXTINCT,
            stipulated_on=stipulated,
            start_date=plan.start_date,
            end_date=plan.end_date,
            amount=amount,
            first_instalment=PaymentReason.ADVANCE,
            advance=advance,
            residual_value=residual_value,
            reference_rate=self.rates["EUR3M" if indexed else "FIXED"],
            subsidy=self.subsidies["NONE"],
            periodicity=product.periodicity,
            instalment_count=plan.instalment_count,
            instalment_amount=plan.instalment_amount,
            duration_months=duration,
            beneficiary_code=f"F{rng.randint(10000, 99999)}",
            beneficiary_name=product.supplier,
            payment_iban=identity.italian_iban(rng),
        )
        return contract, plan

    def _assets(self, contract: Contract, product: Product) -> list[Asset]:
        count = 1 if product.name != "Leasing strumentale" else self.rng.randint(2, 5)
        descriptions = self.rng.sample(product.assets, k=min(count, len(product.assets)))
        shares = [Decimal(self.rng.randint(1, 5)) for _ in descriptions]
        total_share = sum(shares)
        assets, allotted, allotted_future = [], Decimal(0), Decimal(0)
        for position, (description, share) in enumerate(zip(descriptions, shares, strict=True)):
            last = position == len(descriptions) - 1
            value = (
                contract.amount - allotted
                if last
                else to_money(contract.amount * share / total_share)
            )
            future = (
                contract.residual_value - allotted_future
                if last
                else to_money(contract.residual_value * share / total_share)
            )
            allotted += value
            allotted_future += future
            assets.append(
                Asset(
                    contract=contract,
                    code=str(166029 + contract.pk * 10 + position),
                    asset_type=product.asset_type,
                    financial_value=value,
                    future_value=future,
                    description=description,
                    lease_end=contract.end_date,
                )
            )
        return assets

    def _schedule(self, contract: Contract, plan: Any, late_payer: bool) -> list[ScheduleEntry]:
        entries = []
        for row in plan.rows:
            amount = to_money(row.amount * (1 + VAT_RATE))
            entries.append(
                ScheduleEntry(
                    contract=contract,
                    due_date=row.due_date,
                    instalment_number=row.number,
                    reason=REASONS[row.kind],
                    payment_method=row.payment_method,
                    amount=amount,
                )
            )
        past = [e for e in entries if e.due_date < self.today]
        for entry in past:
            entry.paid = entry.amount
            delay = 0 if entry.payment_method == PaymentMethod.SEPA else self.rng.randint(0, 9)
            entry.paid_on = entry.due_date + dt.timedelta(days=delay)
        if late_payer and len(past) >= 3:
            # The last two are unpaid and the one before was paid in part: overdue.
            for entry in past[-2:]:
                entry.paid, entry.paid_on = Decimal("0.00"), None
            past[-3].paid = to_money(past[-3].amount / 2)
        return entries

    def _write_invoices(
        self,
        company: Company,
        invoices: list[tuple[Invoice, Contract, ScheduleEntry | None, str]],
        series: str = "",
    ) -> None:
        """Numbered by year in ``series`` (a sezionale of its own: ``123/FL/2024``)."""
        invoices.sort(key=lambda item: (item[0].date, item[1].number, item[3]))
        sequence: dict[int, int] = defaultdict(int)
        for invoice, _, _, _ in invoices:
            sequence[invoice.date.year] += 1
            invoice.number = f"{sequence[invoice.date.year]}/{series}{invoice.date:%Y}"
            invoice.year = invoice.date.year
            published = dt.datetime.combine(invoice.date, dt.time(8, 0))
            invoice.published_at = invoice.notified_at = timezone.make_aware(published)
        self._e_invoices(
            company,
            [
                (invoice, [Line(f"{text} - contratto n. {contract.number}", invoice.taxable)])
                for invoice, contract, _, text in invoices
            ],
        )
        created = Invoice.objects.bulk_create([item[0] for item in invoices], batch_size=2000)
        through = Invoice.contracts.through
        through.objects.bulk_create(
            [through(invoice_id=inv.pk, contract_id=c.pk) for inv, c, _, _ in invoices],
            batch_size=5000,
        )
        for invoice, _, entry, _ in invoices:
            if entry is not None:
                entry.invoice = invoice
        self.built.counts["invoices"] += len(created)

    def _e_invoices(self, company: Company, invoices: list[tuple[Invoice, list[Line]]]) -> None:
        """The FatturaPA file the core system sends for each invoice (base data set only),
        and SdI's outcome: delivered to a business, filed in a consumer's reserved area.
        The PDF is the portal's courtesy copy, printed when first asked for."""
        seller = self.sellers[company.slug]
        recent = self.today - dt.timedelta(days=FLEET_FILES_DAYS)
        for invoice, lines in invoices:
            big = invoice.customer_id in self.fleet_ids
            if invoice.customer_id not in self.base_customer_ids and not big:
                continue
            if big and invoice.date < recent:
                continue
            self.files_sent[company.slug] += 1
            sent = self.files_sent[company.slug]
            customer = invoice.customer
            invoice.xml.name = default_storage.save(
                invoice_upload_path(invoice, "fattura.xml"),
                ContentFile(fatturapa_xml(invoice, customer, seller, lines, sent)),
            )
            invoice.xml_body = 1
            invoice.sdi_file_name = sdi_file_name(seller, sent)
            invoice.sdi_identifier = f"{company.pk}{sent:09d}"
            invoice.delivery_status = (
                DeliveryStatus.DELIVERED
                if customer.kind == PersonKind.LEGAL
                else DeliveryStatus.NOT_DELIVERED
            )
            assert invoice.published_at is not None
            invoice.delivery_at = invoice.published_at + dt.timedelta(hours=2)

    def _contract_documents(
        self, company: Company, contracts: list[Contract], spec: CompanySpec
    ) -> None:
        for contract in contracts[: spec.customers * 2]:
            self._document(
                company, contract.customer, contract, DocumentCategory.MINE,
                f"Contratto di locazione finanziaria n. {contract.number}",
            )  # fmt: skip

    # -- utility --------------------------------------------------------------

    def _reading_windows(
        self, company: Company
    ) -> dict[str, list[tuple[dt.datetime, dt.datetime]]]:
        """Monthly windows of eight days: the current one opened two days ago.

        The ones before are closed, their customers told when they opened and
        two days before they closed; electricity has its next two planned too,
        gas none yet (the page then says no window is planned).
        """
        anchor = self.today - dt.timedelta(days=2)
        windows: dict[str, list[tuple[dt.datetime, dt.datetime]]] = {}
        for commodity in Commodity.values:
            ahead = 2 if commodity == Commodity.ELECTRICITY else 0
            windows[commodity] = []
            for offset in range(-12, ahead + 1):
                opens = (
                    anchor
                    if offset == 0
                    else add_months(anchor, offset).replace(day=min(anchor.day, 28))
                )
                windows[commodity].append(
                    (
                        self._moment(opens, dt.time(8, 0)),
                        self._moment(opens + dt.timedelta(days=8), dt.time(22, 0)),
                    )
                )
        today = self._moment(self.today, dt.time())
        ReadingWindow.objects.bulk_create(
            ReadingWindow(
                company=company,
                commodity=commodity,
                opens_at=opens,
                closes_at=closes,
                opening_notified_at=opens if closes < today else None,
                closing_notified_at=closes - CLOSING_NOTICE if closes < today else None,
            )
            for commodity, spans in windows.items()
            for opens, closes in spans
        )
        return windows

    @staticmethod
    def _moment(day: dt.date, at: dt.time) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, at))

    def _utility_customers(self, company: Company, spec: CompanySpec, operator: PortalUser) -> None:
        customers = self._customers(company, spec)
        self._users(company, spec, customers)
        windows = self._reading_windows(company)
        # The customers heard of the open windows when they opened, as the job tells them.
        noon = self._moment(self.today, dt.time(12, 0))
        opened = next(o for o, c in windows[Commodity.ELECTRICITY] if o <= noon < c)
        planned: list[tuple[SupplyPoint, PointPlan]] = []
        codes: set[str] = set()
        for index, customer in enumerate(customers):
            for plan in POINT_PLANS[index % len(POINT_PLANS)]:
                point = self._supply_point(company, customer, plan, len(planned), codes)
                planned.append((point, plan))
        sites: list[tuple[SupplyPoint, PointPlan]] = []
        if spec.fleet_points:
            with self._own_rng(f"sites-{spec.slug}"):
                customer = self._fleet_customer(company, spec)
                for position in range(spec.fleet_points):
                    plan = FLEET_POINT_PLANS[position % len(FLEET_POINT_PLANS)]
                    point = self._supply_point(
                        company, customer, plan, len(planned) + len(sites), codes
                    )
                    sites.append((point, plan))
        points = [point for point, _ in planned]
        SupplyPoint.objects.bulk_create(points + [p for p, _ in sites], batch_size=1000)
        notify_reading_windows(now=opened + dt.timedelta(minutes=15))
        users = {
            user.customer_id: user
            for user in PortalUser.objects.filter(
                company=company, customer__isnull=False, parent__isnull=True
            )
        }
        self._supply_rows(company, planned, windows, users)
        self.built.counts["supply points"] += len(points)
        registered = [
            c for i, c in enumerate(customers[: spec.customers]) if self._registered(spec, i)
        ]
        self._utility_documents(company, registered, points)
        self.built.counts["requests"] += build_utility_desk(
            company, registered, points, operator, self.today
        )
        if sites:
            with self._own_rng(f"sites-rows-{spec.slug}"):
                self._supply_rows(company, sites, windows, users, series="M")
            self.built.counts["supply points"] += len(sites)

    def _supply_rows(
        self,
        company: Company,
        planned: list[tuple[SupplyPoint, PointPlan]],
        windows: dict[str, list[tuple[dt.datetime, dt.datetime]]],
        users: dict[int | None, PortalUser],
        series: str = "E",
    ) -> None:
        """The points' consumption, curves, readings and bills (numbered in ``series``)."""
        change = meters.last_clock_change(self.today)
        consumptions, measures, readings = [], [], []
        invoices: list[tuple[Invoice, Contract | None, ScheduleEntry | None, str]] = []
        for point, plan in planned:
            monthly = self._monthly_energy(point, plan)
            curves = plan.curve_minutes and point.customer_id in self.base_customer_ids
            measured = self._measures(point, plan, monthly, change) if curves else []
            measures += measured
            consumption = self._consumption(point, plan, monthly, measured)
            consumptions += consumption
            actual = {(row.year, row.month) for row in consumption if not row.is_estimated}
            estimated = {key for key in monthly if self._is_estimated(*key)} - actual
            readings += self._readings(
                point, plan, monthly, windows[point.commodity], users.get(point.customer_id)
            )
            invoices += self._utility_invoices(company, point, monthly, estimated)
        Consumption.objects.bulk_create(consumptions, batch_size=5000)
        Measure.objects.bulk_create(measures, batch_size=5000)
        self._write_readings(readings)
        self._write_utility_invoices(company, invoices, series)
        self.built.counts["consumption rows"] += len(consumptions)
        self.built.counts["measures"] += len(measures)
        self.built.counts["meter readings"] += len(readings)

    def _supply_point(
        self, company: Company, customer: Customer, plan: PointPlan, position: int, codes: set[str]
    ) -> SupplyPoint:
        rng = self.rng
        electric = plan.commodity == Commodity.ELECTRICITY
        code = ""
        while not code or code in codes:
            if electric:
                code = f"IT001E{rng.randint(10**7, 10**8 - 1)}"
            elif plan.business:
                code = f"{rng.randint(10**13, 10**14 - 1)}"
            else:
                # Many PDRs begin with a zero: they are text, never numbers.
                code = f"0{rng.randint(10**12, 10**13 - 1)}"
        codes.add(code)
        own_address = plan.site in ("home", "office")
        street = customer.address if own_address else identity.street_address(rng)
        annual = (
            plan.annual
            if customer.pk in self.base_customer_ids
            else int(round(plan.annual * rng.uniform(0.8, 1.2), -1))
        )
        power = (
            Decimal(3) if not plan.business
            else Decimal(6) if annual <= 10_000
            else Decimal(15) if annual <= 36_000
            else Decimal(30)
        )  # fmt: skip
        gas_class = (
            "G4" if not plan.business
            else "G10" if annual < 4_000
            else "G16" if annual < 10_000
            else "G25"
        )  # fmt: skip
        start = dt.date(rng.randint(2014, 2020), 1, 1)
        return SupplyPoint(
            company=company,
            customer=customer,
            # PR002874 as in seed 004's header, then on.
            number=f"PR{2874 + position:06d}",
            code=code,
            commodity=plan.commodity,
            address=f"{street.replace(',', '').upper()} - {customer.postcode} "
            f"{customer.city.upper()} ({customer.province})",
            active_from=start,
            annual_consumption=Decimal(annual),
            distributor="e-distribuzione S.p.A." if electric else "Toscana Energia S.p.A.",
            meter_number=f"{'E' if electric else 'G'}{rng.randint(10**7, 10**8 - 1)}",
            voltage=("BT 400 V" if plan.business else "BT 230 V") if electric else "",
            contracted_power=power if electric else None,
            available_power=power * Decimal("1.1") if electric else None,
            has_time_bands=plan.time_bands,
            meter_class="" if electric else gas_class,
            has_corrector=plan.corrector,
            corrector_number=f"C{rng.randint(10**6, 10**7 - 1)}" if plan.corrector else "",
            remi_code="" if electric else f"34{rng.randint(100000, 999999)}",
            usage="Altri usi" if plan.business else "Domestico",
            offer=OFFERS[(plan.commodity, plan.business, plan.time_bands)],
            market="Libero",
            contract_start=start,
            billing_frequency=BillingFrequency.BIMONTHLY,
            payment_method=SupplyPaymentMethod.SEPA,
        )

    def _monthly_energy(
        self, point: SupplyPoint, plan: PointPlan
    ) -> dict[tuple[int, int], Decimal]:
        """The point's energy of every month from its start to this one (kWh or Smc).

        The bills, the billed consumption and the meter readings all follow it.
        """
        annual = float(point.annual_consumption or 0)
        shares = meters.monthly_shares(point.is_electricity, plan.business)
        monthly = {}
        month = meters.month_start(point.active_from)
        while month <= self.today:
            energy = annual * shares[month.month - 1] * self.rng.uniform(0.88, 1.12)
            monthly[(month.year, month.month)] = Decimal(round(energy))
            month = meters.next_month(month)
        return monthly

    @staticmethod
    def _is_estimated(year: int, month: int) -> bool:
        """Every third bimonthly bill is on an estimate."""
        return (year * 12 + month - 1) // 2 % 3 == 1

    def _consumption(
        self,
        point: SupplyPoint,
        plan: PointPlan,
        monthly: dict[tuple[int, int], Decimal],
        measured: list[Measure],
    ) -> list[Consumption]:
        """The last 36 months; a month with curves takes its bands and power from them."""
        rng = self.rng
        bands: dict[str, Decimal] = defaultdict(Decimal)
        for measure in measured:
            bands[meters.time_band(measure.measured_at.astimezone(meters.ROME))] += (
                measure.active_energy
            )
        curve_month = self._local_month(measured[-1].measured_at) if measured else None
        # The bill's power is the highest mean power of an interval.
        peak = max(
            (m.active_energy * 60 / m.interval_minutes for m in measured), default=Decimal(0)
        ).quantize(Decimal("0.001"))
        f1_share, f2_share = (0.64, 0.15) if plan.business else (0.32, 0.36)
        rows = []
        for offset in range(-36, 0):
            month = add_months(self.today, offset)
            key = (month.year, month.month)
            energy = monthly[key]
            row = Consumption(
                supply_point=point,
                year=month.year,
                month=month.month,
                energy=energy,
                is_estimated=key != curve_month and self._is_estimated(*key),
            )
            if point.is_electricity:
                contracted = float(point.contracted_power or 3)
                power = (
                    contracted * rng.uniform(0.55, 0.95) if plan.business else rng.uniform(1.6, 3.1)
                )
                row.power = peak if key == curve_month else Decimal(str(round(power, 3)))
            if plan.time_bands:
                if key == curve_month:
                    f1, f2 = bands["F1"], bands["F2"]
                else:
                    f1 = Decimal(round(float(energy) * f1_share * rng.uniform(0.94, 1.06)))
                    f2 = Decimal(round(float(energy) * f2_share * rng.uniform(0.94, 1.06)))
                row.energy_f1, row.energy_f2, row.energy_f3 = f1, f2, energy - f1 - f2
            rows.append(row)
        return rows

    @staticmethod
    def _local_month(moment: dt.datetime) -> tuple[int, int]:
        local = moment.astimezone(meters.ROME)
        return local.year, local.month

    def _measures(
        self,
        point: SupplyPoint,
        plan: PointPlan,
        monthly: dict[tuple[int, int], Decimal],
        change: dt.date,
    ) -> list[Measure]:
        """The 2G meter's curve of the month of the last clock change, adding up to that
        month's energy to the watt-hour."""
        minutes = plan.curve_minutes
        month = meters.month_start(change)
        available = float(point.available_power or 3)
        reactive = (0.2, 0.35) if plan.business else (0.05, 0.12)
        weights = meters.curve(meters.interval_starts(month, minutes), plan.business, self.rng)
        watt_hours = meters.largest_remainder(
            int(monthly[(month.year, month.month)] * 1000), weights
        )
        rows = []
        for (start, _), wh in zip(weights, watt_hours, strict=True):
            average_kw = wh / 1000 * 60 / minutes
            peak_kw = min(available, average_kw * self.rng.uniform(1.05, 1.4))
            rows.append(
                Measure(
                    supply_point_id=point.pk,
                    measured_at=start,
                    interval_minutes=minutes,
                    active_energy=Decimal(wh) / 1000,
                    reactive_energy=Decimal(round(wh * self.rng.uniform(*reactive))) / 1000,
                    peak_power=Decimal(round(peak_kw * 1000)) / 1000,
                )
            )
        return rows

    def _used_between(
        self, monthly: dict[tuple[int, int], Decimal], start: dt.date, end: dt.date
    ) -> float:
        """The energy of the days from ``start`` to ``end`` (excluded), by their months."""
        used, day = 0.0, start
        while day < end:
            used += float(monthly[(day.year, day.month)]) / meters.days_in_month(day)
            day += dt.timedelta(days=1)
        return used

    def _readings(
        self,
        point: SupplyPoint,
        plan: PointPlan,
        monthly: dict[tuple[int, int], Decimal],
        windows: list[tuple[dt.datetime, dt.datetime]],
        user: PortalUser | None,
    ) -> list[tuple[MeterReading, dt.datetime]]:
        """Self-readings in every second closed window, the last a few weeks ago, as the
        meter turned; some customers entered one yesterday, not acquired yet.

        Returned with the moment each was entered.
        """
        rng = self.rng
        closed = [w for w in windows if w[1] < self._moment(self.today, dt.time())]
        chosen = closed[::-2][:6][::-1]
        if plan.business:
            meter = rng.randint(20_000, 400_000)
        else:
            meter = rng.randint(5_000, 30_000) if point.is_electricity else rng.randint(500, 9_000)
        corrector, factor = rng.randint(1_000, 50_000), rng.uniform(1.015, 1.035)
        used, previous = 0.0, None
        days = [
            timezone.localdate(opens) + dt.timedelta(days=rng.randint(0, 3)) for opens, _ in chosen
        ]
        if plan.pending and user is not None:
            days.append(self.today - dt.timedelta(days=1))
        rows = []
        for day in days:
            if previous is not None:
                used += self._used_between(monthly, previous, day) * rng.uniform(0.95, 1.05)
            previous = day
            entered = self._moment(day, dt.time(rng.randint(8, 21), rng.randint(0, 59)))
            pending = day >= self.today - dt.timedelta(days=1)
            reading = MeterReading(
                supply_point=point,
                reading_date=day,
                meter_value=meter + round(used),
                corrector_value=corrector + round(used * factor) if plan.corrector else None,
                status=ReadingStatus.PENDING if pending else ReadingStatus.ACQUIRED,
                entered_by=user,
                # The job acquires readings about every half hour.
                acquired_at=None if pending else entered + dt.timedelta(minutes=30),
            )
            rows.append((reading, entered))
        return rows

    def _write_readings(self, readings: list[tuple[MeterReading, dt.datetime]]) -> None:
        """Stored, then given the moment each was entered (``created_at`` is stamped "now")."""
        rows = MeterReading.objects.bulk_create([r for r, _ in readings], batch_size=5000)
        for row, (_, entered) in zip(rows, readings, strict=True):
            row.created_at = entered
        MeterReading.objects.bulk_update(rows, ["created_at"], batch_size=1000)

    def _utility_invoices(
        self,
        company: Company,
        point: SupplyPoint,
        monthly: dict[tuple[int, int], Decimal],
        estimated: set[tuple[int, int]],
    ) -> list[tuple[Invoice, Contract | None, ScheduleEntry | None, str]]:
        """Bimonthly bills from the supply start (never before the first invoice year),
        each of the energy of its two months."""
        electric = point.is_electricity
        price = Decimal("0.24") if electric else Decimal("1.05")
        vat_rate = Decimal("0.22") if point.customer.kind == PersonKind.LEGAL else Decimal("0.10")
        start = max(point.active_from, dt.date(company.first_invoice_year, 1, 1))
        result: list[tuple[Invoice, Contract | None, ScheduleEntry | None, str]] = []
        period = dt.date(start.year, start.month - (start.month - 1) % 2, 1)
        while add_months(period, 1) < self.today:
            period_end = add_months(period, 1)
            months = [(period.year, period.month), (period_end.year, period_end.month)]
            energy = sum((monthly.get(key, Decimal(0)) for key in months), Decimal(0))
            taxable = to_money(energy * price + UTILITY_FIXED_FEE)
            vat = to_money(taxable * vat_rate)
            invoice = Invoice(
                company=company,
                customer=point.customer,
                supply_point=point,
                date=period_end + BILLED_AFTER,
                document_type=DocumentType.INVOICE,
                taxable=taxable,
                vat=vat,
                total=taxable + vat,
            )
            description = (
                f"Fornitura {point.get_commodity_display()} {point.code} – periodo "
                f"{format_long_date(period)}–{format_long_date(period_end)}: {energy} {point.unit}"
                + (" (consumi stimati)" if estimated & set(months) else "")
            )
            if invoice.date <= self.today:
                result.append((invoice, None, None, description))
            period = add_months(period, 2).replace(day=1)
        return result

    def _write_utility_invoices(
        self,
        company: Company,
        invoices: list[tuple[Invoice, Contract | None, ScheduleEntry | None, str]],
        series: str = "E",
    ) -> None:
        invoices.sort(key=lambda item: (item[0].date, item[0].customer.code, item[3]))
        sequence: dict[int, int] = defaultdict(int)
        for invoice, _, _, _ in invoices:
            sequence[invoice.date.year] += 1
            invoice.number = f"{series}{invoice.date:%y}{sequence[invoice.date.year]:06d}"
            invoice.year = invoice.date.year
            invoice.published_at = invoice.notified_at = timezone.make_aware(
                dt.datetime.combine(invoice.date, dt.time(8, 0))
            )
        self._e_invoices(
            company,
            [
                (
                    invoice,
                    [
                        Line(description, invoice.taxable - UTILITY_FIXED_FEE),
                        Line("Quota fissa di commercializzazione", UTILITY_FIXED_FEE),
                    ],
                )
                for invoice, _, _, description in invoices
            ],
        )
        Invoice.objects.bulk_create([item[0] for item in invoices], batch_size=2000)
        self.built.counts["invoices"] += len(invoices)

    def _utility_documents(
        self, company: Company, registered: list[Customer], points: list[SupplyPoint]
    ) -> None:
        """The registered customers' own documents ("I miei documenti"): a welcome letter and
        each point's contract; the main demo login has a few more."""
        by_customer: dict[int, list[SupplyPoint]] = defaultdict(list)
        for point in points:
            by_customer[point.customer_id].append(point)
        for position, customer in enumerate(registered):
            self._document(company, customer, None, DocumentCategory.MINE, "Lettera di benvenuto")
            for point in by_customer[customer.pk]:
                commodity = "energia elettrica" if point.is_electricity else "gas naturale"
                self._document(
                    company, customer, None, DocumentCategory.MINE,
                    f"Contratto di fornitura di {commodity} – {point.code_label.upper()} {point.code}",
                    [f"Punto di fornitura {point}", f"Offerta: {point.offer}",
                     f"Inizio fornitura: {format_long_date(point.contract_start)}"],
                )  # fmt: skip
            if position == 0:
                for title in (
                    "Comunicazione di variazione delle condizioni economiche",
                    "Conferma di attivazione dell'addebito diretto SEPA",
                ):
                    self._document(company, customer, None, DocumentCategory.MINE, title)
