from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "sagsindsigt.insight"
    label = "insight"
    url_prefix = ""
    api_router = "sagsindsigt.insight.api.router"

    def ready(self) -> None:
        from sagsindsigt.common.navigation import NavEntry, nav_register
        from sagsindsigt.common.staleness import stale_recorded
        from sagsindsigt.insight.rollups.tasks import refresh_after_commit
        from sagsindsigt.insight.targets.rules import SET_TARGETS
        from sagsindsigt.organisation.access import permission_register
        from sagsindsigt.organisation.models import Role

        # The read side catches up after every commit that made figures stale.
        stale_recorded.connect(refresh_after_commit, dispatch_uid="insight.rollups")
        permission_register(SET_TARGETS, Role.CENTRAL_ANALYST, Role.ADMINISTRATION_LEADER)
        nav_register(
            NavEntry("Overblik", "overview", 10),
            NavEntry("Mine visninger", "saved_views", 15, section=True),
            NavEntry("Mål", "targets", 20),
        )
