"""The command line: one thin function a command, over the pure core."""

from __future__ import annotations

import enum
import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from newsmeta import __version__, ui
from newsmeta.errors import ArticleError, ConfigError, NewsmetaError, UsageError
from newsmeta.report import ExitCode, Problem, problem_of

if TYPE_CHECKING:  # types only: the modules load when their command runs
    from newsmeta.cache import Cache
    from newsmeta.config import Config
    from newsmeta.edit import FileEdit, Plan, Summary
    from newsmeta.engine import CacheOpener
    from newsmeta.listing import Row
    from newsmeta.operations import Operation
    from newsmeta.schema import Schema
    from newsmeta.validate import Checker

EXIT_CODES_HELP = (
    "Exit codes: 0 no errors (warnings allowed); 1 findings (errors, or warnings with "
    "--strict); 2 usage, configuration or I/O errors."
)

app = typer.Typer(
    name="newsmeta",
    help=(
        "Validate, list, search, edit and reformat the YAML front matter of news articles, "
        "changing nothing you did not ask to change.\n\n"
        "\b\nExamples:\n"
        "  newsmeta validate content/                     # check every article\n"
        "  newsmeta list -n 20 -r --sort publishedDateTime content/   # the 20 newest\n"
        "  newsmeta search 'topics:AI quality>=70' content/   # find articles\n"
        "  newsmeta show article.md                       # one article, at a glance\n"
        "  newsmeta edit --set quality=50 article.md      # change one key, only it\n"
        "  newsmeta reformat --check content/             # in the house style?\n\n"
        "'newsmeta COMMAND -h' shows a command's options and examples; the manual is in docs/ "
        "(docs/index.md).\n\n" + EXIT_CODES_HELP
    ),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# The sections of a command's help, in order; an option not named here goes to "Options".
_SECTIONS = {
    "Operations": ("set_", "set_str", "unset", "add", "remove", "rename", "force"),
    "Checks": ("fix", "select", "ignore", "strict"),
    "Which articles": ("where", "exclude", "stdin_filename"),
    "Rows and columns": ("columns", "sort", "reverse", "limit", "count_by"),
    "Output": ("output_format", "wide", "nul", "check", "diff", "dry_run"),
    "Speed": ("jobs", "no_cache"),
    "General": ("config", "color", "quiet", "verbose", "help", "version"),
}
_SECTION_OF = {name: title for title, names in _SECTIONS.items() for name in names}


class ColorWhen(str, enum.Enum):
    auto = "auto"
    always = "always"
    never = "never"


# The options every command has.  Each command declares them (typer reads the signature);
# _Command.invoke takes them out and sets newsmeta.ui before the command runs.
ColorOption = Annotated[
    ColorWhen,
    typer.Option(
        "--color",
        metavar="WHEN",
        help="Colour: auto (on a terminal, unless NO_COLOR is set), always or never.",
    ),
]
QuietOption = Annotated[
    bool,
    typer.Option(
        "--quiet", "-q", help="Print only data and errors: no summary, no progress, no hints."
    ),
]
VerboseOption = Annotated[
    bool,
    typer.Option(
        "--verbose",
        "-v",
        help="Also say what was skipped and why (hidden, ignored, excluded, cached).",
    ),
]


class _Command(typer.core.TyperCommand):
    """A command with the common options (--color, -q, -v), its help in sections, and a
    did-you-mean for a mistyped option."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except Exception as error:  # click's NoSuchOption (typer vendors click: duck-typed)
            option_name = getattr(error, "option_name", None)
            if not isinstance(option_name, str) or not hasattr(error, "possibilities"):
                raise
            names = [name for param in self.params for name in getattr(param, "opts", ())]
            close = _did_you_mean(option_name, names)
            error.possibilities = None
            if close:
                error.message = f"{error.message}. Did you mean {' or '.join(close)}?"  # type: ignore[attr-defined]
            raise

    def invoke(self, ctx: Any) -> Any:
        color = ColorWhen(ctx.params.pop("color", "auto")).value
        quiet = ctx.params.pop("quiet", False)
        verbose = ctx.params.pop("verbose", False)
        if quiet and verbose:
            raise _fail(UsageError("--quiet and --verbose cannot go together"))
        ui.configure(color, quiet=quiet, verbose=verbose)
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # The reader has what it wanted (| head): stop quietly, as ripgrep does.
            _stdout_gone()
            raise typer.Exit(ui.exit_on_broken_pipe) from None

    def format_options(self, ctx: Any, formatter: Any) -> None:
        for title, records in help_sections(self, ctx):
            with formatter.section(title):
                formatter.write_dl(records)


def help_sections(command: Any, ctx: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """A command's arguments and options as ``--help`` shows them: (section, records), in
    order; docs/ shows the same (newsmeta.helpdoc)."""
    sections: dict[str, list[tuple[str, str]]] = {}
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None:
            continue
        if param.param_type_name == "argument":
            title = "Arguments"
        else:
            title = _SECTION_OF.get(param.name or "", "Options")
        sections.setdefault(title, []).append(record)
    order = ["Arguments", *_SECTIONS, "Options"]
    return [(title, sections[title]) for title in order if title in sections]


def _did_you_mean(word: str, choices: Iterable[str]) -> list[str]:
    """The choices close to a mistyped ``word``, best first."""
    import difflib

    return difflib.get_close_matches(word, sorted(set(choices)), n=3, cutoff=0.7)


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
        metavar="PATH...",
        help="Files or folders (folders are searched recursively). Default: the current "
        "folder. '-' reads one article from standard input.",
        show_default=False,
    ),
]
ConfigOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--config",
        metavar="FILE",
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
StdinFilenameOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--stdin-filename", metavar="NAME", help="Name to report for an article read from '-'."
    ),
]
JobsOption = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        metavar="N",
        help="Worker processes for the files not in the cache. Default: one per core "
        "(a single process below a few hundred files).",
        show_default=False,
    ),
]
NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Neither read nor write the cache (NEWSMETA_CACHE_DIR, else the user cache "
        "folder; docs/performance.md).",
    ),
]


def _open_cache(kind: Callable[[], str], no_cache: bool) -> CacheOpener | None:
    """What opens the cache (of the kind ``kind`` names) if the run is large enough to use it."""
    if no_cache:
        return None

    def opener() -> Cache | None:
        from newsmeta.cache import Cache

        return Cache.open(kind())

    return opener


def _reads_stdin(arguments: list[str]) -> bool:
    """Whether the paths ask for standard input: ``-``, alone."""
    if "-" in arguments and len(arguments) > 1:
        raise UsageError("'-' (standard input) cannot be mixed with other paths")
    return arguments == ["-"]


def _files(arguments: list[str], settings: Config, exclude: list[str] | None) -> Iterator[Path]:
    """The article files the arguments name (skipped ones said on stderr with --verbose)."""
    from newsmeta.files import iter_files

    return iter_files(arguments, settings.discovery(tuple(exclude or ())), ui.skip_log())


def _fail(message: str | Exception) -> typer.Exit:
    """Print an error (one line, escaped: it may quote a path or a value) and exit with 2.

    An error with ``lines`` (a bad query with its caret) prints those, each escaped."""
    from newsmeta.output import printable

    lines = getattr(message, "lines", None) or [str(message)]
    typer.echo("newsmeta: " + "\n".join(printable(line) for line in lines), err=True)
    return typer.Exit(ExitCode.ERROR)


def _comma_list(values: list[str] | None) -> list[str]:
    """``["a,b", "c"]`` (a repeated, comma-separated option) as ``["a", "b", "c"]``."""
    return [item.strip() for value in values or () for item in value.split(",") if item.strip()]


RulesOption = Optional[list[str]]  # noqa: UP045


@app.command(
    short_help="Check articles against the schema and the rules.",
    cls=_Command,
    epilog=EXIT_CODES_HELP,
)
def validate(
    paths: PathsArgument = None,
    output_format: Annotated[
        Optional[ValidateFormat],  # noqa: UP045
        typer.Option(
            "--format",
            "-f",
            help="Output format. Default: text, grouped by file when stdout is a terminal; "
            "'--format text' gives one path:line:col line a problem everywhere (for editors).",
            show_default=False,
        ),
    ] = None,
    fix: Annotated[
        bool,
        typer.Option(
            "--fix",
            help="Apply the safe fixes (AMP URL, URL entities, duplicate topics, stray white "
            "space) in place, then report what remains.",
        ),
    ] = False,
    select: Annotated[
        RulesOption,
        typer.Option(
            "--select", metavar="RULE,...", help="Check only these rules.", show_default=False
        ),
    ] = None,
    ignore: Annotated[
        RulesOption,
        typer.Option(
            "--ignore", metavar="RULE,...", help="Do not check these rules.", show_default=False
        ),
    ] = None,
    stdin_filename: StdinFilenameOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Count warnings as errors (exit 1).")
    ] = False,
    config: ConfigOption = None,
    exclude: ExcludeOption = None,
    jobs: JobsOption = None,
    no_cache: NoCacheOption = False,
    color: ColorOption = ColorWhen.auto,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Check articles' front matter against the article schema and the rules.

    Problems print as 'path:line:col: severity [rule] message' on stdout (grouped by file
    on a terminal); the summary, and with --fix what was fixed, go to stderr.
    'newsmeta rules' lists the rules.

    \b
    Examples:
      newsmeta validate seeds/
      newsmeta validate --fix --select url-entity,amp-url content/
      newsmeta validate --format github content/
    """
    from newsmeta import validate as core
    from newsmeta.config import load_config
    from newsmeta.output import report_fixed, report_problems

    try:
        settings = load_config(config)
        checker = core.build_checker(settings, _comma_list(select), _comma_list(ignore))
        arguments = paths or ["."]
        if _reads_stdin(arguments):
            if fix:
                raise UsageError("--fix cannot write back to standard input; name the file")
            results = [core.check_bytes(sys.stdin.buffer.read(), stdin_filename or "-", checker)]
        else:
            files = _files(arguments, settings, exclude)
            cache = _open_cache(lambda: core.cache_kind(checker), no_cache)
            checked = core.check_paths(files, checker, fix=fix, jobs=jobs, cache=cache)
            results = list(ui.progress(checked, "validating"))
    except (UsageError, ConfigError) as error:
        raise _fail(error) from error
    report = core.summarize(results, checker, strict=strict)
    ui.exit_on_broken_pipe = report.return_code
    report_fixed(report.fixed)
    report_problems(report.problems, output_format.value if output_format else None)
    if not ui.quiet():
        typer.echo(report.summary(), err=True)
    raise typer.Exit(report.return_code)


class ShowFormat(str, enum.Enum):
    panel = "panel"
    json = "json"


class RowFormat(str, enum.Enum):
    table = "table"
    tsv = "tsv"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    paths = "paths"


ColumnsOption = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--columns",
        "-c",
        metavar="KEY,...",
        help="Columns: 'path' or any dotted key (provider.domain, images[0].url, topics). "
        "Default: path, publishedDateTime, provider.name, title, quality.",
        show_default=False,
    ),
]
SortOption = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--sort",
        metavar="KEY",
        help="Sort by this key (repeatable; dates compare as instants, missing values last).",
        show_default=False,
    ),
]
ReverseOption = Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the sort order.")]
LimitOption = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option(
        "--limit", "-n", min=0, metavar="N", help="Show at most N rows.", show_default=False
    ),
]
RowFormatOption = Annotated[
    Optional[RowFormat],  # noqa: UP045
    typer.Option(
        "--format",
        "-f",
        help="Output format. Default: table on a terminal, tsv otherwise.",
        show_default=False,
    ),
]
WideOption = Annotated[
    bool, typer.Option("--wide", help="In a table, wrap long values instead of cutting them.")
]
NulOption = Annotated[
    bool,
    typer.Option(
        "-0", "--null", help="End each path with NUL, for xargs -0 (implies --format paths)."
    ),
]
CountByOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--count-by",
        metavar="KEY[:year|month|week|day]",
        help="Count articles per value of KEY (each value in a list counts) instead of "
        "listing them.",
        show_default=False,
    ),
]


