from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "sagsindsigt.intake"
    label = "intake"
    url_prefix = "indlaesning/"
    api_router = "sagsindsigt.intake.api.router"

    def ready(self) -> None:
        from sagsindsigt.common.navigation import NavEntry, nav_register
        from sagsindsigt.organisation.access import Perm, can

        nav_register(
            NavEntry(
                "Indlæsning", "intake_home", 70, visible=lambda user: can(user, Perm.LOAD_DATA), section=True
            )
        )
