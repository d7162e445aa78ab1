"""Capacity (issue 12): the largest steady arrival rate of a realistic mix that 2 gunicorn
workers on PostgreSQL and the Redis cache hold with p95 ≤ 150 ms and no errors.

One command:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/capacity_bench .venv/bin/python bench/capacity.py

The database is created when missing and, when it holds no company, migrated
and filled with the demo (``build_demo``, ``--demo-scale`` times the
customers); a database built by ``bench/build_data.py`` is used as it is.
gunicorn serves ``sportello.wsgi`` with production settings (DEBUG off, a
throw-away SECRET_KEY, ALLOWED_HOSTS = the companies' hosts, persistent
database connections, the cache on ``REDIS_URL``, by default
``redis://127.0.0.1:6379/9``: that database only is flushed, nothing else).
Every portal user of a customer gets a logged-in session, written to the
session store as the login does.

The load is open-loop: a generator in a process of its own starts requests
on a fixed schedule whatever the answers (a late answer never delays the next
request), each on a new or idle connection, and measures each request's time
from when it was *due*, so a queue in front of the server counts. A step
holds when no request fails (anything but 200, a timeout or a reset) and the
95th percentile is within 150 ms. The rate steps up ×1.5 until a step fails,
then bisects. The same search runs on the floor (``FLOOR_PATH``, an
authenticated near-empty page through the full middleware); the target is the
mix at ≥ 0.6× the floor's rate. Then, closed-loop with ``wrk`` (50
connections), pages per second of home and billing as ratios to the floor's,
for a small customer and the customer with most contracts (a fleet, when
there is one). The generator checks itself first against a trivial server
(its own process) at several times the rates it will drive, and reports its
own CPU at each step.

Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent

#: The floor: an authenticated page with almost nothing but the shell, through the
#: full middleware (session, company, user, language, CSP…). The helper measuring
#: page cost (bench/page_cost.py) may settle on another; change it here only.
FLOOR_PATH = "/contatti/"

#: The mix: (weight, page, path) — ``{contract}`` is one of the customer's contracts.
#: Leasing customers get the leasing pages, utility customers their consumption.
MIX = [
    (25, "home", "/"),
    (20, "billing", "/fatture-e-pagamenti/"),
    (15, "invoices", "/fatture-e-pagamenti/fatture/"),
    (15, "contracts", "/contratti/"),
    (10, "plan", "/contratti/{contract}/piano/"),
    (15, "consumption", "/fornitura/prelievi/"),
]
UTILITY_PAGES = {"consumption"}
LEASING_PAGES = {"billing", "invoices", "contracts", "plan"}

P95_LIMIT_MS = 150.0
TARGET_MIX_OVER_FLOOR = 0.6
WRK_CONNECTIONS = 50
WRK = shutil.which("wrk") or "/usr/bin/wrk"


# -- the load generator (its own process; no Django) ----------------------------


@dataclass
class Outcome:
    due: float
    page: str = ""
    latency: float = 0.0
    error: str = ""


class Generator:
    """Open loop: request i starts at ``start + i / rate``, whatever came back before."""

    def __init__(self, port: int, requests: list[bytes], timeout: float) -> None:
        self.port = port
        self.requests = requests
        self.timeout = timeout
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    def page(self, index: int) -> str:
        """The request's path, ids as N: the page it asks for."""
        path = self.requests[index % len(self.requests)].split(b" ", 2)[1].decode()
        return re.sub(r"/\d+/", "/N/", path)

    async def _exchange(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
    ) -> tuple[int, bool]:
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip().lower()
        keep = headers.get("connection") != "close" and lines[0].startswith("HTTP/1.1")
        if "content-length" in headers:
            await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            await reader.read()
            keep = False
        return status, keep

    async def _one(self, index: int, outcome: Outcome) -> None:
        request = self.requests[index % len(self.requests)]
        try:
            async with asyncio.timeout(self.timeout):
                while True:
                    fresh = not self.idle
                    if fresh:
                        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
                    else:
                        reader, writer = self.idle.pop()
                    try:
                        status, keep = await self._exchange(reader, writer, request)
                        break
                    except (ConnectionError, asyncio.IncompleteReadError):
                        writer.close()
                        if fresh:
                            raise
                        # An idle connection the server had closed: try again on a new one.
            if keep:
                self.idle.append((reader, writer))
            else:
                writer.close()
            outcome.latency = time.perf_counter() - outcome.due
            if status != 200:
                outcome.error = f"HTTP {status}"
        except TimeoutError:
            outcome.error = "timeout"
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            outcome.error = type(error).__name__

    async def run(self, rate: float, seconds: float, warmup: float) -> dict[str, Any]:
        total = int(rate * (seconds + warmup))
        begin = time.perf_counter() + 0.05
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        outcomes: list[Outcome] = []
        tasks = set()
        late_starts = 0
        for index in range(total):
            due = begin + index / rate
            wait = due - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            elif wait < -0.005:
                late_starts += 1
            outcome = Outcome(due, self.page(index))
            outcomes.append(outcome)
            task = asyncio.create_task(self._one(index, outcome))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if tasks:
            await asyncio.wait(set(tasks))
        wall = time.perf_counter() - begin
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        for _reader, writer in self.idle:
            writer.close()
        measured = [o for o in outcomes if o.due >= begin + warmup]
        latencies = sorted(o.latency for o in measured if not o.error)
        errors: dict[str, int] = {}
        for o in measured:
            if o.error:
                errors[o.error] = errors.get(o.error, 0) + 1
        cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (
            cpu_after.ru_stime - cpu_before.ru_stime
        )

        def percentile(share: float) -> float:
            if not latencies:
                return float("inf")
            return latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000

        pages: dict[str, list[float]] = {}
        for o in measured:
            pages.setdefault(o.page, []).append(o.latency if not o.error else float("inf"))
        by_page = {
            page: sorted(times)[min(len(times) - 1, int(0.95 * len(times)))] * 1000
            for page, times in pages.items()
        }
        return {
            "by_page": by_page,
            "rate": rate,
            "requests": len(measured),
            "errors": errors,
            "p50_ms": percentile(0.50),
            "p95_ms": percentile(0.95),
            "p99_ms": percentile(0.99),
            "generator_cpu": cpu / wall,
            "late_starts": late_starts,
        }


