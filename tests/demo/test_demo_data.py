"""The demo data is valid: identifiers, plans, schedules and invoices hold together."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from pypdf import PdfReader
from stdnum import iban
from stdnum.it import codicefiscale, iva

from sportello.accounts.models import PortalUser
from sportello.billing.models import DocumentType, EntryStatus, Invoice, ScheduleEntry
from sportello.core.models import Company, CompanyHost, OutboxEmail
from sportello.customers.models import Customer, PersonKind
from sportello.demo.builder import DemoBuilder, build_demo
from sportello.demo.catalogue import demo_catalogue
from sportello.energy.models import Commodity, Consumption, MeterReading, SupplyPoint
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
    assert len(customers) == 32
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


def test_it_stores_a_real_pdf_for_the_invoices_of_the_base_data() -> None:
    with_pdf = Invoice.objects.exclude(pdf="")
    assert with_pdf.count() > 1000
    for invoice in with_pdf.order_by("?")[:20]:
        with invoice.pdf.open("rb") as handle:
            content = handle.read()
        assert content.startswith(b"%PDF-1.4")
        assert invoice.number.encode() in content
    # The utility has PDFs only for recent years, as seed 004 describes.
    old = Invoice.objects.filter(company__slug="energia", date__year=2015)
    assert old.exists() and not old.exclude(pdf="").exists()


def test_it_gives_utility_customers_electricity_and_gas_points() -> None:
    points = SupplyPoint.objects.filter(company__slug="energia")
    assert points.filter(commodity=Commodity.ELECTRICITY, code__startswith="IT001E").exists()
    gas = points.filter(commodity=Commodity.GAS)
    assert all(len(p.code) == 14 and p.code.isdigit() for p in gas)
    assert gas.filter(has_corrector=True).exists() and gas.filter(has_corrector=False).exists()
    per_point = Consumption.objects.values("supply_point").annotate(months=Count("id"))
    assert {row["months"] for row in per_point} == {36}
    electric = points.filter(commodity=Commodity.ELECTRICITY).first()
    assert electric is not None and electric.measures.count() == 36


def test_it_opens_a_reading_window_that_contains_today() -> None:
    company = Company.objects.get(slug="energia")
    now = dt.datetime.combine(TODAY, dt.time(12, 0)).astimezone()
    assert company.reading_windows.filter(opens_at__lte=now, closes_at__gte=now).count() == 2


def test_it_registers_some_customers_and_leaves_others_to_register() -> None:
    for company in Company.objects.all():
        users = PortalUser.objects.filter(company=company, customer__isnull=False)
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
