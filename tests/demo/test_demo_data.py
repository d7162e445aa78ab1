"""The demo data is valid: identifiers, plans, schedules and invoices hold together."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet, Sum
from django.utils import timezone
from pypdf import PdfReader
from stdnum import iban
from stdnum.it import codicefiscale, iva

from sportello.accounts.models import PortalUser
from sportello.billing.fatturapa.xml import parse, validation_errors
from sportello.billing.models import (
    DeliveryStatus,
    DocumentType,
    EntryStatus,
    Invoice,
    ScheduleEntry,
)
from sportello.core.models import Company, CompanyHost, OutboxEmail
from sportello.customers.models import Customer, PersonKind
from sportello.demo.builder import FLEET_FILES_DAYS, DemoBuilder, build_demo
from sportello.demo.catalogue import demo_catalogue
from sportello.demo.meters import time_band
from sportello.documents.models import Document, DocumentCategory
from sportello.energy.models import (
    Commodity,
    Consumption,
    Measure,
    MeterReading,
    Plausibility,
    ReadingStatus,
    SupplyPoint,
)
from sportello.energy.readings import ReadingRefused, assess
from sportello.leasing.models import Contract, ContractStatus, InstalmentKind, PlanInstalment
from sportello.leasing.services import early_termination_quote
from sportello.notices.models import Notification
from sportello.servicedesk.deadlines import complaint_due_date
from sportello.servicedesk.models import (
    RequestAttachment,
    RequestKind,
    RequestMessage,
    RequestStatus,
    ServiceRequest,
)
from sportello.servicedesk.services import (
    REFERRAL_NAMES,
    ServiceLevel,
    complaint_clock,
    next_request_code,
    service_level,
)

TODAY = dt.date(2026, 11, 22)
LEASING = ("release", "bancobpm", "claris")
#: The fleet (Release) and the multi-site customer (Energia Toscana).
BIG_ACCOUNTS = ("10000", "000001")


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    """The demo, built once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        build_demo(seed=2026, today=TODAY)
        yield
        transaction.set_rollback(True)


pytestmark = pytest.mark.usefixtures("demo", "db")


def test_it_creates_four_companies_each_on_its_host() -> None:
    hosts = dict(CompanyHost.objects.values_list("host", "company__slug"))
    assert hosts == {
        "release.localhost": "release",
        "bancobpm.localhost": "bancobpm",
        "claris.localhost": "claris",
        "energia.localhost": "energia",
    }
    kinds = dict(Company.objects.values_list("slug", "kind"))
    assert kinds["energia"] == "utility"
    assert {kinds[s] for s in ("release", "bancobpm", "claris")} == {"leasing"}


def test_it_gives_every_customer_valid_italian_identifiers() -> None:
    customers = list(Customer.objects.all())
    assert len(customers) == 34  # 8 a company, a fleet and a multi-site customer
    for customer in customers:
        if customer.kind == PersonKind.NATURAL:
            assert codicefiscale.is_valid(customer.codice_fiscale), customer
        else:
            assert iva.is_valid(customer.partita_iva), customer
            assert customer.pec, f"legal person {customer} has no PEC"
        customer.full_clean()
    # Omocodia variants exist among the demo people and are accepted.
    omocodia = [
        c.codice_fiscale
        for c in customers
        if c.kind == PersonKind.NATURAL and not c.codice_fiscale[14].isdigit()
    ]
    assert omocodia and all(codicefiscale.is_valid(cf) for cf in omocodia)


def test_it_gives_every_contract_a_valid_iban() -> None:
    ibans = Contract.objects.values_list("payment_iban", flat=True)
    assert ibans
    assert all(iban.is_valid(value) and value.startswith("IT") for value in ibans)


def test_it_has_active_and_extinct_contracts_of_several_products() -> None:
    for slug in ("release", "bancobpm", "claris"):
        contracts = Contract.objects.filter(company__slug=slug)
        statuses = set(contracts.values_list("status", flat=True))
        assert statuses == {ContractStatus.ACTIVE, ContractStatus.EXTINCT}
        products = set(contracts.values_list("product__name_it", flat=True))
        assert {"Leasing targato", "Leasing strumentale", "Leasing immobiliare"} <= products
    for contract in Contract.objects.all():
        if contract.status == ContractStatus.ACTIVE:
            assert contract.end_date >= TODAY
        else:
            assert contract.end_date < TODAY


