"""Periodic jobs run when their interval has passed, and one failure stops nothing else."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from sportello.core import periodic
from sportello.core.models import PeriodicJobRun

START = dt.datetime(2024, 4, 30, 8, 0, tzinfo=dt.UTC)


class Calls:
    def __init__(self) -> None:
        self.names: list[str] = []


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, periodic.PeriodicJob]:
    """An empty registry for the test's own jobs; the real one comes back afterwards."""
    jobs: dict[str, periodic.PeriodicJob] = {}
    monkeypatch.setattr(periodic, "REGISTRY", jobs)
    return jobs


@pytest.fixture
def calls(registry: dict[str, periodic.PeriodicJob]) -> Calls:
    """Three jobs: hourly, daily and a broken one, every five minutes."""
    seen = Calls()

    @periodic.periodic(every=dt.timedelta(hours=1))
    def hourly() -> None:
        seen.names.append("hourly")

    @periodic.periodic(every=dt.timedelta(days=1))
    def daily() -> None:
        seen.names.append("daily")

    @periodic.periodic(every=dt.timedelta(minutes=5))
    def broken() -> None:
        seen.names.append("broken")
        raise RuntimeError("the core system is unreachable")

    return seen


@pytest.fixture
def clock(time_machine: time_machine.TimeMachineFixture) -> time_machine.TimeMachineFixture:
    time_machine.move_to(START, tick=False)
    return time_machine


def job_name(function: str) -> str:
    return next(name for name in periodic.REGISTRY if name.endswith(f".{function}"))


def test_it_names_a_job_after_its_module_and_function() -> None:
    assert "core.jobs.send_due_emails" in periodic.REGISTRY


def test_it_runs_every_job_the_first_time(db: None, calls: Calls, clock: object) -> None:
    periodic.run_due()

    assert sorted(calls.names) == ["broken", "daily", "hourly"]
    run = PeriodicJobRun.objects.get(name=job_name("hourly"))
    assert run.last_started_at == START
    assert run.last_finished_at == START
    assert run.last_error == ""


def test_it_runs_a_job_again_only_when_its_interval_has_passed(
    db: None, calls: Calls, clock: time_machine.TimeMachineFixture
) -> None:
    periodic.run_due()
    calls.names.clear()

    clock.shift(dt.timedelta(minutes=59))
    periodic.run_due()
    assert calls.names == ["broken"]
    calls.names.clear()

    clock.shift(dt.timedelta(minutes=1))
    periodic.run_due()
    # The broken job ran a minute ago: its five minutes have not passed yet.
    assert calls.names == ["hourly"]
    assert PeriodicJobRun.objects.get(name=job_name("hourly")).last_started_at == (
        START + dt.timedelta(hours=1)
    )
    assert PeriodicJobRun.objects.get(name=job_name("daily")).last_started_at == START


def test_it_records_a_failure_and_runs_the_other_jobs(
    db: None, calls: Calls, clock: object
) -> None:
    ran = periodic.run_due()

    assert len(ran) == 3
    assert "daily" in calls.names
    assert "hourly" in calls.names
    broken = PeriodicJobRun.objects.get(name=job_name("broken"))
    assert "RuntimeError: the core system is unreachable" in broken.last_error
    assert broken.last_finished_at == START
    assert PeriodicJobRun.objects.get(name=job_name("daily")).last_error == ""


def test_it_clears_the_error_when_a_job_succeeds_again(
    db: None, registry: dict[str, periodic.PeriodicJob], clock: object
) -> None:
    outcomes = [RuntimeError("down"), None]

    @periodic.periodic(every=dt.timedelta(minutes=1))
    def flaky() -> None:
        outcome = outcomes.pop(0)
        if outcome:
            raise outcome

    periodic.run_job(job_name("flaky"))
    assert "down" in PeriodicJobRun.objects.get().last_error

    periodic.run_job(job_name("flaky"))
    assert PeriodicJobRun.objects.get().last_error == ""


def test_it_runs_the_due_jobs_from_the_command(db: None, calls: Calls, clock: object) -> None:
    out = StringIO()

    call_command("runperiodic", stdout=out)

    assert sorted(calls.names) == ["broken", "daily", "hourly"]
    assert f"ran {job_name('daily')}" in out.getvalue()

    calls.names.clear()
    call_command("runperiodic", stdout=StringIO())
    assert calls.names == []


def test_it_runs_one_job_on_demand_due_or_not(db: None, calls: Calls, clock: object) -> None:
    call_command("runperiodic", stdout=StringIO())
    calls.names.clear()

    call_command("runperiodic", "--job", job_name("daily"))

    assert calls.names == ["daily"]


def test_it_lists_the_registered_jobs(calls: Calls) -> None:
    out = StringIO()

    call_command("runperiodic", "--list", stdout=out)

    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert f"{job_name('hourly')}\tevery 1:00:00" in lines
    assert f"{job_name('daily')}\tevery 1 day, 0:00:00" in lines


def test_it_lists_the_jobs_of_the_project() -> None:
    out = StringIO()

    call_command("runperiodic", "--list", stdout=out)

    assert "core.jobs.send_due_emails\tevery 0:01:00" in out.getvalue()


def test_it_refuses_an_unknown_job(db: None, calls: Calls) -> None:
    err = StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command("runperiodic", "--job", "core.jobs.nothing", stderr=err)

    assert exit_.value.code == 2
    assert "Unknown job 'core.jobs.nothing'" in err.getvalue()
    assert calls.names == []
    assert not PeriodicJobRun.objects.exists()
