"""``manage.py import_feeds DIR --company SLUG [--dry-run]``: every feed file of a directory."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sportello.integration.feeds.writers import ORDER
from sportello.integration.management.commands._shared import company_named, summary
from sportello.integration.models import ImportSource, ImportStatus
from sportello.integration.services import import_file


class Command(BaseCommand):
    help = (
        "Importa i file di una cartella (customers.csv … documents.zip, come li scrive "
        "«export_feeds»), nell'ordine in cui si riferiscono l'uno all'altro."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument("--company", required=True, help="Lo slug della società.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Controlla e conta senza scrivere nulla."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        company = company_named(options["company"])
        directory: Path = options["directory"]
        started = time.monotonic()
        for kind in ORDER:
            found = sorted(
                path
                for path in directory.glob(f"{kind}.*")
                if path.suffix in {".csv", ".xlsx", ".jsonl", ".zip"}
            )
            for path in found:
                begun = time.monotonic()
                with path.open("rb") as source:
                    run = import_file(
                        company,
                        kind,
                        source,
                        file_name=path.name,
                        source_kind=ImportSource.COMMAND,
                        dry_run=options["dry_run"],
                    )
                self.stdout.write(
                    f"{kind} {path.name}: {summary(run)} ({time.monotonic() - begun:.1f} s)"
                )
                if run.status == ImportStatus.REJECTED:
                    for line in run.report[:20]:
                        self.stdout.write(
                            f"  riga {line['row']} {line['column']} «{line['value']}»: "
                            f"{line['message']}"
                        )
                    raise CommandError(f"File rifiutato: {path.name}")
        self.stdout.write(f"Fatto in {time.monotonic() - started:.1f} s.")