def test_it_amortises_each_plan_down_to_the_residual_value() -> None:
    for contract in Contract.objects.prefetch_related("plan"):
        rows = list(contract.plan.all())
        instalments = [r for r in rows if r.kind == InstalmentKind.INSTALMENT]
        capital = sum((r.capital_share for r in instalments), Decimal(0))
        assert capital + contract.residual_value == contract.financed_amount, contract
        assert instalments[-1].residual_capital == contract.residual_value, contract
        assert len(instalments) == contract.instalment_count
        advance = [r for r in rows if r.kind == InstalmentKind.ADVANCE]
        assert [(a.number, a.amount) for a in advance] == [(0, contract.advance)]
        residual = [r for r in rows if r.kind == InstalmentKind.RESIDUAL]
        assert residual[0].amount == contract.residual_value
        for row in instalments:
            assert row.amount == row.capital_share + row.interest_share
        # Residual capital never rises from one instalment to the next.
        values = [r.residual_capital for r in instalments]
        assert values == sorted(values, reverse=True)


def test_it_adds_quarterly_indexation_rows_as_in_seed_002() -> None:
    rows = PlanInstalment.objects.filter(kind=InstalmentKind.INDEXATION)
    assert rows.exists()
    for row in rows:
        assert row.number == 0
        assert row.capital_share == 0 and row.interest_share == row.amount > 0
        assert row.due_date.month in (3, 6, 9, 12)
        assert row.accrual_start <= row.accrual_end == row.due_date
    contracts_with = rows.values("contract").distinct().count()
    assert contracts_with >= 5


def test_it_derives_every_schedule_status_from_amounts_and_dates() -> None:
    seen = set()
    for entry in ScheduleEntry.objects.select_related("contract"):
        status = entry.status_on(TODAY)
        seen.add(status)
        if status == EntryStatus.PAID:
            assert entry.paid == entry.amount and entry.paid_on is not None
            assert entry.due_date < TODAY
        elif status == EntryStatus.OVERDUE:
            assert entry.due_date < TODAY and entry.paid < entry.amount
            assert entry.contract.status == ContractStatus.ACTIVE
        else:
            assert entry.due_date >= TODAY and entry.paid == 0
    assert seen == {EntryStatus.PAID, EntryStatus.OVERDUE, EntryStatus.TO_BE_DUE}
    partly_paid = ScheduleEntry.objects.filter(paid__gt=0).exclude(paid=F("amount"))
    assert partly_paid.exists()


def test_it_matches_the_schedule_to_the_plan_with_vat() -> None:
    contract = Contract.objects.filter(status=ContractStatus.ACTIVE).first()
    assert contract is not None
    plan_total = contract.plan.aggregate(total=Sum("amount"))["total"]
    schedule_total = contract.schedule.aggregate(total=Sum("amount"))["total"]
    assert abs(schedule_total - plan_total * Decimal("1.22")) < Decimal("0.01") * len(
        contract.plan.all()
    )
    assert contract.schedule.count() == contract.plan.count()


def test_it_issues_invoices_and_credit_notes_from_the_first_invoice_year() -> None:
    for company in Company.objects.all():
        invoices = Invoice.objects.filter(company=company)
        first = invoices.order_by("date").first()
        assert first is not None
        assert first.date.year >= company.first_invoice_year
        assert invoices.filter(date__gt=TODAY).count() == 0
        for invoice in invoices:
            assert invoice.total == invoice.taxable + invoice.vat
    assert Invoice.objects.filter(document_type=DocumentType.CREDIT_NOTE).exists()
    assert Invoice.objects.filter(company__slug="release", date__year=2008).exists()


