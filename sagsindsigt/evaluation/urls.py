from django.urls import path

from sagsindsigt.evaluation import views

urlpatterns = [
    path("", views.home, name="evaluation_home"),
    path("historik/", views.history_view, name="evaluation_history"),
    path("runde/ny/", views.round_create, name="evaluation_round_create"),
    path("runde/<int:year>/", views.round_detail, name="evaluation_round"),
    path("skema/<int:pk>/", views.scheme_detail, name="evaluation_scheme"),
    path("skema/<int:pk>/kopier/", views.scheme_copy, name="evaluation_scheme_copy"),
    path("kriterium/<int:pk>/", views.criterion_edit, name="evaluation_criterion_edit"),
    path("hovedkriterium/<int:pk>/", views.main_criterion_edit, name="evaluation_main_criterion_edit"),
    path("<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("<int:pk>/besvar/", views.answer_edit, name="evaluation_answer"),
    path("<int:pk>/forrige-svar/", views.copy_previous, name="evaluation_copy_previous"),
    path("<int:pk>/indsend/", views.submit, name="evaluation_submit"),
    path("<int:pk>/genaabn/", views.reopen, name="evaluation_reopen"),
    path("<int:pk>/bilag/ny/", views.attachment_upload, name="evaluation_attachment_upload"),
    path("<int:pk>/bilag/<int:attachment_pk>/", views.attachment_download, name="evaluation_attachment"),
    path(
        "<int:pk>/bilag/<int:attachment_pk>/fjern/",
        views.attachment_remove,
        name="evaluation_attachment_remove",
    ),
    path("<int:pk>/besvarere/", views.respondents, name="evaluation_respondents"),
    path("<int:pk>/vurder/", views.assess, name="evaluation_assess"),
    path("<int:pk>/vurderet/", views.mark_assessed, name="evaluation_mark_assessed"),
    path("<int:pk>/opfoelgning/", views.follow_up, name="evaluation_follow_up"),
    path("<int:pk>/offentliggoer/", views.publish, name="evaluation_publish"),
    path("<int:pk>/rapport.pdf", views.report_pdf_view, name="evaluation_report_pdf"),
    path("<int:pk>/rapport.xlsx", views.report_xlsx_view, name="evaluation_report_xlsx"),
]
