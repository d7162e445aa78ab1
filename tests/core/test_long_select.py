"""``LongSelect`` writes what Django's ``Select`` writes, without a template per option."""

from __future__ import annotations

import lxml.html
from django import forms

from sportello.core.forms import LongSelect

CHOICES = [("", "Tutti i contratti"), (7, "84963 - Leasing <targato> & co"), (9, "85001")]


def options(html: str) -> list[tuple[str, str, bool]]:
    select = lxml.html.fragment_fromstring(html)
    return [
        (o.get("value"), o.text_content(), o.get("selected") is not None)
        for o in select.findall("option")
    ]


def test_it_writes_the_options_djangos_select_writes() -> None:
    attrs = {"class": "form-select", "id": "id_contract"}
    ours = LongSelect(attrs, choices=CHOICES).render("contract", 7)
    django = forms.Select(attrs, choices=CHOICES).render("contract", 7)

    assert options(ours) == options(django)
    assert options(ours)[1] == ("7", "84963 - Leasing <targato> & co", True)
    assert "&lt;targato&gt; &amp; co" in ours
    select = lxml.html.fragment_fromstring(ours)
    assert (select.get("name"), select.get("id"), select.get("class")) == (
        "contract",
        "id_contract",
        "form-select",
    )
