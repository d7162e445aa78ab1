"""E-mailed links whose token must reach no access log, Referer or history."""

from __future__ import annotations

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

from ..links import URL_MARKER


def token_from_session(
    request: HttpRequest, session_key: str, url_name: str, uidb64: str, token: str
) -> HttpResponseBase | str:
    """Like django.contrib.auth's PasswordResetConfirmView: the first visit moves the
    token into the session and redirects to the same link with ``imposta`` in its
    place; that visit gets the token back from the session ("" if none).

    The answer to the address with the token is ``Referrer-Policy: no-referrer``,
    so the token goes nowhere from it. The page of the form, whose address holds
    no secret, keeps the site's ``same-origin``: under ``no-referrer`` a browser
    posts the form with ``Origin: null``, which the CSRF check rightly refuses.
    """
    if token != URL_MARKER:
        request.session[session_key] = token
        response = redirect(url_name, uidb64, URL_MARKER)
        response.headers["Referrer-Policy"] = "no-referrer"
        return response
    return str(request.session.get(session_key, ""))
