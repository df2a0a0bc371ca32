"""The audit report for the partnership's QA subgroup: scope and cohort, needs profile, grade
distributions by section and by agency, compliance per standard, agency self-grades against
the panel's, escalations, learning embedded, and action status.

Assembled once (`build_report`) from the figures in `figures.py`; the page, PDF and Word
versions render the same `AuditReport`. Each chart has a sentence that says what it shows (its
text alternative) and the numbers in a table beside it. Child pseudonyms appear only for the
audit's coordinators and panel, in the cases behind the learning-embedded figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from maca.audits.models import Audit
from maca.audits.selectors import AuditAccess, CohortProfile, cohort_profile, require_learning
from maca.reports import figures as f
from maca.reports.brief import join_words, number_words
from maca.reports.charts import COMPARE, Chart, Table, horizontal_bars, percent_bars, stacked_bars

OUTCOME_LABELS = ("Met", "Partly met", "Not met")


@dataclass(frozen=True)
class AuditReport:
    slug: str
    title: str
    theme: str
    partnership_name: str
    is_draft: bool
    shows_cases: bool
    scope: tuple[tuple[str, str], ...]
    cohort_text: str
    needs: Chart
    section_grades: Chart
    agreed_sections: Table
    agency_grades: Chart
    compliance: Chart
    compliance_text: str
    self_against_agreed: Chart
    escalations: f.EscalationFigures
    escalation_text: str
    learning: tuple[f.ReviewCheck, ...]
    learning_chart: Chart | None
    actions: Chart
    action_figures: f.ActionFigures
    baseline_slug: str
    baseline_title: str

    @property
    def charts(self) -> tuple[Chart, ...]:
        charts = [
            self.needs,
            self.section_grades,
            self.agency_grades,
            self.compliance,
            self.self_against_agreed,
        ]
        if self.learning_chart is not None:
            charts.append(self.learning_chart)
        charts.append(self.actions)
        return tuple(charts)

    @property
    def document_title(self) -> str:
        return f"Audit report: {self.title}"

    @property
    def filename_stem(self) -> str:
        return f"{self.slug}-audit-report"


def build_report(access: AuditAccess) -> AuditReport:
    """Everything the report shows. Who may see the learning may see the report (coordinators
    and panel always; everyone who can open the audit once it is published)."""
    require_learning(access)
    audit = access.audit
    profile = cohort_profile(audit)
    counted, total_returns = f.returns_counted(audit)
    grades = f.grade_tables(audit)
    compliance = f.compliance_by_standard(audit)
    overall = f.overall_compliance(compliance)
    self_rows = f.self_against_agreed(audit)
    escalations = f.escalation_figures(audit)
    learning = tuple(f.learning_embedded(audit))
    actions = f.action_figures(audit)
    agencies = [row.label for row in grades.by_agency]
    baseline = audit.follow_up_of

    return AuditReport(
        slug=audit.slug,
        title=audit.title,
        theme=audit.theme,
        partnership_name=settings.PARTNERSHIP_NAME,
        is_draft=not audit.is_published,
        shows_cases=access.sees_every_agency,
        scope=_scope(audit, profile.case_count, agencies, counted, total_returns),
        cohort_text=_cohort_text(profile),
        needs=_needs_chart(profile),
        section_grades=_grades_chart(
            "section-grades",
            "Agencies' grades by section",
            "Section",
            grades.section_scale,
            grades.by_section,
        ),
        agreed_sections=_grades_table(
            "Grades agreed by the panel, by section",
            "Section",
            grades.section_scale,
            grades.agreed_by_section,
        ),
        agency_grades=_grades_chart(
            "agency-grades",
            "Agencies' overall grades, by agency",
            "Agency",
            grades.overall_scale,
            (*grades.by_agency, *([grades.agreed_overall] if grades.agreed_overall else [])),
        ),
        compliance=_compliance_chart(compliance),
        compliance_text=_compliance_text(overall),
        self_against_agreed=_self_chart(self_rows),
        escalations=escalations,
        escalation_text=_escalation_text(escalations),
        learning=learning,
        learning_chart=_learning_chart(learning),
        actions=_actions_chart(actions),
        action_figures=actions,
        baseline_slug=baseline.slug if baseline else "",
        baseline_title=baseline.title if baseline else "",
    )


# --- Scope ----------------------------------------------------------------------------------


def _scope(
    audit: Audit, cases: int, agencies: list[str], counted: int, total: int
) -> tuple[tuple[str, str], ...]:
    rows = [
        ("Theme", audit.theme),
        ("Cohort", audit.cohort_definition or "Not defined"),
        ("Audit date", audit.date_text or "Not set"),
        ("Children", str(cases)),
        ("Agencies", join_words(agencies) or "None yet"),
        ("Returns counted", f"{counted} of {total} (submitted, signed off or accepted)"),
    ]
    if audit.sample_method:
        frame = f" from a frame of {audit.sample_frame_size}" if audit.sample_frame_size else ""
        rows.append(("Sample", f"{audit.sample_method}{frame}"))
    if audit.tool_version:
        rows.append(("Audit tool", str(audit.tool_version)))
    return tuple(rows)


def _cohort_text(profile: CohortProfile) -> str:
    count = profile.case_count
    if not count:
        return "No children have been added to this audit yet."
    young, old = profile.age_range.youngest, profile.age_range.oldest
    text = f"{number_words(count).capitalize()} {'child' if count == 1 else 'children'}"
    if young and old:
        text += f", aged {young.age_display} to {old.age_display}"
    text += f"; {profile.out_of_area_count} placed out of area"
    if profile.uasc_count:
        text += f", {profile.uasc_count} unaccompanied asylum-seeking"
    return text + "."


def _needs_chart(profile: CohortProfile) -> Chart:
    rows = [(item.need.label, item.count) for item in profile.needs]
    table = Table(
        "Needs of the children (a child may have several)",
        ("Need", "Children"),
        tuple((label, (str(count),)) for label, count in rows),
    )
    if rows:
        top = [f"{label.lower()} ({count})" for label, count in rows[:3]]
        summary = (
            f"Bar chart of the needs of the {profile.case_count} children. The most common were "
            f"{join_words(top)}."
        )
    else:
        summary = "No needs have been recorded for the children."
    return horizontal_bars(
        key="needs",
        title="Needs profile",
        summary=summary,
        table=table,
        rows=rows,
        x_title="Children",
    )


# --- Grades ---------------------------------------------------------------------------------


def _grades_table(
    caption: str, heading: str, scale: f.ScaleView, rows: tuple[f.Distribution, ...]
) -> Table:
    return Table(
        caption,
        (heading, *scale.labels, "Total"),
        tuple(
            (row.label, (*(str(n) for n in row.counts), str(row.total)))
            for row in rows
            if row.total or heading == "Section"
        ),
    )


def _grades_chart(
    key: str, title: str, heading: str, scale: f.ScaleView, rows: tuple[f.Distribution, ...]
) -> Chart:
    table = _grades_table(title, heading, scale, rows)
    graded = [row for row in rows if row.total]
    total = sum(row.total for row in graded)
    if not graded or not scale.levels:
        summary = f"{title}: no grades yet."
    else:
        overall = [sum(row.counts[i] for row in graded) for i in range(len(scale.levels))]
        parts = [f"{n} {label}" for n, label in zip(overall, scale.labels, strict=True) if n]
        lower = len(scale.levels) // 2
        worst = max(graded, key=lambda row: sum(row.counts[lower:]) / row.total)
        share = round(100 * sum(worst.counts[lower:]) / worst.total)
        below = " or ".join(label.lower() for label in scale.labels[lower:])
        summary = (
            f"Stacked bar chart of {total} grades: {join_words(parts)}. Most often graded "
            f"{below}: {worst.label} ({share}% of its grades)."
        )
    return stacked_bars(
        key=key,
        title=title,
        summary=summary,
        table=table,
        rows=[(row.label, row.counts) for row in graded],
        categories=scale.labels,
        x_title="Grades",
    )


# --- Compliance -----------------------------------------------------------------------------


def _compliance_chart(items: list[f.StandardCompliance]) -> Chart:
    applicable = [item for item in items if item.counts.applicable]
    table = Table(
        "Compliance per standard: answers met, partly met, not met and not applicable",
        ("Standard", "Questions", "Met", "Partly met", "Not met", "N/A (left out)", "Per cent met"),
        tuple(
            (
                item.standard,
                (
                    ", ".join(item.questions),
                    str(item.counts.met),
                    str(item.counts.partly),
                    str(item.counts.not_met),
                    str(item.counts.not_applicable),
                    "–" if item.counts.percent is None else f"{item.counts.percent}%",
                ),
            )
            for item in items
        ),
    )
    if applicable:
        low = min(applicable, key=lambda item: (item.counts.rate or 0, item.standard))
        high = max(applicable, key=lambda item: (item.counts.rate or 0, item.standard))
        summary = (
            f"Bar chart of the per cent of applicable answers that met each of "
            f"{len(applicable)} standards, N/A left out. Lowest: {low.standard} at "
            f"{low.counts.percent_text} ({low.counts.met} of {low.counts.applicable}). Highest: "
            f"{high.standard} at {high.counts.percent_text}."
        )
    else:
        summary = "No compliance answers have been counted yet."
    return percent_bars(
        key="compliance",
        title="Compliance per standard (per cent met)",
        summary=summary,
        table=table,
        rows=[(_short(item.standard), item.counts.percent) for item in applicable],
    )


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _compliance_text(counts: f.OutcomeCounts) -> str:
    if not counts.applicable:
        return "No compliance answers have been counted yet."
    return (
        f"Across every standard, {counts.met} of {counts.applicable} applicable answers were met "
        f"({counts.percent_text}); {counts.partly} were partly met and {counts.not_met} not met. "
        f"{counts.not_applicable} answers were N/A and are left out of the denominator."
    )


def _self_chart(rows: list[f.SelfAgainstAgreed]) -> Chart:
    categories = (
        "More positive than the panel",
        "Same as the panel",
        "Less positive than the panel",
    )
    table = Table(
        "Agencies' overall grades against the grade the panel agreed for the same child",
        ("Agency", *categories, "Total"),
        tuple(
            (
                row.agency,
                (str(row.more_positive), str(row.same), str(row.less_positive), str(row.total)),
            )
            for row in rows
        ),
    )
    total = sum(row.total for row in rows)
    if total:
        more = sum(row.more_positive for row in rows)
        same = sum(row.same for row in rows)
        less = sum(row.less_positive for row in rows)
        summary = (
            f"Stacked bar chart by agency. Of {total} agency overall grades for children the "
            f"panel graded, {more} were more positive than the panel's agreed grade, {same} the "
            f"same and {less} less positive."
        )
    else:
        summary = "The panel has not agreed an overall grade for any child yet."
    return stacked_bars(
        key="self-against-agreed",
        title="Agency self-grade against the agreed grade",
        summary=summary,
        table=table,
        rows=[(row.agency, (row.more_positive, row.same, row.less_positive)) for row in rows],
        categories=categories,
        colours=COMPARE,
        x_title="Children",
    )


# --- Escalations, learning, actions ---------------------------------------------------------


def _escalation_text(figures: f.EscalationFigures) -> str:
    if not figures.total:
        return "No escalations were made during the audit."
    urgencies = join_words(f"{n} {label.lower()}" for label, n in figures.by_urgency if n)
    text = (
        f"{figures.total} escalation{'s' if figures.total != 1 else ''} made during the audit "
        f"({urgencies}); {figures.resolved} resolved."
    )
    if figures.with_deadline:
        text += (
            f" {figures.acknowledged_in_time} of {figures.with_deadline} were acknowledged "
            "within the time set."
        )
    return text


def _learning_chart(reviews: tuple[f.ReviewCheck, ...]) -> Chart | None:
    points = [(review, check) for review in reviews for check in review.points]
    if not points:
        return None
    label = {id(check): f"{review.short_name} {check.point.order}" for review, check in points}
    table = Table(
        "Children for whom each learning point was met (N/A left out)",
        ("Learning point", "Met", "Partly met", "Not met", "N/A (left out)", "Per cent met"),
        tuple(
            (
                f"{label[id(check)]}: {check.point.text}",
                (
                    str(check.counts.met),
                    str(check.counts.partly),
                    str(check.counts.not_met),
                    str(check.counts.not_applicable),
                    "–" if check.counts.percent is None else f"{check.counts.percent}%",
                ),
            )
            for _, check in points
        ),
    )
    sentences = [
        f"{label[id(check)]}: met for {check.counts.met} of {check.counts.applicable}"
        for _, check in points
        if check.counts.applicable
    ]
    summary = "Stacked bar chart of children by learning point. " + (
        "; ".join(sentences) + "." if sentences else "No child's records could show these yet."
    )
    return stacked_bars(
        key="learning",
        title="Learning from earlier reviews: embedded or not",
        summary=summary,
        table=table,
        rows=[
            (label[id(check)], (check.counts.met, check.counts.partly, check.counts.not_met))
            for _, check in points
        ],
        categories=OUTCOME_LABELS,
        x_title="Children",
    )


def _actions_chart(figures: f.ActionFigures) -> Chart:
    table = Table(
        "Actions by status",
        ("Status", "Actions"),
        tuple((label, (str(count),)) for _, label, count in figures.by_status),
    )
    if figures.total:
        parts = join_words(
            f"{count} {label.lower()}" for _, label, count in figures.by_status if count
        )
        summary = (
            f"Bar chart of the audit's {figures.total} actions by status: {parts}. "
            f"{figures.verified} closed with evidence of impact; {figures.open} still open."
        )
    else:
        summary = "No actions have been agreed yet."
    return horizontal_bars(
        key="actions",
        title="Action status",
        summary=summary,
        table=table,
        rows=[(label, count) for _, label, count in figures.by_status],
        x_title="Actions",
    )
