"""The command line: one thin function a command, over the pure core."""

from __future__ import annotations

import enum
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from newsmeta import __version__
from newsmeta.errors import ConfigError, NewsmetaError, UsageError
from newsmeta.report import ExitCode, Report

EXIT_CODES_HELP = (
    "Exit codes: 0 clean; 1 findings (validation errors); 2 usage, configuration or I/O errors."
)

app = typer.Typer(
    name="newsmeta",
    help=(
        "Validate, list, search, edit and reformat the YAML front matter of news articles, "
        "changing nothing you did not ask to change.\n\n" + EXIT_CODES_HELP
    ),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class ValidateFormat(str, enum.Enum):
    text = "text"
    json = "json"
    github = "github"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newsmeta {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Validate, list, search, edit and reformat news-article front matter."""


PathsArgument = Annotated[
    Optional[list[str]],  # noqa: UP045 - typer needs Optional on Python 3.10
    typer.Argument(
        metavar="PATH",
        help="Files or folders (folders are searched recursively). Default: the current "
        "folder. '-' reads one article from standard input.",
        show_default=False,
    ),
]
ConfigOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--config",
        help="Configuration file (default: nearest newsmeta.toml or "
        "pyproject.toml with [tool.newsmeta]).",
        show_default=False,
    ),
]
ExcludeOption = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--exclude",
        metavar="GLOB",
        help="Skip paths matching this .gitignore-style glob (repeatable).",
        show_default=False,
    ),
]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print only data and errors, no summary.")
]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"newsmeta: {message}", err=True)
    return typer.Exit(ExitCode.ERROR)


@app.command(epilog=EXIT_CODES_HELP)
def validate(
    paths: PathsArgument = None,
    output_format: Annotated[
        ValidateFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ValidateFormat.text,
    stdin_filename: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--stdin-filename", help="Name to report for an article read from '-'."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Count warnings as errors (exit 1).")
    ] = False,
    config: ConfigOption = None,
    exclude: ExcludeOption = None,
    quiet: QuietOption = False,
) -> None:
    """Check that articles' front matter is present, well-formed YAML and a mapping.

    Problems print as 'path:line:col: severity [rule] message' on stdout; the summary goes
    to stderr.

    Examples:

      newsmeta validate seeds/

      newsmeta validate --format github content/
    """
    from newsmeta import validate as core
    from newsmeta.config import load_config
    from newsmeta.files import iter_files
    from newsmeta.output import report_problems

    report = Report(strict=strict)
    try:
        settings = load_config(config)
        arguments = paths or ["."]
        if "-" in arguments:
            if len(arguments) > 1:
                raise UsageError("'-' (standard input) cannot be mixed with other paths")
            report.files = 1
            for problem in core.check_bytes(sys.stdin.buffer.read(), stdin_filename or "-"):
                report.add(problem)
        else:
            files = iter_files(arguments, settings.discovery(tuple(exclude or ())))
            for _path, problems in core.check_paths(files):
                report.files += 1
                for problem in problems:
                    report.add(problem)
    except (UsageError, ConfigError) as error:
        raise _fail(str(error)) from error
    report_problems(report.problems, output_format.value)
    if not quiet:
        typer.echo(report.summary(), err=True)
    raise typer.Exit(report.return_code)


def main() -> None:
    """Entry point of the ``newsmeta`` console script."""
    try:
        app()
    except NewsmetaError as error:  # pragma: no cover - commands translate their own
        typer.echo(f"newsmeta: {error}", err=True)
        sys.exit(ExitCode.ERROR)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # never a traceback for the user
        if os.environ.get("NEWSMETA_DEBUG"):
            raise
        typer.echo(
            f"newsmeta: internal error: {type(error).__name__}: {error} "
            "(set NEWSMETA_DEBUG=1 for the traceback, and please report it)",
            err=True,
        )
        sys.exit(ExitCode.ERROR)
