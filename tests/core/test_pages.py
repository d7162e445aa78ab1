"""The page shell: home, menu, error pages, language and brand."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from unittest import mock

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.test import Client
from django.utils import timezone
from pytest_django import Settings
from tests.accounts.login_steps import log_in
from tests.factories import CUSTOMER_BACKEND, Tenant, make_sub_user

from sportello.accounts.models import PortalUser
from sportello.core.models import Company, contrast_with_white
from sportello.core.templatetags.sportello import datetime_local
from sportello.portal.menu import LEASING_MENU, UTILITY_MENU, MenuEntry


def html_lang(response: Any) -> str:
    content = response.content.decode()
    start = content.index('<html lang="') + len('<html lang="')
    return content[start : content.index('"', start)]


def test_it_shows_a_visitor_the_public_home(release: Tenant) -> None:
    response = release.client().get("/")

    page = response.content.decode()
    assert "Area clienti Release S.p.A." in page
    assert 'href="/accesso/"' in page
    assert "Sede legale Milano" in page
    assert "Fatture e pagamenti" not in page


def test_it_shows_a_customer_its_home(release: Tenant) -> None:
    response = release.logged_in_client().get("/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Benvenuto, Rossi Mario" in page
    assert ">MR</a>" in page
    for label in ["Fatture e pagamenti", "Contratti", "Beni in locazione", "Richieste"]:
        assert label in page
    assert "Release S.p.A. - Sede legale Milano - P.IVA 12345678901" in page
    assert 'id="logout-dialog"' in page


def test_it_shows_a_utility_customer_the_utility_menu(energia: Tenant) -> None:
    page = energia.logged_in_client().get("/").content.decode()

    assert "Autolettura contatore" in page
    assert "Prelievi fatturati" in page
    assert "Beni in locazione" not in page


def test_it_shows_initials_from_the_login_when_the_name_is_missing(release: Tenant) -> None:
    release.user.first_name = release.user.last_name = ""
    release.user.save()

    page = release.logged_in_client().get("/").content.decode()

    assert ">MR</a>" in page  # mrossi


@pytest.mark.parametrize(
    ("tenant_name", "menu"), [("release", LEASING_MENU), ("energia", UTILITY_MENU)]
)
def test_it_opens_a_page_from_every_menu_entry(
    request: pytest.FixtureRequest, tenant_name: str, menu: list[MenuEntry]
) -> None:
    tenant: Tenant = request.getfixturevalue(tenant_name)
    client = tenant.logged_in_client()
    page = client.get("/").content.decode()

    for entry in menu:
        url = entry.url
        assert f'href="{url}"' in page
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
    assert "in arrivo" not in page


def test_it_lists_the_utility_menu_in_seed_004s_order(energia: Tenant) -> None:
    page = energia.logged_in_client().get("/").content.decode()
    menu = page[page.index('class="sp-menu-list') : page.index("</ul>")]

    labels = re.findall(r'<a href="[^"]+"[^>]*>([^<]+)</a>', menu)

    assert labels[:16] == [
        "Home page", "Elenco fatture", "Cambio password", "Autolettura contatore",
        "Dati anagrafici", "Prelievi fatturati", "Ticket", "Dati tecnici",
        "Dati contrattuali", "Misure elettriche", "I miei documenti",
        "Documentazione generica", "Modulistica", "Normative", "Comunicati", "Informazioni",
    ]  # fmt: skip


def test_it_shows_a_branded_404_page(release: Tenant) -> None:
    response = release.client().get("/non-esiste/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "Pagina non trovata" in page
    assert "Release S.p.A." in page
    assert "--sp-primary: #00529b" in page


@pytest.mark.urls("tests.core.failing_urls")
def test_it_shows_a_branded_500_page_without_details(release: Tenant) -> None:
    client = release.client(raise_request_exception=False)

    response = client.get("/guasto/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "Release S.p.A." in page
    assert "Si è verificato un errore" in page
    assert "assistenza@release.test" in page
    assert "Traceback" not in page
    assert "hunter2" not in page
    assert "RuntimeError" not in page


@pytest.mark.urls("tests.core.failing_urls")
def test_it_answers_503_with_retry_after_when_the_database_is_away(release: Tenant) -> None:
    client = release.client(raise_request_exception=False)

    response = client.get("/database-assente/")

    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    page = response.content.decode()
    assert "Release S.p.A." in page
    assert "Si è verificato un errore" in page
    assert "closed the connection" not in page


def test_it_switches_to_english_from_the_language_form(release: Tenant) -> None:
    client = release.client()

    response = client.post("/lingua/", {"language": "en", "next": "/guida/"})

    assert response.status_code == 302
    assert response["Location"] == "/guida/"
    assert client.cookies["django_language"].value == "en"
    page = client.get("/")
    assert html_lang(page) == "en"
    assert page["Content-Language"] == "en"
    assert "Release S.p.A. customer area" in page.content.decode()
    assert "Log in to the customer area" in page.content.decode()


def test_it_switches_back_to_italian(release: Tenant) -> None:
    client = release.client()
    client.post("/lingua/", {"language": "en", "next": "/"})

    client.post("/lingua/", {"language": "it", "next": "/"})

    page = client.get("/")
    assert html_lang(page) == "it"
    assert "Area clienti Release S.p.A." in page.content.decode()


def test_it_stays_italian_whatever_the_browser_prefers(release: Tenant) -> None:
    response = release.client().get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    assert html_lang(response) == "it"
    assert "Area clienti Release S.p.A." in response.content.decode()


def test_it_speaks_the_customers_chosen_language(release: Tenant) -> None:
    release.user.language = "en"
    release.user.save()

    page = release.logged_in_client().get("/").content.decode()

    assert "Welcome, Rossi Mario" in page
    assert "Invoices and payments" in page


def test_it_lets_the_switch_override_the_customers_language(release: Tenant) -> None:
    release.user.language = "en"
    release.user.save()
    client = release.logged_in_client()

    client.post("/lingua/", {"language": "it", "next": "/"})

    assert "Benvenuto, Rossi Mario" in client.get("/").content.decode()


def test_it_ignores_a_language_it_does_not_offer(release: Tenant) -> None:
    client = release.client()
    client.cookies["django_language"] = "de"

    assert html_lang(client.get("/")) == "it"


def test_it_serves_the_public_pages_of_a_company(release: Tenant) -> None:
    release.company.guide = "Come leggere lo scadenziario."
    release.company.save()
    client = release.client()

    assert "Come leggere lo scadenziario." in client.get("/guida/").content.decode()
    assert "assistenza@release.test" in client.get("/contatti/").content.decode()
    assert client.get("/faq/").status_code == 200


def test_it_has_no_company_pages_on_the_platform_host(settings: Settings, db: None) -> None:
    settings.PLATFORM_HOSTS = ["localhost"]
    client = Client(HTTP_HOST="localhost")

    for url in ["/guida/", "/contatti/", "/faq/", "/accesso/", "/in-arrivo/contracts/"]:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("colour", ["#f2b705", "#ffffff", "#777777", "#00a3e0"])
def test_it_refuses_a_primary_colour_white_text_cannot_be_read_on(db: None, colour: str) -> None:
    company = Company(slug="chiaro", name="Chiaro", kind="leasing", support_email="a@chiaro.test")
    company.primary_colour = colour

    with pytest.raises(ValidationError) as error:
        company.full_clean()

    assert list(error.value.message_dict) == ["primary_colour"]
    assert "4,5:1" in error.value.message_dict["primary_colour"][0]


@pytest.mark.parametrize("colour", ["#0b4f8a", "#767676", "#000000", "#00529b"])
def test_it_accepts_a_primary_colour_with_enough_contrast(db: None, colour: str) -> None:
    company = Company(slug="scuro", name="Scuro", kind="leasing", support_email="a@scuro.test")
    company.primary_colour = colour

    company.full_clean()


def test_it_measures_contrast_as_wcag_does() -> None:
    assert contrast_with_white("#ffffff") == pytest.approx(1.0)
    assert contrast_with_white("#000000") == pytest.approx(21.0)
    assert contrast_with_white("#767676") == pytest.approx(4.54, abs=0.01)


def menu_item(page: str, url: str) -> str:
    """The text of the main menu's entry that links to ``url``."""
    menu = page[page.index('<ul class="sp-menu-list') : page.index("</ul>")]
    start = menu.index(f'<a href="{url}"')
    return re.sub(r"<[^>]+>", "", menu[start : menu.index("</a>", start)])


