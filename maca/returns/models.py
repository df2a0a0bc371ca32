"""What the returns work keeps besides the returns themselves: the reminders already sent (so
none is sent twice). The history of every change to a return or an escalation is kept with all
other history, in `maca.core.history`."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from maca.accounts.models import Agency
from maca.audits.models import Audit


class ReminderKind(models.TextChoices):
    BEFORE = "before", "Before the due date"
    AFTER = "after", "After the due date"


class ReminderSent(models.Model):
    """A reminder about an agency's outstanding returns, sent to one person. The unique
    constraint is what stops a reminder going twice, even with two workers running."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField()
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    working_days = models.PositiveSmallIntegerField(
        help_text="How many working days before or after the due date it was meant for."
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField()
    return_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "agency", "due_date", "kind", "working_days", "recipient"],
                name="reminder_sent_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.working_days} for {self.agency} due {self.due_date}"


class EscalationOverdueNotice(models.Model):
    """The e-mail saying an escalation was not acknowledged by its deadline. One per
    escalation (the unique key stops a second, even with two workers running), whoever it
    went to."""

    escalation = models.OneToOneField(
        "audits.Escalation", on_delete=models.CASCADE, related_name="overdue_notice"
    )
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list, help_text="E-mail addresses it went to.")

    def __str__(self) -> str:
        return f"Overdue notice for escalation {self.escalation_id}"
