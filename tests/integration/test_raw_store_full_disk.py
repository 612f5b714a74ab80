"""A full disk while an upload is stored (issue #11, point 3): ``RawFileNotStored`` with the
stable code ``disk-full``, and nothing half-written — neither the file nor its temporary copy.

The file system's refusal is real: the store runs in a child process whose file-size limit
(``RLIMIT_FSIZE``) the kernel enforces, so its write fails with ``EFBIG`` as a full device fails
with ``ENOSPC`` (no small tmpfs can be mounted on this machine)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from indicators.catalogue import load_catalogue
from indicators.catalogue.store_sync import sync_catalogue
from indicators.ingest import LoadOptions, RawFileNotStored, UploadedFile, analyse, commit_analysis
from indicators.store import current_data_version, make_engine, upgrade_database
from indicators.store.models import Load
from indicators.territories import load_referential
from indicators.territories.sync import sync_referential

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import hashlib, json, resource, signal, sys
from pathlib import Path
from indicators.ingest import RawFileNotStored, store_raw_file
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails instead of killing the process
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
data = b"indicateur;territoire;periode;valeur\\n" * 1000
try:
    store_raw_file(data, hashlib.sha256(data).hexdigest(), Path(sys.argv[1]))
    print(json.dumps({"stored": True}))
except RawFileNotStored as error:
    print(json.dumps({"stored": False, "code": error.code, "errno": error.errno}))
"""


def test_a_size_limited_file_system_refuses_the_upload_cleanly(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    environ = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder)],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert result["stored"] is False and result["code"] == "disk-full"
    assert [path for path in folder.rglob("*") if path.is_file()] == []  # nothing half-written


def test_a_load_whose_file_cannot_be_kept_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue = load_catalogue()
    mini = load_referential(ROOT / "tests" / "fixtures" / "reference_mini")
    engine = make_engine(f"sqlite:///{tmp_path / 'suivi.db'}")
    upgrade_database(engine)
    with Session(engine) as session, session.begin():
        sync_referential(session, mini)
        sync_catalogue(session, catalogue)
    body = b"indicateur;territoire;periode;valeur\nMOB_ACTIFS;01001;2024;1\n"
    upload = UploadedFile("f.csv", body)
    with Session(engine) as session:
        analysis = analyse(
            upload, catalogue=catalogue, referential=mini, session=session, options=LoadOptions()
        )

    def full(*_args: object, **_kwargs: object) -> None:
        raise RawFileNotStored(28, "No space left on device")

    # the refusal itself is the file system's (above); here: what the load does with it
    monkeypatch.setattr("indicators.ingest.commit.store_raw_file", full)
    with pytest.raises(RawFileNotStored), Session(engine) as session, session.begin():
        commit_analysis(session, analysis, catalogue=catalogue, raw_dir=tmp_path / "uploads")
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Load)) == 0
        assert current_data_version(session) == 0
    engine.dispose()