def test_it_stores_a_fatturapa_file_valid_against_the_xsd_for_every_invoice() -> None:
    # Every invoice but a big account's older ones (kept on record without a file).
    big = Invoice.objects.filter(customer__code__in=BIG_ACCOUNTS)
    assert not Invoice.objects.filter(xml="").exclude(customer__code__in=BIG_ACCOUNTS).exists()
    recent = TODAY - dt.timedelta(days=FLEET_FILES_DAYS)
    assert not big.filter(xml="", date__gte=recent).exists()
    assert big.filter(xml="").exists()
    # No stub PDFs: the PDF is the portal's courtesy copy, printed when first asked for.
    assert not Invoice.objects.exclude(pdf="").exists()
    credit_note = Invoice.objects.filter(document_type=DocumentType.CREDIT_NOTE)[:1]
    sample = list(
        Invoice.objects.exclude(xml="").select_related("customer").order_by("?")[:40]
    ) + list(credit_note.select_related("customer"))
    for invoice in sample:
        with invoice.xml.open("rb") as handle:
            tree = parse(handle.read())
        assert validation_errors(tree) == [], invoice.number
        assert invoice.xml_body == 1
        body = tree.getroot().find("FatturaElettronicaBody")
        assert body is not None
        document = body.find("DatiGenerali/DatiGeneraliDocumento")
        assert document is not None
        assert document.findtext("TipoDocumento") == invoice.document_type
        assert document.findtext("Numero") == invoice.number
        assert Decimal(document.findtext("ImportoTotaleDocumento") or "") == invoice.total
        assert Decimal(body.findtext("DatiBeniServizi/DatiRiepilogo/ImponibileImporto") or "") == (
            invoice.taxable
        )
        assert Decimal(body.findtext("DatiBeniServizi/DatiRiepilogo/Imposta") or "") == invoice.vat
        lines = body.findall("DatiBeniServizi/DettaglioLinee/PrezzoTotale")
        assert sum(Decimal(line.text or "") for line in lines) == invoice.taxable
        buyer = tree.getroot().find(
            "FatturaElettronicaHeader/CessionarioCommittente/DatiAnagrafici"
        )
        assert buyer is not None
        identifiers = {buyer.findtext("IdFiscaleIVA/IdCodice"), buyer.findtext("CodiceFiscale")}
        assert invoice.customer.codice_fiscale in identifiers
        seller = tree.getroot().findtext(
            "FatturaElettronicaHeader/CedentePrestatore/DatiAnagrafici/IdFiscaleIVA/IdCodice"
        )
        assert iva.is_valid(seller or "")
        assert (
            invoice.sdi_file_name
            == f"IT{seller}_{tree.getroot().findtext('.//ProgressivoInvio')}.xml"
        )
    assert {i.delivery_status for i in Invoice.objects.all()[:500]} >= {
        DeliveryStatus.DELIVERED,
        DeliveryStatus.NOT_DELIVERED,
    }


# The utility ----------------------------------------------------------------------


def utility_points() -> QuerySet[SupplyPoint]:
    return SupplyPoint.objects.filter(company__slug="energia").select_related("customer")


def test_it_gives_utility_customers_well_formed_electricity_and_gas_points() -> None:
    points = list(utility_points())

    for point in points:
        point.full_clean()  # POD IT + 3 digits + E + 8-9 characters, PDR 14 digits
        assert point.number.startswith("PR00") and len(point.number) == 8
    assert len({p.code for p in points}) == len({p.number for p in points}) == len(points)
    gas = [p for p in points if p.commodity == Commodity.GAS]
    assert any(p.code.startswith("0") for p in gas), "PDRs are text: some begin with 0"
    assert {p.has_corrector for p in gas} == {True, False}
    assert all(p.corrector_number for p in gas if p.has_corrector)
    electric = [p for p in points if p.is_electricity]
    assert {p.has_time_bands for p in electric} == {True, False}
    assert all(p.contracted_power and p.voltage and not p.meter_class for p in electric)
    assert all(p.meter_class and p.contracted_power is None for p in gas)


def test_it_gives_the_main_utility_login_several_points_to_choose_from() -> None:
    user = main_login("energia")
    points = list(SupplyPoint.objects.for_user(user))

    assert len(points) >= 2
    assert any(p.is_electricity and p.has_time_bands for p in points)
    assert any(p.commodity == Commodity.GAS and p.has_corrector for p in points)
    # The landing page says which login has them.
    entry = next(e for e in demo_catalogue() if e.company.slug == "energia")
    assert f"{len(points)} punti di fornitura" in entry.logins[0].note


