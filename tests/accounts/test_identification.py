"""Registration and unlock identify a customer with one query, so the same data
that register also unlock (they matched module numbers differently before)."""

from __future__ import annotations

from tests.factories import Tenant, make_contract, make_customer

from sportello.accounts.models import PortalUser
from sportello.accounts.services.identification import identified_customer
from sportello.core.models import OutboxEmail


def test_it_unlocks_with_the_module_number_typed_in_lower_case(release: Tenant) -> None:
    contract = make_contract(release.customer, module_number="M77")

    release.client().post(
        "/accesso/sblocco/",
        {
            "contract_number": contract.number,
            "module_number": "m77",
            "tax_id": release.customer.codice_fiscale,
        },
    )

    assert OutboxEmail.objects.get().to == [release.user.email]


def test_it_registers_with_the_same_data_that_unlock(release: Tenant) -> None:
    customer = make_customer(release.company, code="20077")
    contract = make_contract(customer, module_number="M78")

    response = release.client().post(
        "/accesso/registrazione/",
        {
            "contract_number": contract.number,
            "module_number": "m78",
            "tax_id": customer.codice_fiscale,
            "email": "nuovo@example.test",
        },
    )

    assert response.status_code == 302
    assert PortalUser.objects.filter(customer=customer).exists()


def test_it_identifies_nobody_across_companies(release: Tenant, energia: Tenant) -> None:
    contract = make_contract(release.customer)
    data = {
        "contract_number": contract.number,
        "module_number": contract.module_number,
        "tax_id": release.customer.codice_fiscale,
    }

    assert identified_customer(release.company, **data) == release.customer
    assert identified_customer(energia.company, **data) is None
    assert identified_customer(release.company, **{**data, "tax_id": ""}) is None
