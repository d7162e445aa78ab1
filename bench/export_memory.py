"""Exports stream: memory stays flat while the rows grow (DESIGN.md, rule 8).

Exports the billing schedule («Esporta», as XLSX and as CSV) of one customer
with a baseline number of rows and with many times as many, through the real
view, and prints time and peak Python memory (tracemalloc) of each, and their
ratios.
Time is taken on a run without tracemalloc, which slows Python down.
Target: ten times the rows, peak memory under 1.5x the baseline's.

    .venv/bin/python bench/export_memory.py
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
VAR = tempfile.mkdtemp(prefix="sportello-bench-")
os.makedirs(os.path.join(VAR, "static"))
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "sportello.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + "s" * 50,
        "ALLOWED_HOSTS": "bench.test",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "SPORTELLO_VAR_DIR": VAR,
        "DATABASE_URL": f"sqlite:///{VAR}/bench.sqlite3",
    }
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from sportello.accounts.models import PortalUser  # noqa: E402
from sportello.billing.models import ScheduleEntry  # noqa: E402
from sportello.core.models import Company, CompanyHost  # noqa: E402
from sportello.customers.models import Customer  # noqa: E402
from sportello.leasing.models import Contract, Product  # noqa: E402

# The baseline is above the ORM's fetch chunk (2,000 rows), so both runs are in steady state.
BASELINE_ROWS = 5_000
SCALE = 10


def customer_with_rows(code: str, rows: int) -> PortalUser:
    company = Company.objects.get(slug="bench")
    customer = Customer.objects.create(
        company=company, code=code, kind="natural", name=f"CLIENTE {code}",
        codice_fiscale="RSSMRA85T10F205R", address="Via Roma, 1", postcode="20121",
        city="Milano", province="MI",
    )  # fmt: skip
    product, _ = Product.objects.get_or_create(
        company=company, code="STRUMENTALE", defaults={"name_it": "Leasing strumentale"}
    )
    contract = Contract.objects.create(
        company=company, customer=customer, number=code, module_number="1",
        product=product, status="active", stipulated_on=dt.date(2020, 1, 1),
        start_date=dt.date(2020, 1, 6), end_date=dt.date(2040, 1, 31), amount=Decimal(10**6),
        advance=Decimal(0), residual_value=Decimal(0), instalment_count=rows,
        instalment_amount=Decimal("500.00"), duration_months=rows,
    )  # fmt: skip
    start = dt.date(2000, 1, 31)
    ScheduleEntry.objects.bulk_create(
        (
            ScheduleEntry(
                contract=contract,
                due_date=start + dt.timedelta(days=n),
                instalment_number=n,
                reason="Canone",
                payment_method="sepa",
                amount=Decimal("610.00"),
                paid=Decimal("610.00") if n % 3 else Decimal(0),
            )
            for n in range(rows)
        ),
        batch_size=5000,
    )
    user = PortalUser(company=company, customer=customer, login=code)
    user.set_unusable_password()
    user.save()
    return user


def export(client: Client, fmt: str) -> int:
    response = client.get(f"/fatture-e-pagamenti/esporta/?format={fmt}")
    assert response.status_code == 200, response.status_code
    return sum(len(chunk) for chunk in response.streaming_content)  # type: ignore[attr-defined]


def measure(user: PortalUser, fmt: str) -> tuple[float, float, int]:
    """Seconds (untraced run) and peak MiB (traced run) of one whole export."""
    client = Client(HTTP_HOST="bench.test")
    client.force_login(user, backend="sportello.accounts.backends.CompanyLoginBackend")
    began = time.perf_counter()
    size = export(client, fmt)
    elapsed = time.perf_counter() - began
    tracemalloc.start()
    export(client, fmt)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak / 2**20, size


def main() -> None:
    call_command("migrate", verbosity=0)
    company = Company.objects.create(
        slug="bench", name="Bench", kind="leasing", support_email="b@bench.test"
    )
    CompanyHost.objects.create(company=company, host="bench.test", is_primary=True)
    small = customer_with_rows("100001", BASELINE_ROWS)
    large = customer_with_rows("100002", BASELINE_ROWS * SCALE)
    met = True
    for fmt in ("xlsx", "csv"):
        measure(small, fmt)  # warm-up: imports, templates, connections
        base_time, base_peak, base_size = measure(small, fmt)
        big_time, big_peak, big_size = measure(large, fmt)
        print(f"{fmt}")
        print(
            f"baseline  {BASELINE_ROWS:>7} rows  {base_time:6.2f} s  peak {base_peak:6.2f} MiB  {base_size / 1024:8.0f} KiB"
        )
        print(
            f"large     {BASELINE_ROWS * SCALE:>7} rows  {big_time:6.2f} s  peak {big_peak:6.2f} MiB  {big_size / 1024:8.0f} KiB"
        )
        print(
            f"ratio     rows x{SCALE}  time x{big_time / base_time:.1f}  peak memory x{big_peak / base_peak:.2f}"
        )
        target = 1.5
        verdict = "met" if big_peak / base_peak < target else "NOT met"
        met = met and verdict == "met"
        print(f"target    peak memory under x{target} the baseline: {verdict}")
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
