from typing import Any

from django.http import HttpRequest

from .menu import menu_for


def menu(request: HttpRequest) -> dict[str, Any]:
    """The current company's main menu (empty on a platform host)."""
    current = getattr(request, "company", None)
    return {"menu": menu_for(current) if current is not None else []}
