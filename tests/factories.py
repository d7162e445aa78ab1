"""Small factories: plain functions that create valid rows with sensible defaults.

Every value that must be unique (codes, tax ids, numbers) comes from a counter,
so a test creates as many objects as it needs without naming them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_email.models import EmailDevice
from stdnum import luhn
from stdnum.it import codicefiscale

from sportello.accounts.models import PortalUser
from sportello.billing.models import Invoice
from sportello.core.models import Company, CompanyHost, CompanyKind
from sportello.customers.models import Customer, PersonKind
from sportello.documents.models import Document, DocumentCategory
from sportello.leasing.models import (
    CompanyReference,
    Contract,
    ContractStatus,
    Product,
    ReferenceRate,
    Subsidy,
)

PASSWORD = "una-password-lunga-2024"
CUSTOMER_BACKEND = "sportello.accounts.backends.CompanyLoginBackend"
DOCUMENT_PDF = b"%PDF-1.4\n% contratto\n"
OPERATOR_BACKEND = "django.contrib.auth.backends.ModelBackend"
#: A platform host: where the back office answers (tests set PLATFORM_HOSTS to it).
BACK_OFFICE_HOST = "backoffice.test"

_sequence = itertools.count(1)


def _next() -> int:
    return next(_sequence)


def codice_fiscale(n: int | None = None) -> str:
    """A valid codice fiscale of a natural person, different for every ``n``."""
    n = _next() if n is None else n
    # Day of birth 01-28 and the month letter vary; the rest is a fixed Rome person.
    months = "ABCDEHLMPRST"
    stem = f"RSSMRA{80 + n % 20:02d}{months[n % 12]}{1 + n % 28:02d}H501"
    return stem + codicefiscale.calc_check_digit(stem)


def partita_iva(stem: str | None = None) -> str:
    """A valid partita IVA: ``stem`` (10 digits) or a new one, plus the Luhn check digit."""
    stem = f"{_next():07d}001" if stem is None else stem
    return stem + luhn.calc_check_digit(stem)


def make_company(
    slug: str,
    *,
    kind: str = CompanyKind.LEASING,
    host: str | None = None,
    **fields: Any,
) -> Company:
    """A company with one primary host (``<slug>.test`` unless given)."""
    defaults: dict[str, Any] = {
        "name": slug.replace("-", " ").title() + " S.p.A.",
        "legal_footer": f"{slug.title()} S.p.A. - Via Roma 1, Milano - P.IVA 01234567890",
        "support_email": f"assistenza@{slug}.test",
        "first_invoice_year": 2008 if kind == CompanyKind.LEASING else 2014,
    }
    company = Company.objects.create(slug=slug, kind=kind, **{**defaults, **fields})
    CompanyHost.objects.create(company=company, host=host or f"{slug}.test", is_primary=True)
    return company


def make_customer(company: Company, *, code: str | None = None, **fields: Any) -> Customer:
    """A natural-person customer with a valid codice fiscale."""
    n = _next()
    defaults: dict[str, Any] = {
        "code": code or f"C{n:06d}",
        "kind": PersonKind.NATURAL,
        "name": f"Mario Rossi {n}",
        "codice_fiscale": codice_fiscale(n),
        "address": "Via Garibaldi 10",
        "postcode": "20121",
        "city": "Milano",
        "province": "MI",
        "email": f"cliente{n}@example.test",
    }
    return Customer.objects.create(company=company, **{**defaults, **fields})


def make_user(
    customer: Customer,
    login: str | None = None,
    password: str = PASSWORD,
    **fields: Any,
) -> PortalUser:
    """A portal user of ``customer`` who logs in with ``login`` on its company's hosts."""
    n = _next()
    defaults: dict[str, Any] = {
        "first_name": "Mario",
        "last_name": "Rossi",
        "email": f"utente{n}@example.test",
    }
    user = PortalUser(
        company=customer.company,
        customer=customer,
        login=login or f"utente{n}",
        **{**defaults, **fields},
    )
    user.set_password(password)
    user.save()
    return user


