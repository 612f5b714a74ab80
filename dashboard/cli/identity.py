"""Who runs a command: recorded with loads, rollbacks and evaluation designs."""

from __future__ import annotations

import getpass


def cli_username() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name in a bare container
        return "cli"
