"""Fuzzing a page's forms through HTTP: the forms are read from the page itself
(every ``<form method=post>``, its fields, the options of its selects), filled
with arbitrary values, and posted; the answer is never a server error, and a
form sent back with errors has changed nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import lxml.html
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import strategies as st

from sportello.core.models import AuditEvent

from .strategies import field_value

#: Written on purpose by a refused attempt (throttles, lockout, sessions) or
#: bookkeeping that is not the change the form asks for.
NOT_CHANGES = {
    "admin.LogEntry",
    "axes.AccessAttempt",
    "axes.AccessAttemptExpiration",
    "axes.AccessFailureLog",
    "axes.AccessLog",
    "accounts.ThrottleCounter",
    "core.AuditEvent",
    "sessions.Session",
    "otp_email.EmailDevice",
    "integration.IdempotencyRecord",
    "core.PeriodicJobRun",
}
#: The audit events a refused attempt records (a wrong password, a throttle),
#: and those of reading a page (the back office audits what operators read).
REFUSAL_EVENTS = ("failed", "throttled", "refused", "locked", "unlock.requested", "read")


@dataclass
class PostForm:
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


def post_forms(client: Client, url: str) -> list[PostForm]:
    """The POST forms of the page at ``url``, each field with the values it offers."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    page = lxml.html.fromstring(response.content.decode())
    found = []
    for form in page.forms:
        if (form.method or "").lower() != "post":
            continue
        spec = PostForm(form.get("action") or url)
        if any(
            word in spec.action
            for word in ("logout", "/esci/", "/elimina/", "/cancella/", "/ritira/")
        ):
            continue  # ending the session or deleting is not a form to fuzz
        for element in form.inputs:
            name = element.get("name")
            if not name or name == "csrfmiddlewaretoken":
                continue
            if element.tag == "input" and element.get("type") == "file":
                spec.files.append(name)
                continue
            offered = spec.fields.setdefault(name, [])
            if element.tag == "select":
                offered += [str(option) for option in element.value_options]
            elif element.tag == "input" and element.get("type") in {"checkbox", "radio"}:
                offered.append(element.get("value") or "on")
            elif element.get("value") is not None:
                offered.append(str(element.get("value")))
        found.append(spec)
    return found


def filled(spec: PostForm, valid: dict[str, Any] | None = None) -> Any:
    """A strategy of POST data for ``spec``: each field offered, valid, random or missing."""
    valid = valid or {}

    def one(name: str) -> Any:
        choices = [field_value, st.none()]
        offered = spec.fields.get(name, []) + ([str(valid[name])] if name in valid else [])
        if offered:
            choices = [st.sampled_from(offered), st.sampled_from(offered), *choices]
        return st.one_of(*choices)

    uploads = st.lists(
        st.builds(
            lambda name, content: SimpleUploadedFile(name, content),
            st.sampled_from(
                ["a.pdf", "b.txt", "c.png", "senza", "../../x.pdf", "d" * 300 + ".pdf"]
            ),
            st.one_of(st.binary(max_size=64), st.just(b"%PDF-1.4\n%%EOF\n")),
        ),
        max_size=2,
    )
    names = sorted(set(spec.fields) | set(valid))
    data = st.fixed_dictionaries(
        {name: one(name) for name in names} | {name: uploads for name in spec.files}
    )
    return data.map(lambda d: {k: v for k, v in d.items() if v is not None and v != []})


#: The tables whose rows a customer's or an operator's form edits in place:
#: compared row by row; every other table is compared by its count.
EDITED = {
    "accounts.PortalUser",
    "customers.Customer",
    "servicedesk.ServiceRequest",
    "notices.NotificationPreference",
    "notices.Notification",
    "energy.MeterReading",
    "integration.ApiKey",
}


def snapshot() -> dict[str, Any]:
    """What a form could have changed: the rows it edits, the number of every other."""
    return {
        model._meta.label: (
            list(model.objects.order_by("pk").values())
            if model._meta.label in EDITED
            else model.objects.count()
        )
        for model in apps.get_models()
        if model._meta.label not in NOT_CHANGES
    }


def forms_in(response: Any) -> list[Any]:
    """The Django forms the page was rendered with."""
    from django import forms

    found: list[Any] = []
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, forms.BaseForm) and all(value is not f for f in found):
                found.append(value)
    return found


def refused(response: Any) -> bool:
    """Whether the page sent the input back: an error, or the form again with errors
    (or with none at all: the POST was not even read)."""
    if response.status_code in {301, 302, 303} or response.headers.get("HX-Redirect"):
        return False
    if response.status_code >= 400:
        return True
    forms = forms_in(response)
    bound = [form for form in forms if form.is_bound]
    return any(form.errors for form in bound) or bool(forms and not bound)


def post_and_check(client: Client, action: str, data: dict[str, Any]) -> Any:
    """POSTs ``data``; an input sent back changed nothing and says why."""
    before = snapshot()
    last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    response = client.post(action, data)

    assert response.status_code < 500, (action, data, response.status_code)
    if not refused(response):
        return response
    after = snapshot()
    changed = [label for label in before if before[label] != after[label]]
    assert not changed, (action, data, response.status_code, changed)
    events = AuditEvent.objects.filter(pk__gt=last_event or 0).values_list("action", flat=True)
    assert all(any(word in event for word in REFUSAL_EVENTS) for event in events), list(events)
    if response.status_code == 200 and "text/html" in response.headers.get("Content-Type", ""):
        # The form came back: it says what is wrong (a 4xx page says so by itself).
        body = response.content.decode()
        shown = ("is-invalid", "invalid-feedback", "alert")
        assert any(mark in body for mark in shown), (action, data, "no message shown")
    return response


def fuzz_form(
    client: Client, form: PostForm, count: int, valid: dict[str, Any] | None = None
) -> None:
    """Posts ``count`` (scaled by the profile) arbitrary fillings of ``form``."""
    from hypothesis import given

    from .strategies import examples

    @examples(count)
    @given(data=filled(form, valid))
    def post(data: dict[str, Any]) -> None:
        post_and_check(client, form.action, data)

    post()