@dataclass(frozen=True)
class _Listing:
    """What list and search share: which rows, in which order, shown how."""

    columns: list[str]
    sort: list[str]
    reverse: bool
    limit: int | None
    fmt: RowFormat | None
    wide: bool
    nul: bool
    count_by: str | None
    jobs: int | None = None
    no_cache: bool = False


def _run_listing(
    listing: _Listing,
    paths: list[str] | None,
    query: str | None,
    config: Path | None,
    exclude: list[str] | None,
    *,
    search: bool,
) -> None:
    from newsmeta import listing as core
    from newsmeta.config import load_config
    from newsmeta.hints import FieldCheck
    from newsmeta.output import format_problem, printable, write_counts, write_rows
    from newsmeta.query import compile_query, highlight_terms, query_fields

    try:
        matcher = compile_query(query) if query is not None else None
        if listing.count_by is not None:
            try:
                core.split_count_key(listing.count_by)
            except ValueError as error:
                raise UsageError(str(error)) from error
        fmt = _row_format(listing)
        settings = load_config(config)
        arguments = paths or ["."]
        asked_fields: list[str] = []
        walked: _Counted | None = None
        if _reads_stdin(arguments):
            items: Iterable[Row | Problem] = [core.read_bytes(sys.stdin.buffer.read())]
        else:
            files = walked = _Counted(_files(arguments, settings, exclude))
            words = core.required_words(matcher.tree) if matcher is not None else ()
            fields = asked_fields = [
                *(listing.columns or core.DEFAULT_COLUMNS),
                *listing.sort,
                *([listing.count_by.partition(":")[0]] if listing.count_by else []),
                *(query_fields(matcher.tree) if matcher is not None else []),
            ]
            cache = _open_cache(core.cache_kind, listing.no_cache)
            items = core.iter_rows(
                files,
                words=words,
                needed=core.top_keys(fields),
                jobs=listing.jobs,
                cache=cache,
            )
    except (UsageError, ConfigError) as error:
        raise _fail(error) from error
    failed = 0
    asked = FieldCheck(settings.schema(), asked_fields)
    read_all = False  # --limit on streamed rows may stop the reading early

    def readable() -> Iterator[Row]:
        nonlocal failed, read_all
        for item in ui.progress(items, "reading", live_output=fmt != "table"):
            if isinstance(item, Problem):
                failed += 1
                typer.echo(format_problem(item), err=True)
            else:
                if asked.pending:
                    asked.see(item.data)
                yield item
        read_all = True

    columns = listing.columns or list(core.DEFAULT_COLUMNS)
    terms = highlight_terms(matcher.tree) if matcher is not None and search else []
    streamed = fmt in ("paths", "tsv", "csv", "jsonl") and not listing.sort
    matched = 0
    try:
        if listing.count_by is None and streamed and not listing.reverse:
            # Rows are written as the files are read: the first before the last file is read.
            chosen = (row for row in readable() if matcher is None or matcher(row.data))
            limited = itertools.islice(chosen, listing.limit)

            def counted() -> Iterator[tuple[str, list[Any]]]:
                nonlocal matched
                for path, values in core.cells(limited, columns):
                    matched += 1
                    yield path, values

            write_rows(columns, counted(), fmt, nul=listing.nul)
        else:
            rows = core.select_rows(readable(), matcher, listing.sort, listing.reverse)
            matched = len(rows)
            if listing.count_by is not None:  # --limit keeps the most frequent values
                counts = core.count_by(rows, listing.count_by, listing.limit)
                write_counts(listing.count_by, counts, fmt)
            else:
                table = list(core.cells(rows[: listing.limit], columns))
                read = walked.seen if walked is not None else 1
                footer = "" if ui.quiet() else _footer(len(table), matched, read, failed)
                write_rows(
                    columns,
                    table,
                    fmt,
                    wide=listing.wide,
                    nul=listing.nul,
                    highlight=terms,
                    footer=footer,
                )
    except (UsageError, ConfigError) as error:  # a folder that cannot be listed, found late
        raise _fail(error) from error
    if read_all and not ui.quiet():  # a key no article has: only once every one was read
        for hint in asked.hints():
            typer.echo(f"newsmeta: {printable(hint)}", err=True)
    if failed:
        raise typer.Exit(ExitCode.ERROR)
    if search and not matched:
        raise typer.Exit(ExitCode.FINDINGS)


