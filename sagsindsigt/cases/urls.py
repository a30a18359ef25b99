from django.urls import path

from sagsindsigt.cases import views

urlpatterns = [
    path("", views.case_list_view, name="case_list"),
    path("eksport.csv", views.case_export, name="case_export"),
    path("<int:pk>/", views.case_detail_view, name="case_detail"),
]
