from django.urls import path

from sagsindsigt.insight import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("forvaltning/<int:pk>/", views.administration_page, name="administration"),
    path("enhed/<int:pk>/", views.unit_page, name="unit"),
]
