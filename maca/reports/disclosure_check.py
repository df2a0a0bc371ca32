"""The disclosure check: what a published brief or an export would show, scanned for anything
that could identify a child, with the coordinators' acceptances applied.

Publishing (moving an audit to Published) and the whole-audit export are refused while a hit
is neither removed nor accepted with a reason (`unresolved_count`). Reading the children's
identifiers here is internal: they are only compared with the text, and a hit shows only the
text a coordinator or panel member wrote, never which child it matched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from maca.accounts.models import Agency, User
from maca.audits.models import Audit
from maca.audits.selectors import AuditAccess
from maca.core.errors import Refused
from maca.core.partial_dates import PartialDate
from maca.identifiers.models import AgencyReference, ChildIdentity
from maca.learning.models import Action, Heading, Review
from maca.learning.selectors import (
    actions_for_audit,
    findings_by_heading,
    resources_for_audit,
    review_links_for_audit,
)
from maca.reports.brief import build_brief, system_access
from maca.reports.disclosure import (
    Child,
    Hit,
    Rules,
    Source,
    hits_in,
    matches_by_text,
    normalised,
    scan,
)
from maca.reports.models import DisclosureAcceptance, DisclosureScope
from maca.reports.renderers.outline import Bullets, Link, Para, outline
from maca.reports.renderers.outline import Heading as OutlineHeading
from maca.reports.selectors import public_escalations

_FINGERPRINT_SALT = "maca.reports.disclosure"
GENERATED_KEY = "brief:generated"
GENERATED_LABEL = "Learning brief: sentences written from the audit's records"


# --- The rules for one audit ----------------------------------------------------------------


def _iso_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def audit_children(audit: Audit) -> tuple[Child, ...]:
    """Each audited child's name, date of birth and identifiers, including every agency's own
    reference for the child. Read only to compare with the text, never shown."""
    references: dict[int, list[str]] = {}
    for case_id, reference in AgencyReference.objects.filter(case__audit=audit).values_list(
        "case_id", "reference"
    ):
        references.setdefault(case_id, []).append(reference)
    identities = {
        identity.case_id: identity for identity in ChildIdentity.objects.filter(case__audit=audit)
    }
    children = []
    for case_id in sorted(identities.keys() | references.keys()):
        identity = identities.get(case_id)
        own = (identity.la_child_id, identity.upn, identity.nhs_number) if identity else ()
        children.append(
            Child(
                full_name=(identity.full_name if identity else "") or "",
                date_of_birth=_iso_date(identity.date_of_birth or "") if identity else None,
                identifiers=tuple(value for value in (*own, *references.get(case_id, ())) if value),
            )
        )
    return tuple(children)


def reference_date(audit: Audit) -> dt.date:
    """The day ages are counted to: the end of the audit's date (to the day, month or year),
    else the census date, else today."""
    when = audit.audit_date
    if isinstance(when, PartialDate):
        if when.day and when.month:
            return dt.date(when.year, when.month, when.day)
        if when.month:
            following = dt.date(when.year + (when.month == 12), when.month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(when.year, 12, 31)
    return audit.census_date or timezone.localdate()


# --- What the brief, briefing and report show -----------------------------------------------


def _short(text: str, words: int = 6) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _finding_sources(access: AuditAccess) -> Iterator[Source]:
    findings = findings_by_heading(access, brief_only=True)
    slug = access.audit.slug
    in_brief_order = [*findings.worries, *findings.good_practice, *findings.learning]
    for number, finding in enumerate(in_brief_order, 1):
        plain = f"Finding {number}"
        name = f"{plain} '{_short(finding.title or finding.text)}'"
        edit = reverse("learning:finding-edit", args=[slug, finding.pk])
        text_label = "What we found" if finding.heading == Heading.LEARNING else "Text"
        for field, label in [
            ("title", "Title"),
            ("text", text_label),
            ("needs_to_happen", "What needs to happen"),
            ("attribution", "Credited to"),
        ]:
            yield Source(
                key=f"finding:{finding.pk}:{field}",
                label=f"{name}: {label}",
                text=getattr(finding, field),
                edit_url=edit,
                log_label=f"{plain}: {label}",
            )


def _action_sources(access: AuditAccess) -> Iterator[Source]:
    for number, action in enumerate(actions_for_audit(access, brief_only=True), 1):
        plain = f"Action {number}"
        name = f"{plain} '{_short(action.description)}'"
        edit = reverse("tracker:edit", args=[action.pk])
        for field, label in [
            ("description", "Description"),
            ("lead_name", "Lead"),
            ("measure_of_success", "How we will know it has worked"),
            ("evidence_of_impact", "Evidence of impact"),
        ]:
            yield Source(
                key=f"action:{action.pk}:{field}",
                label=f"{name}: {label}",
                text=getattr(action, field),
                edit_url=edit,
                log_label=f"{plain}: {label}",
            )


def _plan_sources(audit: Audit) -> Iterator[Source]:
    edit = reverse("planning:plan", args=[audit.slug])
    for field, label in [
        ("title", "Title"),
        ("theme", "Theme"),
        ("aim", "Aim"),
        ("rationale", "Why this theme"),
        ("cohort_definition", "Which children"),
        ("sample_method", "Sample method"),
    ]:
        yield Source(
            key=f"audit:{field}",
            label=f"Audit plan: {label}",
            text=getattr(audit, field),
            edit_url=edit if field != "sample_method" else "",
        )


def _other_sources(access: AuditAccess) -> Iterator[Source]:
    slug = access.audit.slug
    for number, escalation in enumerate(public_escalations(access), 1):
        edit = reverse("returns:escalation", args=[slug, escalation.pk])
        yield Source(
            key=f"escalation:{escalation.pk}:public_summary",
            label=f"Escalation {number}: Summary for the brief",
            text=escalation.public_summary,
            edit_url=edit,
        )
        yield Source(
            key=f"escalation:{escalation.pk}:public_outcome",
            label=f"Escalation {number}: Outcome for the brief",
            text=escalation.public_outcome,
            edit_url=edit,
        )
    reviews_url = reverse("planning:reviews", args=[slug])
    for link in review_links_for_audit(access):
        review = link.review
        name = f"Earlier review '{review.short_name}'"
        yield Source(
            key=f"review_link:{link.pk}:note",
            label=f"{name}: How this audit relates to it",
            text=link.note,
            edit_url=reviews_url,
        )
        yield Source(key=f"review:{review.pk}:title", label=f"{name}: Title", text=review.title)
        for point in review.learning_points.all():
            yield Source(
                key=f"learning_point:{point.pk}",
                label=f"{name}: Learning point {point.order}",
                text=point.text,
            )
    for number, resource in enumerate(resources_for_audit(access), 1):
        name = f"Resource {number} '{_short(resource.title)}'"
        yield Source(
            key=f"resource:{resource.pk}:title", label=f"{name}: Title", text=resource.title
        )
        yield Source(
            key=f"resource:{resource.pk}:description",
            label=f"{name}: Description",
            text=resource.description,
        )


def _generated_text(access: AuditAccess) -> str:
    """Every word the learning brief shows, as its Word and Markdown versions lay it out
    (the web page and PDF follow the same order). The 7-minute briefing is cut from these
    same texts."""
    parts: list[str] = []
    for block in outline(build_brief(access)):
        if isinstance(block, OutlineHeading):
            parts.append(block.text)
        elif isinstance(block, Para):
            parts.append("".join(_run_text(run) for run in block.runs))
        elif isinstance(block, Bullets):
            parts.extend("".join(_run_text(run) for run in item) for item in block.items)
    return "\n".join(parts)


def _run_text(run: Any) -> str:
    return f"{run.text} ({run.url})" if isinstance(run, Link) else run.text


def brief_sources(audit: Audit) -> list[Source]:
    """The texts people write that the brief, the 7-minute briefing and the report show, each
    where it is edited, then the whole brief as generated (to catch anything else)."""
    access = system_access(audit)
    sources = [
        *_plan_sources(audit),
        *_finding_sources(access),
        *_action_sources(access),
        *_other_sources(access),
    ]
    sources.append(
        Source(
            key=GENERATED_KEY,
            label=GENERATED_LABEL,
            text=_generated_text(access),
            free_text=False,
        )
    )
    return sources


# --- What the whole-audit export holds ------------------------------------------------------


def _is_plain_date(text: str) -> bool:
    """A value that is only a date or a timestamp is a field of the record (a due date, when
    a return was submitted), not something a person wrote about a child."""
    value = text.strip()
    # Each starts with its year's digits (in ASCII): what does not is passed over without a
    # refused parse, which costs more, for an export's tens of thousands of strings.
    if not ("0" <= value[:1] <= "9"):
        return False
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


# A string in a JSON document: the path of what holds it, its key or index there, how the two
# make its own path ("{}.{}" or "{}[{}]"), and the string. Its own path is only written out
# when it is needed: for an export's 150,000 strings that costs more than reading them.
_Placed = tuple[str, Any, str, str]


def _placed_strings(document: Any, path: str = "$") -> list[_Placed]:
    found: list[_Placed] = []

    def walk(value: Any, where: str) -> None:
        if isinstance(value, dict):
            items: Iterable[tuple[Any, Any]] = value.items()
            template = "{}.{}"
        elif isinstance(value, list):
            items = enumerate(value)
            template = "{}[{}]"
        else:
            return
        for key, item in items:
            if isinstance(item, str):
                if item.strip():
                    found.append((where, key, template, item))
            elif item and isinstance(item, (dict, list)):
                # (Most are empty: an answer's choices, for one.)
                walk(item, template.format(where, key))

    if isinstance(document, str):
        if document.strip():
            found.append((path, "", "{}", document))
    else:
        walk(document, path)
    return found


def _free_text_of(placed: list[_Placed]) -> dict[str, bool]:
    """Whether each different string is free text (not only a date); judged once each, in
    the order they are first met."""
    return {text: not _is_plain_date(text) for text in dict.fromkeys(item[3] for item in placed)}


def document_strings(document: Any, path: str = "$") -> list[tuple[str, str, bool]]:
    """Every string in a JSON document: its JSON path, the string, and whether it is free
    text (not only a date)."""
    placed = _placed_strings(document, path)
    free_text = _free_text_of(placed)
    return [
        (template.format(where, key), text, free_text[text])
        for where, key, template, text in placed
    ]


def document_sources(document: Any, path: str = "$") -> list[Source]:
    """Every string in a JSON document, located by its JSON path."""
    return [
        Source(key=where, label=where, text=text, free_text=free_text)
        for where, text, free_text in document_strings(document, path)
    ]


@dataclass(frozen=True)
class Exporter:
    """How the whole-audit export is built and written: the exchange app, above this one,
    registers its own in ExchangeConfig.ready, so the check reads exactly what a download
    holds."""

    build: Callable[[AuditAccess], dict[str, Any]]
    # The document as whoever opens the download reads it: the JSON of its bytes, parsed.
    as_read: Callable[[dict[str, Any]], Any]


_exporter: Exporter | None = None


def register_exporter(exporter: Exporter) -> None:
    global _exporter
    _exporter = exporter


def _export_document(audit: Audit, document: dict[str, Any] | None) -> Any:
    """`document` is the export already built for a download, so it is not built twice."""
    if _exporter is None:
        raise ImproperlyConfigured("No whole-audit export is registered (maca.exchange).")
    if document is None:
        document = _exporter.build(system_access(audit))
    # Through JSON as the download writes it, so what is checked is what leaves.
    return _exporter.as_read(document)


def export_sources(audit: Audit, document: dict[str, Any] | None = None) -> list[Source]:
    return document_sources(_export_document(audit, document))


@contextlib.contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Python's cycle collector paused while an export is read. Listing its 150,000 strings
    makes as many small objects, none in a cycle, and the collector, run again and again by so
    many, walked the whole export document each time: most of the listing's time. (Paused
    for the whole process, for as long as the check takes: nothing is missed, only collected
    later.)"""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _export_hits(audit: Audit, document: dict[str, Any] | None, rules: Rules) -> list[Hit]:
    """The export's hits. A source is made only for the strings with a match: an export has
    some 150,000 strings, and making a source for each costs more than reading them."""
    as_read = _export_document(audit, document)
    with _cycle_collection_paused():
        return _export_document_hits(as_read, rules)


