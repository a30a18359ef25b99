from django.urls import path

from sagsindsigt.insight.dashboards import views
from sagsindsigt.insight.saved import views as saved_views
from sagsindsigt.insight.targets import views as target_views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("forvaltning/<int:pk>/", views.administration_page, name="administration"),
    path("enhed/<int:pk>/", views.unit_page, name="unit"),
    path("sagsomraade/<int:pk>/", views.case_area_page, name="case_area"),
    path("tema/<int:pk>/", views.theme_page, name="theme"),
    path("maal/", target_views.target_list, name="targets"),
    path("maal/ny/", target_views.target_create_view, name="target_create"),
    path("maal/<int:pk>/", target_views.target_edit_view, name="target_edit"),
    path("maal/<int:pk>/arkiver/", target_views.target_archive_view, name="target_archive"),
    path("visninger/", saved_views.saved_view_list, name="saved_views"),
    path("visninger/ny/", saved_views.saved_view_create_view, name="saved_view_create"),
    path("visninger/<int:pk>/", saved_views.saved_view_open, name="saved_view_open"),
    path("visninger/<int:pk>/ret/", saved_views.saved_view_edit, name="saved_view_edit"),
    path("visninger/<int:pk>/slet/", saved_views.saved_view_delete_view, name="saved_view_delete"),
]
