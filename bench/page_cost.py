"""What every customer page costs, for a small customer and for a big account (issue 12).

Builds the demo (``build_demo``, what ``manage.py demo`` runs) in a scratch
PostgreSQL database: the leasing company Release has a fleet customer (303
contracts, some 21,000 schedule rows and 14,000 invoices) and the utility
Energia Toscana a multi-site customer (64 supply points). Then, in this process
and through Django's whole WSGI handler with a logged-in session, it times
every customer page of a small customer and of the big one, interleaved, and
sets each median against the floor (see ``pagebench``) measured in the same
rounds. Targets:

- every page at most 2x the floor, for both customers;
- at most 10 queries, and the same number for both customers;
- the floor at most 2x the bare view (no middleware), so the shell stays lean.

    .venv/bin/python bench/page_cost.py [--runs 15] [--db page_cost_bench] [--keep]

``BENCH_POSTGRES`` names the server (default postgres://postgres@127.0.0.1:5432/postgres);
the scratch database is created there and dropped at the end (``--keep`` keeps it).
Exits non-zero when a target is missed.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pagebench

FLOOR_RATIO = 2.0
MAX_QUERIES = 10
SHELL_RATIO = 2.0


def leasing_pages(customer_code: str) -> dict[str, str]:
    from sportello.billing.models import EntryStatus, Invoice, ScheduleEntry
    from sportello.leasing.models import Asset, Contract, ContractStatus

    contracts = Contract.objects.filter(customer__code=customer_code, company__slug="release")
    contract = contracts.filter(status=ContractStatus.ACTIVE).order_by("number").first()
    assert contract is not None, customer_code
    rows = ScheduleEntry.objects.filter(contract__in=contracts).count()
    invoices = Invoice.objects.filter(customer=contract.customer)
    e_invoice = invoices.exclude(xml="").order_by("-date").first()
    assert e_invoice is not None, customer_code
    assets = Asset.objects.filter(contract__in=contracts).count()
    active = contracts.filter(status=ContractStatus.ACTIVE).count()
    year = contract.stipulated_on.year

    def last(count: int) -> int:
        return max(1, math.ceil(count / 25))

    return {
        "home": "/",
        "billing": "/fatture-e-pagamenti/",
        "billing, overdue": f"/fatture-e-pagamenti/?status={EntryStatus.OVERDUE.value}",
        "billing, one contract": f"/fatture-e-pagamenti/?contract={contract.pk}",
        "billing, period + newest": (
            f"/fatture-e-pagamenti/?date_from=01/01/{year}&date_to=31/12/{year + 2}&order=recenti"
        ),
        "billing, last page": f"/fatture-e-pagamenti/?page={last(rows)}",
        "invoices": "/fatture-e-pagamenti/fatture/",
        "invoices, search": f"/fatture-e-pagamenti/fatture/?number={year}",
        "invoices, last page": f"/fatture-e-pagamenti/fatture/?page={last(invoices.count())}",
        "invoice detail": f"/fatture-e-pagamenti/fatture/{e_invoice.uid}/",
        "contracts": "/contratti/",
        "contracts, extinct": "/contratti/?stato=estinti",
        "contracts, last page": f"/contratti/?page={last(active)}",
        "contract detail": f"/contratti/{contract.pk}/",
        "plan": f"/contratti/{contract.pk}/piano/",
        "contract documents": f"/contratti/{contract.pk}/documenti/",
        "assets": "/contratti/beni/",
        "assets, last page": f"/contratti/beni/?page={last(assets)}",
        "statements": "/rendiconti/",
        "documents": "/documenti/",
        "documents, mine": "/documenti/miei/",
        "requests": "/richieste/",
        "new request": "/richieste/nuova/",
        "notices": "/notifiche/",
        "profile": "/accesso/profilo/",
    }


def utility_pages(customer_code: str) -> dict[str, str]:
    from sportello.billing.models import Invoice

    invoices = Invoice.objects.filter(customer__code=customer_code, company__slug="energia")
    e_invoice = invoices.exclude(xml="").order_by("-date").first()
    assert e_invoice is not None, customer_code
    return {
        "home": "/",
        "invoices": "/fatture-e-pagamenti/fatture/",
        "invoices, last page": "/fatture-e-pagamenti/fatture/?page=2",
        "invoice detail": f"/fatture-e-pagamenti/fatture/{e_invoice.uid}/",
        "readings": "/fornitura/autoletture/",
        "consumption": "/fornitura/prelievi/",
        "technical data": "/fornitura/dati-tecnici/",
        "contract data": "/fornitura/dati-contrattuali/",
        "measures": "/fornitura/misure/",
        "documents": "/documenti/miei/",
        "requests": "/richieste/",
        "new request": "/richieste/nuova/",
        "notices": "/notifiche/",
        "profile": "/accesso/profilo/",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--db", default="page_cost_bench")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument(
        "--profile",
        metavar="KIND:WHO:PAGE",
        help="profile one page instead (e.g. leasing:fleet:home) in a kept database",
    )
    args = parser.parse_args()
    pagebench.setup(args.db, keep=args.keep, reuse=bool(args.profile))
    try:
        if args.profile:
            return profile(*args.profile.split(":"), runs=args.runs)
        return measure(args.runs)
    finally:
        pagebench.drop()


def measure(runs: int) -> int:
    from django.db import connection

    from sportello.accounts.models import PortalUser
    from sportello.demo.builder import build_demo

    began = time.perf_counter()
    built = build_demo()
    # Fresh statistics, as autovacuum gathers them a minute after a bulk load: without
    # them PostgreSQL plans the fleet's lists as if each customer had one row.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"{connection.vendor}: demo built in {time.perf_counter() - began:.1f} s "
        f"({built.counts['schedule entries']:,} schedule rows, {built.counts['invoices']:,} "
        f"invoices); medians of {runs} interleaved rounds"
    )
    companies = COMPANIES
    failures: list[str] = []
    for kind, (host, small_code, big_code, pages_of) in companies.items():
        users = {
            who: PortalUser.objects.get(company__hosts__host=host, login=code)
            for who, code in (("small", small_code), ("fleet", big_code))
        }
        browsers = {who: pagebench.Browser.logged_in(user, host) for who, user in users.items()}
        pages = {who: pages_of(user.login) for who, user in users.items()}
        # The bare view renders the floor's page from what the small customer's first
        # floor request left in memory (bench_urls.SHELL).
        floor_body = browsers["small"].get(pagebench.FLOOR_PATH).body
        bare = pagebench.bare_browser(host)
        bare_body = bare.get(pagebench.BARE_PATH).body
        print(f"{kind}: floor page {len(floor_body):,} bytes, bare view {len(bare_body):,} bytes")
        actions = {
            ("bare", ""): lambda b=bare: b.get(pagebench.BARE_PATH),
            ("floor", "small"): lambda b=browsers["small"]: b.get(pagebench.FLOOR_PATH),
            ("floor", "fleet"): lambda b=browsers["fleet"]: b.get(pagebench.FLOOR_PATH),
        }
        for who, paths in pages.items():
            for name, path in paths.items():
                actions[(name, who)] = lambda b=browsers[who], p=path: b.get(p)
        checks = {key: action() for key, action in actions.items()}
        for key, sample in checks.items():
            if sample.status != 200:
                failures.append(f"{kind} {key[0]} ({key[1]}): HTTP {sample.status}")
        queries = {key: action_queries(browsers, pages, key) for key in actions if key[0] != "bare"}
        medians = pagebench.interleaved({f"{k[0]}|{k[1]}": a for k, a in actions.items()}, runs)
        floor = medians["floor|small"]
        bare_time = medians["bare|"]
        print()
        print(f"{kind} ({host}): small customer {small_code}, big account {big_code}")
        print(
            f"  {'page':<26} {'small':>16} {'q':>3}  {'big account':>16} {'q':>3}  "
            f"target (<= {FLOOR_RATIO:.0f}x floor, <= {MAX_QUERIES} q, equal)"
        )
        shell = floor / bare_time
        shell_met = shell <= SHELL_RATIO
        print(
            f"  {'bare view (no middleware)':<26} {bare_time * 1000:7.2f} ms       "
            f"{'':>3}  {'':>16} {'':>3}"
        )
        print(
            f"  {'floor':<26} {floor * 1000:7.2f} ms x{1:4.1f} {queries[('floor', 'small')]:>3}  "
            f"{medians['floor|fleet'] * 1000:7.2f} ms x{medians['floor|fleet'] / floor:4.1f} "
            f"{queries[('floor', 'fleet')]:>3}  floor = {shell:.1f}x bare (<= {SHELL_RATIO:.0f}x): "
            f"{'met' if shell_met else 'NOT met'}"
        )
        if not shell_met:
            failures.append(f"{kind} floor {shell:.1f}x the bare view")
        for name in pages["small"]:
            small, big = medians[f"{name}|small"], medians[f"{name}|fleet"]
            q_small, q_big = queries[(name, "small")], queries[(name, "fleet")]
            met = (
                small <= FLOOR_RATIO * floor
                and big <= FLOOR_RATIO * floor
                and q_small == q_big
                and max(q_small, q_big) <= MAX_QUERIES
            )
            print(
                f"  {name:<26} {small * 1000:7.2f} ms x{small / floor:4.1f} {q_small:>3}  "
                f"{big * 1000:7.2f} ms x{big / floor:4.1f} {q_big:>3}  "
                f"{'met' if met else 'NOT met'}"
            )
            if not met:
                failures.append(f"{kind} {name}")
    print()
    if failures:
        print(f"targets NOT met ({len(failures)}): " + "; ".join(failures))
        return 1
    print("every target met")
    return 0


COMPANIES = {
    "leasing": ("release.localhost", "10003", "10000", leasing_pages),
    "utility": ("energia.localhost", "000002", "000001", utility_pages),
}


def profile(kind: str, who: str, page: str, runs: int) -> int:
    """cProfile of ``runs`` requests of one page (after a warm-up), by cumulative time."""
    import cProfile
    import pstats

    from sportello.accounts.models import PortalUser

    host, small, big, pages_of = COMPANIES[kind]
    code = small if who == "small" else big
    user = PortalUser.objects.get(company__hosts__host=host, login=code)
    browser = pagebench.Browser.logged_in(user, host)
    path = pagebench.FLOOR_PATH if page == "floor" else pages_of(code)[page]
    for _ in range(3):
        browser.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        browser.get(path)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
    return 0


def action_queries(browsers: dict, pages: dict, key: tuple[str, str]) -> int:  # type: ignore[type-arg]
    name, who = key
    path = pagebench.FLOOR_PATH if name == "floor" else pages[who][name]
    return browsers[who].get(path, count_queries=True).queries


if __name__ == "__main__":
    sys.exit(main())
