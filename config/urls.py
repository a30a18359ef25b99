"""URL configuration."""

from django.contrib import admin
from django.urls import include, path

from sagsindsigt.intake.api import api as intake_api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("sagsindsigt.organisation.urls")),
    path("", include("sagsindsigt.insight.urls")),
    path("sager/", include("sagsindsigt.cases.urls")),
    path("klager/", include("sagsindsigt.complaints.urls")),
    path("indlaesning/", include("sagsindsigt.intake.urls")),
    path("api/v1/", intake_api.urls),
    path("evaluering/", include("sagsindsigt.evaluation.urls")),
]
