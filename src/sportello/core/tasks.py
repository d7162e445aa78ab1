"""Celery tasks of the core app. Tasks take ids and are safe to run twice."""

from celery import shared_task

from . import outbox, periodic


@shared_task(ignore_result=True)
def send_outbox_email(pk: int) -> None:
    outbox.deliver(pk)


@shared_task(ignore_result=True)
def run_periodic_job(name: str) -> None:
    periodic.run_job(name)
