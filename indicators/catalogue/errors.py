"""Catalogue errors are values (file, line, French message), shown as ``file:line: message``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class CatalogueError:
    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class CatalogueValidationError(ValueError):
    """Raised by :func:`load_catalogue` when the files do not validate; carries every error."""

    def __init__(self, errors: list[CatalogueError]) -> None:
        self.errors = errors
        count = len(errors)
        lines = "\n".join(str(error) for error in errors)
        super().__init__(
            f"catalogue invalide ({count} erreur{'s' if count > 1 else ''}) :\n{lines}"
        )
