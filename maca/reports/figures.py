"""The numbers of an audit, computed from its returns with a fixed number of queries.

Only returns the panel would moderate count (submitted, signed off or accepted): a draft may
still change. Compliance rates leave N/A out of the denominator and show partly met apart from
met, as docs/domain.md §1.6 asks. These functions know nothing of who is asking; the report
and brief check access before calling them and decide what to show (pseudonyms only to the
coordinator and panel).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q

from maca.accounts.models import Agency
from maca.audits.models import (
    PUBLIC_ESCALATION_FIELDS,
    AgencyReturn,
    Answer,
    Audit,
    AuditAgency,
    Case,
    Escalation,
    GradeLevel,
    GradingScale,
    PanelGrade,
    Question,
    SectionSummary,
    ToolSection,
)
from maca.learning.models import Action, ActionStatus, AuditReview, Finding, LearningPoint
from maca.moderation.selectors import FINAL_RETURN_STATUSES, goodness

Outcome = GradeLevel.Outcome


def _counted(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": FINAL_RETURN_STATUSES})


# --- Outcome counts -------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeCounts:
    met: int = 0
    partly: int = 0
    not_met: int = 0
    not_applicable: int = 0

    @property
    def applicable(self) -> int:
        """The denominator: N/A is left out."""
        return self.met + self.partly + self.not_met

    @property
    def rate(self) -> float | None:
        return self.met / self.applicable if self.applicable else None

    @property
    def percent(self) -> int | None:
        rate = self.rate
        return None if rate is None else round(100 * rate)

    @property
    def percent_text(self) -> str:
        percent = self.percent
        return "no applicable answers" if percent is None else f"{percent}%"

    def plus(self, outcome: str, count: int = 1) -> OutcomeCounts:
        return OutcomeCounts(
            met=self.met + (count if outcome == Outcome.MET else 0),
            partly=self.partly + (count if outcome == Outcome.PARTLY_MET else 0),
            not_met=self.not_met + (count if outcome == Outcome.NOT_MET else 0),
            not_applicable=self.not_applicable
            + (count if outcome == Outcome.NOT_APPLICABLE else 0),
        )


# --- Compliance per standard ----------------------------------------------------------------


@dataclass(frozen=True)
class StandardCompliance:
    standard: str
    questions: tuple[str, ...]
    counts: OutcomeCounts


def compliance_by_standard(audit: Audit) -> list[StandardCompliance]:
    """Every answer to a question with a compliance meaning, grouped by the standard the
    question tests (a question with no standard stands for itself)."""
    rows = (
        Answer.objects.filter(
            agency_return__case__audit=audit,
            agency_return__status__in=FINAL_RETURN_STATUSES,
            grade__outcome__in=[o.value for o in Outcome if o.value],
        )
        .values("question_id", "grade__outcome")
        .annotate(n=Count("id"))
    )
    by_question: dict[int, OutcomeCounts] = defaultdict(OutcomeCounts)
    for row in rows:
        by_question[row["question_id"]] = by_question[row["question_id"]].plus(
            row["grade__outcome"], row["n"]
        )
    questions = (
        Question.objects.filter(section__version_id=audit.tool_version_id, pk__in=by_question)
        .only("id", "code", "text", "standard", "order", "section__order")
        .order_by("section__order", "order")
    )
    groups: dict[str, tuple[list[str], OutcomeCounts]] = {}
    for question in questions:
        key = question.standard.strip() or f"{question.code} {question.text}"
        codes, counts = groups.get(key, ([], OutcomeCounts()))
        current = by_question[question.pk]
        counts = OutcomeCounts(
            counts.met + current.met,
            counts.partly + current.partly,
            counts.not_met + current.not_met,
            counts.not_applicable + current.not_applicable,
        )
        groups[key] = ([*codes, question.code], counts)
    return [
        StandardCompliance(standard, tuple(codes), counts)
        for standard, (codes, counts) in groups.items()
    ]


def overall_compliance(items: Iterable[StandardCompliance]) -> OutcomeCounts:
    total = OutcomeCounts()
    for item in items:
        c = item.counts
        total = OutcomeCounts(
            total.met + c.met,
            total.partly + c.partly,
            total.not_met + c.not_met,
            total.not_applicable + c.not_applicable,
        )
    return total


# --- Grade distributions --------------------------------------------------------------------


@dataclass(frozen=True)
class Distribution:
    """Counts of grades on one scale, for a row label (a section or an agency)."""

    label: str
    counts: tuple[int, ...]  # in the order of GradeScaleView.levels

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class ScaleView:
    scale: GradingScale | None
    levels: tuple[GradeLevel, ...]  # best first

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(level.label for level in self.levels)


def _scale_view(scale: GradingScale | None, levels: Iterable[GradeLevel]) -> ScaleView:
    if scale is None:
        return ScaleView(None, ())
    ordered = sorted(
        (level for level in levels if level.scale_id == scale.pk),
        key=lambda level: -goodness(level, scale),
    )
    return ScaleView(scale, tuple(ordered))


@dataclass(frozen=True)
class GradeTables:
    section_scale: ScaleView
    by_section: tuple[Distribution, ...]
    agreed_by_section: tuple[Distribution, ...]
    overall_scale: ScaleView
    by_agency: tuple[Distribution, ...]
    agreed_overall: Distribution | None


def grade_tables(audit: Audit) -> GradeTables:
    sections = list(
        ToolSection.objects.filter(version_id=audit.tool_version_id, grading_scale__isnull=False)
        .select_related("grading_scale")
        .order_by("order")
    )
    section_scale = sections[0].grading_scale if sections else None
    overall_scale = audit.overall_scale
    scale_ids = {s for s in (section_scale, overall_scale) if s is not None}
    levels = list(GradeLevel.objects.filter(scale__in=scale_ids))
    section_view = _scale_view(section_scale, levels)
    overall_view = _scale_view(overall_scale, levels)

    summary_counts: dict[tuple[int, int], int] = {
        (row["section_id"], row["grade_id"]): row["n"]
        for row in SectionSummary.objects.filter(
            agency_return__case__audit=audit,
            agency_return__status__in=FINAL_RETURN_STATUSES,
            grade__isnull=False,
        )
        .values("section_id", "grade_id")
        .annotate(n=Count("id"))
    }
    agreed_counts: Counter[tuple[int | None, int]] = Counter()
    for row in (
        PanelGrade.objects.filter(case__audit=audit)
        .values("section_id", "grade_id")
        .annotate(n=Count("id"))
    ):
        agreed_counts[(row["section_id"], row["grade_id"])] += row["n"]

    def row_for(label: str, section_id: int | None, source: dict, view: ScaleView) -> Distribution:
        return Distribution(
            label, tuple(source.get((section_id, level.pk), 0) for level in view.levels)
        )

    by_section = tuple(
        row_for(f"{s.order}. {s.title}", s.pk, summary_counts, section_view) for s in sections
    )
    agreed_by_section = tuple(
        row_for(f"{s.order}. {s.title}", s.pk, agreed_counts, section_view) for s in sections
    )

    agencies = _audit_agencies(audit)
    overall_counts = {
        (row["agency_id"], row["overall_grade_id"]): row["n"]
        for row in AgencyReturn.objects.filter(
            case__audit=audit, status__in=FINAL_RETURN_STATUSES, overall_grade__isnull=False
        )
        .values("agency_id", "overall_grade_id")
        .annotate(n=Count("id"))
    }
    by_agency = tuple(
        Distribution(
            agency.short_name,
            tuple(overall_counts.get((agency.pk, level.pk), 0) for level in overall_view.levels),
        )
        for agency in agencies
    )
    agreed_overall = (
        Distribution(
            "Agreed by the panel",
            tuple(agreed_counts.get((None, level.pk), 0) for level in overall_view.levels),
        )
        if overall_view.levels
        else None
    )
    return GradeTables(
        section_scale=section_view,
        by_section=by_section,
        agreed_by_section=agreed_by_section,
        overall_scale=overall_view,
        by_agency=by_agency,
        agreed_overall=agreed_overall,
    )


def _audit_agencies(audit: Audit) -> list[Agency]:
    return [
        link.agency
        for link in AuditAgency.objects.filter(audit=audit)
        .select_related("agency")
        .order_by("order", "agency__name")
    ]


# --- Agency self-grade against the agreed grade ---------------------------------------------


@dataclass(frozen=True)
class SelfAgainstAgreed:
    agency: str
    more_positive: int
    same: int
    less_positive: int

    @property
    def total(self) -> int:
        return self.more_positive + self.same + self.less_positive


def self_against_agreed(audit: Audit) -> list[SelfAgainstAgreed]:
    """For each agency, how its overall grade for a child compared with the grade the panel
    agreed for that child: more positive, the same, or less positive."""
    agreed = {
        row.case_id: row.grade
        for row in PanelGrade.objects.filter(
            case__audit=audit, section__isnull=True
        ).select_related("grade__scale")
    }
    tallies: dict[int, Counter[str]] = defaultdict(Counter)
    for row in AgencyReturn.objects.filter(
        case__audit=audit, status__in=FINAL_RETURN_STATUSES, overall_grade__isnull=False
    ).select_related("overall_grade"):
        panel = agreed.get(row.case_id)
        own = row.overall_grade
        if panel is None or own is None or own.scale_id != panel.scale_id:
            continue
        scale = panel.scale
        difference = goodness(own, scale) - goodness(panel, scale)
        tallies[row.agency_id][
            "more" if difference > 0 else "less" if difference < 0 else "same"
        ] += 1
    return [
        SelfAgainstAgreed(
            agency.short_name,
            tallies[agency.pk]["more"],
            tallies[agency.pk]["same"],
            tallies[agency.pk]["less"],
        )
        for agency in _audit_agencies(audit)
        if agency.pk in tallies
    ]


# --- Learning embedded ----------------------------------------------------------------------


@dataclass(frozen=True)
class PointCheck:
    """Whether one learning point was met, child by child. A child counts as met when every
    applicable answer to the linked questions, from every agency, is met; as not met when any
    is not met; otherwise as partly met. A child whose answers are all N/A is left out of the
    denominator, as is a child no agency answered about."""

    point: LearningPoint
    question_codes: tuple[str, ...]
    counts: OutcomeCounts
    met_cases: tuple[str, ...] = ()
    partly_cases: tuple[str, ...] = ()
    not_met_cases: tuple[str, ...] = ()
    not_applicable_cases: tuple[str, ...] = ()

    @property
    def sentence(self) -> str:
        c = self.counts
        if not c.applicable:
            return "No child's records could show this: every answer was N/A or missing."
        text = f"Met for {c.met} of {c.applicable} {_children(c.applicable)} ({c.percent_text})"
        if c.partly:
            text += f"; partly met for {c.partly}"
        if c.not_met:
            text += f"; not met for {c.not_met}"
        text += "."
        if c.not_applicable:
            text += (
                f" Not applicable for {c.not_applicable} {_children(c.not_applicable)}, "
                "left out of the figure."
            )
        return text


@dataclass(frozen=True)
class ReviewCheck:
    title: str
    short_name: str
    relationship: str
    points: tuple[PointCheck, ...]


def _children(count: int) -> str:
    return "child" if count == 1 else "children"


_WORST_FIRST = (Outcome.NOT_MET, Outcome.PARTLY_MET, Outcome.MET, Outcome.NOT_APPLICABLE)


def learning_embedded(audit: Audit) -> list[ReviewCheck]:
    links = list(
        AuditReview.objects.filter(audit=audit)
        .select_related("review")
        .prefetch_related("review__learning_points")
        .order_by("order", "id")
    )
    point_ids = [point.pk for link in links for point in link.review.learning_points.all()]
    codes: dict[int, list[str]] = defaultdict(list)
    for question in (
        Question.objects.filter(
            section__version_id=audit.tool_version_id, learning_point_id__in=point_ids
        )
        .only("id", "code", "learning_point_id")
        .order_by("section__order", "order")
    ):
        codes[question.learning_point_id].append(question.code)  # type: ignore[index]
    outcomes: dict[tuple[int, int], set[str]] = defaultdict(set)
    for row in (
        Answer.objects.filter(
            agency_return__case__audit=audit,
            agency_return__status__in=FINAL_RETURN_STATUSES,
            question__section__version_id=audit.tool_version_id,
            question__learning_point_id__in=point_ids,
            grade__outcome__in=[o.value for o in Outcome if o.value],
        )
        .values("agency_return__case_id", "question__learning_point_id", "grade__outcome")
        .distinct()
    ):
        key = (row["question__learning_point_id"], row["agency_return__case_id"])
        outcomes[key].add(row["grade__outcome"])
    pseudonyms = dict(
        Case.objects.filter(audit=audit)
        .order_by("order", "pseudonym")
        .values_list("id", "pseudonym")
    )
    case_order = list(pseudonyms)
    result = []
    for link in links:
        checks = []
        for point in link.review.learning_points.all():
            groups: dict[str, list[str]] = {o.value: [] for o in _WORST_FIRST}
            for case_id in case_order:
                found = outcomes.get((point.pk, case_id))
                if not found:
                    continue
                verdict = next(o.value for o in _WORST_FIRST if o.value in found)
                groups[verdict].append(pseudonyms[case_id])
            checks.append(
                PointCheck(
                    point=point,
                    question_codes=tuple(codes.get(point.pk, [])),
                    counts=OutcomeCounts(
                        met=len(groups[Outcome.MET]),
                        partly=len(groups[Outcome.PARTLY_MET]),
                        not_met=len(groups[Outcome.NOT_MET]),
                        not_applicable=len(groups[Outcome.NOT_APPLICABLE]),
                    ),
                    met_cases=tuple(groups[Outcome.MET]),
                    partly_cases=tuple(groups[Outcome.PARTLY_MET]),
                    not_met_cases=tuple(groups[Outcome.NOT_MET]),
                    not_applicable_cases=tuple(groups[Outcome.NOT_APPLICABLE]),
                )
            )
        result.append(
            ReviewCheck(
                title=link.review.title,
                short_name=link.review.short_name,
                relationship=link.get_relationship_display(),
                points=tuple(checks),
            )
        )
    return result


# --- Escalations and actions ----------------------------------------------------------------


@dataclass(frozen=True)
class EscalationFigures:
    total: int
    by_urgency: tuple[tuple[str, int], ...]
    by_status: tuple[tuple[str, int], ...]
    acknowledged_in_time: int
    with_deadline: int
    resolved: int
    items: tuple[Escalation, ...]  # public fields only


def escalation_figures(audit: Audit) -> EscalationFigures:
    # A withdrawn escalation was raised in error or twice: it is no finding of the audit.
    items = tuple(
        Escalation.objects.filter(audit=audit)
        .exclude(status=Escalation.Status.WITHDRAWN)
        .only(
            *PUBLIC_ESCALATION_FIELDS,
            "acknowledge_by",
            "acknowledged_at",
            "resolved_at",
        )
        .order_by("raised_at", "id")
    )
    urgency = Counter(item.urgency for item in items)
    status = Counter(item.status for item in items)
    with_deadline = [item for item in items if item.acknowledge_by]
    in_time = [
        item
        for item in with_deadline
        if item.acknowledged_at is not None
        and item.acknowledge_by is not None
        and item.acknowledged_at <= item.acknowledge_by
    ]
    return EscalationFigures(
        total=len(items),
        by_urgency=tuple(
            (str(label), urgency[value]) for value, label in Escalation.Urgency.choices
        ),
        by_status=tuple(
            (str(label), status[value])
            for value, label in Escalation.Status.choices
            if value != Escalation.Status.WITHDRAWN
        ),
        acknowledged_in_time=len(in_time),
        with_deadline=len(with_deadline),
        resolved=status[Escalation.Status.RESOLVED],
        items=items,
    )


@dataclass(frozen=True)
class ActionFigures:
    total: int
    by_status: tuple[tuple[str, str, int], ...]
    verified: int
    open: int
    items: tuple[Action, ...] = field(default=())


def action_figures(audit: Audit) -> ActionFigures:
    items = tuple(
        Action.objects.filter(audit=audit).prefetch_related("owners").order_by("order", "id")
    )
    counts = Counter(item.status for item in items)
    open_statuses = {ActionStatus.PROPOSED, ActionStatus.AGREED, ActionStatus.IN_PROGRESS}
    return ActionFigures(
        total=len(items),
        by_status=tuple(
            (value, str(label), counts[value]) for value, label in ActionStatus.choices
        ),
        verified=counts[ActionStatus.VERIFIED],
        open=sum(counts[status] for status in open_statuses),
        items=items,
    )


# --- Themes ---------------------------------------------------------------------------------


def theme_names(audit: Audit) -> dict[str, int]:
    """Each theme the audit's findings are tagged with, and how many findings carry it."""
    rows = (
        Finding.objects.filter(audit=audit, themes__isnull=False)
        .values("themes__name")
        .annotate(n=Count("id", distinct=True))
        .order_by("themes__name")
    )
    return {row["themes__name"]: row["n"] for row in rows}


# --- Returns counted ------------------------------------------------------------------------


def returns_counted(audit: Audit) -> tuple[int, int]:
    """(returns counted in the figures, returns in the audit)."""
    totals = AgencyReturn.objects.filter(case__audit=audit).aggregate(
        total=Count("id"), counted=Count("id", filter=_counted())
    )
    return totals["counted"], totals["total"]