def loadgen_main() -> None:
    """``capacity.py --loadgen``: reads its job as JSON on stdin, prints the result as JSON."""
    job = json.load(sys.stdin)
    requests = [r.encode("latin-1") for r in job["requests"]]
    generator = Generator(job["port"], requests, job["timeout"])
    result = asyncio.run(generator.run(job["rate"], job["seconds"], job["warmup"]))
    print(json.dumps(result))


async def _trivial_server(port_file: str) -> None:
    """Answers 200 "ok" and closes, as gunicorn's sync workers do: the generator's own cost."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0, backlog=2048)
    Path(port_file).write_text(str(server.sockets[0].getsockname()[1]))
    async with server:
        await server.serve_forever()


# -- the driver (Django) ----------------------------------------------------------


@dataclass
class Session:
    host: str
    cookie: str
    utility: bool
    contract: int | None
    contracts: int
    label: str


@dataclass
class Step:
    rate: float
    result: dict[str, Any] = field(default_factory=dict)

    @property
    def held(self) -> bool:
        return not self.result["errors"] and self.result["p95_ms"] <= P95_LIMIT_MS

    def line(self) -> str:
        r = self.result
        errors = ", ".join(f"{k} ×{v}" for k, v in r["errors"].items()) or "0 errors"
        return (
            f"  {self.rate:>7.1f}/s  {r['requests']:>5} requests  p50 {r['p50_ms']:>7.1f} ms  "
            f"p95 {r['p95_ms']:>7.1f} ms  p99 {r['p99_ms']:>7.1f} ms  {errors}  "
            f"generator CPU {r['generator_cpu'] * 100:.1f} %"
            + (f", {r['late_starts']} started late" if r["late_starts"] else "")
            + f"  → {'held' if self.held else 'not held'}"
            + (
                "\n             p95 by page: "
                + ", ".join(f"{page} {ms:.0f} ms" for page, ms in sorted(r["by_page"].items()))
                if len(r["by_page"]) > 1
                else ""
            )
        )


def http_request(session: Session, path: str) -> str:
    return (
        f"GET {path} HTTP/1.1\r\nHost: {session.host}\r\nCookie: sessionid={session.cookie}\r\n"
        "User-Agent: sportello-capacity\r\nAccept: text/html\r\n\r\n"
    )


def mix_requests(sessions: list[Session], count: int, seed: int) -> list[str]:
    """``count`` requests of the mix, each by a customer the page belongs to."""
    rng = random.Random(seed)
    leasing = [s for s in sessions if not s.utility]
    utility = [s for s in sessions if s.utility]
    weights = [weight for weight, _page, _path in MIX]
    requests = []
    for _ in range(count):
        _weight, page, path = rng.choices(MIX, weights)[0]
        pool = utility if page in UTILITY_PAGES else leasing if page in LEASING_PAGES else sessions
        session = rng.choice(pool)
        requests.append(http_request(session, path.format(contract=session.contract)))
    return requests


def floor_requests(sessions: list[Session], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [http_request(rng.choice(sessions), FLOOR_PATH) for _ in range(count)]


def run_generator(
    port: int, requests: list[str], rate: float, seconds: float, warmup: float
) -> Step:
    job = {
        "port": port,
        "requests": requests,
        "rate": rate,
        "seconds": seconds,
        "warmup": warmup,
        "timeout": 10.0,
    }
    done = subprocess.run(  # noqa: S603 (this script)
        [sys.executable, __file__, "--loadgen"],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=True,
    )
    return Step(rate, json.loads(done.stdout.strip().splitlines()[-1]))


def search(
    port: int, requests: list[str], options: argparse.Namespace, name: str
) -> tuple[float, list[Step]]:
    """The largest rate held: ×1.5 steps up, then bisection to 5 %."""
    print(
        f"\n{name}: open-loop steps of {options.seconds:g} s (after {options.warmup:g} s of warm-up)"
    )
    steps: list[Step] = []

    def trial(rate: float) -> bool:
        step = run_generator(port, requests, rate, options.seconds, options.warmup)
        steps.append(step)
        print(step.line(), flush=True)
        time.sleep(2)  # the queue drains before the next step
        return step.held

    held, failed = 0.0, None
    rate = options.start_rate
    while failed is None:
        if trial(rate):
            held = rate
            rate *= 1.5
        else:
            failed = rate
    while held and failed - held > 0.05 * held:
        middle = (held + failed) / 2
        if trial(middle):
            held = middle
        else:
            failed = middle
    if not held:  # even the first step failed: go down until one holds
        rate = options.start_rate
        while rate > 0.5 and not held:
            rate /= 2
            if trial(rate):
                held = rate
    return held, steps


def self_check(rates: float, requests: list[str], options: argparse.Namespace) -> tuple[Step, bool]:
    """The generator alone, against a server that costs nothing, at ``rates`` requests/s."""
    with tempfile.TemporaryDirectory() as directory:
        port_file = Path(directory) / "port"
        server = subprocess.Popen([sys.executable, __file__, "--trivial-server", str(port_file)])  # noqa: S603
        try:
            deadline = time.monotonic() + 10
            while not port_file.exists() or not port_file.read_text():
                if time.monotonic() > deadline:
                    raise RuntimeError("the trivial server did not start")
                time.sleep(0.05)
            step = run_generator(int(port_file.read_text()), requests, rates, 5, 1)
        finally:
            server.terminate()
            server.wait()
    fine = not step.result["errors"] and step.result["p95_ms"] < P95_LIMIT_MS / 5
    return step, fine


def wrk(port: int, session: Session, path: str, seconds: int) -> float:
    """Closed-loop pages per second (wrk, ``WRK_CONNECTIONS`` connections)."""
    done = subprocess.run(  # noqa: S603
        [
            WRK, "-t", "1", "-c", str(WRK_CONNECTIONS), "-d", f"{seconds}s", "--timeout", "120s",
            "-H", f"Host: {session.host}", "-H", f"Cookie: sessionid={session.cookie}",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    # Behind 50 connections a slow page waits long in the queue: the timeout is generous,
    # and any error (a status other than 2xx/3xx, a reset, a timeout) stops the bench.
    if "Non-2xx" in done.stdout or "Socket errors" in done.stdout:
        raise SystemExit(f"wrk on {path} got errors:\n{done.stdout}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    assert match, done.stdout
    drain(port, session)
    return float(match.group(1))


def drain(port: int, session: Session) -> None:
    """Waits for the requests wrk left queued when it stopped: the sync workers still
    answer them, and the next measurement would pay for them. One request at the end
    of the queue comes back once everything before it has been served."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    connection.request("GET", FLOOR_PATH, headers={"Host": session.host})
    connection.getresponse().read()
    connection.close()