class _Counted:
    """Files, counted as they go by (for the footer of a table)."""

    def __init__(self, files: Iterable[Path]) -> None:
        self.files = files
        self.seen = 0

    def __iter__(self) -> Iterator[Path]:
        for file in self.files:
            self.seen += 1
            yield file


def _footer(shown: int, matched: int, read: int, failed: int) -> str:
    """The count under a table: ``12 of 4,318 articles``."""
    total = max(read, shown)
    noun = "article" if total == 1 else "articles"
    if shown == total:
        text = f"{total:,} {noun}"
    elif matched in (shown, total):  # filtered, or cut by --limit
        text = f"{shown:,} of {total:,} {noun}"
    else:  # filtered, then cut by --limit
        text = f"{shown:,} of {matched:,} matching, {total:,} {noun}"
    if failed:
        text += f", {failed:,} unreadable"
    return text


def _row_format(listing: _Listing) -> str:
    """The output format asked for, or the default: table for people, tsv for programs."""
    from newsmeta.output import default_row_format

    if listing.nul and listing.fmt not in (None, RowFormat.paths):
        raise UsageError("-0 ends paths with NUL: it goes with --format paths only")
    if listing.count_by is not None and (listing.fmt is RowFormat.paths or listing.nul):
        raise UsageError("--count-by prints counts, not paths; choose another --format")
    if listing.fmt is not None:
        return listing.fmt.value
    return "paths" if listing.nul else default_row_format()


