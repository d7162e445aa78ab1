"""How fast the bulk import loads a payment schedule, and in how much memory (issue 11, I2).

On PostgreSQL only (the production database). Builds a company with 1,000
contracts, writes schedule files of 100,000 and 1,000,000 rows (Italian
formats: ``;``, dd/mm/yyyy, decimal comma), and imports each through the real
service (``import_file``, as ``manage.py import`` does) three times: the first
creates every row, the second finds every row unchanged, the third finds 1 %
changed. Each import runs in its own process, whose peak memory is measured
against that process's memory before the import.

The baseline, measured in the same run on the same file: PostgreSQL's own
``COPY`` of the file into an unindexed table of text columns — the floor of
getting those bytes into the database at all. Figures are printed as rows per
second and as multiples of that floor.

Targets (issue 11): ≥ 50,000 rows/s end to end, 1,000,000 rows in under a
minute, memory under 200 MB for a 1 GB file (memory must not grow with the file).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch db> .venv/bin/python bench/import_speed.py
    … bench/import_speed.py --rows 100000      # one size only

The database must exist and be empty (the script migrates it).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
VAR = os.environ.get("BENCH_VAR") or tempfile.mkdtemp(prefix="sportello-bench-")
os.makedirs(os.path.join(VAR, "static"), exist_ok=True)
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "sportello.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + "s" * 50,
        "ALLOWED_HOSTS": "bench.test",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "SPORTELLO_VAR_DIR": VAR,
        "BENCH_VAR": VAR,
    }
)
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("Set DATABASE_URL to an empty PostgreSQL database: the target is PostgreSQL's.")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

CONTRACTS = 1_000
SLUG = "bench-import"
TARGET_ROWS_PER_SECOND = 50_000
TARGET_MILLION_SECONDS = 60.0
TARGET_MEMORY_MB = 200


def build_company() -> None:
    import datetime as dt
    from decimal import Decimal

    from sportello.core.models import Company
    from sportello.customers.models import Customer, PersonKind
    from sportello.leasing.models import Contract, Product

    company = Company.objects.create(
        slug=SLUG, name="Bench Leasing", kind="leasing", support_email="b@bench.test"
    )
    customer = Customer.objects.create(
        company=company, code="FLEET", kind=PersonKind.LEGAL, name="Flotta S.p.A.",
        partita_iva="00743110157", address="Via Roma 1", postcode="20121", city="Milano",
        province="MI",
    )  # fmt: skip
    product = Product.objects.create(company=company, code="AUTO", name_it="Auto", name_en="Car")
    Contract.objects.bulk_create(
        Contract(
            company=company, customer=customer, number=f"B{n:06d}", module_number="1",
            product=product, status="active", stipulated_on=dt.date(2020, 1, 1),
            start_date=dt.date(2020, 1, 1), end_date=dt.date(2035, 1, 1),
            amount=Decimal("100000.00"), advance=Decimal("0.00"), residual_value=Decimal("0.00"),
            instalment_count=180, instalment_amount=Decimal("600.00"), duration_months=180,
        )
        for n in range(CONTRACTS)
    )  # fmt: skip


def write_schedule(path: Path, rows: int, changed_every: int = 0) -> None:
    """``rows`` entries spread over the contracts; every ``changed_every``-th one paid."""
    per_contract = rows // CONTRACTS
    with path.open("w", encoding="utf-8") as out:
        out.write("contract_number;due_date;instalment_number;reason;payment_method;amount;paid\n")
        n = 0
        for contract in range(CONTRACTS):
            for number in range(1, per_contract + 1):
                n += 1
                year, month = 2020 + (number - 1) // 12, (number - 1) % 12 + 1
                amount = f"612,{number % 100:02d}"
                paid = amount if changed_every and n % changed_every == 0 else "0"
                out.write(
                    f"B{contract:06d};01/{month:02d}/{year};{number};instalment;sepa;"
                    f"{amount};{paid}\n"
                )


def copy_floor(path: Path) -> float:
    """Seconds for PostgreSQL's own COPY of the file into an unindexed text table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE floor (a text, b text, c text, d text, e text, f text, g text)"
        )
        start = time.perf_counter()
        with (
            path.open("rb") as source,
            cursor.cursor.copy(
                "COPY floor FROM STDIN (FORMAT csv, DELIMITER ';', HEADER true)"
            ) as copy,
        ):
            while chunk := source.read(1 << 20):
                copy.write(chunk)
        elapsed = time.perf_counter() - start
        cursor.execute("DROP TABLE floor")
    return elapsed


