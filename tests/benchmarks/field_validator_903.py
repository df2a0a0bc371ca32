"""Times the field's own 903 validator (data-to-insight's csc-validator-be-903) on a folder of
903 CSV files, for the side-by-side in bench_903.py.

Run by the validator's own Python, in its own environment (it pins pandas < 2, which maca's
environment cannot hold), so this file imports nothing of maca:

    .tools/validator-903/bin/python tests/benchmarks/field_validator_903.py DIR 2024 [LA]

It reads the files as the validator's own command line does (the Episodes without the columns
derived from postcodes, which the validator derives itself; and with one repair to its reader,
`_capitalise_given_text`), runs every rule of the collection year's rule set, and prints one
line of JSON: the seconds taken (elapsed and CPU), and how many rules ran, were skipped (a
table they need was not given) or failed to run.
"""

from __future__ import annotations

import csv
import importlib
import importlib.metadata
import io
import json
import logging
import sys
import time
from pathlib import Path


def _capitalise_given_text(frame):  # type: ignore[no-untyped-def]
    """The validator's reader upper-cases every text column, and under the pandas it pins
    that fails on a column left blank in every row (a Header's MOTHER and MC_DOB, most years):
    the same, for the columns with any text."""
    for column in frame.select_dtypes(include="object"):
        if frame[column].notna().any():
            frame[column] = frame[column].str.upper()
    return frame


# Episodes columns the DfE derives from the postcodes, which a return does not carry: the
# validator works them out itself, and refuses an Episodes file that has them.
_DERIVED = ("PL_LA", "PL_LOCATION", "PL_DISTANCE")


def _as_returned(path: Path) -> bytes:
    """The file's bytes as a local authority returns it: without `_DERIVED` columns."""
    data = path.read_bytes()
    header = data.split(b"\n", 1)[0].decode().strip().split(",")
    if not set(_DERIVED) & set(header):
        return data
    rows = csv.DictReader(io.StringIO(data.decode()))
    kept = [column for column in header if column not in _DERIVED]
    out = io.StringIO()
    writer = csv.DictWriter(out, kept, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def main(argv: list[str]) -> int:
    directory, year = Path(argv[0]), int(argv[1])
    local_authority = argv[2] if len(argv) > 2 else "E09000027"
    # The validator logs each rule it runs, and each it cannot, at INFO.
    logging.disable(logging.CRITICAL)
    from lac_validator import ingress, lac_validator

    ingress.capitalise_object_dtype_cols = _capitalise_given_text

    # maca's year 2024 is the 2023/24 return; the validator's rule set for it is lac2023_24
    # and its metadata names the year the return starts in.
    ruleset = f"lac{year - 1}_{year % 100:02d}"
    registry = importlib.import_module(f"lac_validator.rules.{ruleset}").registry
    files = [
        {"name": path.name, "file_content": _as_returned(path), "description": "This year"}
        for path in sorted(directory.glob("*.csv"))
    ]
    started, cpu_started = time.perf_counter(), time.process_time()
    validator = lac_validator.LacValidator(
        metadata={"collectionYear": str(year - 1), "localAuthority": local_authority},
        files=files,
        registry=registry,
        selected_rules=None,
    )
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(
        json.dumps(
            {
                "version": importlib.metadata.version("csc-validator-be-903"),
                "seconds": seconds,
                "cpu": cpu,
                "ruleset": ruleset,
                "rules": len(registry),
                "ran": len(validator.dones),
                "skipped": len(validator.skips),
                "failed": len(validator.fails),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
