"""Reference data every deployment needs: the four grading scales and the needs taxonomy.

The data is written out here rather than imported from application code, so this migration
always creates the same rows however the code changes later. It is idempotent (rows are
matched on their slug or code and updated) and reversible (the reverse deletes exactly the
rows it created; a scale already used by a tool or a grade is protected and stops it loudly).
"""

from django.db import migrations

SCALES = [
    {
        "slug": "ofsted-4",
        "name": "Ofsted 4-point",
        "kind": "ordinal",
        "higher_is_better": False,
        "description": (
            "The Ofsted judgement wording used in inspections of local authority children's "
            "services (ILACS), stored as 1 (best) to 4."
        ),
        "levels": [
            (
                1,
                "outstanding",
                "Outstanding",
                "Practice is exceptional and makes a real difference to the child.",
                "",
            ),
            (2, "good", "Good", "Practice meets the child's needs and the expected standards.", ""),
            (
                3,
                "requires-improvement",
                "Requires improvement to be good",
                "No widespread or serious failures, but practice is not yet good.",
                "",
            ),
            (
                4,
                "inadequate",
                "Inadequate",
                "Failures leave the child at risk of harm or with needs unmet.",
                "",
            ),
        ],
    },
    {
        "slug": "rag",
        "name": "RAG (Red, Amber, Green)",
        "kind": "compliance",
        "higher_is_better": True,
        "description": "Red, amber, green rating, common for compliance items and action status.",
        "levels": [
            (1, "red", "Red", "Not met.", "not_met"),
            (2, "amber", "Amber", "Partly met.", "partly_met"),
            (3, "green", "Green", "Met.", "met"),
        ],
    },
    {
        "slug": "ynpna",
        "name": "Yes / No / Partial / N/A",
        "kind": "compliance",
        "higher_is_better": False,
        "description": (
            "For compliance questions; reported as the percentage met, leaving N/A out of the "
            "denominator."
        ),
        "levels": [
            (1, "yes", "Yes", "", "met"),
            (2, "no", "No", "", "not_met"),
            (3, "partial", "Partial", "", "partly_met"),
            (4, "na", "N/A", "Does not apply to this child or this agency.", "not_applicable"),
        ],
    },
    {
        "slug": "signs-of-safety",
        "name": "Signs of Safety 0–10",
        "kind": "numeric",
        "higher_is_better": True,
        "description": "Signs of Safety scaling question: where are we on a scale of 0 to 10?",
        "levels": [
            (
                0,
                "0",
                "0",
                "The child is so unsafe they must be removed, or it is certain that harm will happen.",
                "",
            ),
            *[(n, str(n), str(n), "", "") for n in range(1, 10)],
            (
                10,
                "10",
                "10",
                "Everyone agrees the child is safe enough for the case to be closed.",
                "",
            ),
        ],
    },
]

# (code, label, description). The first ten are the needs the 2022 learning brief lists.
NEEDS = [
    ("domestic-abuse", "Exposure to domestic abuse", "Living with, or exposed to, domestic abuse."),
    (
        "missing-episodes",
        "Missing episodes",
        "Going missing or away from placement without authorisation.",
    ),
    ("exploitation-risk", "Exploitation risk", "Risk of criminal or sexual exploitation."),
    (
        "criminal-behaviour",
        "Criminal behaviour",
        "Offending or behaviour that has involved the police.",
    ),
    ("seeking-asylum", "Seeking asylum (UASC)", "Unaccompanied asylum-seeking child."),
    ("sexual-abuse", "Sexual abuse", ""),
    ("parental-mental-health", "Parental mental health", ""),
    ("neglect", "Neglect", ""),
    (
        "substance-misuse",
        "Substance misuse",
        "The child's or a parent's misuse of drugs or alcohol.",
    ),
    ("parental-learning-disability", "Parental learning disability", ""),
    ("physical-abuse", "Physical abuse", ""),
    ("emotional-abuse", "Emotional abuse", ""),
    ("self-harm", "Self-harm", ""),
    ("mental-health", "Child's emotional and mental health", ""),
    ("disability", "Disability", "Physical or learning disability, or special educational needs."),
    ("not-in-education", "Not in education", "Not in school, including elective home education."),
    ("trafficking", "Trafficking or modern slavery", ""),
    ("radicalisation", "Radicalisation", ""),
]


def create_reference_data(apps, schema_editor):
    GradingScale = apps.get_model("audits", "GradingScale")
    GradeLevel = apps.get_model("audits", "GradeLevel")
    Need = apps.get_model("audits", "Need")
    for spec in SCALES:
        scale, _ = GradingScale.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "kind": spec["kind"],
                "higher_is_better": spec["higher_is_better"],
                "description": spec["description"],
            },
        )
        for value, code, label, description, outcome in spec["levels"]:
            GradeLevel.objects.update_or_create(
                scale=scale,
                code=code,
                defaults={
                    "value": value,
                    "label": label,
                    "description": description,
                    "outcome": outcome,
                },
            )
    for order, (code, label, description) in enumerate(NEEDS, start=1):
        Need.objects.update_or_create(
            code=code, defaults={"label": label, "description": description, "order": order}
        )


def delete_reference_data(apps, schema_editor):
    GradingScale = apps.get_model("audits", "GradingScale")
    Need = apps.get_model("audits", "Need")
    Need.objects.filter(code__in=[code for code, _, _ in NEEDS]).delete()
    # Levels go with their scale (CASCADE).
    GradingScale.objects.filter(slug__in=[spec["slug"] for spec in SCALES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(create_reference_data, delete_reference_data),
    ]
