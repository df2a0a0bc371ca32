"""Writes: starting and running imports, deciding on problems, drawing samples.

Each service checks that the person is a coordinator of the audit (else 404, as the
selectors do) and writes under one transaction, so a failure leaves nothing half-done. The
extract files are written to a staging folder and moved into place only when complete.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import logging
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.text import get_valid_filename

from maca.accounts.models import User
from maca.audits.models import Audit, AuditStatus, Case
from maca.audits.selectors import AuditAccess
from maca.core.errors import Refused
from maca.identifiers.models import ChildIdentity
from maca.sampling import codes, cohort, conf, derive, facts, kept_facts, sample
from maca.sampling.extract import (
    Extract,
    ImportResult,
    build_extract,
    child_hmac,
    decrypt_bytes,
    delete_extract,
    encrypt_bytes,
    extract_store,
    load_extract,
    save_extract,
)
from maca.sampling.ingest import SourceFile, read_extract
from maca.sampling.models import ImportBatch, SampledChild, SampleDraw
from maca.sampling.problems import ExtractError, Problem
from maca.sampling.storage import extract_storage

logger = logging.getLogger(__name__)
PROBLEM_SAMPLE_SIZE = 200
# Sampling is part of setting an audit up: once returns are open, its cases are fixed.
SAMPLING_STATUSES = frozenset({AuditStatus.DRAFT, AuditStatus.SAMPLING})


class SamplingError(Refused):
    """A sampling request that cannot be carried out, with a message for the person and,
    where one field is at fault, that field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message, field=field)
        self.field = field


def require_coordinator(access: AuditAccess) -> None:
    if not access.is_coordinator:
        raise Http404("No audit found")


# --- Imports --------------------------------------------------------------------------------


def import_903_start(
    *,
    access: AuditAccess,
    user: User,
    files: list[tuple[UploadedFile, int]],
    home_districts: list[str],
) -> ImportBatch:
    """Keep the uploaded files and queue the import. The uploads are deleted once read."""
    require_coordinator(access)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            audit=access.audit, created_by=user, home_districts=home_districts
        )
    uploads = []
    for number, (upload, year) in enumerate(files, start=1):
        name = upload.name or f"file-{number}"
        stored = f"{number:02d}-{get_valid_filename(Path(name).name) or 'file'}"
        # Kept where the worker can read them, whichever machine it runs on (the `extracts`
        # storage), and encrypted like the extract: they hold identifiers in the clear.
        saved = extract_storage().save(
            f"{batch.upload_folder}/{stored}",
            ContentFile(encrypt_bytes(b"".join(upload.chunks()))),
        )
        uploads.append({"stored": stored, "saved": saved, "name": Path(name).name, "year": year})
    ImportBatch.objects.filter(pk=batch.pk).update(uploads=uploads)
    from maca.sampling.tasks import import_903_task

    # Queued after the batch is committed, so the worker always finds it.
    result = import_903_task.enqueue(batch.pk)
    ImportBatch.objects.filter(pk=batch.pk).update(task_result_id=str(result.id))
    batch.refresh_from_db()
    return batch


def _progress_writer(batch_id: int) -> Callable[[int, str], None]:
    def write(percent: int, message: str) -> None:
        ImportBatch.objects.filter(pk=batch_id).update(
            progress=max(0, min(percent, 99)), progress_message=message[:200]
        )

    return write


def summarise_problems(problems: pl.DataFrame) -> list[dict[str, Any]]:
    if problems.height == 0:
        return []
    order = {"fatal": 0, "error": 1, "warning": 2}
    grouped = (
        problems.group_by("severity", "file", "column", "rule", maintain_order=True)
        .agg(
            count=pl.len(),
            first_row=pl.col("row").min(),
            row_label=pl.col("row_label").first(),
            example=pl.col("message").first(),
        )
        .with_columns(rank=pl.col("severity").replace_strict(order, default=3))
        .sort("rank", "file", "first_row")
        .drop("rank")
    )
    return grouped.to_dicts()


