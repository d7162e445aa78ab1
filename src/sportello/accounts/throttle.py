"""Rate limits for the flows that can be abused: login, codes, registration, unlock, reset.

Each limit counts in fixed windows, per key: the account (or what names it,
e.g. a contract number) and the client address from ``core.http.client_ip``
(never a header the client controls), both within one company, so what
happens on one company's portal never holds up another's. The counters live
in the database (``ThrottleCounter``), shared by every web process: not in
the cache, because Redis keeps nothing on disk here and a counter set back to
zero by a Redis restart would be a fresh allowance for whoever is guessing.

What is counted is a *failure* (a wrong password, a wrong code, data that
match no customer): a success never counts, so an office or a mobile
carrier's NAT, where hundreds of people share one address, is never locked
out by its own correct logins. Reset and unlock are the exception, see
``RESET``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import time
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sportello.core.audit import Origin

from .models import ThrottleCounter


@dataclass(frozen=True)
class Limit:
    """At most ``per_address`` counts per client address and ``per_account`` per
    account key, each within one company and one window of ``window_seconds``."""

    scope: str
    per_address: int
    per_account: int
    window_seconds: int


# Per address: an office or carrier NAT puts hundreds of customers of one company
# behind one address; 300 failures a quarter of an hour is one mistyped password
# or code each for a few hundred people at the Monday-morning peak. It is no help
# to a password sprayer either: django-axes locks every account at its third
# wrong password, and the codes are guarded per attempt and per account.
LOGIN_ADDRESS = Limit("login-address", per_address=300, per_account=0, window_seconds=900)
CODE = Limit("code", per_address=300, per_account=10, window_seconds=900)
# Registration and unlock name a customer by contract or customer code: per
# account 5 wrong guesses an hour; per address 100 an hour, as registrations
# are rarer than logins but an office may register many customers.
REGISTRATION = Limit("registration", per_address=100, per_account=5, window_seconds=3600)
# Reset and unlock count every request, not failures: the page never says
# whether anybody matched, and a limit that counted only unknown data would
# itself tell (by when it closes) which accounts exist. A right request is
# rare for one person (one e-mail is enough), so counting it costs a NAT
# nothing, and the per-account count keeps anyone from flooding a mailbox.
UNLOCK = Limit("unlock", per_address=100, per_account=5, window_seconds=3600)
RESET = Limit("reset", per_address=100, per_account=5, window_seconds=3600)


def _key(limit: Limit, origin: Origin, value: str) -> str:
    # The window number is in the key, so a counter dies with its window.
    window = int(time.time()) // limit.window_seconds
    digest = hashlib.sha256(f"{origin.company_id or '-'}:{value}".encode()).hexdigest()[:32]
    return f"throttle:{limit.scope}:{window}:{digest}"


def _account_keys(limit: Limit, origin: Origin, account_keys: tuple[str, ...]) -> list[str]:
    if limit.per_account <= 0:
        return []
    return [_key(limit, origin, f"account:{k.strip().lower()}") for k in account_keys if k]


def _keys(limit: Limit, origin: Origin, account_keys: tuple[str, ...]) -> list[tuple[str, int]]:
    """(cache key, allowed count) of the address and each account key, in this window."""
    keys = [(key, limit.per_account) for key in _account_keys(limit, origin, account_keys)]
    if limit.per_address > 0:
        keys.append((_key(limit, origin, f"ip:{origin.ip_address or '-'}"), limit.per_address))
    return keys


def wait_seconds(limit: Limit, origin: Origin, *account_keys: str) -> int:
    """0 when the address and every account key are under the limit; else the
    seconds until the window ends and the limit opens again. Counts nothing."""
    keys = _keys(limit, origin, account_keys)
    counts = dict(
        ThrottleCounter.objects.filter(key__in=[key for key, _allowed in keys]).values_list(
            "key", "count"
        )
    )
    if all(counts.get(key, 0) < allowed for key, allowed in keys):
        return 0
    return limit.window_seconds - int(time.time()) % limit.window_seconds


def count(limit: Limit, origin: Origin, *account_keys: str) -> None:
    """Count one failure (or, for reset and unlock, one request).

    One upsert per key: safe when two processes count at once, and the same
    queries whether the counter existed or not (known and unknown accounts
    must cost the same work).
    """
    now = int(time.time())
    expires_at = dt.datetime.fromtimestamp(
        now - now % limit.window_seconds + limit.window_seconds, tz=dt.UTC
    )
    table = connection.ops.quote_name(ThrottleCounter._meta.db_table)
    with connection.cursor() as cursor:
        for key, _allowed in _keys(limit, origin, account_keys):
            cursor.execute(
                f"INSERT INTO {table} (key, count, expires_at) VALUES (%s, 1, %s)"  # noqa: S608
                f" ON CONFLICT (key) DO UPDATE SET count = {table}.count + 1",
                [key, connection.ops.adapt_datetimefield_value(expires_at)],
            )


def forget(limit: Limit, origin: Origin, *account_keys: str) -> None:
    """Forget the account counters (e.g. after a right code); the address keeps its own."""
    ThrottleCounter.objects.filter(key__in=_account_keys(limit, origin, account_keys)).delete()


def purge_expired() -> int:
    """Delete the counters of ended windows; how many."""
    deleted, _per_model = ThrottleCounter.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


def wait_message(seconds: int) -> str:
    """ "Troppi tentativi: riprova tra N minuti." for the person who is held up."""
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Troppi tentativi: riprova tra %(minutes)d minuto.",
        "Troppi tentativi: riprova tra %(minutes)d minuti.",
        minutes,
    ) % {"minutes": minutes}


def wait_message_restart(seconds: int) -> str:
    """The wait, and that the login starts again from the password."""
    return wait_message(seconds) + " " + _("Poi inserisci di nuovo username e password.")
