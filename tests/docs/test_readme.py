"""The README documents every setting, every command and the two set-up commands."""

from pathlib import Path

import pytest

from dashboard.cli import main
from indicators.config import ENVIRONMENT

pytestmark = pytest.mark.unit

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("variable", sorted(ENVIRONMENT))
def test_every_setting_is_in_the_readme_table(variable: str) -> None:
    assert f"| `{variable}` |" in README


def test_no_undocumented_setting_is_in_the_readme() -> None:
    documented = {
        line.split("`")[1] for line in README.splitlines() if line.startswith("| `SUIVI_")
    }
    assert documented == set(ENVIRONMENT)


def _command_paths(group, prefix: str = "suivi"):  # type: ignore[no-untyped-def]
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if hasattr(command, "commands"):
            yield from _command_paths(command, path)
        else:
            yield path


@pytest.mark.parametrize("command", sorted(_command_paths(main)))
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"`{command}" in README


def test_the_two_setup_commands_are_there() -> None:
    assert "make run" in README and "make test" in README
