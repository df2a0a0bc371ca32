"""The reference-data migration: grading scales and the needs taxonomy every deployment has."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from maca.audits.models import GradeLevel, GradingScale, Need

migration = importlib.import_module("maca.audits.migrations.0003_reference_data")

BRIEF_NEEDS = {
    "domestic-abuse",
    "missing-episodes",
    "exploitation-risk",
    "criminal-behaviour",
    "seeking-asylum",
    "sexual-abuse",
    "parental-mental-health",
    "neglect",
    "substance-misuse",
    "parental-learning-disability",
}


FOUR_SCALES = ("ofsted-4", "rag", "ynpna", "signs-of-safety")


def level_counts() -> dict[str, int]:
    scales = GradingScale.objects.filter(slug__in=FOUR_SCALES)
    return {scale.slug: scale.levels.count() for scale in scales}


@pytest.mark.django_db
def test_migration_created_the_four_scales_with_their_levels() -> None:
    assert level_counts() == {"ofsted-4": 4, "rag": 3, "ynpna": 4, "signs-of-safety": 11}


@pytest.mark.django_db
def test_ofsted_runs_from_outstanding_to_inadequate_with_lower_better() -> None:
    scale = GradingScale.objects.get(slug="ofsted-4")
    assert scale.kind == "ordinal" and not scale.higher_is_better
    assert [(level.value, level.label) for level in scale.levels.all()] == [
        (1, "Outstanding"),
        (2, "Good"),
        (3, "Requires improvement to be good"),
        (4, "Inadequate"),
    ]


@pytest.mark.django_db
def test_compliance_levels_roll_up_as_met_partly_not_met_and_not_applicable() -> None:
    outcomes = dict(GradeLevel.objects.filter(scale__slug="ynpna").values_list("label", "outcome"))
    assert outcomes == {
        "Yes": "met",
        "Partial": "partly_met",
        "No": "not_met",
        "N/A": "not_applicable",
    }
    rag = dict(GradeLevel.objects.filter(scale__slug="rag").values_list("code", "outcome"))
    assert rag == {"red": "not_met", "amber": "partly_met", "green": "met"}


@pytest.mark.django_db
def test_signs_of_safety_describes_both_ends() -> None:
    scale = GradingScale.objects.get(slug="signs-of-safety")
    assert scale.kind == "numeric" and scale.higher_is_better
    levels = list(scale.levels.all())
    assert [level.value for level in levels] == list(range(11))
    assert "removed" in levels[0].description
    assert "safe enough" in levels[10].description


@pytest.mark.django_db
def test_needs_taxonomy_holds_every_need_the_brief_lists_in_order() -> None:
    codes = list(Need.objects.values_list("code", flat=True))
    assert set(codes) >= BRIEF_NEEDS
    assert {"self-harm", "disability", "emotional-abuse"} <= set(codes)
    orders = list(Need.objects.values_list("order", flat=True))
    assert orders == sorted(orders) and len(set(orders)) == len(orders)


@pytest.mark.django_db
def test_migration_reverses_and_reapplies_idempotently() -> None:
    migration.delete_reference_data(apps, None)
    assert not GradingScale.objects.filter(slug__in=FOUR_SCALES).exists()
    assert not Need.objects.filter(code__in=BRIEF_NEEDS).exists()

    migration.create_reference_data(apps, None)
    migration.create_reference_data(apps, None)
    assert level_counts() == {"ofsted-4": 4, "rag": 3, "ynpna": 4, "signs-of-safety": 11}
    ours = [code for code, _, _ in migration.NEEDS]
    assert Need.objects.filter(code__in=ours).count() == len(ours)
