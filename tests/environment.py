"""The environment the settings module reads, set before pytest-django loads it.

pytest-django imports ``sportello.settings`` while pytest starts, before any
``conftest.py`` is imported, so this module is loaded as a plugin from
``addopts`` (``-p tests.environment``) instead. The tests run like production
(DEBUG off), on plain HTTP, with tasks in-process (the broker is proven by CI's worker stage).
"""

import atexit
import os
import shutil
import tempfile

# What the tests depend on is forced; a developer's shell cannot change it.
os.environ["DEBUG"] = "0"
os.environ["SPORTELLO_DEMO"] = "0"
os.environ["SECURE_SSL_REDIRECT"] = "0"
os.environ["CELERY_BROKER_URL"] = ""
# The cache is Redis when REDIS_URL asks for it (CI's PostgreSQL stage), one
# Redis database per xdist worker so that one worker's cache.clear() never
# empties another's; otherwise it is in-process.
_redis_url = os.environ.get("REDIS_URL", "")
if _redis_url:
    _worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    os.environ["REDIS_URL"] = f"{_redis_url.rsplit('/', 1)[0]}/{2 + _worker}"
os.environ["TRUSTED_PROXY_COUNT"] = "0"
os.environ["PLATFORM_HOSTS"] = ""
os.environ["ALLOWED_HOSTS"] = ".test,.localhost,localhost,127.0.0.1,testserver"
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-" + "k" * 40)

# Files written by the code under test go to a throw-away directory. DATABASE_URL
# is left alone so the suite can run on PostgreSQL too.
_var_dir = tempfile.mkdtemp(prefix="sportello-tests-")
atexit.register(shutil.rmtree, _var_dir, ignore_errors=True)
os.mkdir(os.path.join(_var_dir, "static"))  # STATIC_ROOT, which WhiteNoise expects
os.environ["SPORTELLO_VAR_DIR"] = _var_dir
os.environ.pop("PRIVATE_FILES_ROOT", None)
