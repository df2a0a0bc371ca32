"""Drawing the sample: reproducible from the seed, strata respected, and the record written
to the audit for inspectors."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maca.audits.models import Case
from maca.audits.selectors import audit_access_for
from maca.identifiers.models import ChildIdentity
from maca.sampling import sample, services
from maca.sampling.cohort import CohortFilters
from maca.sampling.generate import HOME_DISTRICTS
from maca.sampling.ingest import SourceFile
from maca.sampling.models import SampleDraw
from tests.factories import build_audit

MEMBERS = [sample.Member(key=f"{n:07d}", child_idx=n, stratum="AB"[n % 3 == 0]) for n in range(200)]


def test_same_seed_same_sample_and_different_seed_different_sample():
    first = sample.draw_random(MEMBERS, 10, seed=4242)
    assert first == sample.draw_random(list(reversed(MEMBERS)), 10, seed=4242)
    assert {m.child_idx for m in first} != {
        m.child_idx for m in sample.draw_random(MEMBERS, 10, seed=4243)
    }


def test_stratified_sample_respects_strata():
    chosen, allocations = sample.draw_stratified(MEMBERS, 12, seed=7, strata_order=["A", "B"])
    sizes = {a.stratum: (a.frame, a.sample) for a in allocations}
    # 67 of 200 are in B (every third), so B gets 12 * 67 / 200 = 4.02 -> 4, A gets 8.
    assert sizes == {"A": (133, 8), "B": (67, 4)}
    assert Counter(m.stratum for m in chosen) == {"A": 8, "B": 4}
    assert chosen == sample.draw_stratified(MEMBERS, 12, seed=7, strata_order=["A", "B"])[0]


@given(
    sizes=st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=8),
    data=st.data(),
)
def test_allocation_adds_up_and_stays_proportional(sizes, data):
    total = sum(sizes)
    size = data.draw(st.integers(min_value=0, max_value=total))
    allocations = sample.allocate([(str(i), n) for i, n in enumerate(sizes)], size)
    assert sum(a.sample for a in allocations) == size
    for allocation in allocations:
        assert 0 <= allocation.sample <= allocation.frame
        if total:
            assert abs(allocation.sample - size * allocation.frame / total) < 1


def test_pseudonyms_skip_names_in_use():
    assert sample.pseudonyms({"Child B"}, 3) == ["Child A", "Child C", "Child D"]
    assert sample.pseudonyms(set(), 28)[-2:] == ["Child AA", "Child AB"]


@pytest.fixture
def imported(generated, db):
    built = build_audit(cases=0, agencies=2, findings=0, status="sampling")
    paths = generated(children=120, seed=11)
    batch, _result = services.import_903_local(
        files=[SourceFile(p, 2024) for p in paths],
        home_districts=HOME_DISTRICTS,
        audit=built.audit,
        user=built.coordinator,
    )
    assert batch is not None
    return built, batch


def _draw(built, batch, seed, **kwargs):
    access = audit_access_for(built.coordinator, built.audit.slug)
    options: dict[str, Any] = {"method": "random", "stratify_by": "", "size": 6, "exclusions": []}
    options |= kwargs
    return services.sample_draw(
        access=access,
        batch=batch,
        filters=CohortFilters(census_date=dt.date(2024, 3, 31), location="out"),
        seed=seed,
        user=built.coordinator,
        **options,
    )


def _child_ids(draw):
    return {
        identity.la_child_id
        for identity in ChildIdentity.objects.filter(case__sampled_from__draw=draw)
    }


def test_same_seed_draws_the_same_children_again(imported, generated):
    built, batch = imported
    first = _draw(built, batch, seed=90210)
    again_audit = build_audit(cases=0, agencies=1, findings=0, status="sampling")
    batch.audit = again_audit.audit
    batch.save()
    second = _draw(again_audit, batch, seed=90210)
    assert _child_ids(first) == _child_ids(second)
    third_audit = build_audit(cases=0, agencies=1, findings=0, status="sampling")
    batch.audit = third_audit.audit
    batch.save()
    assert _child_ids(_draw(third_audit, batch, seed=90211)) != _child_ids(first)


def test_draw_writes_the_record_to_the_audit(imported):
    built, batch = imported
    draw = _draw(built, batch, seed=5, method="stratified", stratify_by="age_band", size=8)
    audit = built.audit
    audit.refresh_from_db()
    assert audit.sample_method == "Stratified random sample by age band"
    assert audit.sample_seed == "5"
    assert audit.sample_frame_size == draw.frame_size
    assert audit.census_date == dt.date(2024, 3, 31)
    assert "Placed out of area" in audit.sample_notes and "seed 5" in audit.sample_notes
    cases = list(Case.objects.filter(audit=audit).order_by("order"))
    assert [c.pseudonym for c in cases] == [f"Child {x}" for x in "ABCDEFGH"]
    # Each stratum gets its proportional share, and each case is in the stratum it was drawn for.
    drawn = Counter(link.stratum for link in draw.children.all())
    assert drawn == {s["stratum"]: s["sample"] for s in draw.strata if s["sample"]}
    assert sum(s["sample"] for s in draw.strata) == 8
    for link in draw.children.select_related("case"):
        assert link.case.facts["age_years"] is not None
    assert all(c.identity.la_child_id for c in cases)
    assert all(c.facts["source"] == "SSDA903" for c in cases)


def test_exclusions_are_recorded_with_reasons_and_repeat_draws_skip_drawn_children(imported):
    built, batch = imported
    first = _draw(built, batch, seed=1, size=4)
    already = _child_ids(first)
    listed = sorted(already)[:1]
    second = _draw(
        built,
        batch,
        seed=1,
        size=4,
        exclusions=[services.Exclusion(listed[0], "subject of a current practice review")],
    )
    assert not already & _child_ids(second)
    reasons = {item["reason"]: item["count"] for item in second.exclusions}
    assert reasons["Already in this audit's sample"] == 4
    # The listed child was already drawn, so it was already out of the frame.
    assert reasons["Listed to leave out but not in the frame"] == 1
    assert Case.objects.filter(audit=built.audit).count() == 8
    assert [c.pseudonym for c in Case.objects.filter(audit=built.audit).order_by("order")][
        -1
    ] == "Child H"


def test_sample_larger_than_the_frame_is_refused(imported):
    built, batch = imported
    with pytest.raises(services.SamplingError) as caught:
        _draw(built, batch, seed=1, size=10_000)
    assert caught.value.field == "size"
    assert not SampleDraw.objects.exists()
    assert not Case.objects.filter(audit=built.audit).exists()


def test_only_a_coordinator_of_the_audit_may_draw(imported):
    from django.http import Http404

    from maca.accounts.models import Role
    from tests.factories import person_with_role

    built, batch = imported
    other = build_audit(cases=0, agencies=1, findings=0)
    stranger = other.coordinator
    with pytest.raises(Http404):
        audit_access_for(stranger, built.audit.slug)
    panel = person_with_role(Role.PANEL_MEMBER)
    built.audit.panel_memberships.create(user=panel)
    access = audit_access_for(panel, built.audit.slug)
    with pytest.raises(Http404):
        services.sample_draw(
            access=access, batch=batch, filters=CohortFilters(dt.date(2024, 3, 31)),
            method="random", stratify_by="", size=1, seed=1, exclusions=[], user=panel,
        )  # fmt: skip
