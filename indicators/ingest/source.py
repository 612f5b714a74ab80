"""The uploaded file and the table read from it: every cell as text, each row with its line.

Problems of the file as a whole raise :class:`SourceError`, which the analysis turns into one
file-level issue (the readers are in :mod:`.reading`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from indicators.issue_codes import IssueCode
from indicators.territories.folding import fold_identifier
from indicators.territories.tabular import column_names

SourceFormat = Literal["csv", "xlsx"]

# Dimensions no indicator file reaches, checked before parsing (issue #12: a 2.9 MB CSV of
# 300,000 columns kept a dry run busy for minutes). A wide file has one column per indicator.
MAX_COLUMNS: Final = 1_000
MAX_LINE_CHARS: Final = 100_000
MAX_FILENAME_CHARS: Final = 120
# the columns a "lignes à corriger" file adds after the file's own (see .corrections)
CORRECTION_COLUMNS: Final = ("Problème", "code")
_CORRECTION_FOLDED: Final = tuple(fold_identifier(name) for name in CORRECTION_COLUMNS)
_SPACES = re.compile(r"\s+")


def safe_filename(name: str) -> str:
    """The name a file is shown, stored and served under: its last path component, without
    control or bidirectional-override characters, no leading dot, at most 120 characters
    (issue #12: ``../../etc/passwd``, ``facture\u202egpj.csv``, a newline in a header)."""
    text = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(" " if unicodedata.category(c).startswith(("C", "Z")) else c for c in text)
    text = _SPACES.sub(" ", text).strip().lstrip(". ")
    if len(text) > MAX_FILENAME_CHARS:
        stem, dot, extension = text.rpartition(".")
        if dot and 0 < len(extension) <= 10 and stem:
            text = f"{stem[: MAX_FILENAME_CHARS - len(extension) - 1].rstrip()}.{extension}"
        else:
            text = text[:MAX_FILENAME_CHARS].rstrip()
    return text or "fichier"


class SourceError(ValueError):
    """The file cannot be read as a table; ``code`` is the issue code, the message is French."""

    def __init__(self, code: IssueCode, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class UploadedFile:
    """What a person sent: its name, its bytes, its size (bytes may be empty when too large)."""

    filename: str
    data: bytes
    size: int = -1

    def __post_init__(self) -> None:
        object.__setattr__(self, "filename", safe_filename(self.filename))
        if self.size < 0:
            object.__setattr__(self, "size", len(self.data))

    @classmethod
    def from_path(cls, path: Path, max_bytes: int | None = None) -> UploadedFile:
        """Read a file from disk, unless it is over ``max_bytes`` (then only its size is kept)."""
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            return cls(path.name, b"", size)
        return cls(path.name, path.read_bytes(), size)

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class SourceTable:
    """The data rows under the header, as text (``""`` when empty), and their lines in the file."""

    columns: tuple[str, ...]
    frame: pd.DataFrame
    lines: npt.NDArray[np.int64]
    format: SourceFormat
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = field(default=())
    header_line: int = 1

    def __len__(self) -> int:
        return len(self.frame)


def own_width(columns: Sequence[str]) -> int:
    """How many of ``columns`` are the file's own: all of them, or all but the last two when
    they are the ``Problème`` and ``code`` a "lignes à corriger" file adds (a corrected file is
    uploaded again as it is)."""
    tail = tuple(fold_identifier(name) for name in columns[-2:])
    return len(columns) - 2 if len(columns) > 2 and tail == _CORRECTION_FOLDED else len(columns)


def table_from_records(
    records: Sequence[tuple[int, Sequence[str]]], header_line: int, **info: object
) -> SourceTable:
    """Build the table from ``(line, fields)`` records; the header is the record at
    ``header_line``, blank records are dropped, short rows padded, extra fields ignored (and the
    two columns a "lignes à corriger" file adds: see :func:`own_width`)."""
    position = next((i for i, (line, _) in enumerate(records) if line >= header_line), None)
    if position is None or records[position][0] != header_line:
        raise SourceError(
            IssueCode.MISSING_HEADER,
            f"Ligne d'en-tête {header_line} absente ou vide : aucun nom de colonne à lire",
        )
    columns = column_names(list(records[position][1]))
    width = own_width(columns)
    columns = columns[:width]
    body = [(line, fields) for line, fields in records[position + 1 :] if any(fields[:width])]
    cells: list[list[str]] = [[] for _ in columns]
    for _, fields in body:
        for index in range(width):
            cells[index].append(fields[index] if index < len(fields) else "")
    frame = pd.DataFrame(dict(zip(columns, cells, strict=True)), dtype=str)
    lines = np.fromiter((line for line, _ in body), dtype=np.int64, count=len(body))
    return SourceTable(columns, frame, lines, header_line=header_line, **info)  # type: ignore[arg-type]
