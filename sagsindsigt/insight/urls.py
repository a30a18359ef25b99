from django.urls import path

from sagsindsigt.insight import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("forvaltning/<int:pk>/", views.administration_page, name="administration"),
    path("enhed/<int:pk>/", views.unit_page, name="unit"),
    path("sagsomraade/<int:pk>/", views.case_area_page, name="case_area"),
    path("tema/<int:pk>/", views.theme_page, name="theme"),
]
