from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "maca.reports"
    label = "reports"

    def ready(self) -> None:
        from maca.learning.published import register_published_actions
        from maca.reports import snapshots

        # Publishing freezes the brief, however the audit is moved (web, API or command).
        snapshots.connect()
        # Readers read actions as published: each version keeps them, and the tracker (in
        # the learning app, below this one) is told where to find them.
        snapshots.register_freezer(snapshots.FROZEN_ACTIONS, snapshots.frozen_actions)
        register_published_actions(snapshots.published_actions_by_audit)
