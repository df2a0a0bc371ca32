"""Fixtures for the 903 tests: a private folder for kept extracts, and helpers that write real
files to disk (by hand or with the generator). Every value is fictional."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from maca.sampling.generate import generate

HEADER_COLUMNS = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
EPISODE_COLUMNS = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
)


@pytest.fixture(autouse=True)
def sampling_dir(settings, tmp_path: Path) -> Path:
    path = tmp_path / "kept-extracts"
    settings.MACA_SAMPLING_DIR = str(path)
    settings.MACA_HOME_POSTCODE_DISTRICTS = "Z1,Z2,Z3,Z4,Z5,Z6,Z7,Z8,Z9"
    return path


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write a file into a fresh folder of its own: write("episodes.csv", "A,B\\n1,2\\n")."""
    folder = tmp_path / "upload"
    folder.mkdir(exist_ok=True)

    def _write(name: str, text: str | bytes, encoding: str = "utf-8") -> Path:
        path = folder / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding=encoding)
        return path

    return _write


@pytest.fixture
def minimal_extract(write: Callable[..., Path]) -> list[Path]:
    """A valid two-child extract: the smallest thing that imports cleanly."""
    return [
        write(
            "header.csv",
            f"{HEADER_COLUMNS}\n"
            "9000001,1,01/02/2012,WBRI,A12345678901B,,\n"
            "9000002,2,03/04/2010,BAFR,UN2,,\n",
        ),
        write(
            "episodes.csv",
            f"{EPISODE_COLUMNS}\n"
            "9000001,01/05/2023,S,C2,N1,U4,PR1,,,,Z1 1AA,Y2 2BB,XXXXXXX\n"
            "9000002,01/06/2023,S,V2,N4,K2,PR4,,,,Z1 1AA,Z3 3CC,SC123456\n",
        ),
    ]


@pytest.fixture
def generated(tmp_path: Path) -> Callable[..., list[Path]]:
    def _generate(children: int = 60, seed: int = 5, **kwargs: Any) -> list[Path]:
        return generate(
            tmp_path / f"gen-{seed}-{children}", children=children, seed=seed, **kwargs
        ).paths

    return _generate
