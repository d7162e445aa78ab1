"""The two login steps as a test drives them: password, then the code from the outbox."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from tests.factories import PASSWORD

from sportello.core.models import OutboxEmail

CODE_SUBJECT = "codice di accesso"
WRONG = "Username o password non corretti."


def password_step(client: Client, login: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post("/accesso/", {"login": login, "password": password}, **extra)


def code_emails(address: str) -> list[OutboxEmail]:
    """The login-code e-mails sent to ``address``, newest first."""
    rows = OutboxEmail.objects.filter(subject__contains=CODE_SUBJECT).order_by("-pk")
    return [row for row in rows if address in row.to]


def last_code(address: str) -> str:
    emails = code_emails(address)
    assert emails, f"no login code was e-mailed to {address}"
    match = re.search(r"^(\d{6})$", emails[0].body_text, re.MULTILINE)
    assert match is not None
    return match.group(1)


def code_step(client: Client, code: str) -> Any:
    return client.post("/accesso/codice/", {"code": code})


def log_in(client: Client, login: str, password: str = PASSWORD) -> Any:
    """Both steps; the answer of the code step (a redirect home when all went well)."""
    response = password_step(client, login, password)
    assert response.status_code == 302, response.content.decode()[:2000]
    address = OutboxEmail.objects.order_by("-pk").values_list("to", flat=True).first()
    assert address
    return code_step(client, last_code(address[0]))


def visible_page(response: Any) -> str:
    """The page without what differs on every response (CSP nonces, CSRF tokens)."""
    page = response.content.decode()
    page = re.sub(r'nonce="[^"]*"', 'nonce=""', page)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def open_link(client: Client, path: str) -> str:
    """Open an e-mailed link as a browser does: its token moves into the session and
    the browser lands on the same page without it; the token-less path."""
    response = client.get(path)
    if response.status_code != 302:
        return path
    assert response["Location"].endswith("/imposta/"), response["Location"]
    return str(response["Location"])