def extract_fingerprint(files: list[SourceFile]) -> str:
    """A keyed hash of the files' contents and years, whatever their names or order, to tell
    when the same extract is imported again without keeping anything that identifies it."""
    digests = []
    for source in files:
        content = hashlib.blake2b(key=conf.child_hmac_key()[:64], digest_size=16)
        with source.path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                content.update(chunk)
        digests.append(f"{source.year}:{content.hexdigest()}")
    return hashlib.sha256("\n".join(sorted(digests)).encode()).hexdigest()


def _note_earlier_import(batch: ImportBatch, fingerprint: str) -> None:
    """Record the fingerprint, and the earlier import of the same extract if there is one."""
    earlier = (
        ImportBatch.objects.filter(summary__fingerprint=fingerprint)
        .exclude(pk=batch.pk)
        .exclude(status__in=[ImportBatch.Status.FAILED, ImportBatch.Status.REFUSED])
        .order_by("created_at")
        .first()
    )
    batch.summary["fingerprint"] = fingerprint
    if earlier is not None:
        batch.summary["same_as"] = {
            "public_id": str(earlier.public_id),
            "created_at": earlier.created_at.isoformat(),
            "same_audit": earlier.audit_id == batch.audit_id,
        }


def _record_result(batch: ImportBatch, result: ImportResult) -> None:
    problems = result.problems
    summary = result.summary
    batch.years = summary["years"]
    batch.files = summary["files"]
    batch.location_source = summary["location_source"]
    batch.summary = summary
    batch.meta = {
        "location_source": summary["location_source"],
        "has_distance": summary["has_distance"],
        "home_districts": batch.home_districts,
        "years": summary["years"],
    }
    batch.problem_summary = summarise_problems(problems)
    batch.problem_sample = problems.head(PROBLEM_SAMPLE_SIZE).to_dicts()
    batch.error_count = summary["errors"]
    batch.warning_count = summary["warnings"]
    batch.child_count = summary["children"]
    batch.children_with_problems = summary["children_with_problems"]
    batch.status = (
        ImportBatch.Status.NEEDS_DECISION if summary["errors"] else ImportBatch.Status.READY
    )
    batch.progress = 100
    batch.progress_message = "Finished"
    batch.finished_at = timezone.now()


def _record_fatal(batch: ImportBatch, problems: list[Problem]) -> None:
    batch.status = ImportBatch.Status.FAILED
    batch.fatal_problems = [problem.as_dict() for problem in problems]
    batch.progress = 100
    batch.progress_message = "Stopped: the files cannot be imported"
    batch.finished_at = timezone.now()


def run_pipeline(
    files: list[SourceFile],
    *,
    home_districts: list[str],
    progress: Callable[[int, str], None] | None = None,
) -> ImportResult:
    """Read and check the files and build the extract, in memory. Raises ExtractError."""
    report = progress or (lambda percent, message: None)
    raw = read_extract(files, report)
    return build_extract(raw, home_districts=home_districts, progress=report)


def fingerprinted_pipeline(
    files: list[SourceFile],
    *,
    home_districts: list[str],
    progress: Callable[[int, str], None] | None = None,
) -> tuple[ImportResult, str]:
    """What `run_pipeline` gives, and the files' fingerprint (`extract_fingerprint`).

    The fingerprint is taken beside the checks and linking, once the files are read: hashing
    a national extract's files takes a tenth of a second on one core and lets go of Python's
    lock, and the checks leave the second core idle much of the time, where reading the files
    keeps both busy. A file that cannot be read fails the fingerprint first, as when the
    fingerprint was taken before anything else."""
    report = progress or (lambda percent, message: None)
    try:
        raw = read_extract(files, report)
    except ExtractError:
        extract_fingerprint(files)
        raise
    with ThreadPoolExecutor(1) as pool:
        fingerprint = pool.submit(extract_fingerprint, files)
        result = build_extract(raw, home_districts=home_districts, progress=report)
        return result, fingerprint.result()


