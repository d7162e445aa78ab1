"""The Celery application. With no broker configured, tasks run in-process."""

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sportello.settings")

app = Celery("sportello")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def schedule_periodic_jobs(sender: Celery, **kwargs: Any) -> None:
    """Give Celery beat every job of the registry, at its own interval."""
    from sportello.core.periodic import REGISTRY
    from sportello.core.tasks import run_periodic_job

    for name, job in REGISTRY.items():
        sender.add_periodic_task(
            job.every.total_seconds(), run_periodic_job.s(name), name=f"periodic:{name}"
        )