def test_it_links_each_menu_entry_to_its_section(release: Tenant, energia: Tenant) -> None:
    page = release.logged_in_client().get("/").content.decode()

    assert menu_item(page, "/richieste/") == "Richieste"
    assert menu_item(page, "/notifiche/") == "Notifiche"
    assert menu_item(page, "/contratti/") == "Contratti"
    utility = energia.logged_in_client().get("/").content.decode()
    assert menu_item(utility, "/richieste/") == "Ticket"
    assert menu_item(utility, "/documenti/informazioni/") == "Informazioni"
    assert menu_item(utility, "/fornitura/autoletture/") == "Autolettura contatore"
    assert menu_item(utility, "/notifiche/") == "Notifiche"


def test_it_offers_the_self_service_requests_on_the_home(release: Tenant) -> None:
    page = release.logged_in_client().get("/").content.decode()
    panels = page[page.index('id="requests-title"') : page.index("</main>")]

    assert panels.count(">Fai richiesta <") == 6
    assert "Tutte le richieste" in panels
    assert "in arrivo" not in panels


def test_it_hides_the_requests_where_the_company_offers_none(release: Tenant) -> None:
    release.company.feature_requests = False
    release.company.save()

    page = release.logged_in_client().get("/").content.decode()

    assert 'href="/richieste/"' not in page
    assert "Fai richiesta" not in page