def keep_extract(result: ImportResult, batch: ImportBatch) -> None:
    """Keep the checked extract, and with it each child's facts on its own census date."""
    save_extract(
        result.extract,
        result.problems,
        extract_store(batch.storage_name),
        derived=kept_facts.facts_to_keep(result.extract),
    )


def _unexpected_failure(error: Exception) -> Problem:
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        message = (
            "There was no room left to keep the checked extract (the storage is full); "
            "nothing was kept and any earlier import is unchanged. Tell your system "
            "administrator, then import the files again."
        )
    else:
        message = (
            "The import failed unexpectedly; nothing was kept. Tell your system "
            "administrator the import number."
        )
    return Problem("fatal", "(import)", "internal", message)


def import_903_run(*, batch_id: int) -> None:
    """The import itself, run by the task worker: read, check, keep, report."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status != ImportBatch.Status.QUEUED:
        return  # already run (a retried task must not import twice)
    ImportBatch.objects.filter(pk=batch_id).update(
        status=ImportBatch.Status.RUNNING, started_at=timezone.now(), progress=1
    )
    with tempfile.TemporaryDirectory(prefix="maca-903-") as local:
        _import_903_uploads(batch, Path(local))


def _uploads_to_local(batch: ImportBatch, folder: Path) -> list[SourceFile]:
    """The uploaded files, from the `extracts` storage into a private folder on this machine
    (the files are read by path), decrypted."""
    storage = extract_storage()
    files = []
    for item in batch.uploads:
        with storage.open(item["saved"]) as kept:
            (folder / item["stored"]).write_bytes(decrypt_bytes(kept.read()))
        files.append(SourceFile(folder / item["stored"], int(item["year"]), item["name"]))
    return files


def _delete_uploads(batch: ImportBatch) -> None:
    storage = extract_storage()
    for item in batch.uploads:
        try:
            storage.delete(item["saved"])
        except OSError:
            logger.warning("Could not delete an upload of 903 import %s", batch.public_id)


def _import_903_uploads(batch: ImportBatch, local: Path) -> None:
    batch_id = batch.pk
    try:
        files = _uploads_to_local(batch, local)
        result, fingerprint = fingerprinted_pipeline(
            files, home_districts=batch.home_districts, progress=_progress_writer(batch_id)
        )
        _progress_writer(batch_id)(90, "Keeping the checked extract")
        keep_extract(result, batch)
    except ExtractError as error:
        batch.refresh_from_db()
        _record_fatal(batch, error.problems)
        with transaction.atomic():
            batch.save()
        return
    except Exception as error:
        logger.exception("903 import %s failed", batch.public_id)
        batch.refresh_from_db()
        _record_fatal(batch, [_unexpected_failure(error)])
        with transaction.atomic():
            batch.save()
        delete_extract(extract_store(batch.storage_name))
        return
    finally:
        # The uploaded files hold identifiers; they go as soon as they are read.
        _delete_uploads(batch)
    batch.refresh_from_db()
    _record_result(batch, result)
    _note_earlier_import(batch, fingerprint)
    with transaction.atomic():
        batch.uploads = []
        batch.save()


ABANDONED_MESSAGE = (
    "The import stopped part-way (the background worker was stopped, perhaps for lack of "
    "memory); nothing was kept and any earlier import is unchanged. Import the files again; "
    "if it stops again, tell your system administrator the import number."
)


def import_903_abandoned(*, batch_id: int) -> None:
    """The worker running the import died: mark it failed, and remove what it left behind
    (a half-written extract version is never read, but takes room; the uploads hold
    identifiers)."""
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.is_finished:
        return
    delete_extract(extract_store(batch.storage_name))
    _delete_uploads(batch)
    _record_fatal(batch, [Problem("fatal", "(import)", "internal", ABANDONED_MESSAGE)])
    with transaction.atomic():
        batch.uploads = []
        batch.save()


def import_903_local(
    *,
    files: list[SourceFile],
    home_districts: list[str],
    audit: Audit | None = None,
    user: User | None = None,
    leave_out_problem_rows: bool = False,
) -> tuple[ImportBatch | None, ImportResult]:
    """The command-line import: files already on disk, run in this process. Fatal problems
    raise ExtractError before anything is written; row problems are kept only when asked to
    leave those rows out."""
    result, fingerprint = fingerprinted_pipeline(files, home_districts=home_districts)
    if result.error_count and not leave_out_problem_rows:
        return None, result
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            audit=audit,
            created_by=user,
            home_districts=home_districts,
            status=ImportBatch.Status.RUNNING,
            started_at=timezone.now(),
        )
        keep_extract(result, batch)
        _record_result(batch, result)
        _note_earlier_import(batch, fingerprint)
        if result.error_count:
            batch.status = ImportBatch.Status.READY
            batch.child_count = result.summary["children_kept"]
            batch.decision = ImportBatch.Decision.LEAVE_OUT
            batch.decided_by = user
            batch.decided_at = timezone.now()
        batch.save()
    return batch, result


def import_903_decide(
    *, access: AuditAccess, batch: ImportBatch, decision: str, user: User
) -> ImportBatch:
    require_coordinator(access)
    if batch.audit_id != access.audit.pk:
        raise Http404("No import found")
    if batch.status != ImportBatch.Status.NEEDS_DECISION:
        raise SamplingError("This import is not waiting for a decision.", "decision")
    if decision not in ImportBatch.Decision.values:
        raise SamplingError(
            "Choose whether to leave the rows out or refuse the import.", "decision"
        )
    with transaction.atomic():
        batch.decision = decision
        batch.decided_by = user
        batch.decided_at = timezone.now()
        batch.status = (
            ImportBatch.Status.READY
            if decision == ImportBatch.Decision.LEAVE_OUT
            else ImportBatch.Status.REFUSED
        )
        if decision == ImportBatch.Decision.LEAVE_OUT and "children_kept" in batch.summary:
            batch.child_count = batch.summary["children_kept"]
        batch.save()
    if decision == ImportBatch.Decision.REFUSE:
        delete_extract(extract_store(batch.storage_name))
    return batch


# --- Drawing the sample ---------------------------------------------------------------------


@dataclass(frozen=True)
class Exclusion:
    child_id: str
    reason: str


def parse_exclusions(text: str) -> list[Exclusion]:
    """Lines of "CHILD id, reason". Raises SamplingError naming the line at fault."""
    result = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        child_id, _comma, reason = line.partition(",")
        if not child_id.strip() or not reason.strip():
            raise SamplingError(
                f"Line {number}: give the CHILD id, a comma, then the reason for leaving "
                "the child out.",
                "exclusions",
            )
        result.append(Exclusion(child_id.strip(), reason.strip()[:200]))
    return result


def _strata_labels(stratify_by: str) -> tuple[str, list[str], dict[str, str]]:
    if stratify_by == SampleDraw.Strata.AGE_BAND:
        return "age_band", list(derive.AGE_BANDS), {band: band for band in derive.AGE_BANDS}
    return (
        "cin",
        list(codes.CATEGORY_OF_NEED),
        {code: f"{code} {label}" for code, label in codes.CATEGORY_OF_NEED.items()},
    )


def sample_draw(
    *,
    access: AuditAccess,
    batch: ImportBatch,
    filters: cohort.CohortFilters,
    method: str,
    stratify_by: str,
    size: int,
    seed: int,
    exclusions: list[Exclusion],
    user: User,
) -> SampleDraw:
    require_coordinator(access)
    if batch.audit_id != access.audit.pk:
        raise Http404("No import found")
    return draw_for_audit(
        audit=access.audit,
        batch=batch,
        filters=filters,
        method=method,
        stratify_by=stratify_by,
        size=size,
        seed=seed,
        exclusions=exclusions,
        user=user,
    )


def draw_for_audit(
    *,
    audit: Audit,
    batch: ImportBatch,
    filters: cohort.CohortFilters,
    method: str,
    stratify_by: str,
    size: int,
    seed: int,
    exclusions: Iterable[Exclusion],
    user: User | None,
) -> SampleDraw:
    """Build the cohort, leave out who must be left out (with reasons), draw, and turn each
    child drawn into a case with its identifiers in the separate store."""
    _refuse_draw(audit=audit, batch=batch, method=method, stratify_by=stratify_by, size=size)
    extract = load_extract(extract_store(batch.storage_name), batch.meta, with_identity=True)
    child_frame = derive.child_facts(extract, filters.census_date)
    built = cohort.build_cohort(
        child_frame,
        filters,
        extract_children=extract.children.height,
        location_source=batch.location_source,
    )
    frame = built.frame.join(
        extract.identity.select("child_idx", "child_id"), on="child_idx", how="left"
    )
    frame = frame.with_columns(
        pl.Series("child_hmac", child_hmac(frame["child_id"].to_list()), dtype=pl.String)
    )
    left_out = _LeftOut()
    frame = _leave_out(frame, audit, exclusions, left_out)
    if size > frame.height:
        raise SamplingError(
            f"The frame has {frame.height} children after exclusions; the sample cannot be "
            f"larger than that.",
            "size",
        )
    chosen, strata = _draw_members(frame, method, stratify_by, size, seed)
    children = _chosen_children(extract, child_frame, frame, filters.census_date, chosen)
    with transaction.atomic():
        audit = Audit.objects.select_for_update().get(pk=audit.pk)
        taken = set(Case.objects.filter(audit=audit).values_list("pseudonym", flat=True))
        names = sample.pseudonyms(taken, len(chosen))
        next_order = (Case.objects.filter(audit=audit).aggregate(m=Max("order"))["m"] or 0) + 1
        draw = SampleDraw.objects.create(
            audit=audit,
            batch=batch,
            drawn_by=user,
            census_date=filters.census_date,
            filters=filters.as_dict(),
            steps=[{"label": step.label, "count": step.count} for step in built.steps],
            method=method,
            stratify_by=stratify_by if method == SampleDraw.Method.STRATIFIED else "",
            size=size,
            seed=str(seed),
            frame_size=frame.height,
            strata=strata,
            exclusions=left_out.as_list(),
            record="",
        )
        for offset, (child, pseudonym) in enumerate(zip(children, names, strict=True)):
            case = _create_case(audit, pseudonym, next_order + offset, child.details, draw)
            _keep_identity(case, child.person)
            SampledChild.objects.create(
                draw=draw,
                case=case,
                child_hmac=child.hmac,
                stratum=child.member.stratum,
                order=offset + 1,
            )
        draw.record = draw_record(draw, batch, built, names)
        draw.save(update_fields=["record"])
        _note_sample_on_audit(audit, draw, filters)
    return draw


def _refuse_draw(
    *, audit: Audit, batch: ImportBatch, method: str, stratify_by: str, size: int
) -> None:
    """Refuses a draw that cannot be made, before anything is read."""
    if not batch.is_usable:
        raise SamplingError("This import is not ready for sampling.")
    if audit.status not in SAMPLING_STATUSES:
        raise SamplingError(
            f"The audit is {audit.get_status_display().lower()}: children can be sampled only "
            "while an audit is being set up (draft or sampling).",
            "audit",
        )
    if batch.audit_id is not None and batch.audit_id != audit.pk:
        raise SamplingError(
            f"Import {batch.public_id} was made for another audit; import the extract for "
            "this one.",
            "import",
        )
    if method not in SampleDraw.Method.values:
        raise SamplingError("Choose a sampling method.", "method")
    if method == SampleDraw.Method.STRATIFIED and stratify_by not in SampleDraw.Strata.values:
        raise SamplingError("Choose what to stratify by.", "stratify_by")
    if size < 1:
        raise SamplingError("The sample must have at least 1 child.", "size")


@dataclass
class _LeftOut:
    """How many children were left out of the frame, by reason, in the order they were."""

    counts: dict[str, int] = field(default_factory=dict)
    not_found: int = 0

    def drop(self, frame: pl.DataFrame, mask: pl.Series, reason: str) -> pl.DataFrame:
        count = int(mask.sum())
        if not count:
            return frame
        self.counts[reason] = self.counts.get(reason, 0) + count
        return frame.filter(~mask)

    def as_list(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = [
            {"reason": reason, "count": count} for reason, count in self.counts.items()
        ]
        if self.not_found:
            rows.append(
                {"reason": "Listed to leave out but not in the frame", "count": self.not_found}
            )
        return rows


def _leave_out(
    frame: pl.DataFrame, audit: Audit, exclusions: Iterable[Exclusion], left_out: _LeftOut
) -> pl.DataFrame:
    """The frame without rows with problems, children already sampled for the audit, and
    those the coordinator listed."""
    frame = left_out.drop(
        frame,
        frame["has_problem"].fill_null(False),
        "Rows with problems in the 903 were left out at import",
    )
    already = set(
        SampledChild.objects.filter(draw__audit=audit).values_list("child_hmac", flat=True)
    )
    if already:
        frame = left_out.drop(
            frame, frame["child_hmac"].is_in(sorted(already)), "Already in this audit's sample"
        )
    listed = {item.child_id: item.reason for item in exclusions}
    if listed:
        present = set(frame["child_id"].to_list())
        left_out.not_found = sum(1 for child_id in listed if child_id not in present)
        for reason in sorted(set(listed.values())):
            wanted = [child_id for child_id, why in listed.items() if why == reason]
            frame = left_out.drop(
                frame, frame["child_id"].is_in(wanted), f"Left out by the coordinator: {reason}"
            )
    return frame


def _draw_members(
    frame: pl.DataFrame, method: str, stratify_by: str, size: int, seed: int
) -> tuple[list[sample.Member], list[dict[str, Any]]]:
    """The children drawn, and for a stratified draw each stratum's share of frame and
    sample."""
    strata_column: str = ""
    strata_order: list[str] = []
    strata_labels: dict[str, str] = {}
    if method == SampleDraw.Method.STRATIFIED:
        strata_column, strata_order, strata_labels = _strata_labels(stratify_by)
    members = [
        sample.Member(
            key=row["child_id"],
            child_idx=row["child_idx"],
            stratum=str(row[strata_column]) if strata_column else "",
        )
        for row in frame.select(
            "child_id", "child_idx", *([strata_column] if strata_column else [])
        ).iter_rows(named=True)
    ]
    allocations: list[sample.Allocation] = []
    if method == SampleDraw.Method.STRATIFIED:
        chosen, allocations = sample.draw_stratified(members, size, seed, strata_order)
    else:
        chosen = sample.draw_random(members, size, seed)
    strata = [
        {
            "stratum": allocation.stratum,
            "label": strata_labels.get(allocation.stratum, allocation.stratum),
            "frame": allocation.frame,
            "sample": allocation.sample,
        }
        for allocation in allocations
    ]
    return chosen, strata


@dataclass(frozen=True)
class _ChosenChild:
    member: sample.Member
    details: dict[str, Any]  # the case's facts
    person: dict[str, Any]  # identifiers, for the separate store only
    hmac: str


def _chosen_children(
    extract: Extract,
    child_frame: pl.DataFrame,
    frame: pl.DataFrame,
    census_date: dt.date,
    chosen: list[sample.Member],
) -> list[_ChosenChild]:
    """What becomes of each child drawn: a case's facts, identifiers and keyed hash."""
    indexes = [member.child_idx for member in chosen]
    details = facts.case_details(extract, child_frame, census_date, indexes)
    identity = {
        row["child_idx"]: row
        for row in extract.identity.filter(pl.col("child_idx").is_in(indexes)).iter_rows(named=True)
    }
    hmac_by_idx = dict(
        zip(frame["child_idx"].to_list(), frame["child_hmac"].to_list(), strict=True)
    )
    return [
        _ChosenChild(
            member=member,
            details=details[member.child_idx],
            person=identity[member.child_idx],
            hmac=hmac_by_idx[member.child_idx],
        )
        for member in chosen
    ]


