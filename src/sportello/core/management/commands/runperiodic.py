import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sportello.core import periodic


class Command(BaseCommand):
    help = "Run the periodic jobs that are due (from cron every minute, or with --loop)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep running, every 30 s.")
        parser.add_argument("--job", help="Run this one job now, due or not.")
        parser.add_argument("--list", action="store_true", help="List the registered jobs.")

    def handle(self, *args: Any, loop: bool, job: str | None, list: bool, **options: Any) -> None:
        if list:
            for name, registered in sorted(periodic.REGISTRY.items()):
                self.stdout.write(f"{name}\tevery {registered.every}")
            return
        if job:
            if job not in periodic.REGISTRY:
                self.stderr.write(f"Unknown job {job!r}; see --list.")
                raise SystemExit(2)
            periodic.run_job(job)
            return
        while True:
            for name in periodic.run_due():
                self.stdout.write(f"ran {name}")
            if not loop:
                return
            time.sleep(30)
