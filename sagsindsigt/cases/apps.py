from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "sagsindsigt.cases"
    label = "cases"
    url_prefix = "sager/"

    def ready(self) -> None:
        from sagsindsigt.cases.services import recompute_after_calendar_change
        from sagsindsigt.common.navigation import NavEntry, nav_register
        from sagsindsigt.organisation.access import Perm, can
        from sagsindsigt.organisation.signals import working_day_rules_changed

        working_day_rules_changed.connect(recompute_after_calendar_change, dispatch_uid="cases.calendar")
        nav_register(NavEntry("Sager", "case_list", 50, visible=lambda user: can(user, Perm.VIEW_CASE_ROWS)))
