"""The portal's own settings for the processes the fault tests start, except
for what plain HTTP on the loopback needs: static files from the source tree
(no ``collectstatic`` per run), and cookies a client sends without TLS."""

from sportello.settings import *  # noqa: F403
from sportello.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
