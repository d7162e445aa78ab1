"""The API and its URLs: ``/api/v1/…``, ``/api/openapi.json``, ``/api/docs``.

Included by ``sportello.urls`` under ``api/``. The interactive docs load
Swagger UI from the app's own static files (``ninja`` is an installed app),
never from a CDN.
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, path
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from . import problems
from .imports import router as imports_router
from .readback import readings_router, requests_router


class SportelloAPI(NinjaAPI):
    """Ninja's, with the errors documented as ``application/problem+json``."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: Any = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for answer in operation.get("responses", {}).values():
                    content = answer.get("content", {})
                    body = content.get("application/json", {})
                    if body.get("schema", {}).get("$ref", "").endswith("/ProblemOut"):
                        content[problems.CONTENT_TYPE] = content.pop("application/json")
        return schema


api = SportelloAPI(
    title="Sportello API",
    version="1",
    description=(
        "The REST API a company's core system calls: push data, read requests "
        "and readings back. See docs/api.md."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
problems.install(api)
api.add_router("/v1/", imports_router)
api.add_router("/v1/", requests_router)
api.add_router("/v1/", readings_router)


def _patterns() -> list[URLPattern | URLResolver]:
    patterns, _app, _namespace = api.urls
    wrapped: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = problems.in_client_language(
                problems.problems_for_plain_errors(pattern.callback)
            )
        wrapped.append(pattern)
    wrapped.append(path("<path:rest>", problems.in_client_language(problems.unknown_address)))
    return wrapped


app_name = "api"
urlpatterns = _patterns()
