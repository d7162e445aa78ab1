"""Every back-office page, for every registered model, keeps another company's rows out.

The tests walk ``admin.site._registry``: a ModelAdmin registered tomorrow is walked
too, and fails here until its rows and choices are scoped to the operator's
companies (and until ``tests.factories.make_one_of_each`` builds one of its rows).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import models
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from pytest_django import Settings
from tests.factories import (
    BACK_OFFICE_HOST,
    Tenant,
    make_one_of_each,
    make_operator,
    operator_client,
)

from sportello.accounts.models import PortalUser
from sportello.core.admin import (
    PLATFORM_MODELS,
    CompanyScopedAdmin,
    ScopedChoicesMixin,
    company_path_for,
)

REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label_lower)


def _is_scoped(model_admin: admin.ModelAdmin[Any]) -> bool:
    return isinstance(model_admin, CompanyScopedAdmin)


SCOPED = [(model, model_admin) for model, model_admin in REGISTRY if _is_scoped(model_admin)]


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


@dataclass
class Walk:
    own: dict[str, Any]
    other: dict[str, Any]
    operator: PortalUser
    secrets: list[str]

    def client(self) -> Client:
        return operator_client(self.operator)

    def other_object(self, model: type[models.Model]) -> Any:
        assert label(model) in self.other, (
            f"tests.factories.make_one_of_each builds no {label(model)}: add one"
        )
        return self.other[label(model)]

    def assert_nothing_of_the_other_company(self, response: HttpResponse, where: str) -> None:
        body = response.content.decode()
        for secret in self.secrets:
            assert secret not in body and html.escape(secret) not in body, (
                f"{where} shows {secret!r} of another company"
            )


@pytest.fixture
def walk(release: Tenant, energia: Tenant, settings: Settings) -> Walk:
    """Release's operator, with every permission of every back-office model."""
    settings.PLATFORM_HOSTS = [BACK_OFFICE_HOST]
    own = make_one_of_each(release, "PROPRIO")
    other = make_one_of_each(energia, "ZQXALTRUI")
    labels = {model._meta.app_label for model, _ in REGISTRY}
    permissions = [
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.filter(content_type__app_label__in=labels).select_related(
            "content_type"
        )
    ]
    operator = make_operator(release.company, permissions=permissions)
    own_labels = {str(obj) for obj in own.values()} | {str(release.customer), release.user.login}
    # Every row of Energia names itself, as a page would name it; plus the marker that
    # each of its names, codes and titles carries and Energia's fixture customer.
    secrets = {"ZQXALTRUI", "zqxaltrui", "Energia Verde", str(energia.customer)}
    secrets |= {str(obj) for obj in other.values()} - own_labels
    return Walk(own, other, operator, sorted(secrets))


def test_it_scopes_every_registered_admin_or_keeps_it_for_superusers(walk: Walk) -> None:
    client = walk.client()
    for model, model_admin in REGISTRY:
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        if _is_scoped(model_admin):
            for inline in model_admin.inlines:
                assert issubclass(inline, ScopedChoicesMixin), f"{inline} is not scoped"
            continue
        # Not scoped by company: only a platform model that operators cannot open.
        assert label(model) in PLATFORM_MODELS | {"core.periodicjobrun"}, (
            f"{label(model)} is registered with {type(model_admin).__name__}, "
            "not a CompanyScopedAdmin"
        )
        assert client.get(changelist).status_code == 403, changelist


@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTRY, ids=lambda v: getattr(v, "__name__", "")
)
def test_it_traces_every_choice_of_every_admin_to_a_company(
    model: type[models.Model], model_admin: admin.ModelAdmin[Any]
) -> None:
    admins: list[Any] = [model_admin, *model_admin.inlines]
    for each in admins:
        each_model = each.model
        for field in each_model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if not (field.is_relation and field.concrete) or related is None:
                continue
            if label(related) in PLATFORM_MODELS:
                continue
            assert company_path_for(related) is not None, (
                f"{label(each_model)}.{field.name} offers {label(related)}, "
                "which reaches no company"
            )


@pytest.mark.parametrize(("model", "model_admin"), SCOPED, ids=lambda v: getattr(v, "__name__", ""))
def test_it_refuses_every_page_of_another_companys_row(
    walk: Walk, model: type[models.Model], model_admin: admin.ModelAdmin[Any]
) -> None:
    client = walk.client()
    other = walk.other_object(model)
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    missing = model._default_manager.order_by("-pk").values_list("pk", flat=True)[0] + 1000

    for view in ["change", "history", "delete"]:
        response = client.get(reverse(f"{prefix}_{view}", args=[other.pk]))
        like_missing = client.get(reverse(f"{prefix}_{view}", args=[missing]))

        assert response.status_code in (302, 403, 404), view
        assert response.status_code == like_missing.status_code, view
        assert response.get("Location") == like_missing.get("Location"), view
        walk.assert_nothing_of_the_other_company(
            client.get(response.get("Location", "/admin/")), view
        )

    listing = client.get(reverse(f"{prefix}_changelist"))
    assert listing.status_code == 200
    assert other not in listing.context["cl"].result_list
    walk.assert_nothing_of_the_other_company(listing, "the list")
    filtered = client.get(reverse(f"{prefix}_changelist"), {"pk__exact": other.pk})
    walk.assert_nothing_of_the_other_company(filtered, "the list filtered by id")

    # Posted forms and actions change nothing of it either.
    before = model._default_manager.filter(pk=other.pk).values().get()
    client.post(reverse(f"{prefix}_change", args=[other.pk]), {})
    client.post(reverse(f"{prefix}_delete", args=[other.pk]), {"post": "yes"})
    for action in model_admin.get_actions(_request_of(client, walk.operator)):
        response = client.post(
            reverse(f"{prefix}_changelist"),
            {"action": action, "_selected_action": [other.pk], "post": "yes"},
        )
        walk.assert_nothing_of_the_other_company(response, f"the action {action}")
    assert model._default_manager.filter(pk=other.pk).values().get() == before


