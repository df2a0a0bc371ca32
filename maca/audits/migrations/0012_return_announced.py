from django.db import migrations, models
from django.db.models import F

# The stages an audit reaches only after its returns were opened, and announced.
_OPENED = ["returns_open", "moderation", "findings", "published", "follow_up", "closed"]


def mark_opened_returns_announced(apps, schema_editor):
    """Returns of audits already past opening were e-mailed when their returns opened: moving
    such an audit back and on again should not announce them a second time."""
    AgencyReturn = apps.get_model("audits", "AgencyReturn")
    AgencyReturn.objects.filter(case__audit__status__in=_OPENED).update(
        announced_at=F("created_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0011_audit_partnership_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="agencyreturn",
            name="announced_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When its agency's people were e-mailed that it is open; never twice.",
                null=True,
            ),
        ),
        migrations.RunPython(mark_opened_returns_announced, migrations.RunPython.noop),
    ]
