"""URL configuration."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("sagsindsigt.organisation.urls")),
    path("", include("sagsindsigt.insight.urls")),
    path("sager/", include("sagsindsigt.cases.urls")),
    path("klager/", include("sagsindsigt.complaints.urls")),
]