def test_it_bills_three_years_of_seasonal_consumption_for_every_point() -> None:
    rows = Consumption.objects.filter(supply_point__company__slug="energia")
    first, last = dt.date(2023, 11, 1), dt.date(2026, 10, 1)
    for point in utility_points():
        months = list(rows.filter(supply_point=point).order_by("year", "month"))
        assert [(m.year, m.month) for m in months] == [
            (day.year, day.month)
            for day in (dt.date(2023 + (10 + n) // 12, (10 + n) % 12 + 1, 1) for n in range(36))
        ]
        assert (months[0].year, months[0].month) == (first.year, first.month)
        assert (months[-1].year, months[-1].month) == (last.year, last.month)
        year = sum(m.energy for m in months[-12:])
        assert abs(year - point.annual_consumption) < point.annual_consumption / 5, point
        if point.has_time_bands:
            for month in months:
                assert month.energy_f1 + month.energy_f2 + month.energy_f3 == month.energy
                assert min(month.energy_f1, month.energy_f2, month.energy_f3) > 0
        else:
            assert all(m.energy_f1 is None for m in months)
        assert all((m.power is not None) == point.is_electricity for m in months)
        if point.commodity == Commodity.GAS:
            january = next(m for m in months if m.month == 1)
            july = next(m for m in months if m.month == 7)
            assert january.energy > 2 * july.energy
    assert rows.filter(is_estimated=True).exists() and rows.filter(is_estimated=False).exists()


def test_it_records_a_month_of_curves_across_the_last_clock_change() -> None:
    """TODAY is 22/11/2026: the curves are October's, whose 25th has 100 quarter hours."""
    measures = Measure.objects.filter(supply_point__company__slug="energia")
    assert measures.count() < 10_000, "the demo builds fast"
    by_interval = {
        minutes: {m.supply_point_id for m in measures.filter(interval_minutes=minutes)}
        for minutes in (15, 60)
    }
    assert len(by_interval[15]) >= 2 and len(by_interval[60]) >= 1
    main_points = SupplyPoint.objects.for_user(main_login("energia"))
    assert main_points.filter(pk__in=by_interval[15]).exists()
    for point in SupplyPoint.objects.filter(measures__isnull=False).distinct():
        rows = list(point.measures.order_by("measured_at"))
        minutes = rows[0].interval_minutes
        days = Counter(timezone.localtime(r.measured_at).date() for r in rows)
        per_day = 24 * 60 // minutes
        assert days[dt.date(2026, 10, 25)] == per_day * 25 // 24
        assert set(days) == {dt.date(2026, 10, day) for day in range(1, 32)}
        assert {n for day, n in days.items() if day != dt.date(2026, 10, 25)} == {per_day}
        # Stored in UTC, interval starts: the first is local midnight of 1 October.
        assert rows[0].measured_at == dt.datetime(2026, 9, 30, 22, 0, tzinfo=dt.UTC)
        # The month's curve adds up to its billed consumption, band by band.
        october = point.consumptions.get(year=2026, month=10)
        assert sum(r.active_energy for r in rows) == october.energy
        assert not october.is_estimated
        if point.has_time_bands:
            bands: dict[str, Decimal] = defaultdict(Decimal)
            for row in rows:
                bands[time_band(timezone.localtime(row.measured_at))] += row.active_energy
            assert (october.energy_f1, october.energy_f2) == (bands["F1"], bands["F2"])
        assert all(r.peak_power <= point.available_power for r in rows)  # type: ignore[operator]


def test_it_opens_a_reading_window_for_each_commodity_and_keeps_closed_ones() -> None:
    company = Company.objects.get(slug="energia")
    now = timezone.make_aware(dt.datetime.combine(TODAY, dt.time(12, 0)))
    for commodity in Commodity.values:
        windows = company.reading_windows.filter(commodity=commodity)
        assert windows.filter(opens_at__lte=now, closes_at__gte=now).count() == 1
        assert windows.filter(closes_at__lt=now).count() >= 6
    future = company.reading_windows.filter(opens_at__gt=now)
    assert set(future.values_list("commodity", flat=True)) == {Commodity.ELECTRICITY}


def test_it_keeps_readings_that_a_demo_user_can_follow_with_a_sensible_one() -> None:
    company = Company.objects.get(slug="energia")
    windows = list(company.reading_windows.all())
    readings = MeterReading.objects.filter(supply_point__company=company)
    for point in utility_points():
        mine = list(readings.filter(supply_point=point).order_by("reading_date"))
        acquired = [r for r in mine if r.status == ReadingStatus.ACQUIRED]
        assert len(acquired) >= 4, point
        assert all(r.acquired_at is not None and r.created_at < r.acquired_at for r in acquired)
        values = [r.meter_value for r in mine]
        assert values == sorted(values)
        assert all((r.corrector_value is not None) == point.has_corrector for r in mine)
        for reading in mine:
            assert any(
                w.commodity == point.commodity
                and w.opens_at.date() <= reading.reading_date <= w.closes_at.date()
                for w in windows
            ), reading
        # The last acquired reading is a few weeks old, and the self-reading rules take
        # what the demo holds and the sensible reading a visitor would enter today.
        last = acquired[-1]
        assert 14 <= (TODAY - last.reading_date).days <= 45, point
        for pending in (r for r in mine if r.status == ReadingStatus.PENDING):
            assert pending.acquired_at is None
            found = assess(company, point, pending.reading_date, pending.meter_value,
                           pending.corrector_value)  # fmt: skip
            assert found.needs == Plausibility.NONE, (point, found)
        latest = mine[-1]
        expected = round(point.annual_consumption * (TODAY - latest.reading_date).days / 365)  # type: ignore[operator]
        corrector = latest.corrector_value + expected if point.has_corrector else None  # type: ignore[operator]
        found = assess(company, point, TODAY, latest.meter_value + expected, corrector)
        assert found.needs == Plausibility.NONE, (point, found)
        with pytest.raises(ReadingRefused):
            assess(company, point, TODAY, latest.meter_value - 1, corrector)
    user = main_login("energia")
    pending = MeterReading.objects.for_user(user).filter(status=ReadingStatus.PENDING)
    assert pending.exists()
    assert all(r.entered_by == user for r in pending)
    # The point with a corrector has none pending: the visitor can enter one today.
    with_corrector = SupplyPoint.objects.for_user(user).get(has_corrector=True)
    assert not with_corrector.readings.filter(status=ReadingStatus.PENDING).exists()


def test_it_files_utility_documents_in_every_category() -> None:
    documents = Document.objects.filter(company__slug="energia")
    assert set(documents.values_list("category", flat=True)) == set(DocumentCategory.values)
    company_wide = documents.filter(customer__isnull=True)
    assert set(company_wide.values_list("category", flat=True)) == set(DocumentCategory.values) - {
        DocumentCategory.MINE
    }
    user = main_login("energia")
    mine = Document.objects.for_user(user).filter(category=DocumentCategory.MINE)
    points = SupplyPoint.objects.for_user(user)
    assert mine.count() > points.count()
    assert all(mine.filter(title__contains=p.code).exists() for p in points)
    for document in documents:
        with document.file.open("rb") as handle:
            text = PdfReader(io.BytesIO(handle.read())).pages[0].extract_text()
        assert document.title.replace("’", "'") in text
        assert document.original_name.endswith(".pdf") and " " not in document.original_name


def test_it_gives_the_main_utility_login_tickets_about_its_points() -> None:
    user = main_login("energia")
    mine = ServiceRequest.objects.for_user(user)
    company = Company.objects.get(slug="energia")

    assert set(mine.values_list("status", flat=True)) == set(RequestStatus.values)
    assert set(mine.values_list("kind", flat=True)) == {
        RequestKind.UTILITY_TICKET,
        RequestKind.COMPLAINT,
    }
    points = set(SupplyPoint.objects.for_user(user))
    assert all(r.supply_point in points for r in mine)
    assert {r.supply_point for r in mine} == points
    tickets = mine.filter(kind=RequestKind.UTILITY_TICKET)
    assert all(r.request_type and r.request_type.company == company for r in tickets)
    assert mine.filter(author__parent=user).exists()
    answered = RequestMessage.objects.for_user(user).filter(from_service_desk=True)
    assert answered.visible_to_customer().exists()
    complaint = mine.get(kind=RequestKind.COMPLAINT)
    assert complaint.supply_point is not None
    assert complaint.payload["point_code"] == complaint.supply_point.code
    assert complaint.payload["service"] == complaint.supply_point.commodity
    # The utility's clock (ARERA's TIQV): 30 calendar days from receipt.
    assert complaint.due_on == complaint.received_on + dt.timedelta(days=30)
    assert complaint.received_on == timezone.localdate(complaint.created_at)
    assert complaint.due_on == complaint_due_date(complaint.received_on, complaint_clock(complaint))
    labels = set(company.request_types.values_list("label_it", flat=True))
    assert {"Voltura", "Subentro", "Rettifica di fatturazione", "Verifica del contatore"} <= labels
    assert not ServiceRequest.objects.filter(company=company, code__startswith="DEMO-").exists()


def test_it_registers_some_customers_and_leaves_others_to_register() -> None:
    for company in Company.objects.all():
        users = PortalUser.objects.filter(company=company, customer__isnull=False).exclude(
            customer__code__in=BIG_ACCOUNTS
        )
        assert users.filter(parent__isnull=True).count() == 5
        sub_user = users.get(parent__isnull=False)
        assert sub_user.login == f"{sub_user.parent.login}.1"
        assert sub_user.customer_id == sub_user.parent.customer_id
        unregistered = Customer.objects.filter(company=company, users__isnull=True)
        assert unregistered.count() == 3
    claris = PortalUser.objects.get(username="claris/10093")
    assert claris.check_password("demo-Sportello-2026")


def test_it_refuses_a_second_contract_with_the_same_number_in_a_company() -> None:
    contract = Contract.objects.filter(company__slug="release").first()
    assert contract is not None
    contract.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        contract.save()
    other = Customer.objects.filter(company__slug="bancobpm").first()
    contract.company, contract.customer = other.company, other  # type: ignore[union-attr]
    contract.save()  # the same number in another company is fine


def test_it_refuses_a_second_meter_reading_on_the_same_day() -> None:
    reading = MeterReading.objects.first()
    assert reading is not None
    reading.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        reading.save()


def test_it_is_deterministic() -> None:
    """The same seed gives the same people (and so the same data) on every run."""
    company = Company.objects.get(slug="release")

    def people() -> list[tuple[str, str, str]]:
        builder = DemoBuilder(seed=2026, scale=1, today=TODAY)
        return [
            (c.name, c.codice_fiscale, c.address)
            for c in (builder._person(company, i, legal=i % 3 != 0) for i in range(12))
        ]

    assert people() == people()


# The service desk ---------------------------------------------------------------


def main_login(slug: str) -> PortalUser:
    """The first login the demo command and the landing page print for ``slug``."""
    entry = next(e for e in demo_catalogue() if e.company.slug == slug)
    return PortalUser.objects.get(company=entry.company, login=entry.logins[0].login)


@pytest.mark.parametrize("slug", LEASING)
def test_it_has_requests_of_every_status_and_kind_in_each_leasing_company(slug: str) -> None:
    requests = ServiceRequest.objects.filter(company__slug=slug)

    assert set(requests.values_list("status", flat=True)) == set(RequestStatus.values)
    kinds = set(requests.values_list("kind", flat=True))
    assert kinds == {
        RequestKind.IBAN_CHANGE,
        RequestKind.ADDRESS_CHANGE,
        RequestKind.FREE,
        RequestKind.EARLY_TERMINATION,
        RequestKind.COMPLAINT,
        RequestKind.PEC_CHANGE,
    }
    # A free request is always of one of the company's types ("Richieste default").
    free = requests.filter(kind=RequestKind.FREE)
    assert not free.filter(request_type__isnull=True).exists()
    assert free.filter(request_type__company__slug=slug).count() == free.count()
    company = Company.objects.get(slug=slug)
    assert company.request_types.count() >= 6
    # The queue has work given to operators and work nobody has taken yet.
    assigned = requests.filter(assignee__isnull=False)
    assert assigned.exists() and requests.filter(assignee__isnull=True).exists()
    assert all(company in r.assignee.operator_companies.all() for r in assigned)  # type: ignore[union-attr]
    follow_up = requests.get(follows__isnull=False)
    assert follow_up.follows is not None and follow_up.follows.status == RequestStatus.CLOSED
    assert follow_up.created_at > follow_up.follows.closed_at  # type: ignore[operator]


@pytest.mark.parametrize("slug", LEASING)
def test_it_gives_the_main_demo_login_requests_to_look_at(slug: str) -> None:
    user = main_login(slug)
    mine = ServiceRequest.objects.for_user(user)

    assert mine.count() >= 7
    assert set(mine.values_list("status", flat=True)) == set(RequestStatus.values)
    # One of them was raised by the sub-user, as the history shows.
    assert mine.filter(author__parent=user).exists()
    # The desk answered some: the bell has the answers, the old ones read.
    answered = RequestMessage.objects.for_user(user).filter(from_service_desk=True)
    assert answered.visible_to_customer().exists()


@pytest.mark.parametrize("slug", LEASING)
def test_it_dates_complaints_on_the_laws_clock(slug: str) -> None:
    complaints = list(ServiceRequest.objects.filter(company__slug=slug, kind=RequestKind.COMPLAINT))

    for complaint in complaints:
        received = timezone.localdate(complaint.created_at)
        assert complaint.received_on == received
        interim = complaint.interim_reply_at is not None
        expected = complaint_due_date(received, complaint_clock(complaint), interim_reply=interim)
        assert complaint.due_on == expected, complaint
    levels = {service_level(c, TODAY) for c in complaints if not c.is_closed}
    assert {ServiceLevel.OVERDUE, ServiceLevel.DUE_SOON} <= levels
    # Waiting for the customer does not stop the law's clock.
    assert any(
        c.status == RequestStatus.WAITING_CUSTOMER and service_level(c, TODAY) == "overdue"
        for c in complaints
    )
    closed = [c for c in complaints if c.is_closed]
    assert {c.outcome for c in closed} >= {"partly_accepted", "rejected"}
    for complaint in closed:
        answer = complaint.messages.filter(from_service_desk=True).last()
        assert answer is not None and all(name in answer.body for name in REFERRAL_NAMES)
        assert complaint.closed_at is not None
        assert timezone.localdate(complaint.closed_at) <= complaint.due_on  # type: ignore[operator]
    with_interim = [c for c in complaints if c.interim_reply_at is not None]
    assert len(with_interim) == 1 and with_interim[0].is_payment_service
    assert with_interim[0].messages.filter(is_interim_reply=True).count() == 1
    assert any(c.is_payment_service and c.is_closed for c in complaints)


def test_it_keeps_internal_notes_from_the_customer() -> None:
    notes = RequestMessage.objects.filter(is_internal=True)
    assert notes.exists() and not notes.filter(from_service_desk=False).exists()
    user = main_login("release")
    seen = RequestMessage.objects.for_user(user).visible_to_customer()
    assert RequestMessage.objects.for_user(user).filter(is_internal=True).exists()
    assert not seen.filter(is_internal=True).exists()


def test_it_attaches_real_pdfs_both_ways() -> None:
    attachments = list(RequestAttachment.objects.select_related("message"))

    assert {a.message.from_service_desk for a in attachments} == {True, False}
    for attachment in attachments:
        assert attachment.content_type == "application/pdf"
        # Stored under a generated name, never the uploader's.
        assert attachment.file.name == f"attachments/{attachment.uid.hex}.pdf"
        with attachment.file.open("rb") as handle:
            content = handle.read()
        assert len(content) == attachment.size
        text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
        assert attachment.message.request.customer.name in text


def test_it_spreads_the_conversations_over_past_months() -> None:
    now = timezone.make_aware(dt.datetime.combine(TODAY, dt.time()))
    requests = ServiceRequest.objects.filter(company__slug="release").prefetch_related("messages")
    opened = sorted(r.created_at for r in requests)
    assert opened[-1] < now and (opened[-1] - opened[0]).days > 150
    for request in requests:
        moments = [m.created_at for m in request.messages.all()]
        assert moments == sorted(moments) and moments[0] == request.created_at
        assert request.created_at <= request.last_activity_at < now
        answered = [m for m in request.messages.all() if m.from_service_desk and not m.is_internal]
        if answered:
            assert request.first_answered_at == answered[0].created_at
        if request.is_closed:
            assert request.closed_at == request.last_activity_at
        if request.status == RequestStatus.WAITING_CUSTOMER:
            assert request.waiting_since is not None and request.waiting_since < now


def test_it_numbers_requests_in_order_of_receipt_and_goes_on_from_there() -> None:
    company = Company.objects.get(slug="claris")
    requests = ServiceRequest.objects.filter(company=company).order_by("created_at")
    expected, numbers = [], {}
    for request in requests:
        year = timezone.localdate(request.created_at).year
        numbers[year] = numbers.get(year, 0) + 1
        expected.append(f"RIC-{year}-{numbers[year]:06d}")

    assert [r.code for r in requests] == expected
    # The next request the portal opens takes the next number.
    year = max(numbers)
    assert next_request_code(company, year) == f"RIC-{year}-{numbers[year] + 1:06d}"


def test_it_quotes_the_early_termination_with_the_leasing_figures() -> None:
    for request in ServiceRequest.objects.filter(kind=RequestKind.EARLY_TERMINATION):
        assert request.contract is not None
        day = dt.date.fromisoformat(request.payload["computed_on"])
        last = request.contract.plan.get(
            kind=InstalmentKind.INSTALMENT, number=int(request.payload["last_instalment_number"])
        )
        quote = early_termination_quote(request.contract, day, last)
        assert Decimal(request.payload["indicative_payoff"]) == quote.indicative_payoff > 0
        assert Decimal(request.payload["residual_capital_today"]) == quote.residual_capital_today


def test_it_sends_no_e_mail_while_building_but_one_digest_per_company() -> None:
    digests = list(OutboxEmail.objects.all())
    assert len(digests) == Company.objects.count()
    for digest in digests:
        assert "List-Unsubscribe" in digest.headers
        assert digest.subject  # the digest of the broadcasts of the past week


def test_it_gives_each_company_operators_the_command_prints() -> None:
    for entry in demo_catalogue():
        logins = [operator.login for operator in entry.operators]
        assert f"operatore-{entry.company.slug}" in logins
        if entry.company.is_leasing:
            assert f"reclami-{entry.company.slug}" in logins
        for login in logins:
            operator = PortalUser.objects.get(login=login)
            assert operator.is_staff and not operator.is_superuser
            assert list(operator.operator_companies.all()) == [entry.company]


def test_it_gives_each_company_broadcasts_live_targeted_expired_and_scheduled() -> None:
    now = timezone.now()
    for company in Company.objects.all():
        broadcasts = Notification.objects.broadcasts().filter(company=company)
        live = broadcasts.filter(published_at__lte=now).exclude(expires_at__lte=now)
        assert live.filter(audience="all", is_important=True).exists(), company.slug
        assert live.filter(audience="overdue").exists(), company.slug
        assert broadcasts.filter(expires_at__lte=now).exists(), company.slug
        assert broadcasts.filter(published_at__gt=now).exists(), company.slug
        assert not broadcasts.filter(title_en=""), company.slug


def test_it_gives_release_a_fleet_customer_with_a_login() -> None:
    fleet = Customer.objects.get(company__slug="release", code="10000")
    contracts = Contract.objects.filter(customer=fleet)
    assert contracts.count() >= 300
    assert ScheduleEntry.objects.filter(contract__customer=fleet).count() >= 20_000
    assert Invoice.objects.filter(customer=fleet).count() >= 12_000
    assert not contracts.filter(assets__isnull=True).exists()
    assert not contracts.filter(plan__isnull=True).exists()
    assert PortalUser.objects.filter(customer=fleet, login="10000").exists()
    release = next(e for e in demo_catalogue() if e.company.slug == "release")
    logins = {login.login: login.note for login in release.logins}
    assert logins["10000"] == f"flotta: {contracts.count()} contratti"
    assert {"10001", "10002", "10003"} <= set(logins)


def test_it_gives_the_utility_a_multi_site_customer_with_a_login() -> None:
    customer = Customer.objects.get(company__slug="energia", code="000001")
    points = SupplyPoint.objects.filter(customer=customer)
    assert points.count() >= 60
    assert not points.filter(consumptions__isnull=True).exists()
    assert Invoice.objects.filter(customer=customer).exists()
    energia = next(e for e in demo_catalogue() if e.company.slug == "energia")
    logins = {login.login: login.note for login in energia.logins}
    assert logins["000001"] == f"cliente multi-sito: {points.count()} punti di fornitura"
