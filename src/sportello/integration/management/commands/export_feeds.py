"""``manage.py export_feeds DIR --company SLUG [--invoice-pdfs]``: the inverse of ``import``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sportello.integration.feeds.writers import export_company
from sportello.integration.management.commands._shared import company_named


class Command(BaseCommand):
    help = (
        "Scrive i dati di una società come file di importazione (un CSV per tipo, "
        "i documenti in uno ZIP), da reimportare con «import» o «import_feeds»."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument("--company", required=True, help="Lo slug della società.")
        parser.add_argument(
            "--invoice-pdfs",
            action="store_true",
            help="Le fatture in uno ZIP con i loro PDF invece che in un CSV.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        company = company_named(options["company"])
        started = time.monotonic()
        for kind, path, rows in export_company(
            company, options["directory"], invoice_pdfs=options["invoice_pdfs"]
        ):
            self.stdout.write(f"{kind}: {rows} righe → {path}" if rows else f"{kind}: nessuna riga")
        self.stdout.write(f"Fatto in {time.monotonic() - started:.1f} s.")
