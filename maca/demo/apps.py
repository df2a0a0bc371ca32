from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The fictional demo data and `maca demo`. The top layer: nothing imports it, so the
    service runs the same whether or not anyone ever loads the demo."""

    name = "maca.demo"
    label = "demo"
