"""E-mailed links whose token must reach no access log, Referer or history."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

from ..links import URL_MARKER


def token_from_session(
    request: HttpRequest, session_key: str, url_name: str, uidb64: str, token: str
) -> HttpResponseBase | str:
    """Like django.contrib.auth's PasswordResetConfirmView: the first visit moves the
    token into the session and redirects to the same link with ``imposta`` in its
    place; that visit gets the token back from the session ("" if none)."""
    if token != URL_MARKER:
        request.session[session_key] = token
        return redirect(url_name, uidb64, URL_MARKER)
    return str(request.session.get(session_key, ""))


def no_referrer(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """The page of an e-mailed link sends no Referer anywhere (its address is a secret)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    return wrapper
