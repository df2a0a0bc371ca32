from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "maca.core"
    label = "core"

    def ready(self) -> None:
        from maca.core import history

        # What an audit is judged by keeps its history; each path leads to the audit's id.
        for label, audit_path in [
            ("audits.Audit", "id"),
            ("audits.Case", "audit_id"),
            ("audits.AgencyInvolvement", "case__audit_id"),
            ("audits.AgencyReturn", "case__audit_id"),
            ("audits.SectionSummary", "agency_return__case__audit_id"),
            ("audits.Answer", "agency_return__case__audit_id"),
            ("audits.Escalation", "audit_id"),
            ("audits.PanelGrade", "case__audit_id"),
            ("audits.PanelMembership", "audit_id"),
            ("audits.Discrepancy", "case__audit_id"),
            ("audits.AuditFigures", "audit_id"),
            ("audits.CohortBreakdown", "figures__audit_id"),
            ("audits.GradeCount", "figures__audit_id"),
            ("reports.DisclosureAcceptance", "audit_id"),
        ]:
            history.track(label, audit_path=audit_path)
        # What a published brief shows: a draft of its next version can be discarded, which
        # undoes these changes, deleted rows' links included.
        for label in ("learning.Finding", "learning.Action", "learning.Resource"):
            history.track(label, audit_path="audit_id", links_on_delete=True)
        # People and agencies belong to no audit: the administrator's changes to them.
        for label in ("accounts.Agency", "accounts.RoleAssignment", "accounts.Invitation"):
            history.track(label, audit_path=None)
        history.track(
            "identifiers.ChildIdentity",
            audit_path="case__audit_id",
            redacted=("full_name", "date_of_birth", "la_child_id", "upn", "nhs_number"),
        )
