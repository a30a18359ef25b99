from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "sagsindsigt.cases"
    label = "cases"