@app.command(
    "list",
    short_help="List articles' metadata as a table, TSV, CSV or JSON.",
    cls=_Command,
    epilog="Exit codes: 0 listed; 2 usage, configuration or unreadable files.",
)
def list_(
    paths: PathsArgument = None,
    columns: ColumnsOption = None,
    where: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--where",
            "-w",
            metavar="QUERY",
            help="Only articles matching QUERY "
            "(the query language of 'newsmeta search', docs/query.md).",
            show_default=False,
        ),
    ] = None,
    sort: SortOption = None,
    reverse: ReverseOption = False,
    limit: LimitOption = None,
    output_format: RowFormatOption = None,
    wide: WideOption = False,
    nul: NulOption = False,
    count_by: CountByOption = None,
    config: ConfigOption = None,
    exclude: ExcludeOption = None,
    jobs: JobsOption = None,
    no_cache: NoCacheOption = False,
    color: ColorOption = ColorWhen.auto,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """List articles' metadata as a table (on a terminal) or as data for scripts.

    Files that cannot be read are named on stderr; the others are still listed (exit 2).

    \b
    Examples:
      newsmeta list content/ --sort publishedDateTime --reverse --limit 20
      newsmeta list -c path,provider.domain,topics --format csv content/ > articles.csv
      newsmeta list --count-by publishedDateTime:month content/
    """
    listing = _Listing(
        _comma_list(columns),
        sort or [],
        reverse,
        limit,
        output_format,
        wide,
        nul,
        count_by,
        jobs,
        no_cache,
    )
    if _one_article_for_people(listing, paths, where):
        _show(paths or [], config, ShowFormat.panel)
        return
    _run_listing(listing, paths, where, config, exclude, search=False)


def _one_article_for_people(listing: _Listing, paths: list[str] | None, where: str | None) -> bool:
    """Whether ``list`` was given one file, for a terminal, and nothing that asks for a
    table (a format, columns, counts, a query): then it shows the article as a panel."""
    from newsmeta.output import default_row_format

    plain = listing.fmt is None and not (listing.columns or listing.count_by or listing.nul)
    one_file = paths is not None and len(paths) == 1 and os.path.isfile(paths[0])
    return plain and one_file and where is None and default_row_format() == "table"


