"""Registration by contract data (A1) and by customer code (A2), and its repetition (A5)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from stdnum.it import codicefiscale
from tests.factories import (
    Tenant,
    make_company,
    make_contract,
    make_customer,
    make_user,
    partita_iva,
)

from sportello.accounts import throttle
from sportello.accounts.models import PortalUser
from sportello.core.models import AuditEvent, Company, OutboxEmail
from sportello.customers.models import Customer, PersonKind
from sportello.leasing.models import Contract

NO_MATCH = "I dati inseriti non corrispondono a un contratto registrabile."
NO_MATCH_CODE = "I dati inseriti non corrispondono a un cliente registrabile."
SENT = "Ti abbiamo inviato una e-mail con le credenziali per il primo accesso"
START = dt.datetime(2026, 3, 10, 13, 35, tzinfo=dt.UTC)  # 14:35 in Rome


@pytest.fixture
def clock(time_machine: time_machine.TimeMachineFixture) -> time_machine.TimeMachineFixture:
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def newcomer(release: Tenant) -> Contract:
    """A natural person of Release with a contract and no portal user."""
    customer = make_customer(release.company, code="20001", name="VERDI GIUSEPPE")
    return make_contract(customer, number="84963", module_number="2")


@pytest.fixture
def firm(release: Tenant) -> Contract:
    """A legal person of Release with a PEC on file and no portal user."""
    release.company.pec_domains = "pec.it\nlegalmail.it"
    release.company.save()
    vat = partita_iva()
    customer = make_customer(
        release.company,
        code="20002",
        kind=PersonKind.LEGAL,
        name="OFFICINE VERDI S.R.L.",
        codice_fiscale=vat,
        partita_iva=vat,
        pec="amministrazione@officineverdi.postecert.it",
    )
    return make_contract(customer, number="84964", module_number="7")


def contract_data(contract: Contract, **changes: str) -> dict[str, str]:
    customer = contract.customer
    data = {
        "contract_number": contract.number,
        "module_number": contract.module_number,
        "tax_id": customer.codice_fiscale or customer.partita_iva,
        "email": "giuseppe.verdi@example.test",
    }
    return {**data, **changes}


def register(client: Client, data: dict[str, str]) -> Any:
    return client.post("/accesso/registrazione/", data)


def emails_to(address: str) -> list[OutboxEmail]:
    return [email for email in OutboxEmail.objects.order_by("id") if address in email.to]


def credentials_email(address: str) -> OutboxEmail:
    return emails_to(address)[-1]


def temporary_password(email: OutboxEmail) -> str:
    found = re.search(r"(?:Password temporanea|Temporary password): (\S+)", email.body_text)
    assert found, email.body_text
    return found.group(1)


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def english_client(tenant: Tenant) -> Client:
    return english(tenant.client())


def in_english(message: str) -> str:
    with translation.override("en"):
        return gettext(message)


# -- A1: contract data ----------------------------------------------------------


def test_it_shows_the_registration_form_with_the_seeds_labels(release: Tenant) -> None:
    response = release.client().get("/accesso/registrazione/")

    assert response.status_code == 200
    page = response.content.decode()
    for label in ["Numero contratto", "Numero modulo", "Codice fiscale o partita IVA", "E-mail"]:
        assert label in page
    assert "dopo il segno «/»" in page


def test_it_registers_a_customer_by_contract_data(
    release: Tenant, newcomer: Contract, clock: time_machine.TimeMachineFixture
) -> None:
    client = release.client()

    response = register(client, contract_data(newcomer))

    assert response.status_code == 302
    assert response["Location"] == "/accesso/registrazione/inviata/"
    done = client.get(response["Location"]).content.decode()
    assert SENT in done
    assert "20001" not in done and "giuseppe.verdi" not in done
    user = PortalUser.objects.get(customer=newcomer.customer)
    assert user.login == "20001"
    assert user.company == release.company
    assert user.email == "giuseppe.verdi@example.test"
    assert user.must_change_password
    assert user.registered_at == START
    assert user.temporary_password_expires_at == START + dt.timedelta(hours=24)
    assert (user.first_name, user.last_name) == ("Verdi", "Giuseppe")


def test_it_emails_the_username_and_a_random_temporary_password(
    release: Tenant, newcomer: Contract
) -> None:
    register(release.client(), contract_data(newcomer))
    register(release.client(), contract_data(newcomer))  # too early: nothing new is sent

    emails = emails_to("giuseppe.verdi@example.test")
    assert len(emails) == 1
    email = emails[0]
    assert email.company == release.company
    assert "credenziali per il primo accesso" in email.subject
    assert "Username: 20001" in email.body_text
    password = temporary_password(email)
    assert len(password) >= 12
    assert password in email.body_html
    assert "https://release.test/accesso/" in email.body_text
    user = PortalUser.objects.get(customer=newcomer.customer)
    assert user.check_password(password)


def test_it_stops_paper_invoices_and_audits_without_secrets(
    release: Tenant, newcomer: Contract
) -> None:
    assert newcomer.customer.paper_invoices

    register(release.client(), contract_data(newcomer))

    customer = Customer.objects.get(pk=newcomer.customer.pk)
    assert customer.paper_invoices is False
    revoked = AuditEvent.objects.get(action="customer.paper_invoices_revoked")
    assert revoked.object_id == str(customer.pk)
    event = AuditEvent.objects.get(action="registration")
    assert event.company == release.company
    assert event.data["method"] == "contract"
    assert event.ip_address == "127.0.0.1"
    password = temporary_password(credentials_email("giuseppe.verdi@example.test"))
    for row in AuditEvent.objects.all():
        assert password not in str(row.data)
        assert newcomer.customer.codice_fiscale not in str(row.data)


def test_it_accepts_spaces_and_lower_case_in_the_data(release: Tenant, newcomer: Contract) -> None:
    data = contract_data(newcomer, contract_number=" 84963 ", module_number="/2")
    cf = newcomer.customer.codice_fiscale.lower()
    data["tax_id"] = f"{cf[:6]} {cf[6:11]} {cf[11:]}"

    assert register(release.client(), data).status_code == 302


def test_it_accepts_an_omocodia_codice_fiscale(release: Tenant) -> None:
    stem = "RSSMRA80A01H50"  # the last digit of the place code becomes a letter
    omocodia = stem + "M"  # 1 → M
    omocodia += codicefiscale.calc_check_digit(omocodia)
    customer = make_customer(release.company, code="20003", codice_fiscale=omocodia)
    contract = make_contract(customer, number="84965", module_number="1")

    response = register(release.client(), contract_data(contract, tax_id=omocodia))

    assert response.status_code == 302
    assert PortalUser.objects.filter(customer=customer).exists()


def refusals(release: Tenant, newcomer: Contract) -> dict[str, Any]:
    other_customer = make_customer(release.company)
    make_contract(other_customer, number="99999", module_number="3")
    cases = {
        "unknown contract": contract_data(newcomer, contract_number="11111"),
        "wrong module": contract_data(newcomer, module_number="9"),
        "wrong codice fiscale": contract_data(newcomer, tax_id=other_customer.codice_fiscale),
        "another customer's contract": contract_data(newcomer, contract_number="99999"),
    }
    return {name: register(release.client(), data) for name, data in cases.items()}


def test_it_answers_unknown_and_mismatching_data_identically(
    release: Tenant, newcomer: Contract
) -> None:
    answers = refusals(release, newcomer)

    bodies = set()
    for response in answers.values():
        assert response.status_code == 200
        page = response.content.decode()
        assert NO_MATCH in page
        # The form is the same apart from the per-request CSRF token.
        bodies.add(re.sub(r'value="[^"]{64}"', "", page).replace("11111", "").replace("99999", ""))
    assert not PortalUser.objects.filter(customer=newcomer.customer).exists()
    assert not OutboxEmail.objects.exists()
    assert AuditEvent.objects.filter(action="registration.refused").count() == 4


def test_it_does_not_register_another_companys_contract(
    release: Tenant, energia: Tenant, newcomer: Contract
) -> None:
    other = make_company("altra")
    make_customer(other)
    response = Client(HTTP_HOST="altra.test").post(
        "/accesso/registrazione/", contract_data(newcomer)
    )

    assert response.status_code == 200
    assert NO_MATCH in response.content.decode()
    assert not PortalUser.objects.filter(customer=newcomer.customer).exists()


def test_it_refuses_mismatching_data_in_english(release: Tenant, newcomer: Contract) -> None:
    response = register(english(release.client()), contract_data(newcomer, module_number="9"))

    assert response.status_code == 200
    page = response.content.decode()
    assert in_english(NO_MATCH) in page
    assert 'lang="en"' in page


BAD_CF = "Il codice fiscale non è valido: controllare i caratteri inseriti."
BAD_VAT = "La partita IVA non è valida: deve avere 11 cifre con la cifra di controllo esatta."


@pytest.mark.parametrize(
    ("field", "value", "italian", "english"),
    [
        ("tax_id", "RSSMRA80A01H501X", BAD_CF, None),  # wrong check character
        ("tax_id", "RSSMRA", BAD_CF, None),
        ("tax_id", "12345678901", BAD_VAT, None),  # wrong check digit
        ("email", "giuseppe.verdi", "Inserisci un indirizzo email valido.", "Enter a valid email"),
        ("email", "verdi@", "Inserisci un indirizzo email valido.", "Enter a valid email"),
        (
            "contract_number",
            "1" * 21,
            "Assicurati che questo valore non contenga più di 20 caratteri (ne ha 21).",
            "Ensure this value has at most 20 characters (it has 21).",
        ),
        (
            "email",
            "a" * 250 + "@example.test",
            "Assicurati che questo valore non contenga più di 254 caratteri",
            "Ensure this value has at most 254 characters",
        ),
        ("tax_id", "R" * 21, "non contenga più di 20 caratteri", "at most 20 characters"),
        ("module_number", "", "Questo campo è obbligatorio.", "This field is required."),
    ],
)
def test_it_explains_bad_input_and_changes_nothing(
    release: Tenant,
    newcomer: Contract,
    field: str,
    value: str,
    italian: str,
    english: str | None,
) -> None:
    data = contract_data(newcomer, **{field: value})

    response = register(release.client(), data)
    english_response = register(english_client(release), data)

    assert response.status_code == english_response.status_code == 200
    assert italian in response.content.decode()
    assert (english or in_english(italian)) in english_response.content.decode()
    assert not PortalUser.objects.filter(customer=newcomer.customer).exists()
    assert not OutboxEmail.objects.exists()
    assert not AuditEvent.objects.filter(action="registration").exists()


def test_it_refuses_a_partita_iva_with_a_bad_check_digit(release: Tenant, firm: Contract) -> None:
    vat = firm.customer.partita_iva
    wrong = vat[:-1] + str((int(vat[-1]) + 1) % 10)

    response = register(release.client(), contract_data(firm, tax_id=wrong, email="x@pec.it"))

    assert "La partita IVA non è valida" in response.content.decode()
    assert not PortalUser.objects.filter(customer=firm.customer).exists()


def test_it_registers_a_legal_person_with_its_pec_on_file(release: Tenant, firm: Contract) -> None:
    data = contract_data(firm, email="Amministrazione@OfficineVerdi.postecert.it")

    assert register(release.client(), data).status_code == 302
    user = PortalUser.objects.get(customer=firm.customer)
    assert user.last_name == "OFFICINE VERDI S.R.L."


def test_it_registers_a_legal_person_with_a_pec_providers_address(
    release: Tenant, firm: Contract
) -> None:
    data = contract_data(firm, email="officine.verdi@legalmail.it")

    assert register(release.client(), data).status_code == 302


def test_it_asks_a_legal_person_for_a_pec(release: Tenant, firm: Contract) -> None:
    data = contract_data(firm, email="info@officineverdi.example.test")

    response = register(release.client(), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Per una persona giuridica l&#x27;e-mail deve essere un indirizzo PEC" in page
    assert "pec.it, legalmail.it" in page
    assert 'id="id_email_error"' in page
    assert not PortalUser.objects.filter(customer=firm.customer).exists()
    english_page = register(english(release.client()), data).content.decode()
    assert 'lang="en"' in english_page


def test_it_tells_a_registered_customer_to_use_the_forgotten_password(
    release: Tenant, newcomer: Contract
) -> None:
    make_user(newcomer.customer, "20001")

    response = register(release.client(), contract_data(newcomer))

    assert response.status_code == 200
    assert "Sei già registrato" in response.content.decode()
    assert "Password dimenticata?" in response.content.decode()
    assert not OutboxEmail.objects.exists()


@pytest.mark.usefixtures("fixed_window")
def test_it_throttles_registration_per_contract(release: Tenant, newcomer: Contract) -> None:
    for _attempt in range(5):
        register(release.client(REMOTE_ADDR="10.0.0.1"), contract_data(newcomer, module_number="9"))

    # From another address, with the right data: still closed for this contract.
    response = register(release.client(REMOTE_ADDR="10.0.0.2"), contract_data(newcomer))

    assert "Troppi tentativi" in response.content.decode()
    assert not PortalUser.objects.filter(customer=newcomer.customer).exists()


@pytest.mark.usefixtures("fixed_window")
def test_it_throttles_registration_per_address(release: Tenant, newcomer: Contract) -> None:
    for number in range(throttle.REGISTRATION.per_address):
        register(
            release.client(),
            contract_data(newcomer, contract_number=f"5000{number}", module_number=str(number)),
        )

    response = register(release.client(), contract_data(newcomer))

    assert "Troppi tentativi: riprova tra" in response.content.decode()
    assert not PortalUser.objects.filter(customer=newcomer.customer).exists()


@pytest.mark.usefixtures("fixed_window")
def test_it_counts_only_failed_registrations(release: Tenant, newcomer: Contract) -> None:
    """Customers registering one after another from an office are never held up."""
    for n in range(throttle.REGISTRATION.per_address + 5):
        customer = make_customer(release.company, code=f"7{n:04d}")
        contract = make_contract(customer)
        response = register(release.client(), contract_data(contract))
        assert response.status_code == 302, n


@pytest.mark.usefixtures("fixed_window")
def test_it_ignores_a_spoofed_forwarded_for_in_the_throttle(
    release: Tenant, newcomer: Contract
) -> None:
    for number in range(throttle.REGISTRATION.per_address):
        register(
            release.client(HTTP_X_FORWARDED_FOR=f"203.0.{number}.1"),
            contract_data(newcomer, contract_number=f"5000{number}", module_number=str(number)),
        )

    response = register(
        release.client(HTTP_X_FORWARDED_FOR="198.51.100.7"), contract_data(newcomer)
    )

    assert "Troppi tentativi" in response.content.decode()


def test_it_offers_no_registration_on_the_platform_host(db: None) -> None:
    assert Client(HTTP_HOST="localhost").get("/accesso/registrazione/").status_code == 404


# -- A5: repeating a registration whose e-mail never arrived ------------------------


def test_it_says_when_a_registration_can_be_repeated(
    release: Tenant, newcomer: Contract, clock: time_machine.TimeMachineFixture
) -> None:
    register(release.client(), contract_data(newcomer, email="sbagliata@example.test"))
    clock.shift(dt.timedelta(minutes=59))

    response = register(release.client(), contract_data(newcomer))

    page = response.content.decode()
    assert response.status_code == 200
    assert "potrai ripetere la registrazione dopo le 15:35" in page
    assert PortalUser.objects.get(customer=newcomer.customer).email == "sbagliata@example.test"
    assert OutboxEmail.objects.count() == 1
    english_page = register(english(release.client()), contract_data(newcomer)).content.decode()
    assert "15:35" in english_page and 'lang="en"' in english_page


def test_it_repeats_a_registration_after_60_minutes_with_a_new_address(
    release: Tenant, newcomer: Contract, clock: time_machine.TimeMachineFixture
) -> None:
    register(release.client(), contract_data(newcomer, email="sbagliata@example.test"))
    old_password = temporary_password(credentials_email("sbagliata@example.test"))
    clock.shift(dt.timedelta(minutes=60))

    response = register(release.client(), contract_data(newcomer, email="giusta@example.test"))

    assert response.status_code == 302
    users = PortalUser.objects.filter(customer=newcomer.customer)
    assert users.count() == 1
    user = users.get()
    assert user.email == "giusta@example.test"
    new_password = temporary_password(credentials_email("giusta@example.test"))
    assert new_password != old_password
    assert user.check_password(new_password)
    assert not user.check_password(old_password)
    login = release.client().post("/accesso/", {"login": "20001", "password": old_password})
    assert login.status_code == 200
    assert AuditEvent.objects.filter(action="registration", data__repeated=True).count() == 1


# -- A2: customer code (utility) -------------------------------------------------------


@pytest.fixture
def utility_newcomer(energia: Tenant) -> Customer:
    vat = partita_iva("0765432001")
    return make_customer(
        energia.company,
        code="000002",
        kind=PersonKind.LEGAL,
        name="PROVA S.P.A.",
        codice_fiscale=vat,
        partita_iva=vat,
        pec="prova@pec.it",
        address="Via di Prova 35",
        postcode="59100",
        city="Prato",
        province="PO",
    )


def start_by_code(client: Client, customer: Customer, **changes: str) -> Any:
    data = {"code": customer.code, "tax_id": customer.partita_iva, **changes}
    return client.post("/accesso/registrazione/", data)


def test_it_asks_the_utility_customer_for_code_and_tax_id(energia: Tenant) -> None:
    page = energia.client().get("/accesso/registrazione/").content.decode()

    assert "Registrazione nuovo utente" in page
    assert "Codice cliente presente in fattura" in page
    assert "Numero modulo" not in page


def test_it_registers_a_utility_customer_after_confirmation(
    energia: Tenant, utility_newcomer: Customer
) -> None:
    client = energia.client()

    first = start_by_code(client, utility_newcomer)

    assert first.status_code == 302
    assert first["Location"] == "/accesso/registrazione/conferma/"
    confirm = client.get(first["Location"])
    page = confirm.content.decode()
    assert "Conferma registrazione" in page
    assert "Per proseguire con la registrazione al portale clienti" in page
    for text in ["000002", "PROVA S.P.A.", "Via di Prova 35 - 59100 Prato (PO)"]:
        assert text in page
    assert "Le credenziali di accesso saranno inviate alla e-mail indicata." in page
    assert not PortalUser.objects.filter(customer=utility_newcomer).exists()

    done = client.post(first["Location"], {"email": "ufficio@prova.example.test"})

    assert done.status_code == 302
    assert done["Location"] == "/accesso/registrazione/inviata/"
    user = PortalUser.objects.get(customer=utility_newcomer)
    assert user.login == "000002"
    assert user.email == "ufficio@prova.example.test"
    assert Customer.objects.get(pk=utility_newcomer.pk).paper_invoices is False
    email = credentials_email("ufficio@prova.example.test")
    assert "Username: 000002" in email.body_text
    assert AuditEvent.objects.get(action="registration").data["method"] == "customer_code"
    # The step is over: the confirmation page sends back to the start.
    assert client.get("/accesso/registrazione/conferma/")["Location"] == "/accesso/registrazione/"


def test_it_answers_unknown_and_mismatching_customer_codes_identically(
    energia: Tenant, utility_newcomer: Customer
) -> None:
    other = make_customer(energia.company, code="000003")
    answers = [
        start_by_code(energia.client(), utility_newcomer, code="999999"),
        start_by_code(energia.client(), utility_newcomer, tax_id=other.codice_fiscale),
    ]

    for response in answers:
        assert response.status_code == 200
        assert NO_MATCH_CODE in response.content.decode()
    english_answer = start_by_code(english(energia.client()), utility_newcomer, code="999999")
    assert in_english(NO_MATCH_CODE) in english_answer.content.decode()


@pytest.mark.parametrize("code", ["12345", "1234567", "abcdef"])
def test_it_wants_a_six_digit_customer_code(
    energia: Tenant, utility_newcomer: Customer, code: str
) -> None:
    response = start_by_code(energia.client(), utility_newcomer, code=code)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Il codice cliente è formato da 6 cifre." in page or "non contenga più di 6" in page


def test_it_keeps_the_matched_customer_in_the_session_only(
    energia: Tenant, utility_newcomer: Customer
) -> None:
    other = make_customer(energia.company, code="000004", name="ALTRO CLIENTE")
    client = energia.client()
    start_by_code(client, utility_newcomer)

    # Whatever the page posts, the customer is the one the session matched.
    client.post(
        "/accesso/registrazione/conferma/",
        {"email": "ufficio@prova.example.test", "customer": str(other.pk), "code": "000004"},
    )

    assert PortalUser.objects.get(email="ufficio@prova.example.test").customer == utility_newcomer
    assert not PortalUser.objects.filter(customer=other).exists()


def test_it_sends_a_confirmation_without_the_first_step_back(energia: Tenant) -> None:
    response = energia.client().get("/accesso/registrazione/conferma/")

    assert response.status_code == 302
    assert response["Location"] == "/accesso/registrazione/"


def test_it_expires_the_confirmation_step(
    energia: Tenant, utility_newcomer: Customer, clock: time_machine.TimeMachineFixture
) -> None:
    client = energia.client()
    start_by_code(client, utility_newcomer)
    clock.shift(dt.timedelta(minutes=16))

    response = client.post("/accesso/registrazione/conferma/", {"email": "u@prova.example.test"})

    assert response.status_code == 302
    assert not PortalUser.objects.filter(customer=utility_newcomer).exists()


def test_it_does_not_carry_the_confirmation_to_another_company(
    energia: Tenant, utility_newcomer: Customer
) -> None:
    other = make_company("acqua", kind="utility")
    client = energia.client()
    start_by_code(client, utility_newcomer)

    response = client.get("/accesso/registrazione/conferma/", HTTP_HOST="acqua.test")

    assert response.status_code == 302
    assert isinstance(other, Company)


def test_it_has_no_confirmation_step_for_leasing(release: Tenant) -> None:
    assert release.client().get("/accesso/registrazione/conferma/").status_code == 404


def test_it_validates_the_confirmation_email(energia: Tenant, utility_newcomer: Customer) -> None:
    client = energia.client()
    start_by_code(client, utility_newcomer)

    response = client.post("/accesso/registrazione/conferma/", {"email": "non-una-email"})

    assert response.status_code == 200
    assert "Inserisci un indirizzo email valido." in response.content.decode()
    assert "PROVA S.P.A." in response.content.decode()
    assert not PortalUser.objects.filter(customer=utility_newcomer).exists()
