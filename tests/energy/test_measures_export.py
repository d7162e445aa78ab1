"""«Misure elettriche» downloaded (G6): CSV for Italian Excel (BOM, «;», decimal comma)
and XLSX with real date and number cells, both streamed through the one export
writer; a header naming point and period, every interval of the clock-change
days with its UTC offset, and the page's totals."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.energy.helpers import measure_days
from tests.energy.pages import text, tree
from tests.factories import Tenant, make_customer, make_supply_point, make_user

from sportello.core.exports import CSV_CHUNK_BYTES, XLSX_TYPE
from sportello.energy import exports
from sportello.energy.models import Commodity, Measure, SupplyPoint

URL = "/fornitura/misure/esporta/"
SPRING = dt.date(2026, 3, 29)
AUTUMN = dt.date(2026, 10, 25)
HEADER = (
    "Data e ora (ora italiana);Fuso orario;Intervallo (minuti);Energia attiva (kWh);"
    "Energia reattiva (kvarh);Potenza massima (kW)"
)


@pytest.fixture
def point(energia: Tenant) -> SupplyPoint:
    point: SupplyPoint = make_supply_point(
        energia.customer, number="PR002874", code="IT001E12345678", address="VIA PROVA 5"
    )
    return point


def csv_lines(response: Any) -> list[str]:
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    return raw.decode("utf-8-sig").split("\r\n")[:-1]


def workbook_rows(response: Any) -> list[tuple[Any, ...]]:
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def day(when: dt.date, **more: str) -> dict[str, str]:
    return {"dal": when.isoformat(), "al": when.isoformat(), **more}


def page_totals(client: Any, query: dict[str, str]) -> list[str]:
    shown = tree(client.get("/fornitura/misure/", query))
    return [text(shown.find_class("col-sm-7")[n]) for n in range(4)]


def test_it_writes_a_csv_that_italian_excel_reads(energia: Tenant, point: SupplyPoint) -> None:
    measure_days(point, AUTUMN, AUTUMN)

    response = energia.logged_in_client().get(URL, day(AUTUMN, format="csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="misure-elettriche-PR002874-20261025-20261025.csv"'
    )
    assert response.streaming
    lines = csv_lines(response)
    assert lines[:6] == [
        "Misure elettriche",
        "Punto di fornitura;PR002874 (Pod: IT001E12345678)",
        "Indirizzo di fornitura;VIA PROVA 5",
        "Periodo;dal 25/10/2026 al 25/10/2026, ora italiana",
        "",
        HEADER,
    ]
    data = lines[6:-1]
    assert len(data) == 100
    first = Measure.objects.filter(supply_point=point).order_by("measured_at").first()
    assert first is not None
    assert data[0] == (
        f"25/10/2026 00:00;UTC+02:00;15;{first.active_energy:.3f};0,050;"
        f"{first.peak_power:.3f}".replace(".", ",")
    )
    assert [line.split(";")[:2] for line in data[8:13]] == [
        ["25/10/2026 02:00", "UTC+02:00"],
        ["25/10/2026 02:15", "UTC+02:00"],
        ["25/10/2026 02:30", "UTC+02:00"],
        ["25/10/2026 02:45", "UTC+02:00"],
        ["25/10/2026 02:00", "UTC+01:00"],
    ]
    assert data[-1].startswith("25/10/2026 23:45;UTC+01:00;15;")


def test_it_writes_the_spring_day_as_92_rows(energia: Tenant, point: SupplyPoint) -> None:
    measure_days(point, SPRING, SPRING)

    lines = csv_lines(energia.logged_in_client().get(URL, day(SPRING, format="csv")))

    data = lines[6:-1]
    assert len(data) == 92
    assert [line[:16] for line in data[7:9]] == ["29/03/2026 01:45", "29/03/2026 03:00"]


def test_it_ends_the_file_with_the_totals_the_page_shows(
    energia: Tenant, point: SupplyPoint
) -> None:
    measures = measure_days(point, AUTUMN, AUTUMN)
    client = energia.logged_in_client()

    total = csv_lines(client.get(URL, day(AUTUMN, format="csv")))[-1].split(";")

    active = sum((m.active_energy for m in measures), Decimal(0))
    peak = max(m.peak_power or Decimal(0) for m in measures)
    assert total == [
        "Totale del periodo",
        "",
        "",
        f"{active:.3f}".replace(".", ","),
        "5,000",
        f"{peak:.3f}".replace(".", ","),
    ]
    count, shown_active, shown_reactive, shown_peak = page_totals(client, day(AUTUMN))
    assert count == "100"
    assert Decimal(shown_active.replace(".", "").replace(",", ".")) == active
    assert shown_reactive == "5"
    assert Decimal(shown_peak.replace(",", ".")) == peak


def test_it_writes_real_dates_and_numbers_in_the_workbook(
    energia: Tenant, point: SupplyPoint
) -> None:
    measures = measure_days(point, AUTUMN, AUTUMN)

    response = energia.logged_in_client().get(URL, day(AUTUMN))

    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == (
        'attachment; filename="misure-elettriche-PR002874-20261025-20261025.xlsx"'
    )
    rows = workbook_rows(response)
    assert rows[0][:1] == ("Misure elettriche",)
    assert rows[1][:2] == ("Punto di fornitura", "PR002874 (Pod: IT001E12345678)")
    assert rows[3][:2] == ("Periodo", "dal 25/10/2026 al 25/10/2026, ora italiana")
    assert rows[5] == tuple(HEADER.split(";"))
    data = rows[6:-1]
    assert len(data) == 100
    assert data[0][0] == dt.datetime(2026, 10, 25, 0, 0)
    assert isinstance(data[0][3], float) and isinstance(data[0][2], int)
    assert data[0][3] == float(measures[0].active_energy)
    assert data[8][:2] == (dt.datetime(2026, 10, 25, 2, 0), "UTC+02:00")
    assert data[12][:2] == (dt.datetime(2026, 10, 25, 2, 0), "UTC+01:00")
    active = sum((m.active_energy for m in measures), Decimal(0))
    assert rows[-1][0] == "Totale del periodo"
    assert rows[-1][3] == pytest.approx(float(active))
    assert rows[-1][4] == pytest.approx(5.0)


def test_it_formats_the_workbook_cells_as_italian_dates_and_thousandths(
    energia: Tenant, point: SupplyPoint
) -> None:
    measure_days(point, SPRING, SPRING)

    response = energia.logged_in_client().get(URL, day(SPRING))

    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    assert sheet["A7"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["D7"].number_format == "#,##0.000"
    assert sheet["C7"].number_format == "0"


def test_it_downloads_the_last_day_when_no_period_is_given(
    energia: Tenant, point: SupplyPoint
) -> None:
    measure_days(point, dt.date(2026, 3, 27), SPRING)

    lines = csv_lines(energia.logged_in_client().get(URL, {"format": "csv"}))

    assert lines[3] == "Periodo;dal 29/03/2026 al 29/03/2026, ora italiana"
    assert len(lines[6:-1]) == 92


def test_it_streams_a_month_of_quarter_hours(energia: Tenant, point: SupplyPoint) -> None:
    measure_days(point, dt.date(2026, 10, 1), dt.date(2026, 10, 31))

    response = energia.logged_in_client().get(
        URL, {"dal": "2026-10-01", "al": "2026-10-31", "format": "csv"}
    )

    assert response.streaming
    assert len(csv_lines(response)[6:-1]) == 31 * 96 + 4


def test_it_streams_a_year_of_quarter_hours_while_it_reads_them(
    energia: Tenant, point: SupplyPoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    measure_days(point, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    read = 0
    real_offset_label = exports.offset_label

    def counting(offset: dt.timedelta) -> str:
        nonlocal read
        read += 1  # once per row
        return real_offset_label(offset)

    monkeypatch.setattr(exports, "offset_label", counting)

    response = energia.logged_in_client().get(
        URL, {"dal": "2025-01-01", "al": "2025-12-31", "format": "csv"}
    )
    chunks = iter(response.streaming_content)
    head = [next(chunks), next(chunks)]

    # The first lines are out while most of the year is still in the database.
    assert response.streaming and "Content-Length" not in response
    assert 0 < read < 5_000
    rest = [*head, *chunks]
    assert read == 35_040
    assert max(len(chunk) for chunk in rest) < CSV_CHUNK_BYTES + 200
    lines = b"".join(rest).decode("utf-8-sig").split("\r\n")[:-1]
    assert lines[3] == "Periodo;dal 01/01/2025 al 31/12/2025, ora italiana"
    rows = lines[6:-1]
    assert len(rows) == 365 * 96
    assert rows[0].startswith("01/01/2025 00:00;UTC+01:00;15;")
    assert rows[-1].startswith("31/12/2025 23:45;UTC+01:00;15;")
    assert sum(row.startswith("26/10/2025 02:15;") for row in rows) == 2  # the autumn hour
    assert not any(row.startswith("30/03/2025 02:") for row in rows)  # the spring one
    assert lines[-1].startswith("Totale del periodo;;;")


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_it_exports_a_day_and_eleven_days_in_the_same_queries(
    energia: Tenant, point: SupplyPoint, export_format: str
) -> None:
    measure_days(point, dt.date(2026, 3, 1), dt.date(2026, 3, 11))
    client = energia.logged_in_client()
    client.get("/")  # the session's first-request writes are not the export's

    def queries(last: str) -> int:
        query = {"dal": "2026-03-01", "al": last, "format": export_format}
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get(URL, query).streaming_content)
        return len(captured)

    assert queries("2026-03-01") == queries("2026-03-11")  # 96 rows, then 1,056


def test_it_sends_a_bad_period_back_to_the_page(energia: Tenant, point: SupplyPoint) -> None:
    query = {"dal": "2026-03-10", "al": "2026-03-01", "format": "csv"}

    response = energia.logged_in_client().get(URL, query)

    assert response.status_code == 302
    assert response["Location"] == "/fornitura/misure/?dal=2026-03-10&al=2026-03-01"


def test_it_has_nothing_to_download_for_a_gas_point(energia: Tenant) -> None:
    make_supply_point(energia.customer, Commodity.GAS)

    response = energia.logged_in_client().get(URL, day(SPRING, format="csv"))

    assert response.status_code == 302
    assert response["Location"].startswith("/fornitura/misure/")


def test_it_offers_both_formats_with_the_pages_period(energia: Tenant, point: SupplyPoint) -> None:
    measure_days(point, SPRING, SPRING)

    page = energia.logged_in_client().get("/fornitura/misure/", day(SPRING)).content.decode()

    assert f'href="{URL}?dal=2026-03-29&amp;al=2026-03-29" download>Esporta Excel' in page
    assert f'href="{URL}?dal=2026-03-29&amp;al=2026-03-29&amp;format=csv" download>' in page


def test_it_never_exports_another_customers_measures(energia: Tenant, point: SupplyPoint) -> None:
    measure_days(point, SPRING, SPRING)
    neighbour = make_user(make_customer(energia.company))

    response = energia.logged_in_client(neighbour).get(URL, day(SPRING, format="csv"))

    assert response.status_code == 302


def test_it_is_a_utility_download(release: Tenant) -> None:
    assert release.logged_in_client().get(URL).status_code == 404
