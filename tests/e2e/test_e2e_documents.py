"""In a real browser on a phone: the documents page fits the screen (390 px wide)
with the document titles and their downloads first, and passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.harness import Portal, assert_accessible
from tests.e2e.test_e2e_shell import log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("slug", ["claris", "release"])
def test_it_fits_the_documents_page_on_a_phone(portal: Portal, page: Page, slug: str) -> None:
    page.set_viewport_size(PHONE)
    log_in(portal, page, slug)

    page.goto(portal.url(slug, "/documenti/"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Documenti")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"
    # Each document's title and its download are on screen, not beyond its edge.
    for link in page.get_by_role("link", name="Scarica").all():
        box = link.bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    assert_accessible(page)
