"""People and organisations: agencies, users, and the roles they hold."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from maca.core.history import HistoryManager


class Sector(models.TextChoices):
    SOCIAL_CARE = "social_care", "Children's social care"
    HEALTH = "health", "Health"
    POLICE = "police", "Police"
    EDUCATION = "education", "Education"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    EARLY_HELP = "early_help", "Early help and preventative services"
    VOLUNTARY = "voluntary", "Voluntary and community sector"
    PARTNERSHIP = "partnership", "Safeguarding partnership"
    OTHER = "other", "Other"


class Agency(models.Model):
    """An organisation that takes part in audits or owns actions (e.g. Police, the ICB)."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=40, unique=True, help_text="How briefs name it, e.g. 'NBT' or 'YOT'."
    )
    sector = models.CharField(max_length=20, choices=Sector.choices, default=Sector.OTHER)
    description = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The agency this duplicate was merged into; it keeps no records of its own.",
    )

    objects = HistoryManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.short_name


class EmailUserManager(UserManager["User"]):
    def _create_user_object(
        self, username: str | None, email: str | None, password: str | None, **extra: Any
    ) -> User:
        email = self.normalize_email(email or username)
        user = self.model(email=email, **extra)
        user.password = make_password(password)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:  # type: ignore[override]
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        user = self._create_user_object(None, email, password, **extra)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:  # type: ignore[override]
        extra.update(is_staff=True, is_superuser=True)
        user = self._create_user_object(None, email, password, **extra)
        user.save(using=self._db)
        return user


class EmailFrequency(models.TextChoices):
    IMMEDIATE = "immediate", "As things happen"
    DAILY = "daily", "Once a day, gathered into one e-mail"


class User(AbstractUser):
    """Someone who signs in. Email is the sign-in name; roles come from RoleAssignment."""

    username = None  # type: ignore[assignment,misc]
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    email_frequency = models.CharField(
        max_length=10,
        choices=EmailFrequency.choices,
        default=EmailFrequency.IMMEDIATE,
        help_text="Whether maca's e-mails reach them one by one or in a daily digest.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects: ClassVar[EmailUserManager] = EmailUserManager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.full_name or self.email


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    AGENCY_AUDITOR = "agency_auditor", "Agency auditor"
    AGENCY_LEAD = "agency_lead", "Agency lead"
    PANEL_MEMBER = "panel_member", "Panel member"
    READER = "reader", "Reader"
    ADMINISTRATOR = "administrator", "Administrator"


AGENCY_ROLES = frozenset({Role.AGENCY_AUDITOR, Role.AGENCY_LEAD})


class RoleAssignment(models.Model):
    """One role held by one person; agency roles name the agency they act for.

    Which audits a coordinator coordinates or a panel member sits on is recorded on the audit;
    this says what the person may do at all.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="role_assignments"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HistoryManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "agency"], name="role_assignment_unique"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(role__in=sorted(AGENCY_ROLES), agency__isnull=False)
                    | (~models.Q(role__in=sorted(AGENCY_ROLES)) & models.Q(agency__isnull=True))
                ),
                name="role_assignment_agency_only_for_agency_roles",
            ),
        ]

    def __str__(self) -> str:
        suffix = f" ({self.agency})" if self.agency_id else ""
        return f"{self.user}: {self.get_role_display()}{suffix}"


class Invitation(models.Model):
    """An e-mail inviting someone to set a password. Only a person's latest invitation, not yet
    accepted and younger than `INVITATION_VALID_DAYS`, opens the set-password page; sending
    another makes the earlier links useless."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"Invitation to {self.user}"


class DigestEntry(models.Model):
    """A notification kept for someone who reads maca's e-mails once a day. The daily run sends
    the day's entries in one e-mail and stamps them, so none goes twice."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="digest_entries")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    queued_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recipient", "queued_at", "id"]
        indexes = [models.Index(fields=["sent_at", "recipient"], name="digest_entry_unsent")]

    def __str__(self) -> str:
        return self.subject