def child(path: str) -> None:
    """One import in this process: prints seconds, counts and memory as JSON."""
    from sportello.core.models import Company
    from sportello.integration.models import ImportSource
    from sportello.integration.services import import_file

    company = Company.objects.get(slug=SLUG)
    connection.ensure_connection()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    with open(path, "rb") as source:
        run = import_file(
            company, "schedule", source, file_name=Path(path).name,
            source_kind=ImportSource.COMMAND,
        )  # fmt: skip
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "status": run.status,
                "created": run.created,
                "updated": run.updated,
                "unchanged": run.unchanged,
                "rss_before_mb": before / 1024,
                "peak_mb": peak / 1024,
            }
        )
    )


def import_in_child(path: Path) -> dict[str, float]:
    result = subprocess.run(  # noqa: S603 (this script, with a path it wrote)
        [sys.executable, __file__, "--child", str(path)],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ,
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, action="append")
    parser.add_argument("--child")
    options = parser.parse_args()
    if options.child:
        child(options.child)
        return
    sizes = options.rows or [100_000, 1_000_000]
    call_command("migrate", verbosity=0)
    build_company()
    print(f"PostgreSQL, {CONTRACTS:,} contracts; schedule files in Italian CSV format.\n")
    print(
        f"{'rows':>10} {'file MB':>8} {'COPY floor':>11} {'import (new)':>13} "
        f"{'rows/s':>8} {'x floor':>8} {'unchanged':>10} {'1% changed':>11} "
        f"{'peak MB (+import)':>18}"
    )
    met = True
    for rows in sizes:
        path = Path(VAR) / f"schedule-{rows}.csv"
        changed = Path(VAR) / f"schedule-{rows}-changed.csv"
        write_schedule(path, rows)
        write_schedule(changed, rows, changed_every=100)
        floor = copy_floor(path)
        with connection.cursor() as cursor:  # each size starts from an empty schedule
            cursor.execute("TRUNCATE billing_scheduleentry")
        first = import_in_child(path)
        second = import_in_child(path)
        third = import_in_child(changed)
        assert (first["status"], first["created"]) == ("done", rows), first
        assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, rows), second
        assert third["updated"] == rows // 100, third
        rate = rows / first["seconds"]
        grown = max(run["peak_mb"] - run["rss_before_mb"] for run in (first, second, third))
        print(
            f"{rows:>10,} {path.stat().st_size / 2**20:>8.1f} {floor:>10.2f}s "
            f"{first['seconds']:>12.2f}s {rate:>8,.0f} {first['seconds'] / floor:>7.1f}x "
            f"{second['seconds']:>9.2f}s {third['seconds']:>10.2f}s "
            f"{max(r['peak_mb'] for r in (first, second, third)):>10.0f} (+{grown:.0f})"
        )
        met = met and rate >= TARGET_ROWS_PER_SECOND
        if rows >= 1_000_000:
            met = met and first["seconds"] < TARGET_MILLION_SECONDS
        met = met and grown < TARGET_MEMORY_MB
    print(
        f"\nTargets: ≥ {TARGET_ROWS_PER_SECOND:,} rows/s; 1,000,000 rows < "
        f"{TARGET_MILLION_SECONDS:.0f} s; memory growth < {TARGET_MEMORY_MB} MB "
        f"whatever the file's size. {'Met.' if met else 'NOT met.'}"
    )
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