def make_sub_user(parent: PortalUser, login: str | None = None, **fields: Any) -> PortalUser:
    """A sub-user: same customer as its parent, login ``<parent>.<n>``."""
    assert parent.customer is not None
    login = login or f"{parent.login}.{parent.sub_users.count() + 1}"
    return make_user(parent.customer, login, parent=parent, **fields)


#: English names of the reference data tests name in Italian.
REFERENCE_NAMES_EN = {
    "Leasing targato": "Vehicle leasing",
    "Leasing strumentale": "Equipment leasing",
    "Leasing immobiliare": "Real-estate leasing",
    "Tasso fisso": "Fixed rate",
    "Euribor 3 m.l. (div.360)": "3-month Euribor (act/360)",
    "Nessuna agevolazione": "No subsidy",
}


def make_reference[R: CompanyReference](model: type[R], company: Company, name_it: str) -> R:
    """The company's product, reference rate or subsidy named ``name_it`` (created once)."""
    reference, _ = model.objects.get_or_create(  # type: ignore[attr-defined]
        company=company,
        code=name_it.upper()[:40],
        defaults={"name_it": name_it, "name_en": REFERENCE_NAMES_EN.get(name_it, name_it)},
    )
    return reference  # type: ignore[no-any-return]


def make_contract(customer: Customer, *, number: str | None = None, **fields: Any) -> Contract:
    """An active leasing contract of ``customer``; product, rate and subsidy may be named."""
    n = _next()
    defaults: dict[str, Any] = {
        "number": number or f"{100000 + n}",
        "module_number": f"M{n}",
        "product": "Leasing strumentale",
        "status": ContractStatus.ACTIVE,
        "stipulated_on": dt.date(2023, 1, 15),
        "start_date": dt.date(2023, 2, 1),
        "end_date": dt.date(2028, 1, 31),
        "amount": Decimal("60000.00"),
        "advance": Decimal("6000.00"),
        "residual_value": Decimal("600.00"),
        "instalment_count": 59,
        "instalment_amount": Decimal("1000.00"),
        "duration_months": 60,
        "subsidy": "Nessuna agevolazione",
    }
    values = {**defaults, **fields}
    for name, model in (
        ("product", Product),
        ("reference_rate", ReferenceRate),
        ("subsidy", Subsidy),
    ):
        if isinstance(values.get(name), str):
            named = values[name]
            values[name] = make_reference(model, customer.company, named) if named else None
    return Contract.objects.create(company=customer.company, customer=customer, **values)


def make_invoice(customer: Customer, *, number: str | None = None, **fields: Any) -> Invoice:
    """An issued invoice (taxable + 22% VAT)."""
    n = _next()
    defaults: dict[str, Any] = {
        "number": number or f"F{n:06d}",
        "date": dt.date(2024, 4, 30),
        "taxable": Decimal("1000.00"),
        "vat": Decimal("220.00"),
        "total": Decimal("1220.00"),
    }
    return Invoice.objects.create(
        company=customer.company, customer=customer, **{**defaults, **fields}
    )


def make_document(
    company: Company,
    title: str,
    *,
    customer: Customer | None = None,
    contract: Contract | None = None,
    category: str = DocumentCategory.MINE,
    content: bytes = DOCUMENT_PDF,
) -> Document:
    """A published document with a stored file: company-wide unless a customer is given."""
    document = Document(
        company=company,
        customer=customer,
        contract=contract,
        category=category,
        title=title,
        original_name=f"{title.lower().replace(' ', '-')}.pdf",
        published_on=dt.date(2024, 3, 1),
    )
    document.file.save("document.pdf", ContentFile(content), save=False)
    document.save()
    return document


def make_operator(
    *companies: Company, permissions: list[str], username: str | None = None
) -> PortalUser:
    """A back-office operator of ``companies`` in a group with ``app_label.codename`` perms."""
    n = _next()
    group = Group.objects.create(name=f"Operatori {n}")
    for permission in permissions:
        app_label, codename = permission.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    operator = PortalUser.objects.create_user(
        username=username or f"operatore{n}", password=PASSWORD, is_staff=True
    )
    operator.groups.add(group)
    operator.operator_companies.set(companies)
    return operator


