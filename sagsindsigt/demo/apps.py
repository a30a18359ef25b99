from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo municipality (`manage.py demo`): generated export files loaded through intake."""

    name = "sagsindsigt.demo"
    label = "demo"
