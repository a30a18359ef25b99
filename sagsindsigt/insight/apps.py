from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "sagsindsigt.insight"
    label = "insight"
