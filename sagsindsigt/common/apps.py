from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "sagsindsigt.common"
    label = "common"
