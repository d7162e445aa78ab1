"""The registry of periodic jobs, run by Celery beat or by ``manage.py runperiodic``.

A job is a function without arguments, safe to run twice, registered once with
``@periodic(every=...)``. ``runperiodic`` (from cron, every minute) runs the
jobs whose interval has passed since their last start.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from .models import PeriodicJobRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: dt.timedelta
    func: Callable[[], object]


REGISTRY: dict[str, PeriodicJob] = {}


def periodic(every: dt.timedelta) -> Callable[[Callable[[], object]], Callable[[], object]]:
    def register(func: Callable[[], object]) -> Callable[[], object]:
        name = f"{func.__module__.removeprefix('sportello.')}.{func.__name__}"
        REGISTRY[name] = PeriodicJob(name=name, every=every, func=func)
        return func

    return register


def run_job(name: str) -> None:
    """Run one job now and record when it ran and how it ended."""
    job = REGISTRY[name]
    started = timezone.now()
    PeriodicJobRun.objects.update_or_create(
        name=name, defaults={"last_started_at": started, "last_finished_at": None}
    )
    error = ""
    try:
        job.func()
    except Exception:
        error = traceback.format_exc()
        logger.exception("Periodic job %s failed", name)
    PeriodicJobRun.objects.filter(name=name).update(
        last_finished_at=timezone.now(), last_error=error
    )


def due_jobs(now: dt.datetime | None = None) -> list[str]:
    now = now or timezone.now()
    last = dict(PeriodicJobRun.objects.values_list("name", "last_started_at"))
    return [
        name
        for name, job in sorted(REGISTRY.items())
        if name not in last or last[name] + job.every <= now
    ]


def run_due(now: dt.datetime | None = None) -> list[str]:
    names = due_jobs(now)
    for name in names:
        run_job(name)
    return names
