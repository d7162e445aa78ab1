"""The shape of POD and PDR codes.

A POD (electricity) is ``IT`` + the distributor's 3-digit code + ``E`` + 8 or 9
characters; a PDR (gas) is 14 digits, kept as text for its leading zeros.
Neither has a public check digit (ARERA publishes none), so only the shape is
checked: a well-formed code that does not exist is the core system's to refuse.
"""

from __future__ import annotations

import re

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

POD = re.compile(r"IT\d{3}E[0-9A-Z]{8,9}")
PDR = re.compile(r"\d{14}")


def normalise(code: str) -> str:
    """Upper case, without the spaces people type when copying from a bill."""
    return re.sub(r"\s+", "", code).upper()


def identifier_problem(commodity: str, code: str) -> Promise | None:
    """Why ``code`` cannot be the POD or PDR of a ``commodity`` point; None when it can."""
    if commodity == "electricity" and not POD.fullmatch(code):
        return _("Il POD ha la forma IT, tre cifre del distributore, E e otto o nove caratteri.")
    if commodity == "gas" and not PDR.fullmatch(code):
        return _("Il PDR è di 14 cifre.")
    return None
