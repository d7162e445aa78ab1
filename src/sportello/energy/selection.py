"""Which supply point the utility pages are about (G1).

The header's selector stores the chosen point's id in the session, so the
choice holds while the customer moves between pages. The id is only a hint:
every request looks it up again among the user's own points, so a stale id (a
point moved to another customer) or one from someone else's session never
shows anything but the user's own first point.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest

from .models import SupplyPoint

SESSION_KEY = "supply_point"
_CACHE = "_sportello_supply_points"


@dataclass(frozen=True)
class PointSelection:
    """The customer's points and the one the pages show (None: the customer has none)."""

    points: list[SupplyPoint]
    point: SupplyPoint | None

    @property
    def has_choice(self) -> bool:
        return len(self.points) > 1


def select_point(request: HttpRequest) -> PointSelection:
    """The user's points (one query per request) and the chosen one."""
    cached: PointSelection | None = getattr(request, _CACHE, None)
    if cached is not None:
        return cached
    points = list(SupplyPoint.objects.for_user(request.user).order_by("number", "code"))
    chosen = request.session.get(SESSION_KEY)
    point = next((p for p in points if p.pk == chosen), points[0] if points else None)
    selection = PointSelection(points, point)
    setattr(request, _CACHE, selection)
    return selection


def choose_point(request: HttpRequest, point_id: str) -> SupplyPoint:
    """Make one of the user's points the chosen one; anything else is a 404."""
    try:
        wanted = int(point_id)
    except ValueError:
        raise Http404 from None
    point = SupplyPoint.objects.for_user(request.user).filter(pk=wanted).first()
    if point is None:
        raise Http404
    request.session[SESSION_KEY] = point.pk
    if hasattr(request, _CACHE):
        delattr(request, _CACHE)
    return point
