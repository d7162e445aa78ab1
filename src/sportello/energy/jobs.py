"""Periodic jobs of the energy app."""

import datetime as dt

from sportello.core.periodic import periodic

from . import readings


@periodic(every=dt.timedelta(minutes=30))
def acquire_pending_readings() -> None:
    """G7: hand the self-readings entered since the last run to the core system.

    The seed says readings become "Acquisita" roughly every half hour; the
    integration API (issue 11) reads the acquired ones back.
    """
    readings.acquire_pending_readings()


@periodic(every=dt.timedelta(minutes=15))
def notify_reading_windows() -> None:
    """G7: notices when a self-reading window opens and two days before it closes."""
    readings.notify_reading_windows()
