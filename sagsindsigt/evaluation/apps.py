from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "sagsindsigt.evaluation"
    label = "evaluation"
    verbose_name = "Evalueringsordningen FOKUS"
    url_prefix = "evaluering/"

    def ready(self) -> None:
        from sagsindsigt.common.navigation import NavEntry, nav_register
        from sagsindsigt.evaluation.selectors import may_see_evaluations

        nav_register(NavEntry("Evaluering", "evaluation_home", 60, visible=may_see_evaluations))