def _keep_identity(case: Case, person: dict[str, Any]) -> None:
    """The child's identifiers, in the separate store, never on the case."""
    dob = person["dob"]
    ChildIdentity.objects.create(
        case=case,
        la_child_id=person["child_id"] or "",
        upn=person["upn"] or "",
        date_of_birth=dob.isoformat() if isinstance(dob, dt.date) else "",
    )


def _note_sample_on_audit(audit: Audit, draw: SampleDraw, filters: cohort.CohortFilters) -> None:
    """The audit's plan says how its sample was drawn."""
    audit.sample_method = draw.get_method_display()[:100]
    if draw.stratify_by:
        audit.sample_method = (
            f"Stratified random sample by {draw.get_stratify_by_display().lower()}"
        )[:100]
    audit.sample_frame_size = draw.frame_size
    audit.sample_seed = draw.seed
    audit.census_date = draw.census_date
    audit.sample_notes = (
        f"{audit.sample_notes}\n\n{draw.record}" if audit.sample_notes else draw.record
    )
    if not audit.cohort_definition:
        audit.cohort_definition = "; ".join(cohort.describe_filters(filters))
    audit.save(
        update_fields=[
            "sample_method",
            "sample_frame_size",
            "sample_seed",
            "census_date",
            "sample_notes",
            "cohort_definition",
            "updated_at",
        ]
    )


