"""In a real browser (I2): an operator uploads a customers file with a bad row, reads why it
was refused and downloads the report, then uploads it corrected. Every page passes axe, on a
desktop and on a 390 px phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.harness import Portal, assert_accessible
from tests.e2e.test_e2e_request_history import PHONE
from tests.e2e.test_e2e_service_desk import log_operator_in

from sportello.customers.models import Customer
from sportello.integration.models import ImportRun, ImportStatus

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 900}
HEADER = "code;kind;name;codice_fiscale;partita_iva;address;postcode;city;province;email\n"
GOOD = "IMPE2E1;legal;Officine Adriatiche S.r.l.;;09876540429;Via Roma 1;60121;Ancona;AN;\n"
BAD = "IMPE2E2;alieno;Marta Bianchi;;02468130154;Via Po 2;10121;Torino;TO;\n"
FIXED = BAD.replace("alieno", "legal")


def accessible_on_desktop_and_phone(page: Page) -> None:
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a phone"
    page.set_viewport_size(DESKTOP)


def upload(page: Page, text: str) -> None:
    page.get_by_label("Tipo di dati").select_option(label="Clienti")
    page.get_by_label("File:", exact=True).set_input_files(
        {"name": "clienti.csv", "mimeType": "text/csv", "buffer": text.encode()}
    )
    page.get_by_role("button", name="Importa", exact=True).click()


def test_it_refuses_a_file_with_a_bad_row_then_imports_it_corrected(
    portal: Portal, page: Page
) -> None:
    page.set_viewport_size(DESKTOP)
    log_operator_in(portal, page)
    page.get_by_role("link", name="Importazioni").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importazioni")
    accessible_on_desktop_and_phone(page)

    upload(page, HEADER + GOOD + BAD)

    expect(page.get_by_role("status").first).to_have_text(
        "File rifiutato: nessuna riga è stata importata. 1 riga con errori."
    )
    expect(page.locator("#import-status")).to_have_text("Rifiutata")
    bad_row = page.locator("#rejected-rows tbody tr")
    expect(bad_row).to_have_count(1)
    expect(bad_row).to_contain_text("3")
    expect(bad_row).to_contain_text("alieno")
    accessible_on_desktop_and_phone(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Scarica righe rifiutate (CSV)").click()
    report = download.value.path().read_bytes().decode("utf-8-sig").splitlines()
    assert report[0] == "Riga;Colonna;Valore;Codice errore;Messaggio"
    assert report[1].startswith("3;kind;alieno;")
    with portal.database.active():
        assert not Customer.objects.filter(code__startswith="IMPE2E").exists()

    page.get_by_role("link", name="Carica il file corretto").click()
    upload(page, HEADER + GOOD + FIXED)

    expect(page.get_by_role("status").first).to_have_text(
        "Importazione completata: 2 create, 0 aggiornate, 0 invariate."
    )
    expect(page.locator("#import-status")).to_have_text("Completata")
    accessible_on_desktop_and_phone(page)
    page.get_by_role("link", name="Torna alle importazioni").click()
    expect(page.locator("#imports tbody tr").first).to_contain_text("Completata")
    expect(page.locator("#imports tbody tr").nth(1)).to_contain_text("Rifiutata")
    with portal.database.active():
        names = set(
            Customer.objects.filter(company__slug="release", code__startswith="IMPE2E").values_list(
                "name", flat=True
            )
        )
        assert names == {"Officine Adriatiche S.r.l.", "Marta Bianchi"}
        run = ImportRun.objects.filter(company__slug="release").first()
        assert run is not None and run.status == ImportStatus.DONE
        assert run.actor is not None and run.actor.username == "operatore-release"
