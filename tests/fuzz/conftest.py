"""Hypothesis profiles of the fuzz tests.

``default`` is derandomized (the same examples on every run, so CI is
reproducible) and small enough that ``tests/fuzz`` runs in about a minute on two
cores; ``ci`` tries more examples; ``explore`` is random and long, for a person
looking for new bugs (``HYPOTHESIS_PROFILE=explore pytest tests/fuzz``).
The database fixtures are function-scoped on purpose: each example checks
itself against a snapshot taken just before it, so sharing them is safe.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_SHARED = {
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
    "database": None,
    "print_blob": True,
}

settings.register_profile("default", derandomize=True, max_examples=40, **_SHARED)
settings.register_profile("ci", derandomize=True, max_examples=150, **_SHARED)
settings.register_profile("explore", derandomize=False, max_examples=2000, **_SHARED)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
