"""Bench data through the real import (issue 12): feed files written, then loaded by ``import_file``.

A leasing company with 20,000 customers, 60,000 contracts (fleet customers of
303 contracts and more among them), 3,000,000 plan rows, 3,000,000 schedule
rows and 1,500,000 invoices (the CSV ``invoices`` kind); and a utility company
with 5,000 customers, 6,250 supply points and three years of monthly
consumption. Each kind is written as a CSV in the import's Italian format
(``;``, dd/mm/yyyy, decimal comma; docs/feeds.md) one row at a time, from
arithmetic on the row's index and a seeded generator (the same ``--seed`` and
``--scale`` give the same bytes), and then loaded through the service that
``manage.py import`` runs, in dependency order. Nothing holds more than one
row in memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME_bench .venv/bin/python bench/build_data.py
    … bench/build_data.py --scale 0.01          # a smoke run: seconds
    … bench/build_data.py --fresh               # drop and recreate the database first

The script creates the database when it does not exist and migrates it; with
``--fresh`` it drops it first (only a database whose name contains ``bench``).
It prints, per kind, the rows, the time to write the file and to import it,
and rows per second; then the whole; then the logins of a small customer, a
fleet customer and a utility customer (password ``BENCH_PASSWORD``), so the
page benchmarks can use the database afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

LEASING_SLUG = "bench-leasing"
LEASING_HOST = "bench-leasing.test"
UTILITY_SLUG = "bench-utility"
UTILITY_HOST = "bench-utility.test"
BENCH_PASSWORD = "banco-di-prova-2026"
#: The data describe the world as of this day, so the files never depend on the clock.
AS_OF = dt.date(2026, 12, 1)
PLAN_PER_CONTRACT = 50  # 60,000 contracts x 50 = 3,000,000 plan rows, as many schedule rows
INVOICES_PER_CONTRACT = 25  # 60,000 x 25 = 1,500,000 invoices
FLEET_SIZE = 303  # the fleet customer; the others a little bigger
CONSUMPTION_MONTHS = 36  # three years, monthly


@dataclass(frozen=True)
class Sizes:
    customers: int
    contracts: int
    fleets: int
    utility_customers: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        customers = max(4, round(20_000 * scale))
        contracts = max(8, round(60_000 * scale))
        return cls(
            customers=customers,
            contracts=contracts,
            fleets=max(1, round(10 * scale)),
            utility_customers=max(4, round(5_000 * scale)),
        )

    def fleet_sizes(self) -> list[int]:
        """Contracts of each fleet customer: 303 and up, never more than half the contracts."""
        cap = self.contracts // (2 * self.fleets)
        return [min(FLEET_SIZE + 11 * f, cap) for f in range(self.fleets)]

    @property
    def utility_points(self) -> int:
        return self.utility_customers + self.utility_customers // 4


# -- formats ------------------------------------------------------------------


def money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100},{cents % 100:02d}"


def month_start(months_after_2000: int) -> tuple[int, int]:
    return 2000 + months_after_2000 // 12, months_after_2000 % 12 + 1


def italian(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


AS_OF_MONTH = (AS_OF.year - 2000) * 12 + AS_OF.month - 1


# -- identities ---------------------------------------------------------------

SURNAMES = ["ROSSI", "BIANCHI", "COLOMBO", "RICCI", "MARINO", "GRECO", "BRUNO", "GALLO", "CONTI"]
NAMES = ["MARIO", "GIULIA", "LUCA", "ANNA", "PAOLO", "SARA", "MARCO", "ELENA", "ANDREA"]
CITIES = [
    ("Milano", "MI", "20121", "F205"),
    ("Roma", "RM", "00184", "H501"),
    ("Torino", "TO", "10121", "L219"),
    ("Bologna", "BO", "40121", "A944"),
    ("Firenze", "FI", "50122", "D612"),
]
STREETS = ["Via Roma", "Corso Italia", "Via Garibaldi", "Viale Mazzini", "Via Verdi"]
PRODUCTS = ["AUTO", "VEICOLI-COMM", "STRUMENTALE", "IMMOBILIARE"]
CF_MONTHS = "ABCDEHLMPRST"


def partita_iva(number: int) -> str:
    from stdnum import luhn

    # Seven digits of the company, three of the tax office (001-100), then Luhn.
    body = f"{number % 10_000_000:07d}{1 + number % 100:03d}"
    return body + luhn.calc_check_digit(body)


def codice_fiscale(
    index: int, surname: str, name: str, birth: dt.date, woman: bool, place: str
) -> str:
    from stdnum.it import codicefiscale

    def letters(word: str) -> str:
        consonants = [c for c in word if c not in "AEIOU"]
        vowels = [c for c in word if c in "AEIOU"]
        return (consonants + vowels + ["X", "X", "X"])[:3]

    day = birth.day + (40 if woman else 0)
    body = (
        "".join(letters(surname))
        + "".join(letters(name))
        + f"{birth.year % 100:02d}{CF_MONTHS[birth.month - 1]}{day:02d}{place}"
    )
    return body + codicefiscale.calc_check_digit(body)


# -- the leasing company's files ---------------------------------------------


@dataclass(frozen=True)
class Terms:
    """One contract, computed from its index alone (so every file agrees on it)."""

    number: str
    customer_code: str
    first_month: int  # months after January 2000 of the first instalment
    day: int
    instalment: int  # cents
    principal: int  # cents


def customer_code(index: int) -> str:
    return f"C{index:06d}"


def contract_terms(index: int, sizes: Sizes, fleet_bounds: list[int]) -> Terms:
    # Fleet customers own the first contracts, in blocks; the rest go round the others.
    owner = next((f for f, bound in enumerate(fleet_bounds) if index < bound), None)
    if owner is None:
        others = sizes.customers - sizes.fleets
        owner = sizes.fleets + (index - fleet_bounds[-1]) % others
    mixer = (index * 2_654_435_761) & 0xFFFFFFFF
    instalment = 25_000 + mixer % 400_000  # 250 € to 4,250 €
    return Terms(
        number=f"L{index:07d}",
        customer_code=customer_code(owner),
        # Started 25 to 100 months ago: the first 25 instalments are invoiced already.
        first_month=AS_OF_MONTH - 25 - mixer % 76,
        day=1 + index % 28,
        instalment=instalment,
        principal=instalment * PLAN_PER_CONTRACT * 92 // 100,
    )


def due(terms: Terms, number: int) -> dt.date:
    year, month = month_start(terms.first_month + number - 1)
    return dt.date(year, month, terms.day)


def fleet_bounds(sizes: Sizes) -> list[int]:
    bounds, total = [], 0
    for size in sizes.fleet_sizes():
        total += size
        bounds.append(total)
    return bounds


def all_terms(sizes: Sizes) -> Iterator[Terms]:
    bounds = fleet_bounds(sizes)
    for index in range(sizes.contracts):
        yield contract_terms(index, sizes, bounds)


def customer_rows(count: int, fleets: int, seed: int, prefix: str = "C") -> Iterator[str]:
    rng = random.Random(f"{seed}-customers-{prefix}")
    yield "code;kind;name;codice_fiscale;partita_iva;address;postcode;city;province;email;paper_invoices"
    for index in range(count):
        city, province, postcode, place = rng.choice(CITIES)
        address = f"{rng.choice(STREETS)} {1 + rng.randrange(200)}"
        code = f"{prefix}{index:06d}"
        surname, name = rng.choice(SURNAMES), rng.choice(NAMES)
        if index < fleets or rng.random() < 0.4:
            label = (
                f"Flotta {surname.title()} {index} S.p.A."
                if index < fleets
                else f"{surname.title()} {index} S.r.l."
            )
            kind, cf, vat = "legal", "", partita_iva(index * 7 + seed)
        else:
            birth = dt.date(1940 + rng.randrange(60), 1 + rng.randrange(12), 1 + rng.randrange(28))
            woman = name.endswith("A") and name != "ANDREA"
            kind, label, vat = "natural", f"{surname} {name}", ""
            cf = codice_fiscale(index, surname, name, birth, woman, place)
        email = f"{code.lower()}@bench.example"
        paper = "sì" if rng.random() < 0.1 else "no"
        yield f"{code};{kind};{label};{cf};{vat};{address};{postcode};{city};{province};{email};{paper}"


def contract_rows(sizes: Sizes, seed: int) -> Iterator[str]:
    rng = random.Random(f"{seed}-contracts")
    yield (
        "customer_code;product_code;number;module_number;status;stipulated_on;start_date;end_date;"
        "amount;advance;residual_value;periodicity;instalment_count;instalment_amount;duration_months"
    )
    for terms in all_terms(sizes):
        start = due(terms, 1)
        end = due(terms, PLAN_PER_CONTRACT)
        status = "extinct" if end < AS_OF else "active"
        advance = terms.instalment * 2
        yield (
            f"{terms.customer_code};{rng.choice(PRODUCTS)};{terms.number};{rng.randrange(1000, 9999)};"
            f"{status};{italian(start - dt.timedelta(days=20))};{italian(start)};{italian(end)};"
            f"{money(terms.principal + advance)};{money(advance)};{money(terms.instalment)};1;"
            f"{PLAN_PER_CONTRACT};{money(terms.instalment)};{PLAN_PER_CONTRACT}"
        )


def plan_rows(sizes: Sizes) -> Iterator[str]:
    yield (
        "contract_number;number;due_date;kind;amount;capital_share;interest_share;"
        "residual_capital;payment_method;accrual_start;accrual_end"
    )
    for terms in all_terms(sizes):
        share = terms.principal // PLAN_PER_CONTRACT
        residual = terms.principal
        instalment = money(terms.instalment)
        for number in range(1, PLAN_PER_CONTRACT + 1):
            capital = share if number < PLAN_PER_CONTRACT else residual
            residual -= capital
            day = due(terms, number)
            end = due(terms, number + 1) - dt.timedelta(days=1)
            yield (
                f"{terms.number};{number};{italian(day)};instalment;{instalment};{money(capital)};"
                f"{money(terms.instalment - capital)};{money(residual)};sepa;{italian(day)};{italian(end)}"
            )


def schedule_rows(sizes: Sizes) -> Iterator[str]:
    yield "contract_number;due_date;instalment_number;reason;payment_method;amount;paid;paid_on"
    for index, terms in enumerate(all_terms(sizes)):
        late = index % 17 == 0  # one contract in 17 has its last two instalments unpaid
        instalment = money(terms.instalment)
        past = [n for n in range(1, PLAN_PER_CONTRACT + 1) if due(terms, n) < AS_OF]
        unpaid = set(past[-2:]) if late else set()
        for number in range(1, PLAN_PER_CONTRACT + 1):
            day = due(terms, number)
            if day < AS_OF and number not in unpaid:
                paid, paid_on = instalment, italian(day + dt.timedelta(days=2))
            else:
                paid, paid_on = "0", ""
            yield f"{terms.number};{italian(day)};{number};instalment;sepa;{instalment};{paid};{paid_on}"


def invoice_rows(sizes: Sizes) -> Iterator[str]:
    yield "customer_code;number;date;document_type;taxable;vat;total"
    for terms in all_terms(sizes):
        vat = terms.instalment * 22 // 100
        amounts = f"{money(terms.instalment)};{money(vat)};{money(terms.instalment + vat)}"
        for number in range(1, INVOICES_PER_CONTRACT + 1):
            day = due(terms, number) - dt.timedelta(days=10)
            yield f"{terms.customer_code};{terms.number}/{number:02d};{italian(day)};TD01;{amounts}"


# -- the utility company's files ---------------------------------------------


def point_code(index: int) -> tuple[str, str]:
    """(commodity, POD or PDR) of the index-th supply point."""
    if index % 5 == 4:
        return "gas", f"{index:014d}"
    return "electricity", f"IT001E{index:08d}"


def point_owner(index: int, sizes: Sizes) -> str:
    # Every customer has one point; every fourth customer a second one.
    if index < sizes.utility_customers:
        return f"U{index:06d}"
    return f"U{(index - sizes.utility_customers) * 4:06d}"


def supply_point_rows(sizes: Sizes, seed: int) -> Iterator[str]:
    rng = random.Random(f"{seed}-points")
    yield "customer_code;number;code;commodity;address;active_from;annual_consumption;has_time_bands"
    for index in range(sizes.utility_points):
        commodity, code = point_code(index)
        city = rng.choice(CITIES)[0]
        address = f"{rng.choice(STREETS)} {1 + rng.randrange(200)}, {city}"
        bands = "sì" if commodity == "electricity" else "no"
        yield (
            f"{point_owner(index, sizes)};P{index:07d};{code};{commodity};{address};01/01/2018;"
            f"{2000 + rng.randrange(4000)},000;{bands}"
        )


def consumption_rows(sizes: Sizes, seed: int) -> Iterator[str]:
    rng = random.Random(f"{seed}-consumption")
    yield "supply_point_code;year;month;energy;energy_f1;energy_f2;energy_f3;is_estimated"
    for index in range(sizes.utility_points):
        commodity, code = point_code(index)
        for offset in range(CONSUMPTION_MONTHS, 0, -1):
            year, month = month_start(AS_OF_MONTH - offset)
            energy = 80_000 + rng.randrange(400_000)  # thousandths of kWh or Smc
            if commodity == "electricity":
                f1, f2 = energy * 45 // 100, energy * 30 // 100
                bands = f"{energy_text(f1)};{energy_text(f2)};{energy_text(energy - f1 - f2)}"
            else:
                bands = ";;"
            estimated = "sì" if rng.random() < 0.1 else "no"
            yield f"{code};{year};{month};{energy_text(energy)};{bands};{estimated}"


def energy_text(thousandths: int) -> str:
    return f"{thousandths // 1000},{thousandths % 1000:03d}"


#: (company slug, kind, rows) in the order the import needs them.
def feeds(sizes: Sizes, seed: int) -> list[tuple[str, str, Iterator[str]]]:
    return [
        (LEASING_SLUG, "customers", customer_rows(sizes.customers, sizes.fleets, seed)),
        (LEASING_SLUG, "contracts", contract_rows(sizes, seed)),
        (LEASING_SLUG, "plan", plan_rows(sizes)),
        (LEASING_SLUG, "schedule", schedule_rows(sizes)),
        (LEASING_SLUG, "invoices", invoice_rows(sizes)),
        (UTILITY_SLUG, "customers", customer_rows(sizes.utility_customers, 0, seed, prefix="U")),
        (UTILITY_SLUG, "supply_points", supply_point_rows(sizes, seed)),
        (UTILITY_SLUG, "consumption", consumption_rows(sizes, seed)),
    ]


def write_feed(path: Path, rows: Iterator[str]) -> int:
    """Writes the rows (the first is the header); returns how many data rows."""
    count = -1
    with path.open("w", encoding="utf-8", newline="") as out:
        buffer: list[str] = []
        for count, row in enumerate(rows):  # noqa: B007 (the count is the result)
            buffer.append(row)
            if len(buffer) >= 10_000:
                out.write("\n".join(buffer) + "\n")
                buffer.clear()
        if buffer:
            out.write("\n".join(buffer) + "\n")
    return count


# -- loading ------------------------------------------------------------------


@dataclass
class Step:
    slug: str
    kind: str
    rows: int
    megabytes: float
    write_seconds: float
    import_seconds: float
    status: str


def make_companies() -> None:
    """The two companies the feeds are imported into, each on its own host."""
    from sportello.core.models import Company, CompanyHost

    for slug, name, kind, host, year in (
        (LEASING_SLUG, "Banco Leasing", "leasing", LEASING_HOST, 2008),
        (UTILITY_SLUG, "Banco Energia", "utility", UTILITY_HOST, 2014),
    ):
        company = Company.objects.create(
            slug=slug,
            name=name,
            kind=kind,
            support_email=f"assistenza@{host}",
            first_invoice_year=year,
            feature_self_reading=kind == "utility",
            feature_transparency=kind == "leasing",
        )
        CompanyHost.objects.create(company=company, host=host, is_primary=True)


def build(directory: Path, sizes: Sizes, seed: int, *, echo: Any = print) -> list[Step]:
    """Writes every feed into ``directory`` and imports it, kind after kind."""
    from sportello.core.models import Company
    from sportello.integration.models import ImportSource
    from sportello.integration.services import import_file

    make_companies()
    steps = []
    for slug, kind, rows in feeds(sizes, seed):
        path = directory / f"{slug}-{kind}.csv"
        began = time.perf_counter()
        count = write_feed(path, rows)
        written = time.perf_counter()
        with path.open("rb") as source:
            run = import_file(
                Company.objects.get(slug=slug),
                kind,
                source,
                file_name=path.name,
                source_kind=ImportSource.COMMAND,
            )
        step = Step(
            slug,
            kind,
            count,
            path.stat().st_size / 2**20,
            written - began,
            time.perf_counter() - written,
            str(run.status),
        )
        if run.status != "done" or run.created != count:
            raise SystemExit(
                f"{slug} {kind}: {run.status}, {run.created} of {count}: {run.report[:5]}"
            )
        path.unlink()  # the files are big; the database holds the rows now
        echo(
            f"{slug:<14} {kind:<14} {count:>10,} {step.megabytes:>8.1f} {step.write_seconds:>8.1f}s "
            f"{step.import_seconds:>8.1f}s {count / step.import_seconds:>9,.0f}"
        )
        steps.append(step)
    return steps


@dataclass(frozen=True)
class Login:
    role: str
    host: str
    login: str
    customer_id: int
    user_id: int
    note: str


def make_logins(sizes: Sizes) -> list[Login]:
    """A portal user for a small customer, the biggest fleet and a utility customer."""
    from django.db.models import Count

    from sportello.accounts.models import PortalUser
    from sportello.customers.models import Customer

    small_code = customer_code(sizes.fleets + 1)
    fleet_code = customer_code(max(range(sizes.fleets), key=lambda f: sizes.fleet_sizes()[f]))
    wanted = [
        ("small", LEASING_SLUG, LEASING_HOST, small_code),
        ("fleet", LEASING_SLUG, LEASING_HOST, fleet_code),
        ("utility", UTILITY_SLUG, UTILITY_HOST, "U000000"),
    ]
    logins = []
    for role, slug, host, code in wanted:
        customer = Customer.objects.annotate(contract_count=Count("contracts")).get(
            company__slug=slug, code=code
        )
        user = PortalUser(
            company=customer.company,
            customer=customer,
            login=code,
            username=f"{slug}/{code}",
            first_name="Banco",
            last_name=customer.name[:150],
            email=customer.email,
        )
        user.set_password(BENCH_PASSWORD)
        user.save()
        note = f"{customer.contract_count} contracts" if slug == LEASING_SLUG else "utility"
        logins.append(Login(role, host, code, customer.pk, user.pk, note))
    return logins


# -- the command --------------------------------------------------------------


def prepare_database(url: str, fresh: bool) -> None:
    """Creates the scratch database (dropping it first with ``--fresh``)."""
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            if "bench" not in name:
                sys.exit(f"--fresh drops only a database named …bench…, not {name!r}.")
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="1 = the issue's sizes; 0.01 = a smoke run"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database first")
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database (created when missing).")
    prepare_database(url, options.fresh)

    var = os.environ.get("BENCH_VAR") or tempfile.mkdtemp(prefix="sportello-build-")
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "sportello.settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-" + "s" * 50,
            "ALLOWED_HOSTS": f"{LEASING_HOST},{UTILITY_HOST}",
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "WARNING",
            "SPORTELLO_VAR_DIR": var,
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from sportello.core.models import Company

    call_command("migrate", verbosity=0)
    if Company.objects.filter(slug__in=[LEASING_SLUG, UTILITY_SLUG]).exists():
        sys.exit("The bench companies exist already: run with --fresh to build them again.")

    sizes = Sizes.at(options.scale)
    print(
        f"Scale {options.scale:g} (seed {options.seed}): {sizes.customers:,} customers, "
        f"{sizes.contracts:,} contracts ({sizes.fleets} fleets of {min(sizes.fleet_sizes())}–"
        f"{max(sizes.fleet_sizes())}), {sizes.utility_points:,} supply points.\n"
    )
    print(
        f"{'company':<14} {'kind':<14} {'rows':>10} {'file MB':>8} {'write':>9} {'import':>9} {'rows/s':>9}"
    )
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="feeds-", dir=var) as directory:
        steps = build(Path(directory), sizes, options.seed)
    # A bulk load leaves the planner without statistics until autovacuum gets round to it
    # (it had not after 20 minutes here): a customer's sums then scan all 3,000,000
    # schedule rows (0.4 s) instead of using the contract's index (0.2 ms).
    analysed = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"{'ANALYZE':<29} {'':>10} {'':>8} {'':>9} {time.perf_counter() - analysed:>8.1f}s")
    whole = time.perf_counter() - began
    rows = sum(step.rows for step in steps)
    imported = sum(step.import_seconds for step in steps)
    print(
        f"{'whole':<29} {rows:>10,} {sum(s.megabytes for s in steps):>8.1f} "
        f"{sum(s.write_seconds for s in steps):>8.1f}s {imported:>8.1f}s {rows / imported:>9,.0f}"
    )
    print(f"\nBuilt in {whole:.1f} s ({rows / whole:,.0f} rows/s written and imported).\n")
    for login in make_logins(sizes):
        print(
            f"{login.role:<8} http://{login.host}/  login {login.login}  password {BENCH_PASSWORD}  "
            f"(customer id {login.customer_id}, user id {login.user_id}; {login.note})"
        )


if __name__ == "__main__":
    main()
