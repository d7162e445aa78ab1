"""Model fields shared by the domain apps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


def money_field(verbose_name: str | _StrPromise, **kwargs: Any) -> models.DecimalField[Any, Any]:
    """A euro amount: Decimal with two places, up to a thousand billion."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)