@app.command(
    short_help="Find articles matching a query (exit 1 if none).",
    cls=_Command,
    epilog="Exit codes: 0 something matched; 1 nothing matched; 2 usage or read errors.",
)
def search(
    query: Annotated[
        str, typer.Argument(metavar="QUERY", help="What to look for (docs/query.md).")
    ],
    paths: PathsArgument = None,
    columns: ColumnsOption = None,
    sort: SortOption = None,
    reverse: ReverseOption = False,
    limit: LimitOption = None,
    output_format: RowFormatOption = None,
    wide: WideOption = False,
    nul: NulOption = False,
    count_by: CountByOption = None,
    config: ConfigOption = None,
    exclude: ExcludeOption = None,
    jobs: JobsOption = None,
    no_cache: NoCacheOption = False,
    color: ColorOption = ColorWhen.auto,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Find articles whose metadata matches QUERY (grep's exit codes).

    Bare words and "quoted phrases" match title or excerpt; field:value, field=value,
    field~/regex/i, field>N, has:field, missing:field, NOT/-, OR and parentheses combine.

    \b
    Examples:
      newsmeta search 'provider.name:reuters topics:AI publishedDateTime>=7d quality<30'
      newsmeta search '"facial recognition" OR title~/face.?id/i' content/
      newsmeta search 'missing:ampWebUrl' -0 content/ | xargs -0 newsmeta show
    """
    listing = _Listing(
        _comma_list(columns),
        sort or [],
        reverse,
        limit,
        output_format,
        wide,
        nul,
        count_by,
        jobs,
        no_cache,
    )
    _run_listing(listing, paths, query, config, exclude, search=True)


class _InOrder(_Command):
    """A command that remembers the order of its options on the command line: click hands
    over each repeatable option's values as one list, and edit applies operations in order."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        try:
            _opts, _rest, order = self.make_parser(ctx).parse_args(args=list(args))
            ctx.meta[_ORDER] = [param.name for param in order]
        except Exception:  # a bad command line: the real parse below reports it
            ctx.meta[_ORDER] = None
        return super().parse_args(ctx, args)


_ORDER = "newsmeta.order"
_OPERATION_OPTIONS = "--set, --set-str, --unset, --add, --remove or --rename"
OperationOption = Optional[list[str]]  # noqa: UP045
EDIT_EXIT_CODES = (
    "Exit codes: 0 every file edited (or left as it was); 1 an editor session given up; "
    "2 usage or configuration errors, or some file could not be edited (unreadable, a failed "
    "operation, an edit refused because it adds validation errors, not writable)."
)


def _operations(ctx: typer.Context, given: dict[str, list[str] | None]) -> list[tuple[str, str]]:
    """The operations as (option name, argument), in the order the command line gave them."""
    queues = {name: list(values or ()) for name, values in given.items()}
    order = ctx.meta.get(_ORDER)
    if order is None:  # never silently in another order than the user's
        if sum(1 for values in queues.values() if values) > 1:
            raise UsageError("cannot tell the order of the operations; give one kind per run")
        order = [name for name, values in queues.items() for _value in values]
    ordered: list[tuple[str, str]] = []
    for name in order:
        if queues.get(name):
            ordered.append((name, queues[name].pop(0)))
    return ordered


EditPathsArgument = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Argument(
        metavar="PATH...",
        help="Files or folders to edit (folders are searched recursively); '-' edits "
        "standard input to standard output. With no operation: the FILE to open in your editor.",
        show_default=False,
    ),
]


@app.command(
    short_help="Change keys in place, touching nothing else.", cls=_InOrder, epilog=EDIT_EXIT_CODES
)
def edit(
    ctx: typer.Context,
    paths: EditPathsArgument = None,
    set_: Annotated[
        OperationOption,
        typer.Option(
            "--set",
            metavar="KEY=VALUE",
            help="Set KEY to VALUE read as YAML (50 is a number, true a boolean, [a, b] a "
            "list); text fields take VALUE as typed, date fields read 'now' or any date.",
            show_default=False,
        ),
    ] = None,
    set_str: Annotated[
        OperationOption,
        typer.Option(
            "--set-str",
            metavar="KEY=VALUE",
            help="Set KEY to VALUE as a string.",
            show_default=False,
        ),
    ] = None,
    unset: Annotated[
        OperationOption,
        typer.Option(
            "--unset", metavar="KEY", help="Remove KEY (or a list item).", show_default=False
        ),
    ] = None,
    add: Annotated[
        OperationOption,
        typer.Option(
            "--add",
            metavar="KEY=VALUE",
            help="Append VALUE to the list KEY (created if missing) unless it is there already.",
            show_default=False,
        ),
    ] = None,
    remove: Annotated[
        OperationOption,
        typer.Option(
            "--remove",
            metavar="KEY=VALUE",
            help="Remove VALUE from the list KEY.",
            show_default=False,
        ),
    ] = None,
    rename: Annotated[
        OperationOption,
        typer.Option(
            "--rename",
            metavar="OLD=NEW",
            help="Rename key OLD to NEW, keeping its place and comments.",
            show_default=False,
        ),
    ] = None,
    where: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--where",
            "-w",
            metavar="QUERY",
            help="Only edit articles matching QUERY (docs/query.md).",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would change as a diff; write nothing.")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Write the changes and print them as a diff.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Write an edit even if it adds validation errors."),
    ] = False,
    stdin_filename: StdinFilenameOption = None,
    config: ConfigOption = None,
    exclude: ExcludeOption = None,
    color: ColorOption = ColorWhen.auto,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Change front matter keys in place, in one file or thousands, and nothing else.

    Operations apply in the order given, to every article matched. KEY is a dotted path
    with indexes: provider.name, images[0].width, related[-1].title. A new key goes where
    the schema's order puts it. With no operation, FILE opens in $VISUAL or $EDITOR.

    \b
    Examples:
      newsmeta edit --set quality=50 --add topics=Ethics article.md
      newsmeta edit --where 'provider.domain=wapo.com' --set provider.name=WaPo content/
      newsmeta edit --dry-run --rename heat=hotness content/
      newsmeta edit article.md
    """
    from newsmeta.config import load_config
    from newsmeta.validate import build_checker

    given = {"set_": set_, "set_str": set_str, "unset": unset}
    given |= {"add": add, "remove": remove, "rename": rename}
    ordered = _operations(ctx, given)
    try:
        settings = load_config(config)
        checker = build_checker(settings)
        if dry_run and diff:
            raise UsageError(
                "--dry-run prints the diff and writes nothing; --diff writes: choose one"
            )
        if not ordered:
            _refuse_options_without_operations(where, dry_run, diff)
            _edit_in_editor(paths or [], checker, force=force)
            return
        operations = _parse_operations(ordered, checker.schema)
        arguments = paths or []
        if not arguments:
            raise UsageError("name the files or folders to edit ('.' for the current folder)")
        from newsmeta import edit as core
        from newsmeta.query import compile_query

        matcher = compile_query(where) if where is not None else None
        plan = core.Plan(tuple(operations), checker, matcher, write=not dry_run, force=force)
        if _reads_stdin(arguments):
            raise typer.Exit(_edit_stdin(plan, stdin_filename or "-", dry_run=dry_run, diff=diff))

        files = _files(arguments, settings, exclude)
        summary = _edit_files(files, plan, show_diff=dry_run or diff)
    except (UsageError, ConfigError) as error:
        raise _fail(error) from error
    if not ui.quiet():
        typer.echo(str(summary), err=True)
    raise typer.Exit(ExitCode.ERROR if summary.failed else ExitCode.OK)


def _parse_operations(ordered: list[tuple[str, str]], schema: Schema) -> list[Operation]:
    import datetime as dt

    from newsmeta.operations import Kind, parse_operation

    now = dt.datetime.now(dt.timezone.utc)  # one instant for every file and every 'now'
    return [
        # The parameter's name is the option's: set_str is --set-str.
        parse_operation(Kind(param.rstrip("_").replace("_", "-")), argument, schema, now)
        for param, argument in ordered
    ]


def _refuse_options_without_operations(where: str | None, dry_run: bool, diff: bool) -> None:
    for name, given in (("--where", where is not None), ("--dry-run", dry_run), ("--diff", diff)):
        if given:
            raise UsageError(f"{name} goes with operations ({_OPERATION_OPTIONS})")


def _edit_files(files: Iterable[Path], plan: Plan, *, show_diff: bool) -> Summary:
    """Edit the files, printing each failure (stderr) and diff (stdout) as it comes."""
    from newsmeta.edit import Outcome, Summary, edit_paths
    from newsmeta.output import format_problem, printable

    summary = Summary(dry_run=not plan.write)
    for result in ui.progress(edit_paths(files, plan), "editing", live_output=show_diff):
        summary.add(result)
        if result.outcome is Outcome.NOT_MATCHED:
            ui.note(f"skipped {printable(result.path)}: not matched by --where")
        elif result.outcome is Outcome.UNCHANGED:
            ui.note(f"left {printable(result.path)} alone: already as asked")
        for problem in result.problems:
            typer.echo(format_problem(problem), err=True)
        if show_diff and result.outcome is Outcome.CHANGED:
            show_diff = _print_diff(result)
    return summary


def _print_diff(result: FileEdit) -> bool:
    """Print a file's change as a diff; False once the reader closed the pipe (| head): the
    run goes on, and prints no more diffs."""
    from newsmeta.output import write_diff
    from newsmeta.textdiff import unified_diff

    try:
        write_diff(unified_diff(result.path, result.before, result.after))
    except BrokenPipeError:
        _stdout_gone()
        return False
    return True


def _stdout_gone() -> None:
    """Standard output was closed by its reader: what is left for it goes to the null device."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, sys.stdout.fileno())
    os.close(null)


