from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "maca.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        from maca.api.views import learning, reports
        from maca.reports.snapshots import register_freezer

        # What the API answers readers of a published audit is kept with each version.
        register_freezer(learning.FROZEN_FINDINGS, learning.frozen_findings)
        register_freezer(reports.FROZEN_FIGURES, reports.frozen_figures)
