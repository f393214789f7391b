"""The ``brobygger`` command line (typer + rich)."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="brobygger",
    help="Run and judge outcome-based employment partnerships.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def main() -> None:
    app()
