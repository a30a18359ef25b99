from django.urls import path

from sagsindsigt.intake import views

urlpatterns = [
    path("", views.intake_home, name="intake_home"),
    path("kilder/ny/", views.source_new, name="intake_source_new"),
    path("kilder/<int:pk>/", views.source_detail, name="intake_source"),
    path("kilder/<int:pk>/kortlaegning.json", views.source_mapping_export, name="intake_mapping_export"),
    path("kilder/<int:pk>/kortlaegning/", views.source_mapping_import, name="intake_mapping_import"),
    path("kilder/<int:pk>/api-noegle/", views.source_token, name="intake_source_token"),
    path("<int:pk>/", views.load_detail, name="intake_load"),
    path("<int:pk>/fremdrift/", views.load_progress, name="intake_progress"),
    path("<int:pk>/fejl.csv", views.load_issues_csv, name="intake_issues_csv"),
    path("<int:pk>/indlaes/", views.load_commit_view, name="intake_commit"),
    path("<int:pk>/rul-tilbage/", views.load_rollback_view, name="intake_rollback"),
]
