from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "maca.reports"
    label = "reports"

    def ready(self) -> None:
        from maca.audits.models import AuditStatus
        from maca.learning.published import register_published_actions
        from maca.manage.daily import register_daily_step
        from maca.planning.services.audits import register_stage_check
        from maca.reports import disclosure_check, draft_renders, snapshots

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
        # Draft files are a moment's copy of work in progress: the daily run deletes old ones.
        register_daily_step(
            "old draft files", lambda day, now: draft_renders.draft_renders_expire(now=now)
        )