def operator_client(operator: PortalUser, host: str = BACK_OFFICE_HOST) -> Client:
    """A browser in the back office as ``operator``, past both login steps.

    Like ``force_login``, plus what the e-mailed code leaves in the session:
    the django-otp device that verified it, so ``is_verified()`` is true and
    the admin lets the operator in. The host must be a platform host (set
    ``settings.PLATFORM_HOSTS``) unless ``ADMIN_ON_COMPANY_HOSTS`` is on.
    """
    client = Client(HTTP_HOST=host)
    client.force_login(operator, backend=OPERATOR_BACKEND)
    device = EmailDevice.objects.create(user=operator, name="test", email=operator.email)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@dataclass
class Tenant:
    """One company as a test sees it: its host, a customer and that customer's user."""

    company: Company
    host: str
    customer: Customer
    user: PortalUser
    password: str = PASSWORD

    def client(self, **defaults: Any) -> Client:
        """A browser on this company's host, anonymous."""
        return Client(HTTP_HOST=self.host, **defaults)

    def logged_in_client(self, user: PortalUser | None = None) -> Client:
        client = self.client()
        client.force_login(user or self.user, backend=CUSTOMER_BACKEND)
        return client


def make_one_of_each(tenant: Tenant, marker: str) -> dict[str, Any]:
    """One row of every model the back office shows, all in ``tenant``'s company.

    Keyed by ``app_label.model_name``. Every name, code, number and title carries
    ``marker``, so a test can tell whether anything of this company reached a page.
    A test that walks the admin registry fails on a model missing here: add it.
    """
    from sportello.billing.models import ScheduleEntry
    from sportello.core import audit
    from sportello.core.models import FaqEntry, OutboxEmail
    from sportello.documents.models import Document
    from sportello.energy.models import Consumption, MeterReading, ReadingWindow, SupplyPoint
    from sportello.integration.models import ApiKey, ImportRun
    from sportello.leasing.models import Asset, PlanInstalment, TransparencyStatement
    from sportello.notices.models import Notification
    from sportello.servicedesk.models import RequestMessage, RequestType, ServiceRequest

    company = tenant.company
    n = _next()
    customer = make_customer(company, code=f"{marker}{n}", name=f"{marker} Cliente {n}")
    user = make_user(customer, f"{marker.lower()}{n}", first_name=marker, last_name="Utente")
    contract = make_contract(
        customer,
        number=f"{marker}-C{n}",
        module_number=f"{marker}-M{n}",
        product=f"{marker} prodotto {n}",
        reference_rate=f"{marker} tasso {n}",
        subsidy=f"{marker} agevolazione {n}",
    )
    invoice = make_invoice(customer, number=f"{marker}-F{n}")
    request_type = RequestType.objects.create(
        company=company, label_it=f"{marker} tipo {n}", label_en=f"{marker} kind {n}"
    )
    request = ServiceRequest.objects.create(
        company=company,
        customer=customer,
        author=user,
        code=f"RIC-{marker}-{n}",
        kind="free",
        request_type=request_type,
        contract=contract,
        title=f"{marker} richiesta {n}",
        last_activity_at=dt.datetime(2024, 5, 2, 10, tzinfo=dt.UTC),
    )
    supply_point = SupplyPoint.objects.create(
        company=company,
        customer=customer,
        number=f"{marker}-P{n}",
        code=f"IT{marker}{n}",
        commodity="electricity",
        address=f"Via {marker} {n}",
        active_from=dt.date(2020, 1, 1),
    )
    day = dt.date(2024, 1, 1) + dt.timedelta(days=n % 300)
    return {
        "core.company": company,
        "customers.customer": customer,
        "accounts.portaluser": user,
        "leasing.contract": contract,
        "leasing.product": contract.product,
        "leasing.referencerate": contract.reference_rate,
        "leasing.subsidy": contract.subsidy,
        "billing.invoice": invoice,
        "servicedesk.requesttype": request_type,
        "servicedesk.servicerequest": request,
        "energy.supplypoint": supply_point,
        "core.companyhost": company.hosts.get(is_primary=True),
        "servicedesk.requestmessage": RequestMessage.objects.create(
            request=request, author=user, body=f"{marker} messaggio {n}"
        ),
        "core.faqentry": FaqEntry.objects.create(
            company=company, language="it", question=f"{marker} domanda {n}?", answer=marker
        ),
        "core.auditevent": audit.record("login", actor=user, company=company, obj=customer),
        "core.outboxemail": OutboxEmail.objects.create(
            company=company, to=[customer.email], subject=f"{marker} oggetto {n}", body_text="."
        ),
        "leasing.planinstalment": PlanInstalment.objects.create(
            contract=contract,
            number=1,
            due_date=day,
            kind="instalment",
            amount=Decimal("1000.00"),
            capital_share=Decimal("900.00"),
            interest_share=Decimal("100.00"),
            residual_capital=Decimal("50000.00"),
            payment_method="sepa",
            accrual_start=day,
            accrual_end=day,
        ),
        "leasing.asset": Asset.objects.create(
            contract=contract,
            code=f"{marker}-B{n}",
            asset_type=f"{marker} tipo bene",
            financial_value=Decimal("50000.00"),
            future_value=Decimal("500.00"),
            description=f"{marker} bene {n}",
            lease_end=dt.date(2028, 1, 31),
        ),
        "leasing.transparencystatement": TransparencyStatement.objects.create(
            contract=contract, year=2024
        ),
        "billing.scheduleentry": ScheduleEntry.objects.create(
            contract=contract,
            due_date=day,
            instalment_number=1,
            reason="Canone",
            payment_method="sepa",
            amount=Decimal("1000.00"),
            invoice=invoice,
        ),
        "notices.notification": Notification.objects.create(
            company=company, recipient=user, request=request, title=f"{marker} avviso {n}"
        ),
        "energy.readingwindow": ReadingWindow.objects.create(
            company=company,
            commodity="electricity",
            opens_at=dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC),
            closes_at=dt.datetime.combine(day, dt.time(20), tzinfo=dt.UTC),
        ),
        "energy.meterreading": MeterReading.objects.create(
            supply_point=supply_point, reading_date=day, meter_value=1000 + n, entered_by=user
        ),
        "energy.consumption": Consumption.objects.create(
            supply_point=supply_point, year=2024, month=1 + n % 12, energy=Decimal("100.5")
        ),
        "documents.document": Document.objects.create(
            company=company,
            customer=customer,
            contract=contract,
            category="mine",
            title=f"{marker} documento {n}",
            file=f"documents/{company.pk}/{marker.lower()}{n}",
            original_name=f"{marker}-{n}.pdf",
            published_on=day,
        ),
        "integration.apikey": ApiKey.objects.create(
            company=company, name=f"{marker} chiave {n}", prefix=f"k{n:07d}", key_hash=f"{n:064d}"
        ),
        "integration.importrun": ImportRun.objects.create(
            company=company,
            kind=f"{marker} import {n}",
            source="command",
            file_name=f"{marker.lower()}{n}.csv",
        ),
    }


def make_supply_point(customer: Customer, commodity: str = "electricity", **fields: Any) -> Any:
    """A supply point of ``customer``: a well-formed POD, or a PDR for gas."""
    from sportello.energy.models import SupplyPoint

    n = _next()
    electric = commodity == "electricity"
    defaults: dict[str, Any] = {
        "company": customer.company,
        "customer": customer,
        "number": f"PR{n:06d}",
        "code": f"IT001E{n:08d}" if electric else f"{n:014d}",
        "commodity": commodity,
        "address": f"VIA DEI POGGI {n} - 57014 COLLESALVETTI (LI)",
        "active_from": dt.date(2020, 1, 1),
        "meter_number": f"{n:08d}",
        "annual_consumption": Decimal("2700") if electric else Decimal("700"),
    }
    return SupplyPoint.objects.create(**(defaults | fields))
