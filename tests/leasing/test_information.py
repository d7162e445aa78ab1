"""Information pages (H1–H3): the guide, the contacts and the FAQ are each
company's own, and its operators keep them in the back office."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from pytest_django import Settings
from tests.factories import Tenant, make_company, make_operator, operator_client

from sportello.core.models import Company, FaqEntry

PERMISSIONS = [
    "core.view_company",
    "core.change_company",
    "core.view_faqentry",
    "core.add_faqentry",
    "core.change_faqentry",
]


def text(response: Any) -> str:
    page = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(page))


@pytest.fixture
def back_office(release: Tenant, settings: Settings) -> Client:
    settings.PLATFORM_HOSTS = ["backoffice.test"]
    return operator_client(make_operator(release.company, permissions=PERMISSIONS))


def company_form_data(client: Client, company: Company, **changes: str) -> dict[str, Any]:
    """The admin's change form of ``company`` as it is, with ``changes``."""
    response = client.get(f"/admin/core/company/{company.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    data: dict[str, Any] = {
        # An unticked checkbox is not sent at all.
        name: value
        for name, value in form.initial.items()
        if value is not None and value != "" and value is not False
    }
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(
            {
                f"{formset.prefix}-{key}": value
                for key, value in formset.management_form.initial.items()
            }
        )
        for index, sub_form in enumerate(formset.forms):
            for name in sub_form.fields:
                value = sub_form.initial.get(name)
                if name == "id":
                    value = sub_form.instance.pk
                if name == "company":
                    value = company.pk
                if value not in (None, "", False):
                    data[f"{formset.prefix}-{index}-{name}"] = value
    data.pop("logo", None)
    return {**data, **changes}


def test_it_shows_each_companys_own_contacts(release: Tenant, energia: Tenant) -> None:
    release.company.commercial_contacts = "Filiale Asset Italease del Banco BPM"
    release.company.phone = "02 1234567"
    release.company.save()

    release_page = text(release.client().get("/contatti/"))
    energia_page = text(energia.client().get("/contatti/"))

    assert "assistenza@release.test" in release_page
    assert "Filiale Asset Italease del Banco BPM" in release_page
    assert "02 1234567" in release_page
    assert "assistenza@energia.test" in energia_page
    assert "assistenza@release.test" not in energia_page
    assert "Filiale Asset Italease" not in energia_page


def test_it_lets_an_operator_edit_the_guide_and_the_contacts(
    release: Tenant, back_office: Client
) -> None:
    data = company_form_data(
        back_office,
        release.company,
        guide="Come leggere il piano di ammortamento.\n\nCome scaricare i beni.",
        support_email="areariservata@release.test",
        commercial_contacts="Filiale di Milano, via Roma 1",
    )

    response = back_office.post(f"/admin/core/company/{release.company.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    release.company.refresh_from_db()
    assert release.company.feature_transparency  # nothing else changed
    client = release.client()
    guide = client.get("/guida/").content.decode()
    assert "<p>Come leggere il piano di ammortamento.</p>" in guide
    assert "<p>Come scaricare i beni.</p>" in guide
    contacts = text(client.get("/contatti/"))
    assert "areariservata@release.test" in contacts
    assert "Filiale di Milano, via Roma 1" in contacts


def test_it_lets_an_operator_add_a_faq_entry_per_language(
    release: Tenant, back_office: Client
) -> None:
    for language, question, answer in [
        ("it", "Dove trovo il piano di ammortamento?", "Nella pagina del contratto."),
        ("en", "Where is the amortisation plan?", "On the contract's page."),
    ]:
        response = back_office.post(
            "/admin/core/faqentry/add/",
            {
                "company": release.company.pk,
                "language": language,
                "position": 1,
                "question": question,
                "answer": answer,
            },
        )
        assert response.status_code == 302

    italian = release.client()
    english = release.client()
    english.cookies["django_language"] = "en"

    italian_page = text(italian.get("/faq/"))
    english_page = text(english.get("/faq/"))
    assert "Dove trovo il piano di ammortamento? Nella pagina del contratto." in italian_page
    assert "Where is the amortisation plan?" not in italian_page
    assert "Where is the amortisation plan? On the contract's page." in english_page
    assert "Frequently asked questions" in english_page


def test_it_keeps_another_companys_faq_and_guide_apart(
    release: Tenant, energia: Tenant, back_office: Client
) -> None:
    FaqEntry.objects.create(
        company=energia.company, language="it", question="Come faccio l'autolettura?", answer="…"
    )
    energia.company.guide = "Guida del portale energia"
    energia.company.save()

    assert "autolettura" not in text(release.client().get("/faq/"))
    assert "Guida del portale energia" not in text(release.client().get("/guida/"))
    # The operator of Release cannot open Energia's company in the back office.
    response = back_office.get(f"/admin/core/company/{energia.company.pk}/change/")
    assert response.status_code in (302, 404)
    other = make_company("altra")
    assert back_office.get(f"/admin/core/company/{other.pk}/change/").status_code in (302, 404)


def test_it_says_when_there_is_no_guide_or_faq(release: Tenant) -> None:
    client = release.client()

    assert "La guida operativa non è ancora stata pubblicata." in text(client.get("/guida/"))
    assert "Non ci sono ancora domande frequenti." in text(client.get("/faq/"))