def _create_case(
    audit: Audit, pseudonym: str, order: int, details: dict[str, Any], draw: SampleDraw
) -> Case:
    distance = details["placement_distance_miles"]
    details = {**details, "sample_draw": draw.pk}
    return Case.objects.create(
        audit=audit,
        pseudonym=pseudonym,
        order=order,
        age_weeks=max(0, int(details.pop("age_weeks", 0) or 0)),
        gender=details["sex"],
        legal_status=details["legal_status"] or "",
        placement_type=details["placement_type"] or "",
        placement_provider=details["placement_provider"] or "",
        placed_out_of_area=details["placed_out_of_area"],
        placement_distance_miles=None
        if distance is None
        else Decimal(str(round(float(distance), 1))),
        placement_area=details["placement_la"] or "",
        placement_moves_12m=details["moves_12m"],
        missing_episodes_12m=details["missing_12m"],
        is_uasc=bool(details["uasc"]),
        facts=details,
    )


def draw_record(
    draw: SampleDraw, batch: ImportBatch, built: cohort.Cohort, names: list[str]
) -> str:
    """The account of the draw written to the audit, for inspectors."""
    lines = [
        f"Sample drawn on {timezone.localdate():%d/%m/%Y} from 903 import {batch.public_id} "
        f"(collection years {batch.year_labels}; imported {batch.created_at:%d/%m/%Y}).",
        "Cohort:",
        *[f"  - {step.label}: {step.count}" for step in built.steps],
    ]
    lines += [f"  Note: {note}" for note in built.notes]
    if draw.exclusions:
        lines.append("Left out of the frame:")
        lines += [f"  - {item['reason']}: {item['count']}" for item in draw.exclusions]
    lines.append(f"Sampling frame: {draw.frame_size} children.")
    method = draw.get_method_display()
    if draw.stratify_by:
        method += f" by {draw.get_stratify_by_display().lower()}"
    lines.append(f"Method: {method}; sample size {draw.size}; seed {draw.seed}.")
    if draw.strata:
        lines.append("Strata (children in frame / drawn):")
        lines += [f"  - {s['label']}: {s['frame']} / {s['sample']}" for s in draw.strata]
    lines.append(
        "How to repeat it: the same extract, filters and seed give the same children. The "
        "frame is sorted by the LA's CHILD id and drawn with Python's random.Random(seed)"
        ".sample, stratum by stratum in the order above for a stratified sample."
    )
    lines.append(f"Cases created: {', '.join(names)}.")
    return "\n".join(lines)
