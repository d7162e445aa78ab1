"""The law's clock for complaints (reclami): when the company must answer.

- Leasing companies are intermediaries under art. 106 TUB: Banca d'Italia's
  transparency provisions (section XI, par. 3) give them 60 calendar days
  from receipt.
- A complaint about a payment service (PSD2, art. 101 of Directive (EU)
  2015/2366, as transposed in the same provisions) must be answered within 15
  business days; with an interim reply that gives the reasons of the delay,
  within 35 business days.
- Energy and gas sellers answer a written complaint within 30 calendar days
  from receipt: ARERA's TIQV (Testo integrato della qualità dei servizi di
  vendita, Allegato A to Delibera 413/2016/R/com), art. 14, the specific
  standard "tempo massimo di risposta motivata ai reclami scritti". The
  customer may turn to ARERA's Servizio Conciliazione after an answer that
  does not satisfy, or after 40 days without one.

Business days are Monday to Friday except Italy's national holidays. Waiting
for the customer pauses only the company's own service level, never these
dates, so they depend on the receipt (and the kind) alone.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from functools import cache

#: Calendar days for a complaint to an art. 106 TUB intermediary.
COMPLAINT_DAYS = 60
#: Calendar days for a complaint to an energy or gas seller (TIQV, art. 14).
UTILITY_COMPLAINT_DAYS = 30
#: Days without an answer after which the customer may go to ARERA's
#: Servizio Conciliazione (an unsatisfying answer opens it at once).
CONCILIATION_AFTER_DAYS = 40
#: Business days for a complaint about a payment service; with an interim reply.
PAYMENT_SERVICE_BUSINESS_DAYS = 15
PAYMENT_SERVICE_INTERIM_BUSINESS_DAYS = 35

# Italy's fixed national holidays (L. 260/1949 and later amendments), as (month, day).
FIXED_HOLIDAYS = {
    (1, 1),  # Capodanno
    (1, 6),  # Epifania
    (4, 25),  # Festa della Liberazione
    (5, 1),  # Festa del Lavoro
    (6, 2),  # Festa della Repubblica
    (8, 15),  # Ferragosto
    (11, 1),  # Ognissanti
    (12, 8),  # Immacolata Concezione
    (12, 25),  # Natale
    (12, 26),  # Santo Stefano
}


class ComplaintClock(Enum):
    """Which rule sets a complaint's due date."""

    LEASING = "leasing"
    PAYMENT_SERVICE = "payment_service"
    #: An energy or gas seller under ARERA's TIQV.
    UTILITY = "utility"


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter (the anonymous algorithm published by Meeus, *Astronomical
    Algorithms*, ch. 8), whose Monday is a national holiday."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@cache
def national_holidays(year: int) -> frozenset[dt.date]:
    """Italy's national holidays of ``year``, Easter Monday included."""
    fixed = {dt.date(year, month, day) for month, day in FIXED_HOLIDAYS}
    return frozenset(fixed | {easter_sunday(year) + dt.timedelta(days=1)})


def is_business_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in national_holidays(day.year)


def add_business_days(start: dt.date, days: int) -> dt.date:
    """The ``days``-th business day after ``start`` (``start`` itself not counted)."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if is_business_day(day):
            days -= 1
    return day


def conciliation_from(received_on: dt.date) -> dt.date:
    """The first day a utility customer still without an answer may turn to ARERA's
    Servizio Conciliazione (40 days after sending the complaint)."""
    return received_on + dt.timedelta(days=CONCILIATION_AFTER_DAYS)


def complaint_due_date(
    received_on: dt.date, clock: ComplaintClock, *, interim_reply: bool = False
) -> dt.date:
    """The last day on which the answer to a complaint received on ``received_on`` is due.

    ``interim_reply``: a payment-service complaint whose interim reply gave
    the reasons of the delay (the 35-business-day limit).
    """
    if clock is ComplaintClock.LEASING:
        return received_on + dt.timedelta(days=COMPLAINT_DAYS)
    if clock is ComplaintClock.UTILITY:
        return received_on + dt.timedelta(days=UTILITY_COMPLAINT_DAYS)
    days = PAYMENT_SERVICE_INTERIM_BUSINESS_DAYS if interim_reply else PAYMENT_SERVICE_BUSINESS_DAYS
    return add_business_days(received_on, days)
