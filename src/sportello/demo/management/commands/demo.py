from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from sportello.core.models import Company
from sportello.demo.builder import build_demo
from sportello.demo.catalogue import DEMO_PASSWORD, demo_catalogue


class Command(BaseCommand):
    help = (
        "Create the demo companies and their data (deterministic). If they exist, only "
        "print the logins, unless --reset. --scale N makes N times the customers, for benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="Erase the database first.")
        parser.add_argument("--scale", type=int, default=1, help="Customers multiplier.")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--quiet", action="store_true", help="Print nothing.")

    def handle(
        self, *args: Any, reset: bool, scale: int, seed: int, quiet: bool, **options: Any
    ) -> None:
        if reset:
            call_command("flush", interactive=False, verbosity=0)
        if Company.objects.exists():
            if not quiet:
                self.stdout.write("Demo data already present (use --reset to recreate it).")
        else:
            if not quiet:
                self.stdout.write(f"Creating the demo data (seed {seed}, scale {scale})…")
            built = build_demo(seed=seed, scale=scale)
            if not quiet:
                summary = ", ".join(f"{count} {name}" for name, count in built.counts.items())
                self.stdout.write(f"Created {summary}.")
        if not quiet:
            self.print_catalogue()

    def print_catalogue(self) -> None:
        port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
        write = self.stdout.write
        write("")
        write(f"Landing page:  http://localhost{port}/")
        write(f"Local mailbox: http://localhost{port}/demo/mailbox/")
        write(f"Password of every demo user: {DEMO_PASSWORD}")
        write(
            f"Service desk back office: http://localhost{port}/back-office/ as an operator below "
            "(login, then the code in the mailbox)."
        )
        write("Admin: /admin/ on any company host, as admin (all companies) or an operator.")
        for entry in demo_catalogue("http", port):
            write("")
            write(self.style.MIGRATE_HEADING(f"{entry.company.name}  {entry.url}"))
            for login in entry.logins:
                write(f"  login {login.login:<12} {login.name} ({login.note})")
            for operator in entry.operators:
                write(f"  operator {operator.login:<18} {operator.name}")
            for registration in entry.registrations:
                fields = ", ".join(f"{label} {value}" for label, value in registration.fields)
                write(f"  not yet registered: {registration.customer}: {fields}")