def _write_stdout(data: bytes) -> None:
    """Write bytes to standard output; a failure (a full disk) is a clear error, exit 2."""
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        _stdout_gone()
    except OSError as error:
        _stdout_gone()
        raise _fail(f"cannot write to standard output: {error.strerror or error}") from error


def _edit_stdin(plan: Plan, name: str, *, dry_run: bool, diff: bool) -> ExitCode:
    """Edit the article on standard input and write it to standard output (or its diff)."""
    from newsmeta.edit import Outcome, edit_bytes
    from newsmeta.output import format_problem, write_diff
    from newsmeta.textdiff import unified_diff

    if diff:
        raise UsageError("--diff writes files; with '-' the edited article goes to stdout")
    result = edit_bytes(sys.stdin.buffer.read(), name, plan)
    for problem in result.problems:
        typer.echo(format_problem(problem), err=True)
    if result.outcome is Outcome.FAILED:
        return ExitCode.ERROR
    if dry_run:
        write_diff(unified_diff(name, result.before, result.after))
    else:
        _write_stdout(result.after)
    return ExitCode.OK


def _edit_in_editor(arguments: list[str], checker: Checker, *, force: bool) -> None:
    """Editor mode: one file, a terminal, the user's editor."""
    from newsmeta import editor
    from newsmeta.output import format_problem, printable

    if len(arguments) != 1 or arguments == ["-"]:
        raise UsageError(
            "with no operation, edit opens one FILE in your editor; to change files without "
            f"an editor, give {_OPERATION_OPTIONS}"
        )
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(
            "with no operation, edit opens your editor, which needs a terminal; "
            f"give {_OPERATION_OPTIONS} to edit without one"
        )
    path = Path(arguments[0])
    if path.is_dir():
        raise UsageError(f"{arguments[0]}: the editor opens one file, not a folder")
    if not path.exists():
        raise UsageError(f"{arguments[0]}: no such file")
    if not editor.writable(path):  # say so now, not after the user has done the work
        raise UsageError(f"{arguments[0]}: file is read-only; nothing to edit it into")
    command = editor.editor_command(os.environ)

    def again(problems: list[Problem]) -> bool:
        for problem in problems:
            typer.echo(format_problem(problem), err=True)
        try:
            return typer.confirm("Open the editor again to fix this?", default=True, err=True)
        except (typer.Abort, EOFError):
            return False

    try:
        session = editor.Session(path, checker, force=force)
        result = editor.edit_in_editor(session, command, again=again)
    except ArticleError as error:
        typer.echo(format_problem(problem_of(str(path), error)), err=True)
        raise typer.Exit(ExitCode.ERROR) from error
    except editor.EditorError as error:
        raise _fail(f"{error}; nothing written") from error
    name = printable(str(path))
    kept = f"; your text is kept in {printable(str(result.kept))}" if result.kept else ""
    if result.outcome is editor.Outcome.WRITTEN:
        for problem in session.warnings:  # what the new text adds, shown as the operations do
            typer.echo(format_problem(problem), err=True)
        typer.echo(f"{name}: written", err=True)
    elif result.outcome is editor.Outcome.UNCHANGED:
        typer.echo(f"{name}: no changes; nothing written", err=True)
    elif result.outcome is editor.Outcome.ABORTED:
        typer.echo(f"{name}: edit abandoned; nothing written{kept}", err=True)
        raise typer.Exit(ExitCode.FINDINGS)
    else:
        typer.echo(f"{name}: {printable(result.error)}{kept}", err=True)
        raise typer.Exit(ExitCode.ERROR)


