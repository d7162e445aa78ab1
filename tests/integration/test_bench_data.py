"""The bench data builder (bench/build_data.py) at a tiny scale: its files pass the real import."""

from __future__ import annotations

from pathlib import Path

from bench import build_data
from django.db.models import Count

from sportello.billing.models import Invoice, ScheduleEntry
from sportello.customers.models import Customer
from sportello.energy.models import Consumption
from sportello.leasing.models import PlanInstalment

TINY = build_data.Sizes.at(0.0005)


def test_it_builds_the_bench_companies_through_the_import(db: None, tmp_path: Path) -> None:
    built = build_data.build(tmp_path, TINY, seed=7, echo=lambda line: None)

    assert [(step.kind, step.status) for step in built] == [
        ("customers", "done"),
        ("contracts", "done"),
        ("plan", "done"),
        ("schedule", "done"),
        ("invoices", "done"),
        ("customers", "done"),
        ("supply_points", "done"),
        ("consumption", "done"),
    ]
    leasing = {"contract__company__slug": build_data.LEASING_SLUG}
    per_contract = build_data.PLAN_PER_CONTRACT * TINY.contracts
    assert PlanInstalment.objects.filter(**leasing).count() == per_contract
    assert ScheduleEntry.objects.filter(**leasing).count() == per_contract
    assert Invoice.objects.filter(company__slug=build_data.LEASING_SLUG).count() == (
        build_data.INVOICES_PER_CONTRACT * TINY.contracts
    )
    assert Consumption.objects.count() == TINY.utility_points * build_data.CONSUMPTION_MONTHS
    # The fleet customer has the most contracts, by far.
    counts = (
        Customer.objects.filter(company__slug=build_data.LEASING_SLUG)
        .annotate(n=Count("contracts"))
        .order_by("-n")
        .values_list("code", "n")
    )
    assert counts[0] == ("C000000", TINY.fleet_sizes()[0])
    assert counts[1][1] < counts[0][1]
    # The logins it prints take the bench password.
    logins = build_data.make_logins(TINY)
    assert [login.role for login in logins] == ["small", "fleet", "utility"]
    from sportello.accounts.models import PortalUser

    for login in logins:
        assert PortalUser.objects.get(pk=login.user_id).check_password(build_data.BENCH_PASSWORD)


def test_it_writes_the_same_bytes_for_the_same_seed(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    build_data.write_feed(first, build_data.schedule_rows(TINY))
    build_data.write_feed(second, build_data.schedule_rows(TINY))

    assert first.read_bytes() == second.read_bytes()
