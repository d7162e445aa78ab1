"""In a real browser: a demo customer goes from the contracts to the contract page,
the amortisation plan (page 2 and the export), the leased assets (export) and the
documents; every page passes axe."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from tests.e2e.harness import Portal, assert_accessible
from tests.e2e.test_e2e_shell import customer_login, log_in

from sportello.core.formatting import format_date, format_money
from sportello.documents.models import Document
from sportello.leasing.models import Asset, Contract
from sportello.leasing.services import residual_capital_on

pytestmark = pytest.mark.e2e

SLUG = "claris"


def xlsx_rows(path: str | Path) -> list[tuple[Any, ...]]:
    sheet = openpyxl.load_workbook(io.BytesIO(Path(path).read_bytes())).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def dd(page: Page, label: str) -> str:
    """The value shown under the label ``label`` in a block of the contract page."""
    return page.locator(f"dt:text-is('{label}') + dd").first.inner_text().replace("\xa0", " ")


def money(value: Any) -> str:
    return format_money(value, "it").replace("\xa0", " ")


def test_it_walks_a_customer_through_contracts_plan_assets_and_documents(
    portal: Portal, page: Page
) -> None:
    login, _ = customer_login(portal, SLUG)
    with portal.database.active():
        document = (
            Document.objects.filter(
                company__slug=SLUG, customer__users__login=login, contract__isnull=False
            )
            .select_related("contract")
            .first()
        )
        assert document is not None and document.contract is not None
        contract = Contract.objects.get(pk=document.contract.pk)
        residual = residual_capital_on(contract, timezone.localdate())
        plan_count = contract.plan.count()
        asset_count = Asset.objects.filter(contract__customer=contract.customer).count()
        original_name = document.original_name
        document_bytes = document.file.read()
    assert plan_count > 25

    log_in(portal, page, SLUG)

    # The main menu leads to the contracts.
    page.locator("summary", has_text="Menu").click()
    page.get_by_role("link", name="Contratti", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contratti attivi")
    assert_accessible(page)

    page.get_by_role("link", name=contract.number, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Contratto {contract.number}")
    assert dd(page, "Importo contratto") == money(contract.amount)
    assert dd(page, "Importo anticipo") == money(contract.advance)
    assert dd(page, "Importo valore residuo") == money(contract.residual_value)
    assert dd(page, "Capitale residuo ad oggi") == money(residual)
    assert dd(page, "Data stipula") == format_date(contract.stipulated_on)
    assert dd(page, "Numero rate") == str(contract.instalment_count)
    assert dd(page, "IBAN") == contract.payment_iban
    assert_accessible(page)
    contract_url = page.url

    # The plan, page 2, and the whole plan in Excel.
    page.get_by_role("link", name="Piano di ammortamento").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Piano di ammortamento")
    expect(page.get_by_text(f"1 - 25 di {plan_count}")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Successiva").click()
    expect(page.get_by_text(f"26 - {min(50, plan_count)} di {plan_count}")).to_be_visible()
    expect(page.locator("#plan tbody tr")).to_have_count(min(25, plan_count - 25))
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Esporta Excel").click()
    plan_rows = xlsx_rows(download.value.path())
    assert plan_rows[0][0] == "Num. rata"
    assert len(plan_rows) == plan_count + 1
    second_page_first = page.locator("#plan tbody tr").first.locator("td")
    assert second_page_first.nth(0).inner_text() == str(plan_rows[26][0])
    assert second_page_first.nth(3).inner_text().replace("\xa0", " ") == money(plan_rows[26][3])

    # The leased assets of that contract, and of all of them in Excel.
    page.goto(contract_url)
    page.get_by_role("link", name="Lista beni").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beni in locazione")
    assert_accessible(page)
    page.get_by_label("Contratto").select_option(label="Tutti i contratti")
    page.get_by_role("button", name="Mostra").click()
    expect(page.locator("section.card")).to_have_count(asset_count)
    with page.expect_download() as download:
        page.get_by_role("link", name="Esporta Excel").click()
    asset_rows = xlsx_rows(download.value.path())
    assert asset_rows[0] == (
        "Codice Contratto",
        "Fine mandato",
        "Codice del bene",
        "Tipo di risorsa",
        "Valore Finanziario",
        "Valore atteso futuro",
        "Descrizione della risorsa",
    )
    assert len(asset_rows) == asset_count + 1

    # The contract's documents, downloaded.
    page.goto(contract_url)
    page.get_by_role("link", name="Vai a documenti").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Documenti del contratto {contract.number}"
    )
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Scarica {document.title}").click()
    assert download.value.suggested_filename == original_name
    assert Path(download.value.path()).read_bytes() == document_bytes

    page.get_by_role("link", name="Tutti i documenti").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Documenti")
    assert_accessible(page)


@pytest.mark.parametrize(
    "path", ["/contratti/", "/contratti/?stato=estinti", "/contratti/beni/", "/documenti/"]
)
def test_it_shows_the_contract_pages_in_english_accessibly(
    portal: Portal, page: Page, path: str
) -> None:
    log_in(portal, page, "release")
    page.context.add_cookies(
        [{"name": "django_language", "value": "en", "url": portal.url("release")}]
    )

    page.goto(portal.url("release", path))

    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page)
