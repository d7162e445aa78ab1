from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .menu import menu_for


def company(request: HttpRequest) -> dict[str, Any]:
    """The current company, its menu, and whether the demo is on."""
    current = getattr(request, "company", None)
    return {
        "company": current,
        "menu": menu_for(current) if current is not None else [],
        "demo": settings.DEMO,
    }
