"""Meter self-readings (G7): the windows, the plausibility rules, entering and deleting.

The customer pages, and later the back office and the API, call these
functions with an ``Origin`` (the company, the acting user and the address the
audit log records), never with a request.

Decisions the seed leaves open, taken here once:

- A window is open from ``opens_at`` included to ``closes_at`` excluded: "fino
  alle ore 22:00" means that at 22:00 the window is closed, and two windows
  that touch never overlap.
- A reading is dated the day it is entered (Europe/Rome), as the seed's form
  asks for no date: the customer reads the meter and types it in.
- Both gas and electricity meters take whole digits only. A gas meter's red
  digits are fractions of a cubic metre that nobody bills; an electricity
  meter's register shows whole kWh. Input with a point or a comma is refused,
  not guessed (``45.000`` could be forty-five thousand or forty-five).
- The "last actual reading" is the latest one dated before the new one,
  acquired or still pending.
- The consumption limit is absolute: above ``reading_max_annual_factor`` times
  the annual consumption (twice, by default) whatever the days since the last
  reading; the expected consumption is the annual one pro rata over those days
  (365 a year).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from sportello.accounts.models import PortalUser
from sportello.core import audit
from sportello.core.audit import Origin
from sportello.core.formatting import format_long_date
from sportello.core.models import Company, CompanyKind
from sportello.notices.delivery import deliver
from sportello.notices.models import Category, Notification, bilingual_fields

from .models import Commodity, MeterReading, Plausibility, ReadingStatus, ReadingWindow, SupplyPoint

DAYS_A_YEAR = 365


class ReadingRefused(Exception):
    """A reading the rules do not accept; ``message`` says why, in the active language.

    ``field`` names the form field the message belongs to (None: the whole form).
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ConfirmationRequired(Exception):
    """A plausible-looking mistake: the customer must confirm the reading before it is saved."""

    def __init__(self, reason: Plausibility, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


# -- windows -------------------------------------------------------------------------


def open_window(company: Company, commodity: str, now: dt.datetime) -> ReadingWindow | None:
    """The window in which ``commodity``'s readings may be entered at ``now``, if any."""
    return (
        ReadingWindow.objects.filter(
            company=company, commodity=commodity, opens_at__lte=now, closes_at__gt=now
        )
        .order_by("closes_at")
        .last()
    )


def next_window(company: Company, commodity: str, now: dt.datetime) -> ReadingWindow | None:
    """The first window that opens after ``now`` (the page says when)."""
    return (
        ReadingWindow.objects.filter(company=company, commodity=commodity, opens_at__gt=now)
        .order_by("opens_at")
        .first()
    )


def planned_windows(company: Company, commodity: str, now: dt.datetime) -> QuerySet[ReadingWindow]:
    """The open and the coming windows, soonest first: the page's "periodi" table."""
    return ReadingWindow.objects.filter(
        company=company, commodity=commodity, closes_at__gt=now
    ).order_by("opens_at", "pk")


def readings_of(user: object, point: SupplyPoint) -> QuerySet[MeterReading]:
    """The point's readings the user may see, newest first."""
    return MeterReading.objects.for_user(user).filter(supply_point=point).order_by("-reading_date")


# -- plausibility --------------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    """What a new reading implies, measured against the last one and the annual consumption.

    ``implied`` and ``expected`` are None without a previous reading (nothing to
    compare with); ``expected`` is None too when the point's annual consumption
    is unknown. ``needs`` is the confirmation the customer must give.
    """

    last: MeterReading | None
    implied: int | None
    expected: Decimal | None
    needs: Plausibility
    message: str = ""

    @property
    def expected_rounded(self) -> int | None:
        return None if self.expected is None else int(self.expected.to_integral_value())


def _number(value: int | Decimal) -> str:
    """``45000`` as the active language groups it: ``45.000``, ``45,000``."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    return str(number_format(value, force_grouping=True))


def assess(
    company: Company,
    point: SupplyPoint,
    day: dt.date,
    meter_value: int,
    corrector_value: int | None = None,
) -> Assessment:
    """Check a reading of ``point`` dated ``day`` against the last one before it.

    Raises ``ReadingRefused`` for a reading below the last one (meter or
    corrector) or implying more than the company's multiple of the annual
    consumption; returns what the customer must confirm otherwise.
    """
    last = (
        MeterReading.objects.filter(supply_point=point, reading_date__lt=day)
        .order_by("-reading_date")
        .first()
    )
    if last is None:
        return Assessment(last=None, implied=None, expected=None, needs=Plausibility.NONE)
    values = {
        "value": _number(meter_value),
        "last": _number(last.meter_value),
        "date": format_long_date(last.reading_date),
        "unit": point.unit,
    }
    if meter_value < last.meter_value:
        raise ReadingRefused(
            _(
                "La lettura inserita (%(value)s) è inferiore all'ultima lettura, "
                "%(last)s del %(date)s: controlla le cifre del contatore."
            )
            % values,
            "meter_value",
        )
    if (
        corrector_value is not None
        and last.corrector_value is not None
        and corrector_value < last.corrector_value
    ):
        raise ReadingRefused(
            _(
                "La lettura del correttore (%(value)s) è inferiore all'ultima, "
                "%(last)s del %(date)s: controlla le cifre del correttore."
            )
            % {**values, "value": _number(corrector_value), "last": _number(last.corrector_value)},
            "corrector_value",
        )
    implied = meter_value - last.meter_value
    values["implied"] = _number(implied)
    annual = point.annual_consumption
    expected: Decimal | None = None
    if annual is not None and annual > 0:
        limit = company.reading_max_annual_factor * annual
        if implied > limit:
            raise ReadingRefused(
                _(
                    "La lettura implica un consumo di %(implied)s %(unit)s dal %(date)s, "
                    "oltre %(factor)s volte il consumo annuo del punto (%(annual)s %(unit)s): "
                    "controlla le cifre del contatore."
                )
                % {
                    **values,
                    "factor": _number(company.reading_max_annual_factor),
                    "annual": _number(annual),
                },
                "meter_value",
            )
        if corrector_value is not None and last.corrector_value is not None:
            # The corrector's count (standard cubic metres) is what a corrected
            # point is billed on: the same ceiling holds for it.
            corrected = corrector_value - last.corrector_value
            if corrected > limit:
                raise ReadingRefused(
                    _(
                        "La lettura del correttore implica un consumo di %(implied)s "
                        "%(unit)s dal %(date)s, oltre %(factor)s volte il consumo annuo "
                        "del punto (%(annual)s %(unit)s): controlla le cifre del correttore."
                    )
                    % {
                        **values,
                        "implied": _number(corrected),
                        "factor": _number(company.reading_max_annual_factor),
                        "annual": _number(annual),
                    },
                    "corrector_value",
                )
        expected = annual * (day - last.reading_date).days / DAYS_A_YEAR
    if implied == 0:
        message = _(
            "La lettura è uguale all'ultima, %(last)s del %(date)s: il consumo risulta nullo. "
            "Se è corretta, confermala e salva di nuovo."
        )
        return Assessment(last, implied, expected, Plausibility.ZERO, message % values)
    margin = company.reading_deviation_percent
    if expected is not None and abs(implied - expected) * 100 > expected * margin:
        message = _(
            "La lettura implica un consumo di %(implied)s %(unit)s dal %(date)s, "
            "che si discosta di oltre il %(margin)s%% da quello previsto "
            "(circa %(expected)s %(unit)s). Se è corretta, confermala e salva di nuovo."
        )
        values |= {"margin": str(margin), "expected": _number(expected.to_integral_value())}
        return Assessment(last, implied, expected, Plausibility.DEVIATION, message % values)
    return Assessment(last, implied, expected, Plausibility.NONE)


# -- entering and deleting -----------------------------------------------------------


def _window_closed_message(company: Company, commodity: str, now: dt.datetime) -> str:
    coming = next_window(company, commodity, now)
    if coming is None:
        return _(
            "L'inserimento delle autoletture non è consentito in questo momento "
            "e non ci sono periodi in programma."
        )
    opens = timezone.localtime(coming.opens_at)
    return _(
        "L'inserimento delle autoletture non è consentito in questo momento: "
        "il prossimo periodo si apre il %(date)s alle ore %(time)s."
    ) % {"date": format_long_date(opens), "time": f"{opens:%H:%M}"}


def add_reading(
    origin: Origin,
    point: SupplyPoint,
    *,
    meter_value: int,
    corrector_value: int | None = None,
    confirmed: bool = False,
    now: dt.datetime | None = None,
) -> MeterReading:
    """Enter today's reading of ``point`` for ``origin``'s user, if the rules allow it.

    Raises ``ReadingRefused`` (outside a window, a second reading today, a
    missing or superfluous corrector reading, an impossible value) or
    ``ConfirmationRequired`` (a zero consumption or one outside the company's
    margin, not ``confirmed``). A confirmed reading keeps why it was confirmed,
    with the consumption it implied and the one expected.
    """
    company, user = origin.company, origin.user
    if company is None or not company.feature_self_reading:
        raise PermissionDenied
    if point.company_id != company.pk or point.customer_id != getattr(user, "customer_id", None):
        raise PermissionDenied
    now = now or timezone.now()
    today = timezone.localdate(now)
    if open_window(company, point.commodity, now) is None:
        raise ReadingRefused(_window_closed_message(company, point.commodity, now))
    already = _(
        "C'è già una lettura del %(date)s per questo punto: se ne può inserire una al giorno."
    )
    already %= {"date": format_long_date(today)}
    if MeterReading.objects.filter(supply_point=point, reading_date=today).exists():
        raise ReadingRefused(already)
    with_corrector = point.commodity == Commodity.GAS and point.has_corrector
    if with_corrector and corrector_value is None:
        raise ReadingRefused(_("Inserisci anche la lettura del correttore."), "corrector_value")
    if not with_corrector and corrector_value is not None:
        raise ReadingRefused(_("Questo punto non ha un correttore."), "corrector_value")
    assessment = assess(company, point, today, meter_value, corrector_value)
    if assessment.needs and not confirmed:
        raise ConfirmationRequired(assessment.needs, assessment.message)
    try:
        with transaction.atomic():
            reading = MeterReading.objects.create(
                supply_point=point,
                reading_date=today,
                meter_value=meter_value,
                corrector_value=corrector_value,
                entered_by=user,
                confirmed=assessment.needs,
                implied_consumption=assessment.implied,
                expected_consumption=assessment.expected_rounded,
            )
            audit.record(
                "reading.added",
                origin=origin,
                obj=reading,
                point=point.code,
                meter_value=meter_value,
                corrector_value=corrector_value,
                confirmed=str(assessment.needs),
            )
    except IntegrityError:
        # Two submissions of the same day at once: the constraint kept one.
        raise ReadingRefused(already) from None
    return reading


def delete_reading(origin: Origin, reading: MeterReading) -> None:
    """Delete a reading of the user's own customer that is still to be acquired.

    The deletion is conditional on the status, so a reading the acquisition
    job took a moment ago is refused, not lost.
    """
    user = origin.user
    if reading.supply_point.customer_id != getattr(user, "customer_id", None):
        raise PermissionDenied
    with transaction.atomic():
        deleted, _rows = MeterReading.objects.filter(
            pk=reading.pk, status=ReadingStatus.PENDING
        ).delete()
        if not deleted:
            raise ReadingRefused(
                _("La lettura del %(date)s è già stata acquisita e non si può più cancellare.")
                % {"date": format_long_date(reading.reading_date)}
            )
        audit.record(
            "reading.deleted",
            origin=origin,
            obj=reading,
            point=reading.supply_point.code,
            meter_value=reading.meter_value,
            corrector_value=reading.corrector_value,
        )


# -- the periodic work ---------------------------------------------------------------


def acquire_pending_readings(now: dt.datetime | None = None, batch: int = 1000) -> int:
    """Mark every reading still to be acquired as acquired ("Acquisita"); how many.

    This is the hand-over to the core system: from now on the customer can no
    longer delete the reading, and the integration API (issue 11) reads the
    acquired readings back by ``acquired_at``. Rows are claimed with
    ``SELECT … FOR UPDATE SKIP LOCKED`` and updated only while still pending,
    so two runs at once never take a reading twice, and a deletion racing with
    the job either happens first or is refused.
    """
    now = now or timezone.now()
    total = 0
    while True:
        with transaction.atomic():
            rows = list(
                MeterReading.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(status=ReadingStatus.PENDING)
                .order_by("pk")
                .values_list("pk", "supply_point__company_id")[:batch]
            )
            if not rows:
                return total
            total += MeterReading.objects.filter(
                pk__in=[pk for pk, _company in rows], status=ReadingStatus.PENDING
            ).update(status=ReadingStatus.ACQUIRED, acquired_at=now)
            per_company = Counter(company_id for _pk, company_id in rows)
            for company in Company.objects.filter(pk__in=per_company).order_by("pk"):
                audit.record("readings.acquired", company=company, count=per_company[company.pk])


#: The second notice of a window goes out this long before it closes.
CLOSING_NOTICE = dt.timedelta(days=2)


def _window_texts(window: ReadingWindow, closing: bool) -> dict[str, str]:
    """The notice's title and body in Italian and in English."""
    closes = timezone.localtime(window.closes_at)

    def values() -> dict[str, str]:
        return {
            "date": format_long_date(closes),
            "time": f"{closes:%H:%M}",
            "commodity": str(Commodity(window.commodity).label).lower(),
        }

    if closing:
        return bilingual_fields(
            title=lambda: _("Autolettura %(commodity)s: il periodo chiude il %(date)s") % values(),
            body=lambda: (
                _(
                    "Hai tempo fino al %(date)s alle ore %(time)s per inserire l'autolettura "
                    "del contatore (%(commodity)s) in Autolettura contatore."
                )
                % values()
            ),
        )
    return bilingual_fields(
        title=lambda: _("Autolettura %(commodity)s: periodo aperto fino al %(date)s") % values(),
        body=lambda: (
            _(
                "Fino al %(date)s alle ore %(time)s puoi inserire l'autolettura "
                "del contatore (%(commodity)s) in Autolettura contatore."
            )
            % values()
        ),
    )


def notify_reading_windows(now: dt.datetime | None = None) -> int:
    """Tell the customers with a point of the window's commodity that it opened, and
    again two days before it closes; the number of notices written.

    Only companies that offer self-reading. Each notice is claimed by the
    update that sets ``opening_notified_at`` or ``closing_notified_at`` in the
    transaction that writes it, so a second run (or two at once) writes
    nothing twice. A window first seen within two days of its close gets the
    closing notice only; one that already closed gets none.
    """
    now = now or timezone.now()
    soon = now + CLOSING_NOTICE
    windows = (
        ReadingWindow.objects.filter(
            company__kind=CompanyKind.UTILITY,
            company__feature_self_reading=True,
            opens_at__lte=now,
            closes_at__gt=now,
        )
        .filter(
            Q(opening_notified_at__isnull=True)
            | Q(closing_notified_at__isnull=True, closes_at__lte=soon)
        )
        .select_related("company")
        .order_by("opens_at", "pk")
    )
    written = 0
    for window in windows:
        closing = window.closes_at <= soon
        unclaimed = ReadingWindow.objects.filter(pk=window.pk)
        with transaction.atomic():
            if closing:
                claimed = unclaimed.filter(closing_notified_at__isnull=True).update(
                    closing_notified_at=now,
                    opening_notified_at=Coalesce("opening_notified_at", Value(now)),
                )
            else:
                claimed = unclaimed.filter(opening_notified_at__isnull=True).update(
                    opening_notified_at=now
                )
            if claimed:
                written += _write_window_notices(window, closing, now)
    return written


def _write_window_notices(window: ReadingWindow, closing: bool, now: dt.datetime) -> int:
    company = window.company
    users = list(
        PortalUser.objects.filter(
            company=company,
            is_active=True,
            customer__supply_points__commodity=window.commodity,
        )
        .distinct()
        .select_related("company")
        .order_by("pk")
    )
    texts = _window_texts(window, closing)
    link = company.absolute_url(reverse("energy:readings"))
    notices = Notification.objects.bulk_create(
        Notification(
            company=company,
            recipient=user,
            category=Category.SELF_READING,
            link=link,
            published_at=now,
            **texts,
        )
        for user in users
    )
    for user, notice in zip(users, notices, strict=True):
        # The bell always; the e-mail as each user chose for self-reading windows.
        deliver(notice, user)
    audit.record(
        "reading_window.notified",
        company=company,
        obj=window,
        notice="closing" if closing else "opening",
        recipients=len(users),
    )
    return len(notices)
