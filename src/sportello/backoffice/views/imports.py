"""A company's imports: the runs, uploading a feed file, a run's page and its rejected rows.

The file goes to the same service as ``manage.py import``; the run comes
through the company, so another company's is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from sportello.core import audit
from sportello.core.exports import export_response, requested_format
from sportello.core.pagination import paginate
from sportello.integration.feeds import KINDS
from sportello.integration.models import ImportRun, ImportStatus
from sportello.integration.reports import RejectedRowsExporter

from ..access import (
    OfficeRequest,
    company_for,
    company_imports,
    import_run_for,
    operator_required,
)
from ..forms import ImportForm

#: Rejected rows shown on a run's page; the download has them all.
REPORT_ROWS_SHOWN = 50

OUTCOME_LEVEL: dict[str, int] = {
    ImportStatus.DONE: messages.SUCCESS,
    ImportStatus.DRY_RUN: messages.INFO,
    ImportStatus.REJECTED: messages.WARNING,
}


def kind_label(run: ImportRun) -> str:
    feed = KINDS.get(run.kind)
    return str(feed.label) if feed is not None else run.kind


def outcome_message(run: ImportRun) -> str:
    """What the run did, in the words the operator reads after uploading."""
    counts = {"created": run.created, "updated": run.updated, "unchanged": run.unchanged}
    if run.status == ImportStatus.DONE:
        return (
            _(
                "Importazione completata: %(created)s create, %(updated)s aggiornate, "
                "%(unchanged)s invariate."
            )
            % counts
        )
    if run.status == ImportStatus.DRY_RUN:
        return (
            _(
                "Prova completata, nulla è stato scritto: %(created)s da creare, "
                "%(updated)s da aggiornare, %(unchanged)s invariate."
            )
            % counts
        )
    unreadable = [line["message"] for line in run.report[:1] if line["row"] == 0]
    if unreadable:
        # The file as a whole could not be read (not UTF-8, not a spreadsheet): say why.
        return _("File rifiutato: nessuna riga è stata importata. %(reason)s") % {
            "reason": unreadable[0]
        }
    return ngettext(
        "File rifiutato: nessuna riga è stata importata. %(count)s riga con errori.",
        "File rifiutato: nessuna riga è stata importata. %(count)s righe con errori.",
        run.rejected,
    ) % {"count": run.rejected}


@require_http_methods(["GET", "HEAD", "POST"])
@operator_required
def import_list(request: OfficeRequest, company: str) -> HttpResponseBase:
    """The runs, newest first, under the upload form; an upload goes to its run's page."""
    office = company_for(request, company)
    form = ImportForm(initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            run = form.save(office, request.user)
            messages.add_message(request, OUTCOME_LEVEL[run.status], outcome_message(run))
            return redirect("backoffice:imports_run", office.slug, run.pk)
    page = paginate(request, company_imports(office))
    rows = [(run, kind_label(run)) for run in page]
    context = {"company": office, "active": "imports", "form": form, "page": page, "rows": rows}
    return render(request, "backoffice/imports.html", context)


@require_safe
@operator_required
def import_run(request: OfficeRequest, company: str, pk: int) -> HttpResponse:
    office = company_for(request, company)
    run = import_run_for(office, pk)
    context = {
        "company": office,
        "active": "imports",
        "run": run,
        "kind_label": kind_label(run),
        "report": run.report[:REPORT_ROWS_SHOWN],
    }
    return render(request, "backoffice/imports_run.html", context)


@require_safe
@operator_required
def import_report(request: OfficeRequest, company: str, pk: int) -> HttpResponseBase:
    """The run's rejected rows as XLSX or CSV (``?format=``): they may hold customers' data."""
    office = company_for(request, company)
    run = import_run_for(office, pk)
    audit.record(
        "integration.import_report.exported",
        request=request,
        company=office,
        obj=run,
        format=requested_format(request),
    )
    return export_response(request, RejectedRowsExporter(run))