def _export_document_hits(document: Any, rules: Rules) -> list[Hit]:
    placed = _placed_strings(document)
    free_text = _free_text_of(placed)
    seen = matches_by_text(free_text.items(), rules)
    with_matches = {text for (text, _), found in seen.items() if found}
    sources = []
    for where, key, template, text in placed:
        if text in with_matches:
            path = template.format(where, key)
            sources.append(Source(key=path, label=path, text=text, free_text=free_text[text]))
    return hits_in(sources, seen)


# --- Running the check ----------------------------------------------------------------------


def fingerprint(hit: Hit) -> str:
    """A keyed hash of what and where: it cannot be turned back into the match."""
    value = f"{hit.kind.value}|{normalised(hit.kind, hit.matched)}|{hit.location_key}"
    return salted_hmac(_FINGERPRINT_SALT, value, algorithm="sha256").hexdigest()


@dataclass(frozen=True)
class CheckedHit:
    hit: Hit
    acceptance: DisclosureAcceptance | None

    @property
    def is_resolved(self) -> bool:
        return self.acceptance is not None or self.hit.is_warning


@dataclass(frozen=True)
class LocationGroup:
    label: str
    edit_url: str
    hits: tuple[CheckedHit, ...]


@dataclass(frozen=True)
class DisclosureResult:
    audit: Audit
    scope: str
    hits: tuple[CheckedHit, ...]

    @property
    def unresolved(self) -> tuple[CheckedHit, ...]:
        return tuple(item for item in self.hits if not item.is_resolved)

    @property
    def unresolved_count(self) -> int:
        return len(self.unresolved)

    @property
    def warning_count(self) -> int:
        return sum(1 for item in self.hits if item.hit.is_warning and item.acceptance is None)

    @property
    def accepted_count(self) -> int:
        return sum(1 for item in self.hits if item.acceptance is not None)

    @property
    def groups(self) -> tuple[LocationGroup, ...]:
        grouped: dict[str, list[CheckedHit]] = {}
        for item in self.hits:
            grouped.setdefault(item.hit.location, []).append(item)
        return tuple(
            LocationGroup(label=label, edit_url=items[0].hit.edit_url, hits=tuple(items))
            for label, items in grouped.items()
        )


