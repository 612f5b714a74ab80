"""Keep every uploaded file as sent, addressed by its sha256 (``ab/abcdef…``): the same bytes are
stored once, whatever their name, and a load's record points at them."""

from __future__ import annotations

import errno
import os
import re
import tempfile
import time
from collections.abc import Collection
from pathlib import Path

_SHA256 = re.compile(r"[0-9a-f]{64}")
_NO_SPACE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class RawFileNotStored(OSError):
    """The file could not be kept: ``code`` says why (``disk-full``: no space left on the
    device, or a quota reached). Nothing is left behind: no partial file, no temporary one."""

    code = "disk-full"


def raw_relative_path(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256}"


def store_raw_file(data: bytes, sha256: str, directory: Path) -> str:
    """Write the bytes under ``directory`` unless already there; return the relative path."""
    relative = raw_relative_path(sha256)
    target = directory / relative
    if target.exists():
        return relative
    target.parent.mkdir(parents=True, exist_ok=True)
    # write then rename: a reader never sees half a file, two writers never mix their bytes
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())  # a full disk shows here, not after the rename
        os.replace(temporary, target)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError) and error.errno in _NO_SPACE:
            raise RawFileNotStored(error.errno, f"{error.strerror} ({target.parent})") from error
        raise
    return relative


def read_raw_file(sha256: str, directory: Path) -> bytes:
    """The bytes stored under ``sha256``; :class:`FileNotFoundError` when they are not there."""
    if not _SHA256.fullmatch(sha256):
        raise FileNotFoundError(f"empreinte sha256 invalide : {sha256!r}")
    return (directory / raw_relative_path(sha256)).read_bytes()


def prune_raw_files(directory: Path, keep: Collection[str], older_than_s: float) -> list[str]:
    """Delete the stored files older than ``older_than_s`` seconds whose sha256 is not in
    ``keep`` (the files of recorded loads): uploads checked but never loaded. Returns the
    sha256 of the deleted files. A file that vanishes meanwhile is simply skipped."""
    if not directory.is_dir():
        return []
    kept, limit, deleted = set(keep), time.time() - older_than_s, []
    for path in directory.glob("??/*"):
        if not _SHA256.fullmatch(path.name) or path.name in kept:
            continue
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                deleted.append(path.name)
        except FileNotFoundError:
            continue
    return deleted
