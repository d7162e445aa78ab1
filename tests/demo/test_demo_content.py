"""The demo companies' own content: complete in English, and promising only what is built."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.utils import translation

from sportello.accounts.models import PortalUser
from sportello.core.models import Company, Conformity
from sportello.demo.builder import build_demo
from sportello.demo.companies import COMPANIES, UTILITY_GUIDE, utility_guide
from sportello.portal.menu import LEASING_MENU, UTILITY_MENU, MenuEntry, menu_for

TODAY = dt.date(2026, 11, 22)

#: Words that speak of a section besides its menu label, by menu key. A guide or
#: FAQ that uses them while the section is "coming soon" promises what is not there.
SECTION_WORDS = {
    "requests": ["richiest", "request", "self-service", "self service", "ticket"],
    "notifications": ["notific", "comunicazion"],
    "invoices": ["elenco fatture", "invoice list"],
    "self-reading": ["autolettur", "lettur", "self-reading", "meter reading"],
    "personal-data": ["dati anagrafici", "personal data", "difformità"],
    "consumption": ["prelievi", "consum"],
    "measures": ["misure", "measure"],
    "technical-data": ["dati tecnici", "technical data", "punto di fornitura", "supply point"],
    "contract-data": ["dati contrattuali", "contract data"],
    "documents": ["documenti", "documents", "modulistica", "normativ"],
}


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    """The demo, built once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        build_demo(seed=2026, today=TODAY)
        yield
        transaction.set_rollback(True)


pytestmark = pytest.mark.usefixtures("demo", "db")


def companies() -> list[Company]:
    return list(Company.objects.prefetch_related("faq_entries").order_by("slug"))


def words_of(entry: MenuEntry) -> list[str]:
    labels = [str(entry.label)]
    with translation.override("en"):
        labels.append(str(entry.label))
    return [label.lower() for label in labels] + SECTION_WORDS.get(entry.key, [])


def content_of(company: Company) -> dict[str, str]:
    texts = {
        "guide": company.guide,
        "guide_en": company.guide_en,
        "commercial_contacts": company.commercial_contacts,
        "commercial_contacts_en": company.commercial_contacts_en,
    }
    for faq in company.faq_entries.all():
        texts[f"faq {faq.language} {faq.position}"] = f"{faq.question}\n{faq.answer}"
    return texts


#: The utility sections a company can switch off (``Company.feature_*``).
SWITCHABLE = {"self-reading", "requests"}


def switched_off(company: Company) -> list[MenuEntry]:
    """The entries of the company's kind of menu that the company does not offer."""
    offered = {entry.key for entry in menu_for(company)}
    every = UTILITY_MENU if company.is_utility else LEASING_MENU
    return [entry for entry in every if entry.key not in offered]


def test_it_mentions_no_section_the_company_does_not_offer() -> None:
    promises = []
    for company in companies():
        coming = switched_off(company)
        for where, text in content_of(company).items():
            for entry in coming:
                promises += [
                    f"{company.slug} {where}: {word!r} ({entry.key} is not offered)"
                    for word in words_of(entry)
                    if word in text.lower()
                ]

    assert promises == []


def test_it_writes_each_guide_paragraph_and_answer_only_of_the_sections_it_names() -> None:
    """So a company that switches a section off shows no paragraph speaking of it."""
    coming = [entry for entry in UTILITY_MENU if entry.key in SWITCHABLE]
    texts = [(p.sections, f"{p.it}\n{p.en}") for p in UTILITY_GUIDE] + [
        (faq.sections, "\n".join(faq[:4])) for faq in COMPANIES[-1].faq
    ]
    promises = [
        f"{text[:40]!r}: {word!r} ({entry.key} is not among its sections)"
        for sections, text in texts
        for entry in coming
        if entry.key not in sections
        for word in words_of(entry)
        if word in text.lower()
    ]

    assert promises == []


def test_it_describes_the_whole_utility_area_once_it_is_built() -> None:
    company = Company.objects.get(slug="energia")
    keys = [entry.key for entry in menu_for(company)]
    italian, english = utility_guide(keys)

    for entry in menu_for(company):
        if entry.key in ("home", "guide", "faq"):
            continue
        label = str(entry.label)
        assert label.lower() in italian.lower(), entry.key
        with translation.override("en"):
            label_en = str(entry.label)
        if label_en != label:  # a label whose translation is still to be merged
            assert label_en.lower() in english.lower(), entry.key
    assert "in arrivo" not in italian and "coming soon" not in english
    assert "30 giorni" in italian and "Servizio Conciliazione" in italian
    assert (company.guide, company.guide_en) == (italian, english)


def test_it_writes_every_companys_content_in_english_too() -> None:
    for company in companies():
        assert company.guide_en and company.guide_en != company.guide, company.slug
        assert company.commercial_contacts_en, company.slug
        faqs = list(company.faq_entries.all())
        italian = [f.position for f in faqs if f.language == "it"]
        assert italian and italian == [f.position for f in faqs if f.language == "en"]
        if company.accessibility_issues:
            assert company.accessibility_issues_en, company.slug


def test_it_fills_in_every_companys_accessibility_statement() -> None:
    for company in companies():
        assert company.accessibility_reviewed_on is not None, company.slug
        assert company.accessibility_reviewed_on <= TODAY
        assert company.accessibility_email
        if company.accessibility_conformity != Conformity.FULL:
            assert company.accessibility_issues, company.slug


def test_it_gives_the_sub_users_a_previous_access_to_show() -> None:
    sub_users = PortalUser.objects.filter(parent__isnull=False)

    assert sub_users.exists()
    assert not sub_users.filter(last_login__isnull=True).exists()
