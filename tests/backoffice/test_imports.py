"""The back office's imports: uploading a feed file, the runs, a run's page and its report.

The engine itself (every kind, idempotence, query counts) is proven in
tests/integration; here what an operator does through the pages, and that
another company's operator reaches none of it.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http.response import HttpResponseBase
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import Settings
from tests.factories import Tenant, operator_client

from sportello.accounts.models import PortalUser
from sportello.core.models import AuditEvent, Company
from sportello.customers.models import Customer
from sportello.integration.models import ImportRun, ImportSource, ImportStatus

HEADER = "code;kind;name;codice_fiscale;partita_iva;address;postcode;city;province;email\n"
ALFA = "B001;legal;Alfa S.r.l.;;00743110157;Via Roma 1;20121;Milano;MI;alfa@example.test\n"
BRUNO = "B002;natural;Bruno Verdi;VRDBRN80A01F205V;;Via Po 2;10121;Torino;TO;\n"
BAD = "B003;alien;Carla Neri;;00743110157;Via Dante 3;00100;Roma;RM;\n"
VALID = HEADER + ALFA + BRUNO
WITH_ERRORS = HEADER + ALFA + BAD + BRUNO


def url(name: str, company: Company, *args: object) -> str:
    return reverse(f"backoffice:{name}", args=[company.slug, *args])


def upload(
    client: Client, company: Company, text: str, *, dry_run: bool = False, name: str = "clienti.csv"
) -> HttpResponseBase:
    data: dict[str, object] = {
        "kind": "customers",
        "file": SimpleUploadedFile(name, text.encode(), "text/csv"),
    }
    if dry_run:
        data["dry_run"] = "on"
    return client.post(url("imports", company), data, follow=True)


def page_messages(response: HttpResponseBase) -> list[str]:
    return [str(m) for m in response.context["messages"]]  # type: ignore[attr-defined]


def codes(company: Company) -> set[str]:
    return set(
        Customer.objects.filter(company=company, code__startswith="B").values_list(
            "code", flat=True
        )
    )


def test_it_imports_a_valid_file_and_says_what_it_did(
    desk: Client, release: Tenant, operator: PortalUser
) -> None:
    response = upload(desk, release.company, VALID)

    run = ImportRun.objects.get(company=release.company)
    assert response.redirect_chain == [(url("imports_run", release.company, run.pk), 302)]
    assert page_messages(response) == [
        "Importazione completata: 2 create, 0 aggiornate, 0 invariate."
    ]
    assert (run.status, run.rows, run.created, run.updated, run.unchanged, run.rejected) == (
        ImportStatus.DONE, 2, 2, 0, 0, 0,
    )  # fmt: skip
    assert (run.source, run.actor, run.file_name) == (
        ImportSource.BACKOFFICE,
        operator,
        "clienti.csv",
    )
    assert len(run.checksum) == 64
    assert codes(release.company) == {"B001", "B002"}
    assert Customer.objects.get(company=release.company, code="B001").name == "Alfa S.r.l."
    assert run.checksum in response.content.decode()


def test_it_counts_the_unchanged_rows_of_the_same_file_again(desk: Client, release: Tenant) -> None:
    upload(desk, release.company, VALID)

    response = upload(desk, release.company, VALID.replace("Bruno Verdi", "Bruno Verdi Rossi"))

    assert page_messages(response) == [
        "Importazione completata: 0 create, 1 aggiornate, 1 invariate."
    ]


def test_it_audits_the_import_as_the_operator(
    desk: Client, release: Tenant, operator: PortalUser
) -> None:
    upload(desk, release.company, VALID)

    event = AuditEvent.objects.get(action="integration.import")
    run = ImportRun.objects.get()
    assert (event.actor, event.company, event.object_id) == (operator, release.company, str(run.pk))
    assert (event.data["status"], event.data["created"]) == ("done", 2)


def test_it_rejects_a_file_with_errors_whole_and_shows_them(desk: Client, release: Tenant) -> None:
    response = upload(desk, release.company, WITH_ERRORS)

    run = ImportRun.objects.get(company=release.company)
    assert run.status == ImportStatus.REJECTED
    assert page_messages(response) == [
        "File rifiutato: nessuna riga è stata importata. 1 riga con errori."
    ]
    assert codes(release.company) == set()
    rows = response.context["report"]
    assert [(line["row"], line["column"], line["value"]) for line in rows] == [(3, "kind", "alien")]
    html = response.content.decode()
    assert 'id="rejected-rows"' in html and "alien" in html
    assert f"{url('imports_report', release.company, run.pk)}?format=csv" in html
    assert f"{url('imports_report', release.company, run.pk)}?format=xlsx" in html


def test_it_counts_every_rejected_row_in_the_message(desk: Client, release: Tenant) -> None:
    response = upload(desk, release.company, WITH_ERRORS + BAD.replace("B003", "B004"))

    assert page_messages(response) == [
        "File rifiutato: nessuna riga è stata importata. 2 righe con errori."
    ]


def test_it_downloads_the_rejected_rows_as_csv_and_xlsx_with_italian_headers(
    desk: Client, release: Tenant
) -> None:
    upload(desk, release.company, WITH_ERRORS)
    run = ImportRun.objects.get()
    report = url("imports_report", release.company, run.pk)

    as_csv = desk.get(f"{report}?format=csv")
    as_xlsx = desk.get(f"{report}?format=xlsx")

    assert as_csv.status_code == 200 and as_csv["Content-Type"].startswith("text/csv")
    lines = b"".join(as_csv.streaming_content).decode("utf-8-sig").splitlines()  # type: ignore[attr-defined]
    assert lines[0] == "Riga;Colonna;Valore;Codice errore;Messaggio"
    assert lines[1].startswith("3;kind;alien;")
    assert as_xlsx.status_code == 200
    content = b"".join(as_xlsx.streaming_content)  # type: ignore[attr-defined]
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    assert sheet is not None
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert table[0] == ["Riga", "Colonna", "Valore", "Codice errore", "Messaggio"]
    assert table[1][:3] == [3, "kind", "alien"]
    assert AuditEvent.objects.filter(action="integration.import_report.exported").count() == 2


def test_it_writes_nothing_on_a_dry_run_and_offers_the_real_one(
    desk: Client, release: Tenant
) -> None:
    response = upload(desk, release.company, VALID, dry_run=True)

    run = ImportRun.objects.get()
    assert (run.status, run.created) == (ImportStatus.DRY_RUN, 2)
    assert codes(release.company) == set()
    assert page_messages(response) == [
        "Prova completata, nulla è stato scritto: 2 da creare, 0 da aggiornare, 0 invariate."
    ]
    again = f"{url('imports', release.company)}?kind=customers#upload"
    assert again in response.content.decode()
    assert desk.get(again).context["form"]["kind"].value() == "customers"


def test_it_refuses_a_file_over_the_upload_limit(
    desk: Client, release: Tenant, settings: Settings
) -> None:
    settings.IMPORT_UPLOAD_MAX_BYTES = 100

    response = upload(desk, release.company, VALID)

    assert response.status_code == 200
    assert (
        response.context["form"]
        .errors["file"][0]
        .startswith("Il file supera la dimensione massima consentita")
    )
    assert not ImportRun.objects.exists()


def test_it_lists_the_companys_runs_newest_first(
    desk: Client, release: Tenant, energia: Tenant, operator: PortalUser
) -> None:
    upload(desk, release.company, VALID, name="primo.csv")
    upload(desk, release.company, WITH_ERRORS, name="secondo.csv")
    ImportRun.objects.create(
        company=energia.company, kind="customers", source=ImportSource.COMMAND, file_name="loro.csv"
    )

    response = desk.get(url("imports", release.company))

    rows = response.context["rows"]
    assert [(run.file_name, label) for run, label in rows] == [
        ("secondo.csv", "Clienti"),
        ("primo.csv", "Clienti"),
    ]
    html = response.content.decode()
    assert "Giulia Verdi" in html and "Rifiutata" in html and "Completata" in html
    assert "loro.csv" not in html


def test_it_lists_the_runs_in_constant_queries(
    desk: Client, release: Tenant, operator: PortalUser
) -> None:
    def queries_for(count: int) -> int:
        ImportRun.objects.all().delete()
        ImportRun.objects.bulk_create(
            ImportRun(
                company=release.company,
                kind="customers",
                source=ImportSource.BACKOFFICE,
                actor=operator,
                file_name=f"clienti-{n}.csv",
                status=ImportStatus.DONE,
                report=[],
            )
            for n in range(count)
        )
        with CaptureQueriesContext(connection) as captured:
            response = desk.get(url("imports", release.company))
        assert response.status_code == 200
        return len(captured.captured_queries)

    desk.get(url("imports", release.company))  # the session's first read is not the list's

    assert queries_for(1) == queries_for(30)


@pytest.fixture
def release_run(desk: Client, release: Tenant) -> ImportRun:
    upload(desk, release.company, WITH_ERRORS)
    return ImportRun.objects.get()


def test_it_shows_another_companys_operator_a_404_and_imports_nothing(
    release: Tenant, energia: Tenant, rival: PortalUser, release_run: ImportRun
) -> None:
    client = operator_client(rival)
    pages = [
        url("imports", release.company),
        url("imports_run", release.company, release_run.pk),
        url("imports_report", release.company, release_run.pk),
        url("imports_report", release.company, release_run.pk) + "?format=csv",
        # Through its own company: Release's run is not one of Energia's.
        url("imports_run", energia.company, release_run.pk),
        url("imports_report", energia.company, release_run.pk) + "?format=csv",
    ]

    for page in pages:
        response = client.get(page)
        assert response.status_code == 404, page
        assert b"alien" not in response.content

    posted = upload(client, release.company, VALID)
    assert posted.status_code == 404
    assert list(ImportRun.objects.all()) == [release_run]
    assert codes(release.company) == set()
    own = client.get(url("imports", energia.company))
    assert own.status_code == 200 and list(own.context["rows"]) == []


def test_it_says_why_a_file_that_cannot_be_read_is_refused(desk: Client, release: Tenant) -> None:
    response = desk.post(
        url("imports", release.company),
        {"kind": "customers", "file": SimpleUploadedFile("clienti.csv", b"code;name\n\xff\xfe\n")},
        follow=True,
    )

    assert ImportRun.objects.get().status == ImportStatus.REJECTED
    assert page_messages(response) == [
        "File rifiutato: nessuna riga è stata importata. "
        "Il file non è in UTF-8: salvarlo come «CSV UTF-8»."
    ]
