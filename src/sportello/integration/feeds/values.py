"""Reading one cell of a feed: the Italian ways (decimal comma, dd/mm/yyyy) and the ISO ones.

A parser takes what the reader gives (text from CSV, a typed value from XLSX or
JSON) and returns the Python value, or raises :class:`CellError` with a code
and a message a person understands. Parsers are built once per column from the
model's field, so a row costs a few function calls.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

Parser = Callable[[Any], Any]

_EUROPE_ROME = timezone.get_default_timezone()
_ITALIAN_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})$")
_TRUE = {"1", "true", "si", "sì", "s", "yes", "y", "vero", "x"}
_FALSE = {"0", "false", "no", "n", "falso"}


class CellError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def is_empty(value: Any) -> bool:
    return value is None or (value.__class__ is str and (value == "" or value.isspace()))


def text(max_length: int | None, choices: frozenset[str] = frozenset()) -> Parser:
    def parse(value: Any) -> str:
        result = str(value).strip()
        if "\x00" in result:
            # PostgreSQL's text cannot hold it: refused here, not by the database.
            raise CellError("nul", _("Il testo contiene un carattere nullo (NUL), non ammesso."))
        if max_length is not None and len(result) > max_length:
            raise CellError(
                "too_long", _("Al massimo %(count)s caratteri.") % {"count": max_length}
            )
        if choices and result not in choices:
            raise CellError(
                "choice",
                _("Valore non ammesso; ammessi: %(choices)s.")
                % {"choices": ", ".join(sorted(choices))},
            )
        return result

    return parse


def email(max_length: int | None) -> Parser:
    base = text(max_length)

    def parse(value: Any) -> str:
        result = str(base(value))
        try:
            validate_email(result)
        except ValidationError:
            raise CellError("email", _("Indirizzo e-mail non valido.")) from None
        return result

    return parse


def decimal(max_digits: int, places: int) -> Parser:
    """1234,56 or 1.234,56 (Italian) or 1234.56 (a dot alone, as decimal point)."""
    limit = Decimal(10) ** (max_digits - places)

    def parse(value: Any) -> Decimal:
        if value.__class__ is str:
            raw = value.replace(" ", "").replace("€", "")
            if "," in raw:
                raw = raw.replace(".", "").replace(",", ".")
            point = raw.find(".")
            try:
                number = Decimal(raw)
            except InvalidOperation:
                raise CellError("number", _("Non è un numero (es. 1.234,56).")) from None
            # The common case, checked on the text: plain digits, few enough both sides.
            sign = raw.startswith("-")
            whole = (len(raw) if point == -1 else point) - sign
            if (
                (point == -1 or len(raw) - point - 1 <= places)
                and whole <= max_digits - places
                and raw[sign:].replace(".", "", 1).isdigit()
            ):
                return number
        elif isinstance(value, bool):
            raise CellError("number", _("Non è un numero."))
        elif isinstance(value, int | Decimal):
            number = Decimal(value)
        elif isinstance(value, float):
            number = Decimal(repr(value))
        else:
            raise CellError("number", _("Non è un numero (es. 1.234,56)."))
        exponent = number.as_tuple().exponent
        if not isinstance(exponent, int):
            raise CellError("number", _("Non è un numero (es. 1.234,56)."))
        if exponent < -places:
            raise CellError("decimals", _("Al massimo %(count)s decimali.") % {"count": places})
        if abs(number) >= limit:
            raise CellError("too_large", _("Numero troppo grande."))
        return number

    return parse


def integer(minimum: int | None = None, maximum: int | None = None) -> Parser:
    def parse(value: Any) -> int:
        if isinstance(value, bool):
            raise CellError("integer", _("Non è un numero intero."))
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        try:
            number = int(value if value.__class__ is str else str(value))
        except ValueError:
            raise CellError("integer", _("Non è un numero intero.")) from None
        if minimum is not None and number < minimum:
            raise CellError("too_small", _("Almeno %(minimum)s.") % {"minimum": minimum})
        if maximum is not None and number > maximum:
            raise CellError("too_large", _("Al massimo %(maximum)s.") % {"maximum": maximum})
        return number

    return parse


def date(value: Any) -> dt.date:
    """30/04/2024 or 2024-04-30 (an XLSX date cell as it is)."""
    if value.__class__ is str and len(value) == 10 and value[2] == "/" and value[5] == "/":
        try:
            return dt.date(int(value[6:]), int(value[3:5]), int(value[:2]))
        except ValueError:
            raise CellError("date", _("Data non valida (gg/mm/aaaa o aaaa-mm-gg).")) from None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = str(value).strip()
    try:
        match = _ITALIAN_DATE.match(raw)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise CellError("date", _("Data non valida (gg/mm/aaaa o aaaa-mm-gg).")) from None


def datetime(value: Any) -> dt.datetime:
    """ISO 8601; without an offset, the time is read in Europe/Rome (stored in UTC).

    A local time that does not exist (the spring change) or exists twice (the
    autumn one) needs its offset: guessing would move a measure by an hour.
    """
    if isinstance(value, dt.datetime):
        moment = value
    else:
        raw = str(value).strip()
        match = re.match(r"(\d{1,2})/(\d{1,2})/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$", raw)
        try:
            if match:
                day, month, year, hour, minute, second = match.groups()
                moment = dt.datetime(
                    int(year), int(month), int(day), int(hour), int(minute), int(second or 0)
                )
            else:
                moment = dt.datetime.fromisoformat(raw)
        except ValueError:
            raise CellError(
                "datetime", _("Data e ora non valide (aaaa-mm-ggThh:mm+01:00 o gg/mm/aaaa hh:mm).")
            ) from None
    try:
        return _in_utc(moment)
    except OverflowError:
        # The first or the last day a datetime holds, moved by the offset.
        raise CellError("datetime", _("Data e ora fuori dall'intervallo ammesso.")) from None


def _in_utc(moment: dt.datetime) -> dt.datetime:
    if timezone.is_naive(moment):
        earlier = moment.replace(tzinfo=_EUROPE_ROME, fold=0)
        later = moment.replace(tzinfo=_EUROPE_ROME, fold=1)
        if earlier.utcoffset() != later.utcoffset():
            raise CellError(
                "ambiguous_time",
                _(
                    "Ora inesistente o ripetuta al cambio d'ora: indicare lo scarto (+01:00 o +02:00)."
                ),
            )
        round_trip = earlier.astimezone(dt.UTC).astimezone(_EUROPE_ROME)
        if round_trip.replace(tzinfo=None) != moment:
            raise CellError(
                "ambiguous_time",
                _(
                    "Ora inesistente o ripetuta al cambio d'ora: indicare lo scarto (+01:00 o +02:00)."
                ),
            )
        moment = earlier
    return moment.astimezone(dt.UTC)


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raw = str(value).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise CellError("boolean", _("Valore sì/no non valido (sì, no, 1, 0)."))


def for_field(field: models.Field[Any, Any]) -> Parser:
    """The parser of a model field's column."""
    if isinstance(field, models.BooleanField):
        return boolean
    if isinstance(field, models.DecimalField):
        return decimal(field.max_digits or 12, field.decimal_places or 2)
    if isinstance(field, models.DateTimeField):
        return datetime
    if isinstance(field, models.DateField):
        return date
    if isinstance(field, models.PositiveIntegerField | models.PositiveSmallIntegerField):
        return integer(minimum=0, maximum=32767 if "Small" in type(field).__name__ else None)
    if isinstance(field, models.IntegerField):
        return integer()
    if isinstance(field, models.EmailField):
        return email(field.max_length)
    if isinstance(field, models.FileField):
        # The cell names the file (a member of the feed's ZIP); the kind stores it.
        return text(field.max_length)
    if isinstance(field, models.CharField):
        choices = frozenset(str(key) for key, _label in field.flatchoices if key != "")
        return text(field.max_length, choices)
    raise TypeError(f"No feed parser for {field!r}")
