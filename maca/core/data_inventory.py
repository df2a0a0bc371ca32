"""What maca holds, for the partnership's data protection impact assessment (DPIA).

Every model in the project is placed in one category here, and a test fails when a model is
added without one, so the DPIA page cannot silently fall behind the database. The fields
listed for each model come from the models themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models


@dataclass(frozen=True)
class Category:
    key: str
    title: str
    description: str
    protection: str


CATEGORIES = (
    Category(
        "child_identifiers",
        "Child identifiers",
        "What identifies an audited child: name, date of birth, local authority child id, "
        "UPN, NHS number and each agency's own reference.",
        "Kept apart from the audit data and encrypted at rest with a key held outside the "
        "database. Shown only to the audit's coordinators, each time with a reason that is "
        "logged; each agency's reference is shown only to that agency. Purged after the "
        "retention period unless a hold with a reason is set.",
    ),
    Category(
        "case_information",
        "Pseudonymised case information (special category)",
        "Each child's pseudonym, age band, legal status, placement facts, and what each agency "
        "recorded about its practice, the grades and the escalations of live risk.",
        "Health, social care and police information about children: special category data. "
        "Seen only by the agency that wrote it, the audit's coordinators and its panel. "
        "Never included in briefs, reports or exports to people outside the audit.",
    ),
    Category(
        "learning",
        "Audit plan and learning",
        "The audit's plan, findings, actions, updates and links to earlier reviews.",
        "Written to contain no child-level detail; the disclosure check looks for identifying "
        "details before a brief is published or data exported.",
    ),
    Category(
        "staff",
        "Staff and organisations",
        "People who use maca (name, work e-mail, job title, roles), their sign-in factors and "
        "sessions, and the organisations they act for.",
        "Passwords hashed with Argon2; two-factor authentication for everyone who can see "
        "child-level data; API tokens stored only as hashes.",
    ),
    Category(
        "records_of_use",
        "Records of use",
        "History of every change, reveals of identifiers, disclosure-check decisions, API "
        "calls, reminders sent and background tasks.",
        "Kept to show who did what and when; they hold no identifier values.",
    ),
    Category(
        "reference",
        "Reference and system data",
        "Audit tools, grading scales, needs, and the framework's own tables.",
        "No personal data.",
    ),
)
CATEGORY_BY_KEY = {category.key: category for category in CATEGORIES}

# Model label -> category key. Labels of models from other packages are included so the
# page covers everything in the database.
MODEL_CATEGORIES: dict[str, str] = {
    "identifiers.ChildIdentity": "child_identifiers",
    "identifiers.AgencyReference": "child_identifiers",
    "audits.Case": "case_information",
    "audits.AgencyInvolvement": "case_information",
    "audits.AgencyReturn": "case_information",
    "audits.SectionSummary": "case_information",
    "audits.Answer": "case_information",
    "audits.Escalation": "case_information",
    "audits.PanelGrade": "case_information",
    "audits.Discrepancy": "case_information",
    "sampling.ImportBatch": "case_information",
    "sampling.SampleDraw": "case_information",
    "sampling.SampledChild": "case_information",
    "audits.Audit": "learning",
    "audits.LineOfEnquiry": "learning",
    "audits.AuditAgency": "learning",
    "audits.AuditFigures": "learning",
    "audits.CohortBreakdown": "learning",
    "audits.GradeCount": "learning",
    "learning.Review": "learning",
    "learning.LearningPoint": "learning",
    "learning.AuditReview": "learning",
    "learning.Theme": "learning",
    "learning.Finding": "learning",
    "learning.Action": "learning",
    "learning.ActionUpdate": "learning",
    "learning.Resource": "learning",
    "reports.BriefSnapshot": "learning",
    "reports.BriefTemplate": "reference",
    "reports.BriefTemplateVersion": "reference",
    "reports.BriefTemplateSection": "reference",
    "reports.AuditBriefTemplate": "learning",
    "reports.AuditLink": "learning",
    "exchange.PendingImport": "case_information",
    "accounts.User": "staff",
    "accounts.Agency": "staff",
    "accounts.RoleAssignment": "staff",
    "accounts.Invitation": "staff",
    "audits.PanelMembership": "staff",
    "api.ApiToken": "staff",
    "account.EmailAddress": "staff",
    "account.EmailConfirmation": "staff",
    "mfa.Authenticator": "staff",
    "usersessions.UserSession": "staff",
    "sessions.Session": "staff",
    "core.ChangeRecord": "records_of_use",
    "identifiers.IdentifierAccess": "records_of_use",
    "reports.DisclosureAcceptance": "records_of_use",
    "reports.DraftRender": "records_of_use",
    "returns.ReminderSent": "records_of_use",
    "returns.EscalationOverdueNotice": "records_of_use",
    "accounts.DigestEntry": "records_of_use",
    "learning.ActionReminder": "records_of_use",
    "api.ApiCallLog": "records_of_use",
    "django_tasks_database.DBTaskResult": "records_of_use",
    "audits.GradingScale": "reference",
    "audits.GradeLevel": "reference",
    "audits.Need": "reference",
    "audits.AuditTool": "reference",
    "audits.ToolVersion": "reference",
    "audits.ToolSection": "reference",
    "audits.Question": "reference",
    "auth.Permission": "reference",
    "auth.Group": "reference",
    "contenttypes.ContentType": "reference",
}


@dataclass(frozen=True)
class HeldTable:
    label: str
    name: str
    fields: tuple[str, ...]
    encrypted_fields: tuple[str, ...]


@dataclass(frozen=True)
class HeldCategory:
    category: Category
    tables: tuple[HeldTable, ...]


def uncategorised_models() -> list[str]:
    """Models in the database that the DPIA does not yet account for."""
    return sorted(
        model._meta.label
        for model in apps.get_models()
        if model._meta.label not in MODEL_CATEGORIES
    )


def _is_encrypted(field: models.Field) -> bool:
    # Asked of the field, not by its class: the encrypted fields belong to an app above core.
    return getattr(field, "encrypted_at_rest", False)


def data_held() -> list[HeldCategory]:
    """Every table, grouped by category, with its fields' names as people read them."""
    grouped: dict[str, list[HeldTable]] = {category.key: [] for category in CATEGORIES}
    for model in apps.get_models():
        key = MODEL_CATEGORIES.get(model._meta.label)
        if key is None:
            continue
        fields = [
            field
            for field in model._meta.concrete_fields
            if not field.primary_key and field.name not in {"created_at", "updated_at"}
        ]
        grouped[key].append(
            HeldTable(
                label=model._meta.label,
                name=str(model._meta.verbose_name_plural).capitalize(),
                fields=tuple(str(field.verbose_name) for field in fields),
                encrypted_fields=tuple(
                    str(field.verbose_name) for field in fields if _is_encrypted(field)
                ),
            )
        )
    return [
        HeldCategory(category, tuple(sorted(grouped[category.key], key=lambda t: t.name)))
        for category in CATEGORIES
        if grouped[category.key]
    ]


