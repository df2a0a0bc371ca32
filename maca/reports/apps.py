from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "maca.reports"
    label = "reports"

    def ready(self) -> None:
        from maca.audits.models import AuditStatus
        from maca.learning.published import register_published_actions
        from maca.planning.services.audits import register_stage_check
        from maca.reports import disclosure_check, snapshots

        # Publishing freezes the brief, however the audit is moved (web, API or command).
        snapshots.connect()
        # Readers read actions as published: each version keeps them, and the tracker (in
        # the learning app, below this one) is told where to find them.
        snapshots.register_freezer(snapshots.FROZEN_ACTIONS, snapshots.frozen_actions)
        register_published_actions(snapshots.published_actions_by_audit)
        # Nothing that could identify a child is published: planning asks the disclosure
        # check before moving an audit to published.
        register_stage_check(
            AuditStatus.PUBLISHED, "reports.disclosure", disclosure_check.publication_blockers
        )
