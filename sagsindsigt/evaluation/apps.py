from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "sagsindsigt.evaluation"
    label = "evaluation"
    verbose_name = "Evalueringsordningen FOKUS"