@pytest.mark.parametrize(("model", "model_admin"), SCOPED, ids=lambda v: getattr(v, "__name__", ""))
def test_it_refuses_another_companys_ids_in_every_form(
    walk: Walk, model: type[models.Model], model_admin: admin.ModelAdmin[Any]
) -> None:
    client = walk.client()
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    urls = [reverse(f"{prefix}_change", args=[walk.own[label(model)].pk])]
    if model_admin.has_add_permission(_request_of(client, walk.operator)):
        urls.append(reverse(f"{prefix}_add"))
    posted = 0

    for url in urls:
        page = client.get(url)
        assert page.status_code == 200, url
        data = FormReader.read(page.content.decode())
        for name, target, multiple in choice_fields(page):
            if label(target) in PLATFORM_MODELS:
                continue
            other = walk.other_object(target)
            missing = target._default_manager.order_by("-pk").values_list("pk", flat=True)[0] + 1000
            where = f"{url} {name}={other.pk}"
            # The add form takes initial values from the address, as the "+" popups do.
            if url.endswith("/add/") and "-" not in name:
                walk.assert_nothing_of_the_other_company(client.get(url, {name: other.pk}), where)

            before = model._default_manager.count(), _values(walk.own[label(model)])
            refused = client.post(
                url, {**data, name: [str(other.pk)] if multiple else str(other.pk)}
            )
            as_missing = client.post(
                url, {**data, name: [str(missing)] if multiple else str(missing)}
            )

            assert refused.status_code == 200, f"{where} was saved"
            assert (model._default_manager.count(), _values(walk.own[label(model)])) == before
            walk.assert_nothing_of_the_other_company(refused, where)
            assert _errors(refused, other.pk) == _errors(as_missing, missing), where
            assert _errors(refused, other.pk), f"{where} gave no error"
            posted += 1

    # A model with a relation an operator may change is walked at least once.
    editable = model_admin.has_change_permission(_request_of(client, walk.operator))
    if editable and any(f.many_to_one or f.many_to_many for f in model._meta.concrete_fields):
        assert posted, f"no choice of {label(model)} was posted"


def choice_fields(page: HttpResponse) -> list[tuple[str, type[models.Model], bool]]:
    """(posted name, model chosen, many?) of every choice of the form and its inlines."""
    found: list[tuple[str, type[models.Model], bool]] = []
    form = page.context["adminform"].form
    for name, field in form.fields.items():
        if isinstance(field, ModelChoiceField) and not field.disabled:
            found.append(
                (
                    form.add_prefix(name),
                    field.queryset.model,
                    isinstance(field, ModelMultipleChoiceField),
                )
            )
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for each in formset.forms:
            for name, field in each.fields.items():
                if isinstance(field, ModelChoiceField) and not field.disabled:
                    found.append((each.add_prefix(name), field.queryset.model, False))
    return found


def _values(obj: models.Model) -> dict[str, Any]:
    return type(obj)._default_manager.filter(pk=obj.pk).values().get()


def _errors(response: HttpResponse, pk: object) -> list[str]:
    """Every error message on the page, with the posted id written as ``<id>``."""
    context = response.context
    messages: list[str] = []
    messages += [str(e) for errors in context["adminform"].form.errors.values() for e in errors]
    for inline in context["inline_admin_formsets"]:
        for form_errors in inline.formset.errors:
            messages += [str(e) for errors in form_errors.values() for e in errors]
        messages += [str(e) for e in inline.formset.non_form_errors()]
    return [re.sub(rf"\b{pk}\b", "<id>", message) for message in messages]


def _request_of(client: Client, user: PortalUser) -> Any:
    """A request of ``user``, to ask a ModelAdmin what it offers them."""
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


class FormReader(HTMLParser):
    """What a browser would post from the page's form: every named field's value."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, Any] = {}
        self._select: str | None = None
        self._multiple = False
        self._textarea: str | None = None

    @classmethod
    def read(cls, page: str) -> dict[str, Any]:
        reader = cls()
        reader.feed(page)
        return reader.data

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        name = a.get("name", "")
        if tag == "input" and name and "__prefix__" not in name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.data[name] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select" and name and "__prefix__" not in name:
            self._select, self._multiple = name, "multiple" in a
            if self._multiple:
                self.data[name] = []
        elif tag == "option" and self._select and "selected" in a:
            if self._multiple:
                self.data[self._select].append(a.get("value", ""))
            else:
                self.data[self._select] = a.get("value", "")
        elif tag == "textarea" and name and "__prefix__" not in name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data
