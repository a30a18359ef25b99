"""URL configuration: the admin, the API root, and the pages of every app that names a `url_prefix`."""

from django.apps import apps
from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    *(
        path(prefix, include(f"{app.name}.urls"))
        for app in apps.get_app_configs()
        if (prefix := getattr(app, "url_prefix", None)) is not None
    ),
]
