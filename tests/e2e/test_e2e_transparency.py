"""In a real browser: a leasing customer finds the annual transparency statement of a
contract with indexation, reads its figures and downloads the PDF (H4 ★); axe on every page."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Sum
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from tests.e2e.harness import Portal, assert_accessible
from tests.e2e.test_e2e_shell import enter_code

from sportello.accounts.models import PortalUser
from sportello.core.formatting import format_money
from sportello.demo.catalogue import DEMO_PASSWORD
from sportello.leasing.models import Contract, InstalmentKind, PlanInstalment

pytestmark = pytest.mark.e2e


def indexed_statement(portal: Portal, slug: str) -> tuple[str, Contract, int]:
    """A main user whose customer has a contract with indexation rows in a complete year."""
    today = timezone.localdate()
    with portal.database.active():
        rows = (
            PlanInstalment.objects.filter(
                kind=InstalmentKind.INDEXATION,
                contract__company__slug=slug,
                contract__customer__users__parent__isnull=True,
                contract__customer__users__is_active=True,
                due_date__year__lt=today.year,
            )
            .select_related("contract__reference_rate")
            .order_by("-due_date", "contract__number")
        )
        row = rows.first()
        assert row is not None, "the demo has no indexed contract"
        user = PortalUser.objects.get(customer=row.contract.customer_id, parent__isnull=True)
        return user.login, row.contract, row.due_date.year


def expected_figures(portal: Portal, contract: Contract, year: int) -> dict[str, Decimal]:
    """The closing residual capital and the indexation total, read straight from the plan."""
    with portal.database.active():
        capital_rows = PlanInstalment.objects.filter(contract=contract).exclude(
            kind=InstalmentKind.INDEXATION
        )
        last = capital_rows.filter(due_date__lte=dt.date(year, 12, 31)).order_by("-due_date")[0]
        indexation = PlanInstalment.objects.filter(
            contract=contract, kind=InstalmentKind.INDEXATION, due_date__year=year
        ).aggregate(total=Sum("amount"))["total"]
    return {"closing": last.residual_capital, "indexation": indexation}


def test_it_takes_a_customer_to_a_statement_and_its_pdf(portal: Portal, page: Page) -> None:
    login, contract, year = indexed_statement(portal, "claris")
    figures = expected_figures(portal, contract, year)
    closing = format_money(figures["closing"], "it")
    page.goto(portal.url("claris", "/accesso/"))
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Login").click()
    enter_code(portal, page, "claris", login)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Benvenuto")

    page.locator("summary", has_text="Menu").click()
    page.get_by_role("link", name="Rendiconti di trasparenza").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rendiconti di trasparenza")
    expect(page.get_by_role("heading", name=f"Contratto n. {contract.number}/")).to_be_visible()
    assert_accessible(page)

    page.get_by_role(
        "link", name=f"Visualizza il rendiconto {year} del contratto {contract.number}"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Rendiconto annuale ai fini della trasparenza (D.Lgs. 385/1993, art. 119)"
    )
    expect(page.locator('[data-figure="closing"]')).to_have_text(closing)
    expect(page.locator('[data-figure="indexation"]')).to_have_text(
        format_money(figures["indexation"], "it")
    )
    expect(page.get_by_text(str(contract.reference_rate.name_it)).first).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Scarica PDF", exact=True).click()
    assert download.value.suggested_filename == f"rendiconto-{contract.number}-{year}.pdf"
    pdf = Path(download.value.path()).read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Rendiconto annuale ai fini della trasparenza" in text
    assert closing.replace("\xa0", " ") in text.replace("\xa0", " ")
    assert f"{contract.number}/{contract.module_number}" in text

    # The same page in English passes axe too.
    page.context.add_cookies(
        [{"name": "django_language", "value": "en", "url": portal.url("claris")}]
    )
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator('[data-figure="closing"]')).to_have_text(
        format_money(figures["closing"], "en")
    )
    assert_accessible(page)


def test_it_fits_the_statement_and_the_schedule_on_a_phone(portal: Portal, page: Page) -> None:
    login, contract, year = indexed_statement(portal, "claris")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(portal.url("claris", "/accesso/"))
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Login").click()
    enter_code(portal, page, "claris", login)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Benvenuto")

    page.goto(portal.url("claris", f"/rendiconti/{contract.pk}/{year}/"))
    expect(page.locator('[data-figure="closing"]')).to_be_visible()
    # The page never scrolls sideways; a wide table scrolls inside its own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)

    page.goto(portal.url("claris", "/fatture-e-pagamenti/"))
    for name in ("Scadenza", "Importo", "Stato"):
        header = page.locator("#schedule thead th", has_text=name).first.bounding_box()
        assert header is not None and header["x"] + header["width"] <= 390, name
