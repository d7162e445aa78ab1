"""A customer reaches an object only through its owner; anything else is a 404."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from tests.factories import Tenant, make_contract, make_customer, make_sub_user, make_user

from sportello.core.models import Company
from sportello.core.scoping import get_for_user
from sportello.leasing.models import Contract


def test_it_gives_the_owner_its_object(release: Tenant) -> None:
    contract = make_contract(release.customer)

    assert get_for_user(Contract, release.user, pk=contract.pk) == contract
    assert get_for_user(Contract.objects.active(), release.user, number=contract.number) == contract


def test_it_gives_a_sub_user_its_parents_objects(release: Tenant) -> None:
    contract = make_contract(release.customer)
    sub_user = make_sub_user(release.user)

    assert sub_user.is_sub_user
    assert get_for_user(Contract, sub_user, pk=contract.pk) == contract


def test_it_hides_another_customers_object(release: Tenant) -> None:
    neighbour = make_customer(release.company)
    make_user(neighbour)
    contract = make_contract(neighbour)

    with pytest.raises(Http404):
        get_for_user(Contract, release.user, pk=contract.pk)


def test_it_hides_another_companys_object(release: Tenant, energia: Tenant) -> None:
    contract = make_contract(energia.customer)

    with pytest.raises(Http404):
        get_for_user(Contract, release.user, pk=contract.pk)


def test_it_hides_everything_from_an_anonymous_visitor(release: Tenant) -> None:
    contract = make_contract(release.customer)

    with pytest.raises(Http404):
        get_for_user(Contract, AnonymousUser(), pk=contract.pk)


def test_it_hides_everything_from_a_user_without_a_customer(release: Tenant) -> None:
    contract = make_contract(release.customer)
    operator = type(release.user).objects.create_user("operatore", is_staff=True)

    with pytest.raises(Http404):
        get_for_user(Contract, operator, pk=contract.pk)


def test_it_answers_404_for_an_object_that_does_not_exist(release: Tenant) -> None:
    with pytest.raises(Http404):
        get_for_user(Contract, release.user, pk=999_999)


def test_it_lists_only_the_users_rows(release: Tenant, energia: Tenant) -> None:
    own = make_contract(release.customer)
    make_contract(make_customer(release.company))
    make_contract(energia.customer)

    assert list(Contract.objects.for_user(release.user)) == [own]
    assert list(Contract.objects.for_user(AnonymousUser())) == []


def test_it_refuses_a_model_that_is_not_owner_scoped(release: Tenant) -> None:
    with pytest.raises(TypeError):
        get_for_user(Company, release.user, pk=release.company.pk)