def test_it_offers_every_utility_section_on_the_home(energia: Tenant) -> None:
    page = energia.logged_in_client().get("/").content.decode()
    sections = page[page.index("<main") : page.index("</main>")]

    assert "in arrivo" not in sections
    for label in ("Ticket", "Informazioni", "Autolettura contatore", "Profilo utente"):
        assert re.search(rf'<a class="card[^"]*" href="/[^"]+"><span[^>]*>{label}</span>', sections)


def test_it_greets_a_sub_user_by_their_own_name(release: Tenant) -> None:
    sub_user = make_sub_user(release.user, first_name="Luigi", last_name="Verdi")

    page = release.logged_in_client(sub_user).get("/").content.decode()

    assert "Benvenuto, Luigi Verdi" in page
    assert "Benvenuto, Rossi Mario" not in page
    assert f"Area clienti di Rossi Mario (codice cliente {release.customer.code})" in page


def test_it_shows_a_sub_user_their_own_last_access(release: Tenant) -> None:
    sub_user = make_sub_user(release.user, first_name="Luigi", last_name="Verdi")
    release.user.previous_login = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 30))
    release.user.save()
    sub_user.previous_login = timezone.make_aware(dt.datetime(2026, 4, 5, 18, 15))
    sub_user.save()

    page = release.logged_in_client(sub_user).get("/").content.decode()

    assert "Ultimo accesso: 05/04/2026 18:15" in page
    assert "02/03/2026" not in page


def test_it_says_when_this_is_the_first_access(release: Tenant) -> None:
    page = release.logged_in_client().get("/").content.decode()

    assert "Ultimo accesso: questo è il primo accesso" in page


def test_it_remembers_a_sub_users_previous_access_through_the_login(release: Tenant) -> None:
    sub_user = make_sub_user(release.user, first_name="Luigi", last_name="Verdi")
    log_in(release.client(), sub_user.login)
    first = PortalUser.objects.get(pk=sub_user.pk).last_login

    client = release.client()
    log_in(client, sub_user.login)

    assert first is not None
    assert PortalUser.objects.get(pk=sub_user.pk).previous_login == first
    page = client.get("/").content.decode()
    assert f"Ultimo accesso: {datetime_local(first)}" in page


def test_it_tells_a_visitor_what_the_utility_portal_offers(energia: Tenant) -> None:
    page = energia.client().get("/").content.decode()
    lead = page[page.index('<p class="lead">') : page.index("</p>", page.index('<p class="lead">'))]

    for word in ["autolettur", "ticket", "consumi", "fatture", "modulistica"]:
        assert word in lead.lower()
    assert "in arrivo" not in lead


def test_it_answers_503_when_the_session_is_lost_with_the_database(release: Tenant) -> None:
    client = release.client(raise_request_exception=False)
    client.force_login(release.user, backend=CUSTOMER_BACKEND)

    def database_gone(self: SessionStore, must_create: bool = False) -> None:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError:
            raise UpdateError from None

    with mock.patch.object(SessionStore, "save", database_gone):
        response = client.get("/")

    assert response.status_code == 503
    assert "Release S.p.A." in response.content.decode()