def _without_repeats(hits: list[Hit]) -> list[Hit]:
    """The generated brief repeats what people wrote; a match already found where it was
    written is not shown again as part of the generated text."""
    written = {
        (hit.kind, normalised(hit.kind, hit.matched))
        for hit in hits
        if hit.location_key != GENERATED_KEY
    }
    return [
        hit
        for hit in hits
        if hit.location_key != GENERATED_KEY
        or (hit.kind, normalised(hit.kind, hit.matched)) not in written
    ]


def allowed_names(audit: Audit) -> tuple[str, ...]:
    """The partnership's own names, which are not people, addresses or settings: the
    partnership, its agencies, the earlier reviews ("Georgia" is the review), and the leads
    the audit names for its actions on purpose."""
    names = [settings.PARTNERSHIP_NAME]
    for name, short_name in Agency.objects.values_list("name", "short_name"):
        names.extend((name, short_name))
    for title, short_name in Review.objects.values_list("title", "short_name"):
        names.extend((title, short_name, *_review_names(title), *_review_names(short_name)))
    names.extend(Action.objects.filter(audit=audit).values_list("lead_name", flat=True))
    return tuple(sorted({name.strip() for name in names if name and name.strip()}))


_REVIEW_WORDS = frozenset(
    {"case", "child", "children's", "death", "domestic", "homicide", "into", "learning",
     "lessons", "local", "national", "of", "practice", "rapid", "review", "safeguarding",
     "serious", "the"}
)  # fmt: skip


