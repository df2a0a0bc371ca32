from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "maca.reports"
    label = "reports"

    def ready(self) -> None:
        from maca.reports import snapshots

        # Publishing freezes the brief, however the audit is moved (web, API or command).
        snapshots.connect()
