from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "sagsindsigt.organisation"
    label = "organisation"
    url_prefix = ""

    def ready(self) -> None:
        from sagsindsigt.common.navigation import NavEntry, nav_register

        # Master data is kept in Django's admin; the admin's own permissions decide who gets in.
        nav_register(NavEntry("Stamdata", "admin:index", 90, visible=lambda user: user.is_staff))