def _review_names(title: str) -> list[str]:
    """What a review is called without its kind: "SCR Georgia" and "Serious case review:
    Georgia (2019)" are both "Georgia"."""
    words = re.findall(r"[A-Za-z][\w'’-]*", title)
    kept = [
        word
        for word in words
        if word.casefold() not in _REVIEW_WORDS and not (word.isupper() and len(word) > 1)
    ]
    return [" ".join(kept), *kept] if kept else []


def _full_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, PartialDate) and value.month and value.day:
        return dt.date(value.year, value.month, value.day)
    return None


def own_dates(audit: Audit) -> frozenset[dt.date]:
    """The audit's own dates (held, census, returns and panel, re-audit, published, actions
    due, linked reviews published, versions published): not births, wherever they are
    written."""
    values: list[Any] = [
        audit.audit_date,
        audit.published_on,
        audit.census_date,
        audit.returns_due,
        audit.panel_date,
        audit.reaudit_due,
    ]
    values.extend(audit.audit_agencies.values_list("returns_due", flat=True))
    values.extend(Action.objects.filter(audit=audit).values_list("due", flat=True))
    values.extend(
        Review.objects.filter(audit_links__audit=audit).values_list("published", flat=True)
    )
    values.extend(audit.brief_snapshots.values_list("published_at", flat=True))
    return frozenset(date for date in map(_full_date, values) if date is not None)


