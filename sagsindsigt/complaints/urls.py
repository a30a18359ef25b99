from django.urls import path

from sagsindsigt.complaints import views

urlpatterns = [
    path("", views.complaint_list_view, name="complaint_list"),
    path("ny/", views.complaint_create, name="complaint_create"),
    path("eksport.csv", views.complaint_export, name="complaint_export"),
    path("<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("<int:pk>/ret/", views.complaint_edit, name="complaint_edit"),
]
