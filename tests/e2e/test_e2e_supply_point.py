"""G1 ★ in Chromium: the supply point every utility page is about, chosen in the header."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from tests.e2e.harness import Portal, assert_accessible
from tests.e2e.test_e2e_request_history import PHONE, assert_fits
from tests.e2e.test_e2e_shell import DEMO_PASSWORD, enter_code

from sportello.accounts.models import PortalUser
from sportello.energy.models import SupplyPoint


def two_point_customer(portal: Portal) -> tuple[str, list[SupplyPoint]]:
    """The login of a demo main user whose customer has several supply points, and its points."""
    with portal.database.active():
        for user in PortalUser.objects.filter(
            company__slug="energia", customer__isnull=False, parent__isnull=True, is_active=True
        ).order_by("login"):
            points = list(SupplyPoint.objects.for_user(user).order_by("number", "code"))
            if len(points) > 1:
                return user.login, points
    raise AssertionError("the demo has no utility customer with several supply points")


def log_in_as(portal: Portal, page: Page, login: str) -> None:
    page.goto(portal.url("energia", "/accesso/"))
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Login").click()
    enter_code(portal, page, "energia", login)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Benvenuto")


def test_it_keeps_the_chosen_supply_point_while_navigating(portal: Portal, page: Page) -> None:
    login, points = two_point_customer(portal)
    first, second = points[0], points[1]
    page.set_viewport_size(PHONE)
    log_in_as(portal, page, login)

    selector = page.get_by_label("Punto di fornitura", exact=True)
    expect(selector).to_have_value(str(first.pk))
    expect(selector.locator("option:checked")).to_contain_text(
        f"{first.number} ({first.code_label}: {first.code}); {first.address}"
    )
    expect(page.get_by_text("Gentile Cliente, nel ringraziarti")).to_be_visible()
    assert_accessible(page)
    assert_fits(page)

    selector.select_option(str(second.pk))
    page.get_by_role("button", name="Cambia punto").click()

    # Back on the same page, about the second point; and still on the next page.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Benvenuto")
    expect(page.get_by_label("Punto di fornitura", exact=True)).to_have_value(str(second.pk))
    page.goto(portal.url("energia", "/notifiche/"))
    expect(page.get_by_label("Punto di fornitura", exact=True)).to_have_value(str(second.pk))
    assert_accessible(page)
    assert_fits(page)
