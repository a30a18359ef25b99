from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "sagsindsigt.complaints"
    label = "complaints"
    url_prefix = "klager/"

    def ready(self) -> None:
        from sagsindsigt.common.navigation import NavEntry, nav_register
        from sagsindsigt.complaints.services import recompute_after_calendar_change
        from sagsindsigt.organisation.access import Perm, can
        from sagsindsigt.organisation.signals import working_day_rules_changed

        working_day_rules_changed.connect(recompute_after_calendar_change, dispatch_uid="complaints.calendar")
        nav_register(
            NavEntry(
                "Klager", "complaint_list", 30, visible=lambda user: can(user, Perm.VIEW_COMPLAINT_ROWS)
            ),
            NavEntry(
                "Registrér klage",
                "complaint_create",
                40,
                visible=lambda user: can(user, Perm.REGISTER_COMPLAINT),
            ),
        )
