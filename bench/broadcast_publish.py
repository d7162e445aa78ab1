"""Publishing a broadcast costs the same whatever the audience's size (issue 9, F4).

Creates a company with 50,000 customers (and one with a single customer),
then times ``publish_broadcast`` to all of them, median of several runs,
against a baseline measured in the same run: the floor of one INSERT of a
``Notification`` row through the ORM. Prints the medians, their ratio to the
baseline and the number of queries of each. Target: under one second, and
the same queries for 50,000 customers as for one.

    .venv/bin/python bench/broadcast_publish.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sportello_bench \\
        .venv/bin/python bench/broadcast_publish.py

Without ``DATABASE_URL`` a fresh SQLite file is used; with it, the database
must exist and be empty (the script migrates it).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
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
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{VAR}/bench.sqlite3",
    }
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from sportello.accounts.models import PortalUser  # noqa: E402
from sportello.core.audit import Origin  # noqa: E402
from sportello.core.models import Company  # noqa: E402
from sportello.customers.models import Customer, PersonKind  # noqa: E402
from sportello.notices.models import Category, Notification  # noqa: E402
from sportello.notices.services import BroadcastContent, publish_broadcast  # noqa: E402

CUSTOMERS = 50_000
RUNS = 21
TARGET_SECONDS = 1.0


def company_with_customers(slug: str, count: int) -> Company:
    company = Company.objects.create(
        slug=slug, name=slug.title(), kind="leasing", support_email=f"b@{slug}.test"
    )
    Customer.objects.bulk_create(
        (
            Customer(
                company=company, code=f"B{n:07d}", kind=PersonKind.LEGAL, name=f"Cliente {n}",
                partita_iva=f"{n:011d}", address="Via Roma 1", postcode="20121", city="Milano",
                province="MI",
            )
            for n in range(count)
        ),
        batch_size=5000,
    )  # fmt: skip
    return company


def timed(action: Callable[[], object]) -> tuple[float, int]:
    """Seconds and queries of one call."""
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        action()
        elapsed = time.perf_counter() - began
    return elapsed, len(queries.captured_queries)


def main() -> None:
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    large = company_with_customers("bench", CUSTOMERS)
    small = company_with_customers("bench-one", 1)
    operator = PortalUser.objects.create_user(username="operatore", is_staff=True)
    print(
        f"{connection.vendor}: {Customer.objects.filter(company=large).count():,} customers "
        f"created in {time.perf_counter() - began:.1f} s; medians of {RUNS} runs"
    )
    content = BroadcastContent(title="Nuovi orari", body="Da giugno aperti anche il sabato.")

    def baseline() -> object:
        return Notification.objects.create(
            company=large, category=Category.BROADCASTS, title="Nuovi orari"
        )

    def publish(company: Company) -> Callable[[], object]:
        return lambda: publish_broadcast(Origin(company, operator, "192.0.2.1"), company, content)

    paths = {
        "one INSERT (baseline)": baseline,
        "publish to 1 customer": publish(small),
        f"publish to {CUSTOMERS:,} customers": publish(large),
    }
    for action in paths.values():  # warm-up: imports, connections, statement caches
        action()
    samples: dict[str, list[float]] = {name: [] for name in paths}
    queries: dict[str, int] = {}
    for _ in range(RUNS):  # interleaved, so drift hits every path alike
        for name, action in paths.items():
            elapsed, queries[name] = timed(action)
            samples[name].append(elapsed)
    base = statistics.median(samples["one INSERT (baseline)"])
    for name, times in samples.items():
        median = statistics.median(times)
        print(
            f"{name:<28} {median * 1000:8.2f} ms  x{median / base:5.1f} the baseline  "
            f"{queries[name]} queries"
        )
    largest = statistics.median(samples[f"publish to {CUSTOMERS:,} customers"])
    same_queries = (
        queries["publish to 1 customer"] == queries[f"publish to {CUSTOMERS:,} customers"]
    )
    met = largest < TARGET_SECONDS and same_queries
    print(
        f"target    under {TARGET_SECONDS:.0f} s with the queries of 1 customer: "
        f"{'met' if met else 'NOT met'}"
    )
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
