"""Keep every uploaded file as sent, addressed by its sha256 (``ab/abcdef…``): the same bytes are
stored once, whatever their name, and a load's record points at them."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

_SHA256 = re.compile(r"[0-9a-f]{64}")


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
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return relative


def read_raw_file(sha256: str, directory: Path) -> bytes:
    """The bytes stored under ``sha256``; :class:`FileNotFoundError` when they are not there."""
    if not _SHA256.fullmatch(sha256):
        raise FileNotFoundError(f"empreinte sha256 invalide : {sha256!r}")
    return (directory / raw_relative_path(sha256)).read_bytes()
