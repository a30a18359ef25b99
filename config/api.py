"""The REST API's root (OpenAPI at /api/v1/docs): one router per app, named by the app's `api_router`.

The API functions only parse and answer; the selectors and services they call raise Django's own
exceptions, which are answered here the same way for every router: no right (403), not in the caller's
scope or unknown (404), invalid input (422), each with a Danish `detail`.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.module_loading import import_string
from ninja import NinjaAPI

api = NinjaAPI(
    title="Sagsindsigt API",
    version="1",
    description="Indlæsning af sager, sagsmængder, klager og ankesager fra kommunens fagsystemer, "
    "og nøgletal for den indloggede brugers område.",
    urls_namespace="api-v1",
)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(error) or "Ingen adgang."}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(error) or "Findes ikke."}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": " ".join(error.messages)}, status=422)


for app in apps.get_app_configs():
    router_path = getattr(app, "api_router", None)
    if router_path:
        api.add_router("/", import_string(router_path))