REFORMAT_EXIT_CODES = (
    "Exit codes: 0 every file in style (or reformatted); 1 with --check or --diff, some file "
    "would change; 2 usage or configuration errors, or some file could not be reformatted."
)


@app.command(
    short_help="Bring front matter to the house style.", cls=_Command, epilog=REFORMAT_EXIT_CODES
)
def reformat(
    paths: PathsArgument = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; list the files that would change (exit 1)."),
    ] = False,
    diff: Annotated[
        bool,
        typer.Option("--diff", help="Write nothing; print what would change as a diff (exit 1)."),
    ] = False,
    stdin_filename: StdinFilenameOption = None,
    config: ConfigOption = None,
    exclude: ExcludeOption = None,
    jobs: JobsOption = None,
    no_cache: NoCacheOption = False,
    color: ColorOption = ColorWhen.auto,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Bring articles' front matter to the house style: the reference article's.

    Keys in the schema's order, blank lines before block collections, 2-space indentation,
    the seed's quoting, ISO 8601 dates, no trailing white space; comments, body, BOM and line
    breaks kept. Only files whose bytes change are written. '-' formats standard input to
    standard output.

    \b
    Examples:
      newsmeta reformat content/
      newsmeta reformat --check content/
      newsmeta reformat --diff content/article.md
    """
    from newsmeta import reformat as core
    from newsmeta.config import load_config
    from newsmeta.edit import Outcome
    from newsmeta.output import format_problem, printable

    try:
        settings = load_config(config)
        style = core.HouseStyle.of(settings.schema(), settings.key_order, settings.quoted_fields)
        arguments = paths or ["."]
        if _reads_stdin(arguments):
            result = core.reformat_bytes(sys.stdin.buffer.read(), stdin_filename or "-", style)
            results = iter([result])
        else:
            files = _files(arguments, settings, exclude)
            cache = _open_cache(lambda: core.cache_kind(style), no_cache)
            results = core.reformat_paths(
                files, style, write=not (check or diff), texts=diff, jobs=jobs, cache=cache
            )
    except (UsageError, ConfigError) as error:
        raise _fail(error) from error
    counts = dict.fromkeys(Outcome, 0)
    showing = diff  # until the reader closes the pipe
    for result in ui.progress(results, "reformatting", live_output=check or diff):
        counts[result.outcome] += 1
        for problem in result.problems:
            typer.echo(format_problem(problem), err=True)
        if _reads_stdin(arguments) and result.outcome is not Outcome.FAILED and not (check or diff):
            _write_stdout(result.after)
        elif result.outcome is Outcome.CHANGED:
            if diff:
                showing = showing and _print_diff(result)
            elif check:
                typer.echo(printable(result.path))
    changed, failed = counts[Outcome.CHANGED], counts[Outcome.FAILED]
    if not ui.quiet():
        verb = "would be reformatted" if check or diff else "reformatted"
        summary = f"{changed:,} {verb}, {counts[Outcome.UNCHANGED]:,} unchanged"
        typer.echo(summary + (f", {failed:,} failed" if failed else ""), err=True)
    if failed:
        raise typer.Exit(ExitCode.ERROR)
    raise typer.Exit(ExitCode.FINDINGS if changed and (check or diff) else ExitCode.OK)


@app.command(
    short_help="Show articles as panels, readable at a glance.",
    cls=_Command,
    epilog="Exit codes: 0 shown; 2 usage errors or a file that cannot be read.",
)
def show(
    paths: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Argument(
            metavar="FILE...",
            help="Article files, or folders (searched recursively). '-' reads one article "
            "from standard input.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        ShowFormat,
        typer.Option(
            "--format",
            "-f",
            help="panel: for people; json: each article's whole front matter, "
            '[{"path": ..., "data": {...}}].',
        ),
    ] = ShowFormat.panel,
    config: ConfigOption = None,
    color: ColorOption = ColorWhen.auto,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Show articles as panels, readable at a glance: title, provider, date, topics, URLs,
    images and related articles.  'newsmeta list FILE' on a terminal shows the same panel.

    \b
    Examples:
      newsmeta show seeds/000_218d50f45779ca55.txt
      newsmeta search 'provider.name:Reuters' -0 content/ | xargs -0 newsmeta show
      newsmeta show --format json article.md | jq .[0].data.topics
    """
    _show(paths or [], config, output_format)


