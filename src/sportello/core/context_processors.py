from typing import Any

from django.conf import settings
from django.http import HttpRequest


def company(request: HttpRequest) -> dict[str, Any]:
    """The current company and whether the demo is on."""
    return {"company": getattr(request, "company", None), "demo": settings.DEMO}