@dataclass(frozen=True)
class Setting:
    name: str
    variable: str
    value: str


def _days(value: int) -> str:
    return f"{value} day{'s' if value != 1 else ''}"


def retention_settings() -> list[Setting]:
    """The settings that decide how long things are kept, as this deployment has them."""
    idle = int(settings.SESSION_COOKIE_AGE)
    return [
        Setting(
            "Child identifiers are purged this long after an audit closes, unless held",
            "MACA_IDENTIFIER_RETENTION_DAYS",
            _days(int(getattr(settings, "IDENTIFIER_RETENTION_DAYS", 365))),
        ),
        Setting(
            "Signed-in sessions end after this long without activity",
            "MACA_SESSION_IDLE_SECONDS",
            f"{idle // 60} minutes",
        ),
        Setting(
            "Longest life of a personal API token",
            "MACA_API_TOKEN_MAX_DAYS",
            _days(int(settings.API_TOKEN_MAX_DAYS)),
        ),
        Setting(
            "Uploaded 903 files",
            "(fixed)",
            "Deleted as soon as they have been read; the checked extract is kept encrypted.",
        ),
    ]


@dataclass(frozen=True)
class LawfulBasis:
    label: str
    variable: str
    value: str


def lawful_basis() -> list[LawfulBasis]:
    """The partnership's own statements for the DPIA, set in the environment."""
    return [
        LawfulBasis("Data controller(s)", "MACA_DPIA_CONTROLLER", settings.DPIA_CONTROLLER),
        LawfulBasis(
            "Data protection officer contact", "MACA_DPIA_DPO_CONTACT", settings.DPIA_DPO_CONTACT
        ),
        LawfulBasis(
            "Lawful basis (UK GDPR Article 6)",
            "MACA_LAWFUL_BASIS_ARTICLE_6",
            settings.LAWFUL_BASIS_ARTICLE_6,
        ),
        LawfulBasis(
            "Condition for special category data (UK GDPR Article 9 and DPA 2018 Schedule 1)",
            "MACA_LAWFUL_BASIS_ARTICLE_9",
            settings.LAWFUL_BASIS_ARTICLE_9,
        ),
    ]