def _show(paths: list[str], config: Path | None, fmt: ShowFormat) -> None:
    """Each article named as a panel, or all of them as JSON."""
    from newsmeta import listing as core
    from newsmeta.config import load_config
    from newsmeta.output import format_problem, write_articles_json
    from newsmeta.panel import write_panel

    items: Iterable[Row | Problem]
    try:
        if not paths:
            raise UsageError("name the articles to show (a file, a folder, or '-')")
        if _reads_stdin(paths):
            items = [core.read_bytes(sys.stdin.buffer.read())]
        else:
            items = core.iter_rows(_files(paths, load_config(config), []), jobs=1)
        failed = False
        rows: list[Row] = []
        for item in items:
            if isinstance(item, Problem):
                typer.echo(format_problem(item), err=True)
                failed = True
            elif fmt is ShowFormat.json:
                rows.append(item)
            else:
                write_panel(item.path, item.data, sys.stdout)
        if fmt is ShowFormat.json:
            write_articles_json([(row.path, row.data) for row in rows])
    except (UsageError, ConfigError) as error:
        raise _fail(error) from error
    if failed:
        raise typer.Exit(ExitCode.ERROR)


@app.command(
    short_help="List the validation rules, or explain one.",
    cls=_Command,
    epilog="Exit codes: 0 printed; 2 an unknown rule.",
)
def rules(
    rule: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(metavar="[RULE]", help="Show one rule's documentation.", show_default=False),
    ] = None,
    color: ColorOption = ColorWhen.auto,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """List the validation rules, or show one rule's documentation.

    \b
    Examples:
      newsmeta rules
      newsmeta rules amp-url
    """
    from newsmeta.config import rule_id_error
    from newsmeta.rules import PARSE_RULES, RULE_BY_ID, RULES

    if rule is None:
        rows = [
            (item.id, item.severity.value, "fixable" if item.fixable else "", item.summary)
            for item in RULES
        ] + [(p.id, "error", "", p.doc.splitlines()[0]) for p in PARSE_RULES]
        rows = [
            (name, severity, fixable, summary.replace("``", ""))
            for name, severity, fixable, summary in rows
        ]
        if ui.for_people(sys.stdout):
            _rules_table(rows)
            return
        width = max(len(row[0]) for row in rows)
        for name, severity, fixable, summary in rows:
            typer.echo(f"{name:<{width}}  {severity:<7}  {fixable:<7}  {summary}".rstrip())
        return
    documented = {item.id: item.doc for item in RULES} | {p.id: p.doc for p in PARSE_RULES}
    if rule not in documented:
        raise _fail(rule_id_error(rule) or f"unknown rule {rule!r}")
    found = RULE_BY_ID.get(rule)
    if found is None:
        header = f"{rule} (error, checked while reading)"
    else:
        header = f"{rule} ({found.severity.value}{', fixable' if found.fixable else ''})"
    typer.echo(f"{header}\n\n{_dedent_doc(documented[rule])}")


def _rules_table(rows: list[tuple[str, str, str, str]]) -> None:
    """The rules as a table that fits the terminal, the summaries wrapped."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("rule", no_wrap=True, style="bold")
    table.add_column("severity", no_wrap=True)
    table.add_column("fix", no_wrap=True)
    table.add_column("what it finds", overflow="fold")
    for name, severity, fixable, summary in rows:
        colour = "red" if severity == "error" else "yellow"
        table.add_row(name, Text(severity, style=colour), "yes" if fixable else "", Text(summary))
    ui.console(sys.stdout).print(table)


def _dedent_doc(doc: str) -> str:
    import inspect

    # ``literal`` (reStructuredText, for docs/rules.md) reads as `literal` in a terminal.
    return inspect.cleandoc(doc).replace("``", "`")


@app.command(
    short_help="Print the article schema as JSON Schema.",
    cls=_Command,
    epilog="Exit codes: 0 printed; 2 a configuration error.",
)
def schema(
    config: ConfigOption = None,
    color: ColorOption = ColorWhen.auto,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Print the article schema as JSON Schema (with the configuration's additions).

    Point your editor at it for completion and checks while typing, e.g. with VS Code's YAML
    extension: see docs/editors.md.

    \b
    Examples:
      newsmeta schema > article.schema.json
    """
    import json

    from newsmeta.config import load_config
    from newsmeta.schema import json_schema

    try:
        settings = load_config(config)
    except ConfigError as error:
        raise _fail(error) from error
    configured = settings.schema()
    typer.echo(json.dumps(json_schema(configured), indent=2, ensure_ascii=True))


def main() -> None:
    """Entry point of the ``newsmeta`` console script."""
    try:
        app(prog_name="newsmeta")  # also as ``python -m newsmeta``
    except NewsmetaError as error:  # pragma: no cover - commands translate their own
        _fail(error)
        sys.exit(ExitCode.ERROR)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # never a traceback for the user
        if os.environ.get("NEWSMETA_DEBUG"):
            raise
        _fail(
            f"internal error: {type(error).__name__}: {error} "
            "(set NEWSMETA_DEBUG=1 for the traceback, and please report it)"
        )
        sys.exit(ExitCode.ERROR)
