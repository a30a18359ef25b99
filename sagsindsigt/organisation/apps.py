from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "sagsindsigt.organisation"
    label = "organisation"
