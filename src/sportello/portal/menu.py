"""The main menu (B5): the same entries on every page, by company kind; entries of
features a company switched off are left out."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sportello.core.models import Company


@dataclass(frozen=True)
class MenuEntry:
    key: str
    label: str | Promise
    url_name: str
    url_args: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return reverse(self.url_name, args=self.url_args)


LEASING_MENU = [
    MenuEntry("home", _("Home"), "portal:home"),
    MenuEntry("billing", _("Fatture e pagamenti"), "billing:schedule"),
    MenuEntry("invoices", _("Fatture"), "billing:invoices"),
    MenuEntry("contracts", _("Contratti"), "leasing:contracts"),
    MenuEntry("assets", _("Beni in locazione"), "leasing:assets"),
    MenuEntry("transparency", _("Rendiconti di trasparenza"), "transparency:list"),
    MenuEntry("requests", _("Richieste"), "servicedesk:list"),
    MenuEntry("documents", _("Documenti"), "documents:documents"),
    MenuEntry("notifications", _("Notifiche"), "notices:list"),
    MenuEntry("profile", _("Profilo utente"), "accounts:profile"),
    MenuEntry("guide", _("Guida operativa"), "core:guide"),
    MenuEntry("contacts", _("Contatti"), "core:contacts"),
    MenuEntry("faq", _("Domande frequenti"), "core:faq"),
]

#: Seed 004's menu, in its order ("Menu Generale"); then what every portal has.
UTILITY_MENU = [
    MenuEntry("home", _("Home page"), "portal:home"),
    MenuEntry("invoices", _("Elenco fatture"), "billing:invoices"),
    MenuEntry("password", _("Cambio password"), "accounts:password_change"),
    MenuEntry("self-reading", _("Autolettura contatore"), "energy:readings"),
    MenuEntry("personal-data", _("Dati anagrafici"), "accounts:personal_data"),
    MenuEntry("consumption", _("Prelievi fatturati"), "energy:consumption"),
    MenuEntry("requests", _("Ticket"), "servicedesk:list"),
    MenuEntry("technical-data", _("Dati tecnici"), "energy:technical"),
    MenuEntry("contract-data", _("Dati contrattuali"), "energy:contract"),
    MenuEntry("measures", _("Misure elettriche"), "energy:measures"),
    MenuEntry("my-documents", _("I miei documenti"), "documents:category", ("miei",)),
    MenuEntry(
        "generic-documents", _("Documentazione generica"), "documents:category", ("generica",)
    ),
    MenuEntry("forms", _("Modulistica"), "documents:category", ("modulistica",)),
    MenuEntry("regulations", _("Normative"), "documents:category", ("normative",)),
    MenuEntry("communications", _("Comunicati"), "documents:category", ("comunicati",)),
    MenuEntry("information", _("Informazioni"), "documents:category", ("informazioni",)),
    MenuEntry("notifications", _("Notifiche"), "notices:list"),
    MenuEntry("profile", _("Profilo utente"), "accounts:profile"),
    MenuEntry("guide", _("Guida operativa"), "core:guide"),
    MenuEntry("contacts", _("Contatti"), "core:contacts"),
    MenuEntry("faq", _("Domande frequenti"), "core:faq"),
]


def menu_for(company: Company) -> list[MenuEntry]:
    entries = UTILITY_MENU if company.is_utility else LEASING_MENU
    hidden = {
        key
        for key, offered in (
            ("transparency", company.feature_transparency),
            ("requests", company.feature_requests),
            ("self-reading", company.feature_self_reading),
        )
        if not offered
    }
    return [e for e in entries if e.key not in hidden]
