"""The REST API's root (OpenAPI at /api/v1/docs): one router per app, named by the app's `api_router`."""

from __future__ import annotations

from django.apps import apps
from django.utils.module_loading import import_string
from ninja import NinjaAPI

api = NinjaAPI(
    title="Sagsindsigt API",
    version="1",
    description="Indlæsning af sager, sagsmængder, klager og ankesager fra kommunens fagsystemer, "
    "og nøgletal for den indloggede brugers område.",
    urls_namespace="api-v1",
)

for app in apps.get_app_configs():
    router_path = getattr(app, "api_router", None)
    if router_path:
        api.add_router("/", import_string(router_path))
