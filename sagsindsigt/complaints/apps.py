from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "sagsindsigt.complaints"
    label = "complaints"
