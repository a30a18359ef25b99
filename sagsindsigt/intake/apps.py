from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "sagsindsigt.intake"
    label = "intake"
