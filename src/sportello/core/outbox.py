"""The transactional e-mail outbox: the only way Sportello sends e-mail.

``queue_email`` writes a row in the caller's transaction and asks for it to be
sent after commit; if the transaction rolls back, neither the row nor the
e-mail exist. ``deliver`` claims a row before sending, so it is sent once even
when the task runs twice; failures are retried by a periodic job with backoff.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from email.utils import formataddr, parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Company, OutboxEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
# While one sender holds a row, nobody else may take it.
CLAIM_LEASE = dt.timedelta(minutes=5)


_dropping: ContextVar[bool] = ContextVar("outbox_dropping", default=False)


@contextmanager
def dropped() -> Iterator[None]:
    """E-mails queued inside are dropped: neither written to the outbox nor sent.

    For records made up after the fact, such as the demo's requests dated
    weeks back, whose receipts and notices nobody is waiting for.
    """
    token = _dropping.set(True)
    try:
        yield
    finally:
        _dropping.reset(token)


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 2, 4 … minutes after each failure, at most an hour."""
    return dt.timedelta(minutes=min(2 ** (attempts - 1), 60))


def queue_email(
    *,
    to: list[str],
    subject: str,
    body_text: str,
    body_html: str = "",
    company: Company | None = None,
    headers: dict[str, str] | None = None,
) -> OutboxEmail:
    """Write one e-mail to the outbox; it leaves after the transaction commits.

    ``headers``: extra headers, such as ``List-Unsubscribe`` (transactional
    e-mails carry none). Inside ``dropped()`` the e-mail is made but neither
    written nor sent.
    """
    email = OutboxEmail(
        company=company,
        to=list(to),
        subject=" ".join(subject.split())[:255],
        body_text=body_text,
        body_html=body_html,
        headers=dict(headers or {}),
        next_attempt_at=timezone.now(),
    )
    if _dropping.get():
        return email
    email.save()
    from .tasks import send_outbox_email

    pk = email.pk
    # Robust: the change is committed whatever happens here. If the broker is
    # down, the row is still due and the periodic job sends it.
    transaction.on_commit(lambda: send_outbox_email.delay(pk), robust=True)
    return email


def queue_templated_email(
    name: str,
    *,
    to: list[str],
    context: dict[str, Any],
    company: Company | None,
    language: str = settings.LANGUAGE_CODE,
    headers: dict[str, str] | None = None,
) -> OutboxEmail:
    """Render ``emails/<name>-subject.txt``, ``-body.txt`` and ``-body.html`` in
    the recipient's language and queue the result."""
    context = {"company": company, **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{name}-subject.txt", context).strip()
        body_text = render_to_string(f"emails/{name}-body.txt", context)
        body_html = render_to_string(f"emails/{name}-body.html", context)
    return queue_email(
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        company=company,
        headers=headers,
    )


def _from_address(company: Company | None) -> str:
    _, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((company.name, address)) if company else settings.DEFAULT_FROM_EMAIL


def deliver(pk: int) -> bool:
    """Send one outbox row if it is due and nobody else holds it; True if sent."""
    now = timezone.now()
    claimed = OutboxEmail.objects.filter(
        pk=pk, sent_at__isnull=True, next_attempt_at__lte=now
    ).update(next_attempt_at=now + CLAIM_LEASE)
    if not claimed:
        return False
    email = OutboxEmail.objects.select_related("company").get(pk=pk)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=_from_address(email.company),
        to=email.to,
        reply_to=[email.company.support_email] if email.company else None,
        headers={**email.headers, "Message-ID": email.message_id},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except Exception as exc:
        attempts = email.attempts + 1
        next_attempt = now + retry_delay(attempts) if attempts < MAX_ATTEMPTS else None
        OutboxEmail.objects.filter(pk=pk).update(
            attempts=attempts, last_error=repr(exc)[:2000], next_attempt_at=next_attempt
        )
        logger.warning("E-mail %s not sent (attempt %s): %r", pk, attempts, exc)
        return False
    OutboxEmail.objects.filter(pk=pk).update(
        sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
    )
    return True


def deliver_due() -> int:
    """Send every row whose time has come (new ones the task missed, and retries)."""
    due = OutboxEmail.objects.filter(
        sent_at__isnull=True, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)
    return sum(deliver(pk) for pk in list(due[:500]))
