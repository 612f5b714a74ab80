"""Raw files kept by sha256, and the pruning of uploads that were checked but never loaded."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from indicators.ingest import prune_raw_files, read_raw_file, store_raw_file


def _store(directory: Path, data: bytes, age_s: float) -> str:
    sha256 = hashlib.sha256(data).hexdigest()
    relative = store_raw_file(data, sha256, directory)
    stamp = time.time() - age_s
    os.utime(directory / relative, (stamp, stamp))
    return sha256


def test_old_files_of_no_load_are_pruned_the_others_stay(tmp_path: Path) -> None:
    loaded_old = _store(tmp_path, b"loaded, two days ago", 2 * 86400)
    forgotten = _store(tmp_path, b"checked, never loaded", 2 * 86400)
    recent = _store(tmp_path, b"checked an hour ago", 3600)

    deleted = prune_raw_files(tmp_path, {loaded_old}, older_than_s=86400)

    assert deleted == [forgotten]
    assert read_raw_file(loaded_old, tmp_path) == b"loaded, two days ago"
    assert read_raw_file(recent, tmp_path) == b"checked an hour ago"
    assert not (tmp_path / forgotten[:2] / forgotten).exists()


def test_pruning_ignores_foreign_files_and_a_missing_folder(tmp_path: Path) -> None:
    (tmp_path / "ab").mkdir()
    foreign = tmp_path / "ab" / "notes.txt"
    foreign.write_text("not a raw file")
    os.utime(foreign, (0, 0))
    assert prune_raw_files(tmp_path, set(), older_than_s=1) == []
    assert foreign.exists()
    assert prune_raw_files(tmp_path / "absent", set(), older_than_s=1) == []
