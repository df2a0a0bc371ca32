"""A small fictional audit with something under every heading of the brief, and helpers to read
each format back as plain text. Every name and fact here is invented."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, cast

import pytest
from docx import Document
from pypdf import PdfReader

from maca.accounts.models import Agency, Role, User
from maca.audits.models import Audit, AuditAgency, Case, Escalation, Need
from maca.core.partial_dates import PartialDate
from maca.identifiers.models import ChildIdentity
from maca.learning.models import (
    Action,
    ActionStatus,
    AuditReview,
    Finding,
    Heading,
    LearningPoint,
    Resource,
    Review,
)
from tests.factories import AuditFactory, CaseFactory, person_with_role


@dataclass
class BriefAudit:
    audit: object
    coordinator: User
    agencies: list[Agency]
    cases: list[Case]
    identities: list[ChildIdentity]


@pytest.fixture
def brief_audit(db: None) -> BriefAudit:
    audit = AuditFactory.create(
        slug="fictional-cla-audit",
        title="Children looked after placed out of area",
        theme="Children looked after placed out of area",
        status="published",
        audit_date=PartialDate(2022, 3, 8),
        reaudit_due=PartialDate(2023, 3),
        cohort_definition="are looked after by the local authority and placed out of area",
        aim=("To ascertain whether there were good multi-agency standards for managing cases."),
    )
    coordinator = person_with_role(Role.COORDINATOR, full_name="Fictional Coordinator")
    audit.coordinators.add(coordinator)
    agencies = [
        Agency.objects.create(name="Fictional GP practices", short_name="GPs", sector="health"),
        Agency.objects.create(name="Fictional Social Care", short_name="Social Care"),
        Agency.objects.create(name="Fictional Police", short_name="Police", sector="police"),
    ]
    for order, agency in enumerate(agencies):
        AuditAgency.objects.create(audit=audit, agency=agency, order=order)

    cases, identities = _brief_cases(audit)
    _brief_findings(audit, cases, agencies)
    _brief_escalation_and_actions(audit, cases, agencies)
    _brief_reviews_and_resources(audit)
    return BriefAudit(audit, coordinator, agencies, cases, identities)


def _brief_cases(audit: Audit) -> tuple[list[Case], list[ChildIdentity]]:
    """Three children of different ages and needs, with identifiers the brief must not show."""
    needs = list(Need.objects.filter(code__in=["domestic-abuse", "neglect", "seeking-asylum"]))
    cases = []
    identities = []
    for index, weeks in enumerate([6, 400, 16 * 52 + 10]):
        case = CaseFactory.create(audit=audit, pseudonym=f"Child {'ABC'[index]}", age_weeks=weeks)
        case.needs.set(needs[: index + 1])
        cases.append(case)
        identities.append(
            ChildIdentity.objects.create(
                case=case,
                full_name=["Tallulah Quennell", "Barnaby Fitzwarren", "Ottilie Marchbanks"][index],
                date_of_birth=["2022-01-25", "2014-05-17", "2005-11-02"][index],
            )
        )
    return cases, identities


def _brief_findings(audit: Audit, cases: list[Case], agencies: list[Agency]) -> None:
    """Worries and good practice (one kept out of the brief each way) and a learning theme."""
    worry = Finding.objects.create(
        audit=audit, heading=Heading.WORRY, order=1, text="Frequent placement moves"
    )
    worry.cases.set(cases[:1])
    Finding.objects.create(
        audit=audit, heading=Heading.WORRY, order=2, text="Exploitation tool not updated"
    )
    Finding.objects.create(
        audit=audit,
        heading=Heading.WORRY,
        order=3,
        text="A worry the panel kept out of the brief",
        include_in_brief=False,
    )
    Finding.objects.create(
        audit=audit,
        heading=Heading.GOOD_PRACTICE,
        order=1,
        text="Young person's chosen pronouns are respected and support is in place",
        attribution="school, foster carer",
    )
    Finding.objects.create(
        audit=audit,
        heading=Heading.GOOD_PRACTICE,
        order=2,
        text="Interpreter used to hear wishes and feelings of the child",
    )
    theme = Finding.objects.create(
        audit=audit,
        heading=Heading.LEARNING,
        order=1,
        title="Domestic abuse while children are in care",
        text=(
            "Police do not notify social care about incidents when the child is not there.\n\n"
            "This can also happen when a birth parent attends hospital."
        ),
        needs_to_happen="Police agreed to add a flag to records so incidents are still shared.",
    )
    theme.taken_forward_by.set([agencies[2], agencies[1]])


def _brief_escalation_and_actions(audit: Audit, cases: list[Case], agencies: list[Agency]) -> None:
    """A resolved escalation whose private text must not reach the brief, and actions done,
    open and internal."""
    Escalation.objects.create(
        audit=audit,
        case=cases[2],
        raised_to_agency=agencies[1],
        raised_at=dt.datetime(2022, 3, 8, 11, 0, tzinfo=dt.UTC),
        urgency=Escalation.Urgency.IMMEDIATE,
        status=Escalation.Status.RESOLVED,
        concern="SECRET-CONCERN: Child C was placed with adults in a named hostel.",
        outcome="SECRET-OUTCOME: moved to the named foster home.",
        public_summary="An asylum-seeking child was treated as an adult and placed with adults",
        public_outcome="The child was moved to a foster placement the same week",
    )

    done = Action.objects.create(
        audit=audit,
        order=1,
        description="Add a flag to police records for children in care",
        lead_name="Detective Inspector Example",
        # PartialDate objects rather than ISO text ("2022-06"): the audit trail in
        # maca.core.history reads the value before the field has parsed it.
        due=cast(Any, PartialDate(2022, 6)),
        status=ActionStatus.DONE,
        done_on=cast(Any, PartialDate(2022, 5)),
        measure_of_success="Incidents involving parents reach social care within 24 hours",
    )
    done.owners.set([agencies[2]])
    open_action = Action.objects.create(
        audit=audit, order=2, description="Share safety plans with schools", status="agreed"
    )
    open_action.owners.set(agencies[:2])
    Action.objects.create(
        audit=audit,
        order=3,
        description="An internal action not for the brief",
        include_in_brief=False,
    )


def _brief_reviews_and_resources(audit: Audit) -> None:
    review = Review.objects.create(
        title="Serious case review: Georgia",
        short_name="SCR Georgia",
        kind=Review.Kind.SCR,
        url="https://example.org/scr-georgia",
    )
    LearningPoint.objects.create(
        review=review, order=1, text="Host authorities must be told when a child moves in."
    )
    AuditReview.objects.create(
        audit=audit,
        review=review,
        relationship=AuditReview.Relationship.CHECKS_EMBEDDED,
        note="Whether host authorities were notified of each placement.",
    )
    Resource.objects.create(
        audit=audit,
        order=1,
        title="Exploitation bitesize learning sessions",
        kind=Resource.Kind.TRAINING,
        url="https://example.org/bitesize",
        description="Short sessions for practitioners",
    )
    Resource.objects.create(
        audit=audit,
        order=2,
        title="Off the Record service information",
        kind=Resource.Kind.SERVICE,
        url="https://example.org/off-the-record",
    )


# --- Reading each format back as text -------------------------------------------------------


_SAME_QUOTES_AND_DASHES = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00ad": None}
)


def normalise(text: str) -> str:
    """One line of plain words: same quotes and dashes, words broken at a line-end hyphen
    joined again, single spaces; so a phrase matches however a format wrapped or typeset it."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_SAME_QUOTES_AND_DASHES)
    # The print stylesheet turns automatic hyphenation off, so a hyphen at a line end is a
    # real one ("multi-⏎agency"): keep it and join the halves.
    text = re.sub(r"(\w)-[ \t]*\n\s*(\w)", r"\1-\2", text)
    return " ".join(text.split())


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    pages = []
    for page in reader.pages:
        # The running footer ("Page 2 of 3" and the title) is not part of the brief's text.
        text = re.sub(r"Page \d+ of \d+", " ", page.extract_text())
        pages.append(text)
    return normalise("\n".join(pages))


def docx_text(data: bytes) -> str:
    return normalise(
        "\n".join(paragraph.text for paragraph in Document(io.BytesIO(data)).paragraphs)
    )


def html_text(html: str) -> str:
    import html as html_module

    return normalise(html_module.unescape(re.sub(r"<[^>]+>", " ", html)))


def markdown_text(markdown: str) -> str:
    # Undo the renderer's escaping and drop emphasis and link targets.
    text = re.sub(r"\]\(<[^>]*>\)", "]", markdown)
    text = re.sub(r"(?<!\\)\*", "", text)  # emphasis markers, not escaped asterisks
    text = re.sub(r"\\(.)", r"\1", text)
    return normalise(text)


def download(client: Any, url: str) -> Any:
    """A download as a person gets it: a draft's file is asked for with the page's button (a
    POST), made by the worker (inline in the tests) and then fetched from the page that
    followed its progress."""
    response = client.get(url)
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        assert "Make a draft" in response.content.decode()
        response = client.post(url)
    if response.status_code == 302 and "/drafts/" in response.url:
        page = client.get(response.url)
        assert page.status_code == 200 and "Your file is ready" in page.content.decode()
        return client.get(f"{response.url}download/")
    return response
