"""The kept extract: written encrypted, read back unchanged, and extracts kept in the earlier
(Parquet) layout still read."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from django.core.files.storage import InMemoryStorage

from maca.sampling.extract import (
    TABLE_FILES,
    Store,
    build_extract,
    decrypt_bytes,
    delete_extract,
    encrypt_bytes,
    extract_exists,
    extract_store,
    load_extract,
    load_problems,
    read_frame,
    save_extract,
    write_frame,
)
from maca.sampling.ingest import SourceFile, read_extract


@pytest.fixture
def result(generated):
    raw = read_extract([SourceFile(path, 2024) for path in generated(children=40, seed=11)])
    return build_extract(raw, home_districts=["Z1", "Z2"])


def test_saved_extract_reads_back_unchanged(result, tmp_path: Path):
    store = tmp_path / "store"
    save_extract(result.extract, result.problems, store)
    loaded = load_extract(store, {"years": [2024]}, with_identity=True)
    for name in TABLE_FILES:
        assert loaded.table(name).equals(result.extract.table(name)), name
        assert loaded.table(name).schema == result.extract.table(name).schema, name
    assert load_problems(store).equals(result.problems)
    # Without the identity, only the date of birth is read of it.
    assert load_extract(store, {}).identity.columns == ["child_idx", "dob"]


def test_kept_files_are_encrypted(result, tmp_path: Path):
    store = tmp_path / "store"
    save_extract(result.extract, result.problems, store)
    some_id = result.extract.identity["child_id"][0]
    kept = list(store.glob("*/*.enc"))
    assert len(kept) == len(TABLE_FILES) + 1
    for path in kept:
        data = path.read_bytes()
        assert data.startswith(b"MACA903")
        assert b"ARROW1" not in data and some_id.encode() not in data


def test_extract_kept_as_parquet_is_still_read(result, tmp_path: Path):
    store = tmp_path / "old"
    store.mkdir()
    for name in (*TABLE_FILES, "problems"):
        frame = result.problems if name == "problems" else result.extract.table(name)
        buffer = io.BytesIO()
        frame.write_parquet(buffer, compression="uncompressed", statistics=False)
        (store / f"{name}.parquet.enc").write_bytes(encrypt_bytes(buffer.getvalue()))
    loaded = load_extract(store, {"years": [2024]}, with_identity=True)
    assert loaded.episodes.equals(result.extract.episodes)
    assert loaded.identity.equals(result.extract.identity)
    assert load_problems(store).equals(result.problems)


def test_tampered_file_is_refused():
    assert decrypt_bytes(encrypt_bytes(b"some table")) == b"some table"
    blob = bytearray(encrypt_bytes(b"some table"))
    blob[-1] ^= 1
    with pytest.raises(InvalidTag):
        decrypt_bytes(bytes(blob))


def test_tampered_table_file_is_refused_and_let_go_of(result, tmp_path: Path):
    path = tmp_path / "episodes.arrow.enc"
    write_frame(result.extract.episodes, path)
    assert read_frame(path).equals(result.extract.episodes)
    blob = bytearray(path.read_bytes())
    blob[40] ^= 1
    path.write_bytes(bytes(blob))
    with pytest.raises(InvalidTag):
        read_frame(path)
    path.write_bytes(b"not a table")
    with pytest.raises(ValueError, match="not an encrypted maca 903 file"):
        read_frame(path)


def _versions(store: Path) -> list[str]:
    return sorted(path.name for path in store.iterdir())


def test_each_save_is_a_new_version_and_the_older_one_goes(result, tmp_path: Path):
    store = tmp_path / "store"
    save_extract(result.extract, result.problems, store)
    first = _versions(store)
    save_extract(result.extract, result.problems, store)
    assert len(_versions(store)) == 1 and _versions(store) != first
    assert load_extract(store, {}).episodes.equals(result.extract.episodes)
    delete_extract(store)
    assert not extract_exists(store) and not store.exists()


def test_a_storage_without_local_paths_keeps_and_reads_the_same_extract(result):
    storage = InMemoryStorage()
    store = Store(storage, "import-x")
    assert not extract_exists(store)
    save_extract(result.extract, result.problems, store)
    assert extract_exists(store)
    loaded = load_extract(store, {"years": [2024]}, with_identity=True)
    for name in TABLE_FILES:
        assert loaded.table(name).equals(result.extract.table(name)), name
    assert load_problems(store).equals(result.problems)
    (version,), _files = storage.listdir("import-x")
    some_id = result.extract.identity["child_id"][0]
    with storage.open(f"import-x/{version}/identity.arrow.enc") as kept:
        data = kept.read()
    assert data.startswith(b"MACA903") and some_id.encode() not in data
    delete_extract(store)
    assert not extract_exists(store)
    assert storage.listdir(f"import-x/{version}") == ([], [])  # no file left


def test_the_extracts_storage_is_chosen_in_settings(result, settings, tmp_path: Path):
    elsewhere = tmp_path / "second-location"
    settings.STORAGES = settings.STORAGES | {
        "extracts": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(elsewhere)},
        }
    }
    save_extract(result.extract, result.problems, extract_store("import-y"))
    assert len(list((elsewhere / "import-y").glob("*/*.enc"))) == len(TABLE_FILES) + 1
    assert load_extract(extract_store("import-y"), {}).children.equals(result.extract.children)