# -- set-up --------------------------------------------------------------------------


def setup_django(var: str, redis_url: str, conn_max_age: int, hosts: str) -> dict[str, str]:
    env = {
        "DJANGO_SETTINGS_MODULE": "sportello.settings",
        "DEBUG": "0",
        "SPORTELLO_DEMO": "0",
        "SECRET_KEY": "capacity-bench-throw-away-" + os.urandom(16).hex(),
        "ALLOWED_HOSTS": hosts,
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "SPORTELLO_VAR_DIR": var,
        "REDIS_URL": redis_url,
        "DATABASE_CONN_MAX_AGE": str(conn_max_age),
        "PYTHONPATH": str(ROOT / "src"),
        # The demo's builder sends e-mails; nobody reads them here.
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    os.environ.update(env)
    return env


def prepare_data(demo_scale: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from sportello.core.models import Company

    call_command("migrate", verbosity=0)
    if not Company.objects.exists():
        from sportello.demo.builder import build_demo

        began = time.perf_counter()
        build_demo(scale=demo_scale)
        print(f"Demo data built (scale {demo_scale}) in {time.perf_counter() - began:.0f} s.")
    # Fresh statistics, as a production database has them: after a bulk load (the demo,
    # build_data.py) the planner would otherwise scan whole tables.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    if not (Path(os.environ["SPORTELLO_VAR_DIR"]) / "static" / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)


def make_sessions(limit: int) -> list[Session]:
    """A logged-in session for each customer user (up to ``limit``), as the login writes it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count, Min

    from sportello.accounts.middleware import LOGGED_IN_AT
    from sportello.accounts.models import PortalUser

    users = (
        PortalUser.objects.filter(customer__isnull=False, parent__isnull=True, is_active=True)
        .select_related("company", "customer")
        .annotate(
            first_contract=Min("customer__contracts"), contract_count=Count("customer__contracts")
        )
        .order_by("pk")[:limit]
    )
    sessions = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "sportello.accounts.backends.CompanyLoginBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store[LOGGED_IN_AT] = time.time()
        store.create()
        utility = user.company.kind == "utility"
        if not utility and user.first_contract is None:
            continue
        sessions.append(
            Session(
                host=user.company.primary_host,
                cookie=str(store.session_key),
                utility=utility,
                contract=user.first_contract,
                contracts=user.contract_count,
                label=f"{user.company.slug}/{user.login}",
            )
        )
    return sessions


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_gunicorn(port: int, workers: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(  # noqa: S603
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"), "sportello.wsgi",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--backlog", "2048", "--timeout", "60", "--log-level", "warning",
        ],
        env={**os.environ, **env}, cwd=ROOT,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def check_pages(port: int, requests: list[str]) -> None:
    """Each page answers 200 once (a redirect to the login would measure nothing)."""
    import http.client

    seen: set[str] = set()
    for raw in requests:
        method_path, *header_lines = raw.strip().split("\r\n")
        path = method_path.split(" ")[1]
        headers = dict(line.split(": ", 1) for line in header_lines)
        key = f"{headers['Host']}{re.sub(r'/\d+/', '/N/', path)}"
        if key in seen:
            continue
        seen.add(key)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        if response.status != 200:
            raise SystemExit(f"{headers['Host']}{path} answered {response.status}, not 200")
        # The floor answers anonymous people too: no-store says the session was logged in.
        if "no-store" not in (response.getheader("Cache-Control") or ""):
            raise SystemExit(f"{headers['Host']}{path} answered as to an anonymous visitor")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--loadgen", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--trivial-server", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=12, help="measured seconds per step")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of each step not measured")
    parser.add_argument("--start-rate", type=float, default=8, help="first step, requests/s")
    parser.add_argument("--sessions", type=int, default=300, help="logged-in customers at most")
    parser.add_argument("--demo-scale", type=int, default=10, help="demo customers multiplier")
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--conn-max-age", type=int, default=60, help="DATABASE_CONN_MAX_AGE")
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9")
    )
    options = parser.parse_args()
    if options.loadgen:
        loadgen_main()
        return
    if options.trivial_server:
        asyncio.run(_trivial_server(options.trivial_server))
        return

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database (created when missing).")
    if not re.search(r"/\d+$", options.redis_url) or options.redis_url.endswith("/0"):
        sys.exit("Give REDIS_URL with a database number of its own (e.g. …/9): it is flushed.")
    sys.path.insert(0, str(BENCH))
    from build_data import prepare_database

    prepare_database(url, fresh=False)
    var = os.environ.get("BENCH_VAR") or tempfile.mkdtemp(prefix="sportello-capacity-")
    env = setup_django(var, options.redis_url, options.conn_max_age, "placeholder.invalid")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    prepare_data(options.demo_scale)
    from django.core.cache import cache

    from sportello.core.models import CompanyHost

    hosts = ",".join(CompanyHost.objects.values_list("host", flat=True))
    env["ALLOWED_HOSTS"] = hosts
    cache.clear()  # the Redis database of REDIS_URL only (FLUSHDB), nothing else
    sessions = make_sessions(options.sessions)
    leasing = [s for s in sessions if not s.utility]
    if not leasing or not any(s.utility for s in sessions):
        sys.exit("The database needs leasing and utility customers with portal users.")
    mix = mix_requests(sessions, 5_000, seed=12)
    floor = floor_requests(sessions, 5_000, seed=12)
    small = min(leasing, key=lambda s: (s.contracts, s.label))
    biggest = max(leasing, key=lambda s: (s.contracts, s.label))

    port = free_port()
    server = start_gunicorn(port, options.workers, env)
    try:
        check_pages(port, floor + mix)
        print(
            f"gunicorn, {options.workers} sync workers, on PostgreSQL ({url.rsplit('/', 1)[1]}) "
            f"and Redis ({options.redis_url}); {len(sessions)} logged-in customers "
            f"({len(leasing)} leasing, {len(sessions) - len(leasing)} utility); "
            f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}."
        )
        print(
            "Mix: "
            + ", ".join(f"{page} {weight} %" for weight, page, _ in MIX)
            + f"; floor: {FLOOR_PATH}"
        )

        began = time.monotonic()
        mix_rate, mix_steps = search(port, mix, options, "Mix")
        floor_rate, floor_steps = search(port, floor, options, f"Floor ({FLOOR_PATH})")
        busiest = max(s.result["generator_cpu"] for s in mix_steps + floor_steps)
        check, check_fine = self_check(max(3 * max(mix_rate, floor_rate), 200), floor, options)
        print("\nGenerator alone (trivial server, one connection per request):")
        print(check.line())

        print(f"\nClosed loop: wrk, {WRK_CONNECTIONS} connections, {options.wrk_seconds} s each")
        closed: list[tuple[str, str, float, float]] = []
        customers = [("small", small)] + ([("largest", biggest)] if biggest is not small else [])
        for role, session in customers:
            # The floor before and after the pages: the machine's drift shows, and is averaged.
            before = wrk(port, session, FLOOR_PATH, options.wrk_seconds)
            pages = [
                (page, wrk(port, session, path, options.wrk_seconds))
                for page, path in (("home", "/"), ("billing", "/fatture-e-pagamenti/"))
            ]
            after = wrk(port, session, FLOOR_PATH, options.wrk_seconds)
            who = (
                f"{role} {session.label} ({session.contracts} contracts; "
                f"floor {before:.1f}/s before, {after:.1f}/s after)"
            )
            closed += [(who, page, pps, (before + after) / 2) for page, pps in pages]
    finally:
        server.terminate()
        server.wait()
        cache.clear()

    print(f"\n{time.monotonic() - began:.0f} s of load; load average now {os.getloadavg()[0]:.1f}.")
    ratio = mix_rate / floor_rate if floor_rate else 0.0
    met = ratio >= TARGET_MIX_OVER_FLOOR and check_fine
    print("\nSummary")
    print(
        f"  capacity, mix:   {mix_rate:6.1f} requests/s held (p95 ≤ {P95_LIMIT_MS:.0f} ms, 0 errors)"
    )
    print(f"  capacity, floor: {floor_rate:6.1f} requests/s held")
    print(
        f"  mix / floor:     {ratio:6.2f}×   target ≥ {TARGET_MIX_OVER_FLOOR}× → "
        f"{'met' if ratio >= TARGET_MIX_OVER_FLOOR else 'NOT met'}"
    )
    print(
        f"  generator alone: {check.rate:.0f}/s, p95 {check.result['p95_ms']:.1f} ms, "
        f"CPU {check.result['generator_cpu'] * 100:.0f} % → "
        f"{'not the bottleneck' if check_fine else 'MAY BE THE BOTTLENECK'} "
        f"(at most {busiest * 100:.0f} % of a core during the steps)"
    )
    for who, page, pps, floor_pps in closed:
        print(
            f"  closed loop {page:<8} {pps:6.1f} pages/s = {pps / max(floor_pps, 1e-9):4.2f}× the floor ({floor_pps:.1f}/s), {who}"
        )
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