def audit_rules(audit: Audit, scope: str = DisclosureScope.PUBLISH) -> Rules:
    """The export is the audit's pseudonymised record, in which dates of events (periods
    reviewed, visits, meetings) belong; what must not leave with it is who the children are,
    so only the children's own dates of birth are looked for there. The brief is read by
    anyone, so any exact date of a young person's life is flagged in it, except the audit's
    own dates."""
    children = audit_children(audit)
    allowed = allowed_names(audit)
    if scope == DisclosureScope.EXPORT:
        return Rules(children=children, reference_date=None, allowed_names=allowed)
    return Rules(
        children=children,
        reference_date=reference_date(audit),
        allowed_names=allowed,
        own_dates=own_dates(audit),
    )


def run_check(
    audit: Audit, scope: str = DisclosureScope.PUBLISH, *, document: dict[str, Any] | None = None
) -> DisclosureResult:
    """The check for publishing (the brief's texts) or for export (the export's strings)."""
    rules = audit_rules(audit, scope)
    if scope == DisclosureScope.EXPORT:
        found = _export_hits(audit, document, rules)
    else:
        found = scan(brief_sources(audit), rules)
    hits = [replace(hit, fingerprint=fingerprint(hit)) for hit in found]
    if scope == DisclosureScope.PUBLISH:
        hits = _without_repeats(hits)
    accepted = {
        acceptance.fingerprint: acceptance
        for acceptance in DisclosureAcceptance.objects.filter(audit=audit, scope=scope)
    }
    return DisclosureResult(
        audit=audit,
        scope=str(scope),
        hits=tuple(CheckedHit(hit, accepted.get(hit.fingerprint)) for hit in hits),
    )


def unresolved_message(count: int) -> str:
    return (
        f"The disclosure check found {count} thing{'s' if count != 1 else ''} that could "
        "identify a child: resolve or accept each one."
    )


def publication_blockers(audit: Audit) -> list[str]:
    """What stops the audit being published: planning asks before moving it (registered in
    ReportsConfig.ready)."""
    unresolved = run_check(audit).unresolved_count
    return [unresolved_message(unresolved)] if unresolved else []


def acceptances_for(audit: Audit, scope: str) -> list[DisclosureAcceptance]:
    """Every acceptance recorded for the audit, including those whose match has since gone."""
    return list(
        DisclosureAcceptance.objects.filter(audit=audit, scope=scope).select_related("accepted_by")
    )


def require_check_viewer(access: AuditAccess, scope: str) -> None:
    """The audit's coordinators and panel see the publishing check; the export check is for
    coordinators, who alone may export."""
    allowed = access.is_coordinator if scope == DisclosureScope.EXPORT else access.sees_every_agency
    if not allowed:
        raise Http404("No audit found")


# --- Accepting a hit ------------------------------------------------------------------------

MAX_REASON = 2000


@transaction.atomic
def disclosure_accept(
    *, access: AuditAccess, scope: str, fingerprint_value: str, reason: str, by: User
) -> DisclosureAcceptance:
    """Record that a coordinator has judged one hit safe to keep, and why."""
    if not access.is_coordinator:
        raise Http404("No audit found")
    reason = reason.strip()
    if not reason:
        raise Refused({"reason": "Enter why this can stay in the brief."})
    if len(reason) > MAX_REASON:
        raise Refused({"reason": f"The reason must be {MAX_REASON} characters or fewer."})
    audit = Audit.objects.select_for_update().get(pk=access.audit.pk)
    result = run_check(audit, scope)
    hit = next((item for item in result.hits if item.hit.fingerprint == fingerprint_value), None)
    if hit is None:
        raise Refused(
            "That match is no longer there: the text has changed since the check ran. "
            "Look at the check again."
        )
    if hit.acceptance is not None:
        raise Refused("That match has already been accepted.")
    try:
        with transaction.atomic():
            return DisclosureAcceptance.objects.create(
                audit=audit,
                scope=scope,
                kind=hit.hit.kind.value,
                fingerprint=fingerprint_value,
                # Without the quoted words: they may be what the hit was about.
                location=(hit.hit.log_label or hit.hit.location)[:300],
                reason=reason,
                accepted_by=by,
                accepted_by_name=getattr(by, "full_name", "") or str(by),
                accepted_at=timezone.now(),
            )
    except IntegrityError as error:
        raise Refused("That match has already been accepted.") from error
