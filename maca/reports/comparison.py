"""A re-audit beside its baseline: grades, compliance per standard, learning points, themes
that recur, and what became of the baseline's actions.

Both audits are read through the person's access (`require_learning` on each), and only
aggregates are compared, so nothing here names a child.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt

from maca.audits.models import Audit
from maca.audits.selectors import AuditAccess, cohort_profile, require_learning
from maca.reports import figures as f
from maca.reports.charts import Chart, Table, _config


@dataclass(frozen=True)
class SideBySide:
    label: str
    baseline: str
    current: str


@dataclass(frozen=True)
class RateRow:
    label: str
    baseline: f.OutcomeCounts | None
    current: f.OutcomeCounts | None

    @property
    def change(self) -> int | None:
        """Change in percentage points, current minus baseline."""
        if self.baseline is None or self.current is None:
            return None
        before, after = self.baseline.percent, self.current.percent
        if before is None or after is None:
            return None
        return after - before

    @property
    def change_text(self) -> str:
        change = self.change
        if change is None:
            return "–"
        return f"{change:+d} points" if change else "no change"


@dataclass(frozen=True)
class GradeRow:
    level: str
    baseline: int
    current: int


@dataclass(frozen=True)
class Comparison:
    baseline: Audit
    current: Audit
    cohort: tuple[SideBySide, ...]
    panel_grades: tuple[GradeRow, ...]
    agency_grades: tuple[GradeRow, ...]
    sections: tuple[SideBySide, ...]
    good_label: str
    compliance: tuple[RateRow, ...]
    compliance_overall: RateRow
    learning: tuple[RateRow, ...]
    recurring_themes: tuple[str, ...]
    new_themes: tuple[str, ...]
    resolved_themes: tuple[str, ...]
    baseline_actions: f.ActionFigures
    current_actions: f.ActionFigures
    chart: Chart


def build_comparison(baseline_access: AuditAccess, current_access: AuditAccess) -> Comparison:
    require_learning(baseline_access)
    require_learning(current_access)
    baseline, current = baseline_access.audit, current_access.audit

    profiles = cohort_profile(baseline), cohort_profile(current)
    counted = f.returns_counted(baseline), f.returns_counted(current)
    cohort = (
        SideBySide("Audit date", _date(baseline), _date(current)),
        SideBySide("Children", str(profiles[0].case_count), str(profiles[1].case_count)),
        SideBySide("Returns counted", str(counted[0][0]), str(counted[1][0])),
    )

    grades = f.grade_tables(baseline), f.grade_tables(current)
    panel = _grade_rows(grades[0].overall_scale, grades[0].agreed_overall, grades[1].agreed_overall)
    agency = _grade_rows(
        grades[0].overall_scale,
        _sum(grades[0].by_agency, len(grades[0].overall_scale.levels)),
        _sum(grades[1].by_agency, len(grades[1].overall_scale.levels)),
    )
    sections, good_label = _section_shares(grades[0], grades[1])

    compliance = _rate_rows(
        {item.standard: item.counts for item in f.compliance_by_standard(baseline)},
        {item.standard: item.counts for item in f.compliance_by_standard(current)},
    )
    overall = RateRow(
        "All standards",
        _total([row.baseline for row in compliance]),
        _total([row.current for row in compliance]),
    )
    learning = _rate_rows(_point_counts(baseline), _point_counts(current))

    themes = f.theme_names(baseline), f.theme_names(current)
    return Comparison(
        baseline=baseline,
        current=current,
        cohort=cohort,
        panel_grades=panel,
        agency_grades=agency,
        sections=sections,
        good_label=good_label,
        compliance=compliance,
        compliance_overall=overall,
        learning=learning,
        recurring_themes=tuple(sorted(set(themes[0]) & set(themes[1]))),
        new_themes=tuple(sorted(set(themes[1]) - set(themes[0]))),
        resolved_themes=tuple(sorted(set(themes[0]) - set(themes[1]))),
        baseline_actions=f.action_figures(baseline),
        current_actions=f.action_figures(current),
        chart=_chart(baseline, current, compliance),
    )


def _date(audit: Audit) -> str:
    return audit.date_text or "Not set"


def _sum(rows: tuple[f.Distribution, ...], width: int) -> f.Distribution:
    return f.Distribution(
        "All agencies", tuple(sum(row.counts[i] for row in rows) for i in range(width))
    )


def _grade_rows(
    scale: f.ScaleView, baseline: f.Distribution | None, current: f.Distribution | None
) -> tuple[GradeRow, ...]:
    return tuple(
        GradeRow(
            label,
            baseline.counts[index] if baseline else 0,
            current.counts[index] if current else 0,
        )
        for index, label in enumerate(scale.labels)
    )


def _section_shares(
    baseline: f.GradeTables, current: f.GradeTables
) -> tuple[tuple[SideBySide, ...], str]:
    """Per section, the share of agencies' grades in the better half of the scale."""
    levels = baseline.section_scale.labels
    if not levels:
        return (), ""
    upper = max(1, len(levels) // 2)
    good_label = f"{levels[upper - 1].lower()} or better"
    current_rows = {row.label: row for row in current.by_section}

    def share(row: f.Distribution | None) -> str:
        if row is None or not row.total:
            return "–"
        good = sum(row.counts[:upper])
        return f"{round(100 * good / row.total)}% ({good} of {row.total})"

    return (
        tuple(
            SideBySide(row.label, share(row), share(current_rows.get(row.label)))
            for row in baseline.by_section
        ),
        good_label,
    )


def _rate_rows(
    baseline: dict[str, f.OutcomeCounts], current: dict[str, f.OutcomeCounts]
) -> tuple[RateRow, ...]:
    labels = list(baseline) + [label for label in current if label not in baseline]
    return tuple(RateRow(label, baseline.get(label), current.get(label)) for label in labels)


def _total(items: list[f.OutcomeCounts | None]) -> f.OutcomeCounts:
    total = f.OutcomeCounts()
    for item in items:
        if item is not None:
            total = f.OutcomeCounts(
                total.met + item.met,
                total.partly + item.partly,
                total.not_met + item.not_met,
                total.not_applicable + item.not_applicable,
            )
    return total


def _point_counts(audit: Audit) -> dict[str, f.OutcomeCounts]:
    return {
        f"{review.short_name} {check.point.order}: {check.point.text}": check.counts
        for review in f.learning_embedded(audit)
        for check in review.points
    }


def _chart(baseline: Audit, current: Audit, rows: tuple[RateRow, ...]) -> Chart:
    names = (_date(baseline), _date(current))
    if names[0] == names[1]:
        names = (f"{baseline.title} (baseline)", current.title)
    data = []
    for row in rows:
        for name, counts in zip(names, (row.baseline, row.current), strict=True):
            if counts is not None and counts.percent is not None:
                label = row.label if len(row.label) <= 60 else f"{row.label[:59]}…"
                data.append({"label": label, "audit": name, "value": counts.percent})
    chart = (
        alt.Chart(alt.Data(values=data))
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=260)),
            yOffset=alt.YOffset("audit:N", sort=list(names)),
            x=alt.X("value:Q", title="Per cent met", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "audit:N",
                title=None,
                sort=list(names),
                scale=alt.Scale(domain=list(names), range=["#b1b4b6", "#1d70b8"]),
            ),
        )
        .properties(height=max(60, 30 * len(rows)))
    )
    table = Table(
        "Per cent of applicable answers met, per standard (N/A left out)",
        ("Standard", names[0], names[1], "Change"),
        tuple(
            (row.label, (_percent(row.baseline), _percent(row.current), row.change_text))
            for row in rows
        ),
    )
    improved = [row for row in rows if (row.change or 0) > 0]
    worse = [row for row in rows if (row.change or 0) < 0]
    summary = (
        f"Grouped bar chart of the per cent met for {len(rows)} standards in {names[0]} and "
        f"{names[1]}: {len(improved)} improved and {len(worse)} fell."
    )
    return Chart(
        "comparison",
        "Compliance per standard, then and now",
        summary,
        table,
        _config(chart, "Compliance per standard, then and now"),
    )


def _percent(counts: f.OutcomeCounts | None) -> str:
    if counts is None:
        return "Not asked"
    return (
        "–"
        if counts.percent is None
        else f"{counts.percent}% ({counts.met} of {counts.applicable})"
    )
