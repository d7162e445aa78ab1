"""``manage.py import KIND FILE --company SLUG [--dry-run] [--report FILE]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sportello.core.exports import write_xlsx
from sportello.integration.feeds import KINDS
from sportello.integration.management.commands._shared import company_named, summary
from sportello.integration.models import ImportSource, ImportStatus
from sportello.integration.reports import RejectedRowsExporter
from sportello.integration.services import import_file


class Command(BaseCommand):
    help = (
        "Importa un file del sistema gestionale (CSV, XLSX, JSON lines, FatturaPA) per una società."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS), help="Il tipo di dati del file.")
        parser.add_argument("file", type=Path)
        parser.add_argument("--company", required=True, help="Lo slug della società.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Controlla e conta senza scrivere nulla.",
        )
        parser.add_argument(
            "--report",
            type=Path,
            help="Dove scrivere le righe rifiutate (.xlsx o .csv).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        company = company_named(options["company"])
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"File non trovato: {path}")
        with path.open("rb") as source:
            run = import_file(
                company,
                options["kind"],
                source,
                file_name=path.name,
                source_kind=ImportSource.COMMAND,
                dry_run=options["dry_run"],
            )
        self.stdout.write(f"{run.kind} {path.name}: {summary(run)}")
        for line in run.report[:20]:
            self.stdout.write(
                f"  riga {line['row']} {line['column']} «{line['value']}»: {line['message']}"
            )
        if len(run.report) > 20:
            self.stdout.write(f"  … altri {len(run.report) - 20} errori nel rapporto")
        report: Path | None = options["report"]
        if report is not None and run.report:
            self._write_report(run, report)
        if run.status == ImportStatus.REJECTED:
            raise CommandError("File rifiutato: nessuna riga è stata importata.")

    def _write_report(self, run: Any, target: Path) -> None:
        exporter = RejectedRowsExporter(run)
        if target.suffix.lower() == ".csv":
            from sportello.core.exports import csv_rows

            with target.open("wb") as out:
                for chunk in csv_rows(exporter):
                    out.write(chunk)
        else:
            write_xlsx(exporter, str(target))
        self.stdout.write(f"Rapporto delle righe rifiutate: {target}")
