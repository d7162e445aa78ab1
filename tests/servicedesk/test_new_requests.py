"""The customer's self-service forms (E1–E4, complaint, PEC change): what each sends,
what each refuses (and then nothing is saved), the dialog and the no-JS fallbacks."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django import Settings
from tests.factories import PASSWORD, Tenant, make_contract, make_customer, make_sub_user, make_user
from tests.leasing.contracts import leased_contract

from sportello.core.models import AuditEvent, CompanyKind, OutboxEmail
from sportello.leasing.models import Contract, ContractStatus
from sportello.leasing.services import early_termination_quote, instalments_still_due
from sportello.servicedesk.models import (
    RequestAttachment,
    RequestKind,
    RequestMessage,
    RequestType,
    ServiceRequest,
)

TODAY = dt.date(2026, 3, 2)
NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
CODE = re.compile(r"^RIC-2026-\d{6}$")
NEW_IBAN = "IT42L1234512345123456789012"
CURRENT_IBAN = "IT60X0542811101000000123456"
GERMAN_IBAN = "DE89370400440532013000"
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"


def create_url(kind: str) -> str:
    return f"/richieste/nuova/{kind}/"


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def contract(release: Tenant) -> Contract:
    return leased_contract(release.customer, stipulated_on=dt.date(2023, 6, 15), duration_months=60)


@pytest.fixture
def client(release: Tenant) -> Client:
    return release.logged_in_client()


@pytest.fixture
def other_contract(release: Tenant) -> Contract:
    """A contract of another customer of the same company."""
    return leased_contract(make_customer(release.company), number="9990009")


def iban_post(chosen: Contract, **changes: Any) -> dict[str, Any]:
    return {
        "contract": chosen.pk,
        "new_iban": NEW_IBAN,
        "effective_from": "2026-04-01",
        "message": "Dal mese prossimo, grazie.",
        "password": PASSWORD,
        **changes,
    }


def the_request() -> ServiceRequest:
    return ServiceRequest.objects.select_related("author", "contract").get()


def nothing_saved() -> bool:
    return (
        not ServiceRequest.objects.exists()
        and not RequestMessage.objects.exists()
        and not RequestAttachment.objects.exists()
        and not OutboxEmail.objects.exists()
        and not AuditEvent.objects.filter(action="request.opened").exists()
    )


def flashed(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# -- each kind opens the right request --------------------------------------------------


def test_it_opens_an_iban_change_and_goes_to_its_page(
    release: Tenant, client: Client, contract: Contract
) -> None:
    response = client.post(create_url("iban"), iban_post(contract))

    opened = the_request()
    assert response.status_code == 302
    assert response["Location"] == f"/richieste/{opened.code}/"
    assert flashed(response) == [f"Richiesta {opened.code} inviata."]
    assert CODE.match(opened.code)
    assert (opened.kind, opened.contract, opened.author) == (
        RequestKind.IBAN_CHANGE,
        contract,
        release.user,
    )
    assert opened.payload == {
        "current_iban": CURRENT_IBAN,
        "new_iban": NEW_IBAN,
        "foreign": False,
        "effective_from": "2026-04-01",
    }
    assert opened.messages.get().body == "Dal mese prossimo, grazie."
    email = OutboxEmail.objects.get()
    assert email.to == [release.user.email]
    assert opened.code in email.subject + email.body_text
    event = AuditEvent.objects.get(action="request.opened")
    assert (event.actor, event.object_id, event.data) == (
        release.user,
        str(opened.pk),
        {"kind": "iban_change"},
    )


def test_it_takes_a_foreign_iban_when_the_customer_says_so(
    client: Client, contract: Contract
) -> None:
    response = client.post(
        create_url("iban"), iban_post(contract, new_iban=GERMAN_IBAN, foreign="on")
    )

    assert response.status_code == 302
    assert the_request().payload["foreign"] is True
    assert the_request().payload["new_iban"] == GERMAN_IBAN


def test_it_takes_an_iban_typed_with_spaces_and_in_lower_case(
    client: Client, contract: Contract
) -> None:
    typed = "it42 l123 4512 3451 2345 6789 012"

    client.post(create_url("iban"), iban_post(contract, new_iban=typed))

    assert the_request().payload["new_iban"] == NEW_IBAN


def test_it_opens_an_address_change(release: Tenant, client: Client) -> None:
    response = client.post(
        create_url("indirizzo"),
        {"new_address": "Via Rossi, 110, Roma, RM, Italia", "effective_from": "2026-03-02"},
    )

    opened = the_request()
    assert response.status_code == 302
    assert opened.kind == RequestKind.ADDRESS_CHANGE
    assert opened.payload == {
        "current_address": "Via Garibaldi 10 - 20121 Milano (MI)",
        "new_address": "Via Rossi, 110, Roma, RM, Italia",
        "effective_from": "2026-03-02",
    }
    assert not opened.messages.exists()  # no message, no empty message
    assert OutboxEmail.objects.count() == 1


def test_it_opens_a_free_request_of_the_companys_type(release: Tenant, client: Client) -> None:
    wanted = RequestType.objects.create(
        company=release.company, label_it="Copia del contratto", label_en="Copy of the contract"
    )
    RequestType.objects.create(
        company=release.company, label_it="Vecchio", label_en="Old", is_active=False
    )

    page = client.get(create_url("altre")).content.decode()
    response = client.post(
        create_url("altre"), {"request_type": wanted.pk, "message": "Mi serve una copia."}
    )

    assert "Copia del contratto" in page and "Vecchio" not in page
    opened = the_request()
    assert response.status_code == 302
    assert (opened.kind, opened.request_type, opened.display_title) == (
        RequestKind.FREE,
        wanted,
        "Copia del contratto",
    )
    assert opened.messages.get().body == "Mi serve una copia."


def test_it_refuses_another_companys_request_type(
    release: Tenant, energia: Tenant, client: Client
) -> None:
    RequestType.objects.create(company=release.company, label_it="Nostro", label_en="Ours")
    theirs = RequestType.objects.create(company=energia.company, label_it="Loro", label_en="Theirs")

    response = client.post(create_url("altre"), {"request_type": theirs.pk, "message": "Ciao"})

    assert response.status_code == 200
    assert "Scegli un&#x27;opzione valida" in response.content.decode()
    assert nothing_saved()


def test_it_opens_an_early_termination_with_the_figures_of_the_chosen_instalment(
    client: Client, contract: Contract
) -> None:
    last = instalments_still_due(contract, TODAY)[3]
    quote = early_termination_quote(contract, TODAY, last)

    response = client.post(
        create_url("estinzione"), {"contract": contract.pk, "last_instalment": last.number}
    )

    opened = the_request()
    assert response.status_code == 302
    assert (opened.kind, opened.contract) == (RequestKind.EARLY_TERMINATION, contract)
    assert opened.payload == {
        "computed_on": "2026-03-02",
        "residual_capital_today": str(quote.residual_capital_today),
        "last_instalment_number": last.number,
        "last_instalment_due": last.due_date.isoformat(),
        "capital_after": str(quote.capital_after),
        "residual_value": "500.00",
        "indicative_payoff": str(quote.indicative_payoff),
    }
    assert Decimal(opened.payload["indicative_payoff"]) == quote.capital_after + Decimal("500.00")


def test_it_refuses_an_instalment_already_due_or_of_another_contract(
    release: Tenant, client: Client, contract: Contract
) -> None:
    paid = contract.plan.filter(kind="instalment", due_date__lte=TODAY).first()
    second = leased_contract(release.customer, duration_months=120)
    beyond = second.plan.filter(kind="instalment").order_by("-number").first()
    assert paid is not None and beyond is not None and beyond.number > contract.instalment_count

    for number in (paid.number, beyond.number):
        response = client.post(
            create_url("estinzione"), {"contract": contract.pk, "last_instalment": number}
        )
        assert response.status_code == 200
        assert "Scegli un&#x27;opzione valida" in response.content.decode()
    assert nothing_saved()


def test_it_opens_a_complaint_with_the_laws_date(
    release: Tenant, client: Client, contract: Contract
) -> None:
    page = client.get(create_url("reclamo")).content.decode()
    response = client.post(
        create_url("reclamo"),
        {
            "subject": "Addebito doppio",
            "description": "Il canone di febbraio è stato addebitato due volte.",
            "contract": contract.pk,
            "is_payment_service": "on",
        },
    )

    # Before sending: 60 days, or 15 business days for a payment service.
    assert "entro il 01/05/2026" in page and "entro il 23/03/2026" in page
    opened = the_request()
    assert response.status_code == 302
    assert (opened.kind, opened.title, opened.contract) == (
        RequestKind.COMPLAINT,
        "Addebito doppio",
        contract,
    )
    assert opened.is_payment_service
    assert (opened.received_on, opened.due_on) == (TODAY, dt.date(2026, 3, 23))
    assert opened.messages.get().body == "Il canone di febbraio è stato addebitato due volte."


def test_it_opens_a_complaint_about_no_contract_in_particular(client: Client) -> None:
    response = client.post(
        create_url("reclamo"), {"subject": "Cortesia", "description": "Operatore scortese."}
    )

    opened = the_request()
    assert response.status_code == 302
    assert opened.contract is None and not opened.is_payment_service
    assert opened.due_on == dt.date(2026, 5, 1)


def test_it_opens_a_pec_change_on_a_pec_providers_domain(release: Tenant, client: Client) -> None:
    release.company.pec_domains = "pec.it\nlegalmail.it"
    release.company.save()
    release.customer.pec = "vecchia@pec.it"
    release.customer.save()

    refused = client.post(create_url("pec"), {"new_pec": "nuova@gmail.com"})
    same = client.post(create_url("pec"), {"new_pec": "VECCHIA@pec.it"})
    assert "pec.it, legalmail.it" in refused.content.decode()
    assert "uguale a quella attuale" in same.content.decode()
    assert nothing_saved()

    response = client.post(create_url("pec"), {"new_pec": "nuova@legalmail.it"})

    assert response.status_code == 302
    opened = the_request()
    assert opened.kind == RequestKind.PEC_CHANGE
    assert opened.payload == {"current_pec": "vecchia@pec.it", "new_pec": "nuova@legalmail.it"}


def test_it_takes_any_pec_when_the_company_lists_no_domains(client: Client) -> None:
    response = client.post(create_url("pec"), {"new_pec": "nuova@example.test"})

    assert response.status_code == 302
    assert the_request().payload["new_pec"] == "nuova@example.test"


def test_it_lets_a_sub_user_open_a_request_as_its_author(
    release: Tenant, contract: Contract
) -> None:
    sub_user = make_sub_user(release.user)
    client = release.logged_in_client(sub_user)

    response = client.post(create_url("iban"), iban_post(contract))

    assert response.status_code == 302
    opened = the_request()
    assert (opened.customer, opened.author) == (release.customer, sub_user)
    assert OutboxEmail.objects.get().to == [sub_user.email]


# -- errors: a field error in the user's language, nothing saved ------------------------


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"new_iban": "IT42L1234512345123456789013"}, "new_iban", "L'IBAN non è valido"),
        ({"new_iban": GERMAN_IBAN}, "new_iban", "spunta «IBAN estero»"),
        ({"new_iban": CURRENT_IBAN}, "new_iban", "uguale a quello attuale"),
        ({"effective_from": "2026-03-01"}, "effective_from", "non può essere nel passato"),
        ({"effective_from": ""}, "effective_from", "Questo campo è obbligatorio"),
        ({"message": "x" * 501}, "message", "non contenga più di 500 caratteri (ne ha 501)"),
        ({"contract": ""}, "contract", "Questo campo è obbligatorio"),
        ({"password": ""}, "password", "Inserisci la password di accesso"),
        ({"password": "non-la-mia"}, "password", "La password attuale non è corretta"),
    ],
    ids=[
        "checksum",
        "foreign-without-tick",
        "same-iban",
        "past",
        "no-date",
        "message-501",
        "no-contract",
        "no-password",
        "wrong-password",
    ],
)
def test_it_shows_the_field_error_and_saves_nothing(
    client: Client, contract: Contract, changes: dict[str, Any], field: str, error: str
) -> None:
    response = client.post(create_url("iban"), iban_post(contract, **changes))

    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert f'id="id_{field}_error"' in page
    assert error in page
    assert nothing_saved()


def test_it_refuses_another_customers_contract_and_shows_nothing_of_it(
    client: Client, contract: Contract, other_contract: Contract
) -> None:
    response = client.post(create_url("iban"), iban_post(other_contract))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_contract_error"' in page
    assert other_contract.number not in page
    assert nothing_saved()


def test_it_says_in_english_what_is_wrong_for_an_english_user(
    release: Tenant, contract: Contract
) -> None:
    release.user.language = "en"
    release.user.save()
    client = release.logged_in_client()

    response = client.post(create_url("iban"), iban_post(contract, message="x" * 501))

    assert response.status_code == 200
    assert "at most 500 characters (it has 501)" in response.content.decode()
    assert nothing_saved()


def test_it_audits_a_wrong_password_without_writing_it_down(
    release: Tenant, client: Client, contract: Contract
) -> None:
    client.post(create_url("iban"), iban_post(contract, password="indovina-questa-123"))

    event = AuditEvent.objects.get(action="request.reauth_failed")
    assert (event.actor, event.data) == (release.user, {"kind": "iban_change"})
    assert "indovina" not in str(list(AuditEvent.objects.values()))
    assert nothing_saved()


def test_it_stops_guessing_the_password_after_a_few_tries(
    client: Client, contract: Contract
) -> None:
    for _ in range(5):
        client.post(create_url("iban"), iban_post(contract, password="sbagliata-123456"))

    response = client.post(create_url("iban"), iban_post(contract))

    assert response.status_code == 200
    assert 'id="id_password_error"' in response.content.decode()
    assert nothing_saved()


# -- attachments: stored when clean, refused with nothing stored otherwise --------------


def free_request(client: Client, *files: SimpleUploadedFile) -> Any:
    return client.post(
        create_url("altre"), {"message": "In allegato la visura.", "attachments": list(files)}
    )


def test_it_stores_a_clean_pdf_with_the_request(clamd: Path, client: Client) -> None:
    response = free_request(client, SimpleUploadedFile("visura.pdf", PDF, "application/pdf"))

    assert response.status_code == 302
    attachment = RequestAttachment.objects.get()
    assert attachment.message.request == the_request()
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "visura.pdf",
        "application/pdf",
        len(PDF),
    )
    with attachment.file.open("rb") as stored:
        assert stored.read() == PDF


def test_it_refuses_a_virus_and_stores_nothing(
    clamd: Path, client: Client, infected_pdf: bytes
) -> None:
    response = free_request(
        client,
        SimpleUploadedFile("visura.pdf", PDF, "application/pdf"),
        SimpleUploadedFile("eicar.pdf", infected_pdf, "application/pdf"),
    )

    assert response.status_code == 200
    assert "eicar.pdf: Il file contiene un virus" in response.content.decode()
    assert nothing_saved()


def test_it_refuses_the_eicar_test_file_itself(clamd: Path, client: Client, eicar: bytes) -> None:
    response = free_request(client, SimpleUploadedFile("eicar.com", eicar, "application/pdf"))

    assert response.status_code == 200
    assert "eicar.com:" in response.content.decode()
    assert nothing_saved()


def test_it_refuses_a_php_file_renamed_pdf(clamd: Path, client: Client) -> None:
    php = SimpleUploadedFile("fattura.pdf", b"<?php system($_GET['c']); ?>\n", "application/pdf")

    response = free_request(client, php)

    assert response.status_code == 200
    assert "fattura.pdf:" in response.content.decode()
    assert "PDF, JPEG, PNG e P7M" in response.content.decode()
    assert nothing_saved()


def test_it_shows_the_limits_and_warns_when_files_are_not_scanned(
    client: Client, settings: Settings
) -> None:
    settings.CLAMAV_REQUIRED = True
    scanned = client.get(create_url("altre")).content.decode()
    settings.CLAMAV_REQUIRED = False
    unscanned = client.get(create_url("altre")).content.decode()

    assert "fino a 10 MB per file, 5 file per messaggio, 25 MB per richiesta" in scanned
    assert "non vengono controllati dall'antivirus" not in scanned
    assert "non vengono controllati dall'antivirus" in unscanned


# -- E4: the figures at once (htmx), or with "Calcola" -----------------------------------


def quote_url(contract: Contract, last: int | None = None) -> str:
    url = f"/richieste/nuova/estinzione/importi/?contract={contract.pk}"
    return url if last is None else f"{url}&last_instalment={last}"


def test_it_shows_the_residual_capital_of_the_chosen_contract(
    client: Client, contract: Contract
) -> None:
    quote = early_termination_quote(contract, TODAY)

    response = client.get(quote_url(contract), HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert f"Capitale residuo ad oggi del contratto {contract.number}" in page
    assert money(quote.residual_capital_today) in page
    assert "Importo indicativo" not in page  # no last instalment chosen yet


def test_it_shows_the_indicative_payoff_for_the_chosen_instalment(
    client: Client, contract: Contract
) -> None:
    last = instalments_still_due(contract, TODAY)[5]
    quote = early_termination_quote(contract, TODAY, last)

    page = client.get(quote_url(contract, last.number)).content.decode()

    assert money(quote.indicative_payoff) in page
    assert "indicativo" in page
    assert "ti sarà comunicato dal servizio clienti" in page
    # Without the residual value, which has its own row: not the plan's residual capital.
    assert "Quota capitale dei canoni successivi" in page
    assert "Capitale residuo dopo" not in page
    # One "indicativo", the badge, beside the payoff's label.
    assert "Importo per l'estinzione <span" in page
    assert "Importo indicativo per" not in page


def test_it_answers_404_for_another_customers_contract(
    client: Client, contract: Contract, other_contract: Contract
) -> None:
    extinct = make_contract(contract.customer, status=ContractStatus.EXTINCT)

    assert client.get(quote_url(other_contract)).status_code == 404
    assert client.get(quote_url(extinct)).status_code == 404
    assert client.get("/richieste/nuova/estinzione/importi/?contract=abc").status_code == 404


def test_it_computes_the_quote_in_the_same_queries_for_any_plan(
    release: Tenant, client: Client, django_assert_num_queries: Any
) -> None:
    short = leased_contract(
        release.customer, duration_months=36, stipulated_on=dt.date(2024, 1, 10)
    )
    long = leased_contract(
        release.customer, duration_months=120, stipulated_on=dt.date(2024, 1, 10)
    )
    client.get("/")
    counts = []
    for chosen in (short, long):
        last = instalments_still_due(chosen, TODAY)[1]
        with django_assert_num_queries(6) as captured:
            assert client.get(quote_url(chosen, last.number)).status_code == 200
        counts.append(len(captured.captured_queries))

    assert counts[0] == counts[1]


def test_it_shows_the_figures_without_javascript_with_calcola(
    client: Client, contract: Contract, release: Tenant
) -> None:
    leased_contract(release.customer)  # two contracts: none is chosen for the customer
    first = client.get(create_url("estinzione")).content.decode()
    last = instalments_still_due(contract, TODAY)[0]

    response = client.post(
        create_url("estinzione"),
        {"contract": contract.pk, "last_instalment": last.number, "calcola": "1"},
    )

    page = response.content.decode()
    assert "Capitale residuo ad oggi" not in first
    assert 'name="calcola"' in first
    assert response.status_code == 200
    assert money(early_termination_quote(contract, TODAY).residual_capital_today) in page
    assert money(early_termination_quote(contract, TODAY, last).indicative_payoff) in page
    assert "is-invalid" not in page
    assert nothing_saved()


def test_it_lists_each_contracts_current_iban_without_javascript(
    client: Client, contract: Contract, release: Tenant
) -> None:
    second = leased_contract(release.customer, number="5550002", payment_iban=GERMAN_IBAN)

    page = client.get(create_url("iban")).content.decode()

    listed = page.split('id="current-ibans"', 1)[1].split("</noscript>", 1)[0]
    assert "<noscript>" in page.split('id="current-ibans"', 1)[0][-200:]
    assert f"Contratto {contract.number}: " in re.sub(r"<[^>]+>", "", listed)
    assert "IT60 X054 2811 1010 0000 0123 456" in listed
    assert f"Contratto {second.number}: " in re.sub(r"<[^>]+>", "", listed)
    assert "DE89 3704 0044 0532 0130 00" in listed


def test_it_lists_no_ibans_when_the_only_contract_is_already_chosen(
    client: Client, contract: Contract
) -> None:
    page = client.get(create_url("iban")).content.decode()

    assert 'id="current-ibans"' not in page
    assert 'value="IT60 X054 2811 1010 0000 0123 456"' in page


def money(amount: Decimal) -> str:
    from sportello.core.formatting import format_money

    return format_money(amount)


# -- the dialog, the area, who may ------------------------------------------------------


def test_it_gives_htmx_the_form_as_a_dialog_fragment(client: Client, contract: Contract) -> None:
    response = client.get(create_url("iban"), HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert response.status_code == 200
    assert response["Sp-Dialog"] == "1"
    assert "<html" not in page
    assert 'id="request-dialog-title"' in page
    assert 'hx-post="/richieste/nuova/iban/"' in page
    assert "data-sp-dialog-close" in page
    assert 'data-iban="IT60 X054 2811 1010 0000 0123 456"' in page


def test_it_sends_the_dialog_to_the_new_request_and_keeps_its_errors_inside(
    client: Client, contract: Contract
) -> None:
    wrong = client.post(
        create_url("iban"), iban_post(contract, new_iban="IT00"), HTTP_HX_REQUEST="true"
    )
    right = client.post(create_url("iban"), iban_post(contract), HTTP_HX_REQUEST="true")

    assert wrong.status_code == 200 and wrong["Sp-Dialog"] == "1"
    assert 'id="id_new_iban_error"' in wrong.content.decode()
    assert right.status_code == 200
    assert right["HX-Redirect"] == f"/richieste/{the_request().code}/"


def test_it_lists_every_kind_in_the_self_service_area_and_on_the_home(client: Client) -> None:
    area = client.get("/richieste/nuova/").content.decode()
    home = client.get("/").content.decode()

    for slug, label in [
        ("iban", "Modifica banca appoggio / IBAN"),
        ("indirizzo", "Variazione indirizzo"),
        ("altre", "Altre richieste"),
        ("estinzione", "Richiesta estinzione anticipata"),
        ("reclamo", "Reclamo"),
        ("pec", "Modifica indirizzo PEC"),
    ]:
        assert f'hx-get="/richieste/nuova/{slug}/"' in area
        assert f'href="/richieste/nuova/{slug}/?next=/"' in home
        assert f"Fai richiesta: {label}" in home
    assert '<dialog id="request-dialog"' in home
    assert "in arrivo" not in home[home.index('id="requests-title"') :]
    assert 'href="/richieste/">Tutte le richieste' in home


def test_it_cancels_back_to_where_the_customer_came_from(client: Client) -> None:
    from_home = client.get(create_url("pec") + "?next=/").content.decode()
    elsewhere = client.get(create_url("pec") + "?next=https://evil.example/").content.decode()

    assert 'href="/">Annulla</a>' in from_home
    assert 'href="/richieste/nuova/">Annulla</a>' in elsewhere


@pytest.mark.parametrize("path", ["/richieste/nuova/", create_url("iban"), create_url("nessuno")])
def test_it_has_no_self_service_where_the_company_offers_none(
    release: Tenant, energia: Tenant, path: str
) -> None:
    for company in (release.company, energia.company):
        company.feature_requests = False
        company.save()

    assert release.logged_in_client().get(path).status_code == 404
    assert energia.logged_in_client().get(path).status_code == 404
    assert energia.company.kind == CompanyKind.UTILITY


def test_it_sends_a_visitor_to_the_login(release: Tenant) -> None:
    response = release.client().post(create_url("pec"), {"new_pec": "x@pec.it"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accesso/")
    assert nothing_saved()


def test_it_offers_the_pec_request_on_the_profile(client: Client) -> None:
    page = client.get("/accesso/profilo/").content.decode()

    assert 'href="/richieste/nuova/pec/">richiesta di modifica PEC</a>' in page


def test_it_links_the_pec_request_from_the_email_changed_message(
    release: Tenant, client: Client
) -> None:
    from sportello.accounts.emails import send_email_changed

    send_email_changed(release.user, "vecchia@example.test")

    email = OutboxEmail.objects.get()
    assert "https://release.test/richieste/nuova/pec/" in email.body_text
    assert "Contatti" not in email.body_text


def test_it_shows_another_customer_none_of_the_owners_contracts(
    release: Tenant, contract: Contract
) -> None:
    outsider = make_user(make_customer(release.company))
    page = release.logged_in_client(outsider).get(create_url("iban")).content.decode()

    assert contract.number not in page
    assert CURRENT_IBAN[:4] + " " + CURRENT_IBAN[4:8] not in page
