from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "sagsindsigt.evaluation"
    label = "evaluation"
    verbose_name = "Evalueringsordningen FOKUS"
    url_prefix = "evaluering/"

    def ready(self) -> None:
        from sagsindsigt.common.navigation import NavEntry, nav_register
        from sagsindsigt.evaluation.permissions import FokusPerm
        from sagsindsigt.evaluation.selectors import may_see_evaluations
        from sagsindsigt.organisation.access import permission_register
        from sagsindsigt.organisation.models import Role

        permission_register(FokusPerm.ANSWER, Role.ADMINISTRATION_LEADER)
        permission_register(
            FokusPerm.VIEW_RESULTS,
            Role.CENTRAL_ANALYST,
            Role.ADMINISTRATION_LEADER,
            Role.UNIT_LEADER,
            Role.OMBUDSMAN,
        )
        permission_register(FokusPerm.MANAGE, Role.OMBUDSMAN)
        permission_register(FokusPerm.ASSESS, Role.OMBUDSMAN)
        nav_register(NavEntry("Evaluering", "evaluation_home", 60, visible=may_see_evaluations))
