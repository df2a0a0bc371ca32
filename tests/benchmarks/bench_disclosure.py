"""The disclosure check, measured: how much of each kind of identifying detail it finds in the
labelled fictional sentences (recall), how many clean sentences it stops (false positives), and
how long it takes over a whole 60-child audit's texts.

Goals (issue 19): recall >= 95 % for every kind, false positives <= 2 % of the clean sentences,
and the check of a whole 60-child audit in under 2 s. The table is printed for the main set and
for the held-out set, kept apart from the main set while the rules were written, and for a
blind set written after the rules were finished and measured without changing them (shown,
not held to the goals: it is small, so one sentence moves its rates by 3 %).

The timing builds a fictional audit of 60 children x 12 agencies x 40 questions (28,800
answers, each with two sentences of evidence taken from the labelled clean sentences, one in
fifty with an identifying one instead, every piece different) plus 12 findings and actions,
then times `run_check` for publishing (the brief's texts) and for the whole-audit export
(every string the export holds, on the export document a download has already built, as the
download and `export-audit` run it), median of N runs after a first one, in elapsed and CPU
time (the machine may be shared: CPU time is the figure held to the goal), the part of it
spent reading the texts, and, apart, the time to build the export document itself; SQLite,
in a test database.

    make bench ARGS="--runs 5"

`--hits FILE` also writes every hit of both checks of that audit to FILE, one JSON object a
line (scope, kind, what matched, where and what stands around it, the fingerprint): written
before and after a change to the rules or their speed, the two files must be the same.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import time
from typing import Any

GOAL_RECALL = 0.95
GOAL_FALSE_POSITIVES = 0.02
GOAL_SECONDS = 2.0
SIZE = {"cases": 60, "agencies": 12, "questions": 40, "sections": 10}


def print_measurements() -> bool:
    from maca.reports.tests import disclosure_corpus as corpus

    met = True
    sets = (
        ("main set", corpus.MAIN, True),
        ("held-out set", corpus.HOLDOUT, True),
        ("blind set (written last, rules not changed for it)", corpus.BLIND, False),
    )
    for name, path, held_to_goals in sets:
        sentences = corpus.load(path)
        measured = corpus.measure(sentences)
        print(f"\n{name} ({path.name}, {len(sentences)} fictional sentences)")
        print(f"  {'kind':20} {'found':>7} {'of':>5} {'recall':>8}")
        for score in measured.recall.values():
            met &= score.rate >= GOAL_RECALL or not held_to_goals
            print(f"  {score.label:20} {score.found:7} {score.total:5} {score.rate:8.1%}")
        fp = measured.false_positives
        met &= fp.rate <= GOAL_FALSE_POSITIVES or not held_to_goals
        print(
            f"  {'clean, flagged':20} {fp.found:7} {fp.total:5} {fp.rate:8.1%}  (false positives)"
        )
        for kind, sentence in measured.misses:
            print(f"    missed {kind}: {sentence}")
        for sentence, hits in measured.flagged_clean:
            print(f"    flagged clean: {sentence} -> {'; '.join(hits)}")
    return met


def _evidence_texts(count: int) -> list[str]:
    """`count` different pieces of evidence, each two sentences: clean ones, with an
    identifying one in one piece in fifty. All different, as real evidence is (the check
    reads a repeated string once)."""
    from maca.reports.tests import disclosure_corpus as corpus

    sentences = corpus.load(corpus.MAIN)
    clean = [text for kind, text in sentences if kind == corpus.CLEAN]
    planted = itertools.cycle([text for kind, text in sentences if kind != corpus.CLEAN])
    pairs = itertools.permutations(clean, 2)
    texts = []
    for index, (first, second) in enumerate(itertools.islice(pairs, count)):
        texts.append(f"{first} {next(planted) if index % 50 == 49 else second}")
    return texts


def _build_audit() -> Any:
    from maca.audits.models import Answer
    from maca.identifiers.models import ChildIdentity
    from maca.learning.models import Action, Finding
    from maca.moderation.tests.builders import build_moderated_audit

    built = build_moderated_audit(
        status="findings",
        cases=SIZE["cases"],
        agencies=SIZE["agencies"],
        questions=SIZE["questions"],
        sections=SIZE["sections"],
    )
    answers = list(Answer.objects.filter(agency_return__case__audit=built.audit))
    texts = iter(_evidence_texts(len(answers) + 100))
    for answer in answers:
        answer.evidence = next(texts)
    Answer.objects.bulk_update(answers, ["evidence"], batch_size=2000)
    ChildIdentity.objects.bulk_create(
        ChildIdentity(
            case=case,
            full_name=f"Fictional{index} Child{index}",
            date_of_birth=f"20{10 + index % 8}-0{1 + index % 9}-1{index % 9}",
            la_child_id=f"FICT{index:05d}",
        )
        for index, case in enumerate(built.cases)
    )
    for index in range(12):
        Finding.objects.create(
            audit=built.audit,
            heading="worry",
            order=index,
            title=f"Fictional finding {index}",
            text=next(texts),
            needs_to_happen=next(texts),
        )
        action = Action.objects.create(
            audit=built.audit,
            order=index,
            description=next(texts),
            measure_of_success=next(texts),
            status="agreed",
        )
        action.owners.set(built.agencies[:2])
    return built, len(answers)


def _median_cpu(runs: int, work: Any) -> tuple[float, float]:
    """Median elapsed and CPU seconds of `runs` calls of `work`, after a first one (which
    compiles the patterns and loads the name lists)."""
    work()
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def write_hits(path: str, checks: dict[str, Any]) -> None:
    """Every hit of each check (a `DisclosureResult`), in order, one JSON object a line."""
    with open(path, "w", encoding="utf-8") as out:
        for scope, result in checks.items():
            for item in result.hits:
                hit = item.hit
                fields = {
                    "scope": scope,
                    "kind": hit.kind.value,
                    "matched": hit.matched,
                    "start": hit.start,
                    "end": hit.end,
                    "before": hit.before,
                    "after": hit.after,
                    "location": hit.location,
                    "location_key": hit.location_key,
                    "edit_url": hit.edit_url,
                    "log_label": hit.log_label,
                    "fingerprint": hit.fingerprint,
                }
                out.write(json.dumps(fields, ensure_ascii=False) + "\n")


def time_whole_audit(runs: int, hits_path: str | None = None) -> bool:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from maca.exchange.selectors import audit_export
    from maca.reports.brief import system_access
    from maca.reports.disclosure import scan
    from maca.reports.disclosure_check import audit_rules, brief_sources, export_sources, run_check
    from maca.reports.models import DisclosureScope

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        start = time.perf_counter()
        built, answers = _build_audit()
        audit = built.audit
        print(
            f"\nwhole audit: 60 children x 12 agencies x 40 questions, {answers} answers with "
            f"evidence (built in {time.perf_counter() - start:.1f} s); median of {runs} runs "
            "after the first, CPU time (the machine may be shared; elapsed in brackets)"
        )
        publish_wall, publish = _median_cpu(runs, lambda: run_check(audit))
        sources = brief_sources(audit)
        texts = {source.text for source in sources}
        print(
            f"  publishing (brief, briefing, report texts): {len(sources)} strings "
            f"({sum(map(len, texts)) // 1000} k characters), "
            f"{len(run_check(audit).hits)} hits: {publish:5.2f} s ({publish_wall:.2f} s)"
        )
        document = audit_export(system_access(audit))
        sources = export_sources(audit, document)
        texts = {source.text for source in sources}
        rules = audit_rules(audit, DisclosureScope.EXPORT)
        export_check = run_check(audit, DisclosureScope.EXPORT, document=document)
        hits = len(export_check.hits)
        if hits_path:
            write_hits(hits_path, {"publish": run_check(audit), "export": export_check})
        print(
            f"  whole-audit export: {len(sources)} strings ({len(texts)} different, "
            f"{sum(map(len, texts)) // 1000} k characters), {hits} hits"
        )
        check_wall, check = _median_cpu(
            runs, lambda: run_check(audit, DisclosureScope.EXPORT, document=document)
        )
        scan_wall, scanning = _median_cpu(runs, lambda: scan(sources, rules))
        build_wall, build = _median_cpu(runs, lambda: audit_export(system_access(audit)))
        met = check < GOAL_SECONDS
        print(
            f"    the check of its texts (as a download runs it, on the export it has built): "
            f"{check:5.2f} s ({check_wall:.2f} s), goal < {GOAL_SECONDS:.0f} s "
            f"{'met' if met else 'NOT met'}; {check / publish:.0f} x the publishing check"
        )
        print(f"      of which reading the texts: {scanning:5.2f} s ({scan_wall:.2f} s)")
        print(
            f"    building the export itself (exchange.selectors.audit_export, not part of "
            f"the check): {build:5.2f} s ({build_wall:.2f} s)"
        )
        waited = build + check
        print(
            f"    what a person waits for on the check page (build, then check): {waited:5.2f} s "
            f"({build_wall + check_wall:.2f} s), goal < {GOAL_SECONDS:.0f} s "
            f"{'met' if waited < GOAL_SECONDS else 'NOT met'}"
        )
        return met
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=["sqlite", "postgresql"], default=None)
    parser.add_argument("--hits", help="write every hit of the whole-audit checks to this file")
    args, _ = parser.parse_known_args()  # the other benchmarks take their own arguments
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    print("disclosure check: recall and false positives on the labelled fictional sentences")
    met = print_measurements()
    if args.only != "postgresql":
        met &= time_whole_audit(max(1, args.runs), args.hits)
    print(f"\ngoals {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
