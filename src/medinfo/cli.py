"""The command line: thin Typer commands over the query layer.

Commands parse arguments, call the query layer, and hand its objects to one
renderer. Every failure is turned into a one-line message and an exit code
here, in `_Edge.invoke`, and nowhere else.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from medinfo import __version__
from medinfo.errors import MedinfoError, UsageError
from medinfo.sections import BY_ID, SECTIONS, Section, nearest_sections, resolve_section

if TYPE_CHECKING:
    from medinfo.index import Index

_REBUILD: list[bool] = []  # set once a damaged index has been seen in this process


class _Edge(TyperGroup):
    """The one place a MedinfoError becomes a one-line message and an exit
    code, for the console script and Typer's test runner alike."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return self._invoke_rebuilding_a_damaged_index(ctx)
        except MedinfoError as exc:
            _note(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except Exception as exc:
            if type(exc).__module__.startswith(("typer", "click")):
                raise  # usage errors and exits are Typer's to print
            _internal_error(exc)
            raise typer.Exit(2) from None

    def _invoke_rebuilding_a_damaged_index(self, ctx: Any) -> Any:
        import sqlite3

        try:
            return super().invoke(ctx)
        except sqlite3.DatabaseError:
            if _REBUILD:
                raise
            # the index file was damaged under us: rebuild it and try once more
            _REBUILD.append(True)
            return super().invoke(ctx)


def _internal_error(exc: Exception) -> None:
    """No traceback ever reaches a user, unless they ask for it."""
    if os.environ.get("MEDINFO_DEBUG"):
        raise exc
    _note(f"internal error: {type(exc).__name__}: {exc} (set MEDINFO_DEBUG=1 for details)")


def _typer() -> typer.Typer:
    return typer.Typer(
        cls=_Edge,
        name="medinfo",
        help="An offline drug reference built from FDA labels. "
        "It informs; it does not replace your doctor or pharmacist.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )


app = _typer()


# -- shared options ------------------------------------------------------------------------


def _complete_drug(incomplete: str) -> list[str]:
    from medinfo import query

    try:
        with _open_index([]) as index:
            names = query.complete_names(index, incomplete)
    except Exception:  # completion must never print a traceback into the shell
        return []
    # the shell keeps only words that start with what was typed, case and all
    folded = incomplete.casefold()
    return [incomplete + n[len(incomplete) :] for n in names if n.casefold().startswith(folded)]


def _complete_section(incomplete: str) -> list[str]:
    return [s.id for s in SECTIONS if s.id.startswith(incomplete)]


def _sections_option(values: list[str] | None) -> list[Section]:
    out: list[Section] = []
    for value in values or []:
        try:
            section = resolve_section(value)
        except MedinfoError:
            raise typer.BadParameter(
                f"unknown section {value!r}; nearest: {', '.join(nearest_sections(value))} "
                "(see 'medinfo sections')"
            ) from None
        if section not in out:
            out.append(section)
    return sorted(out, key=SECTIONS.index)  # registry order, whatever order they were asked in


Drug = Annotated[
    str, typer.Argument(help="Drug name, brand or other name.", autocompletion=_complete_drug)
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
DataDirs = Annotated[
    list[Path] | None,
    typer.Option(
        "--data-dir",
        help="Extra directory of monographs (repeatable); also MEDINFO_DATA.",
        file_okay=False,
    ),
]
Pager = Annotated[bool, typer.Option("--pager", help="Page long output in a terminal.")]
Sections = Annotated[
    list[str] | None,
    typer.Option(
        "--section",
        "-s",
        help="Only this section (repeatable; any id or alias from 'medinfo sections').",
        autocompletion=_complete_section,
    ),
]


# -- plumbing -------------------------------------------------------------------------------


def _use_rich() -> bool:
    mode = os.environ.get("MEDINFO_COLOR", "auto").lower()
    if mode in ("always", "never"):
        return mode == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def _note(message: str) -> None:
    from medinfo.text import clean

    print(f"medinfo: {clean(message, single_line=True)}", file=sys.stderr)


def _progress(total: int) -> Callable[[int, int], None] | None:
    if not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import Progress

    progress = Progress(console=Console(stderr=True), transient=True)
    task = progress.add_task("Building the search index", total=total)
    progress.start()

    def tick(done: int, total: int) -> None:
        progress.update(task, completed=done)
        if done >= total:
            progress.stop()

    return tick


def _open_index(data_dirs: list[Path] | None, rebuild: bool = False) -> Index:
    from medinfo import dataset, index

    dirs = dataset.data_dirs(data_dirs or [])
    idx = index.open_index(dirs, rebuild=rebuild or bool(_REBUILD), progress=_progress)
    for notice in idx.notices:
        _note(notice)
    invalid = idx.invalid_count()
    if invalid:
        _note(
            f"{invalid} data file(s) were skipped because they are invalid; "
            "run 'medinfo validate' to see why."
        )
    return idx


@contextlib.contextmanager
def _stdout() -> Iterator[None]:
    """Stop quietly when the reader goes away (`| head -1`): point stdout at
    /dev/null so the interpreter's final flush does not fail either."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _emit(blocks: Iterable[Any], pager: bool = False) -> None:
    with _stdout():
        _draw(blocks, pager)


def _draw(blocks: Iterable[Any], pager: bool) -> None:
    if _use_rich():
        from rich.console import Console

        from medinfo import render_rich

        forced = os.environ.get("MEDINFO_COLOR", "").lower() == "always"
        console = Console(highlight=False, emoji=False, force_terminal=forced or None)
        if pager:
            with console.pager(styles=True):
                render_rich.render(blocks, console)
        else:
            render_rich.render(blocks, console)
    else:
        import shutil

        from medinfo import render_plain

        width = shutil.get_terminal_size((80, 24)).columns if sys.stdout.isatty() else 80
        render_plain.render(blocks, sys.stdout, width=min(width, 100))


def _emit_json(data: object) -> None:
    import json

    with _stdout():
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


# -- commands -------------------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        print(f"medinfo {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """An offline drug reference built from FDA labels."""


def _show(
    drug: str, only: Sequence[Section], as_json: bool, data_dir: DataDirs, pager: bool
) -> None:
    from medinfo import query

    with _open_index(data_dir) as idx:
        lookup = query.lookup(idx, drug)
    if as_json:
        from medinfo import render_json

        _emit_json(render_json.monograph(lookup, only))
        return
    from medinfo import layout

    _emit(layout.monograph(lookup, only), pager=pager)


@app.command("show")
def show(
    drug: Drug,
    section: Sections = None,
    as_json: Json = False,
    data_dir: DataDirs = None,
    pager: Pager = False,
) -> None:
    """Show a drug's monograph: boxed warning first, then every section and its sources."""
    _show(drug, _sections_option(section), as_json, data_dir, pager)


def _section_command(section: Section) -> Callable[..., None]:
    def command(
        drug: Drug, as_json: Json = False, data_dir: DataDirs = None, pager: Pager = False
    ) -> None:
        _show(drug, [section], as_json, data_dir, pager)

    command.__doc__ = f"Show {section.summary} for a drug (section '{section.id}')."
    return command


for _section in SECTIONS:
    if _section.kind != "interactions":  # `interactions` checks several drugs; see below
        app.command(name=_section.id, rich_help_panel="One section")(_section_command(_section))


ALCOHOL_NAMES = {"alcohol", "ethanol", "alcoholic drinks"}


def _lookups(idx: Index, names: Sequence[str]) -> list[Any]:
    from medinfo import query

    lookups = [query.lookup(idx, n) for n in names if n.strip().casefold() not in ALCOHOL_NAMES]
    ids = [lk.monograph.id for lk in lookups]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise UsageError(f"The same drug was named twice: {', '.join(twice)}.")
    return lookups


@app.command("interactions")
def interactions_command(
    drugs: Annotated[
        list[str],
        typer.Argument(
            help="Two or more drugs to check against each other (and alcohol); "
            "with one drug, its interactions section.",
            autocompletion=_complete_drug,
        ),
    ],
    as_json: Json = False,
    data_dir: DataDirs = None,
    pager: Pager = False,
) -> None:
    """Check drugs against each other, both ways, and against alcohol."""
    from medinfo import interactions, layout, render_json

    if len(drugs) == 1:
        _show(drugs[0], [BY_ID["interactions"]], as_json, data_dir, pager)
        return
    with _open_index(data_dir) as idx:
        lookups = _lookups(idx, drugs)
    findings = interactions.check([lk.monograph for lk in lookups])
    if as_json:
        _emit_json(render_json.interaction_check(lookups, findings))
    else:
        _emit(layout.interaction_check(lookups, findings), pager=pager)


@app.command("compare")
def compare_command(
    drugs: Annotated[
        list[str], typer.Argument(help="Two to four drugs.", autocompletion=_complete_drug)
    ],
    section: Sections = None,
    as_json: Json = False,
    data_dir: DataDirs = None,
    pager: Pager = False,
) -> None:
    """Compare two to four drugs side by side: class, warnings, uses, dose, side effects."""
    from medinfo import interactions, layout, render_json

    if not 2 <= len(drugs) <= 4:
        raise UsageError("Compare takes two to four drugs.")
    only = _sections_option(section)
    with _open_index(data_dir) as idx:
        lookups = _lookups(idx, drugs)
    if len(lookups) < 2:
        raise UsageError("Compare takes two to four drugs.")
    rows = interactions.compare([lk.monograph for lk in lookups], only)
    if as_json:
        _emit_json(render_json.comparison(lookups, rows))
    else:
        _emit(layout.comparison(lookups, rows), pager=pager)


@app.command("sections")
def sections_command(as_json: Json = False) -> None:
    """List the section ids, their titles and the aliases they accept."""
    if as_json:
        from medinfo import render_json

        _emit_json(render_json.sections())
        return
    from medinfo import layout

    _emit(layout.section_list())


@app.command("list")
def list_command(
    drug_class: Annotated[
        str | None, typer.Option("--class", help="Only drugs with this class tag.")
    ] = None,
    rx: Annotated[bool, typer.Option("--rx", help="Only prescription drugs.")] = False,
    otc: Annotated[bool, typer.Option("--otc", help="Only over-the-counter drugs.")] = False,
    as_json: Json = False,
    data_dir: DataDirs = None,
) -> None:
    """List the drugs in the dataset with their brands and class."""
    from medinfo import dataset, query

    if rx and otc:
        raise UsageError("Choose --rx or --otc, not both.")
    if drug_class is not None and drug_class not in dataset.vocabulary():
        import difflib

        near = difflib.get_close_matches(drug_class, sorted(dataset.vocabulary()), n=3)
        hint = f" Nearest: {', '.join(near)}." if near else ""
        raise UsageError(
            f"Unknown class tag {drug_class!r}.{hint} See data/SCHEMA.md for the list."
        )
    with _open_index(data_dir) as idx:
        rows = query.list_drugs(
            idx, tag=drug_class, rx_status="rx" if rx else "otc" if otc else None
        )
        _print_list(rows, as_json)


def _print_list(rows: Iterable[Any], as_json: bool) -> None:
    from medinfo.errors import NoResults

    if as_json:
        import json

        from medinfo import render_json

        # streamed: one row at a time, so memory stays flat at any dataset size
        count = 0
        with _stdout():
            out = sys.stdout
            out.write("[")
            for count, row in enumerate(rows, start=1):
                out.write(
                    ("," if count > 1 else "") + "\n  " + json.dumps(render_json.summary(row))
                )
            out.write("\n]\n")
        if not count:
            raise typer.Exit(1)  # no results, as in text mode
        return
    from medinfo import layout

    found = list(rows)
    if not found:
        raise NoResults("No drug in the dataset matches these filters.")
    _emit(layout.drug_list(found))


@app.command("search")
def search(
    words: Annotated[list[str], typer.Argument(help='Words or a "quoted phrase" to find.')],
    section: Annotated[
        str | None,
        typer.Option(
            "--section", "-s", help="Only this section.", autocompletion=_complete_section
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=1000, help="Most results.")
    ] = 10,
    as_json: Json = False,
    data_dir: DataDirs = None,
) -> None:
    """Find drugs whose text matches, best first, with highlighted snippets."""
    from medinfo import search as searching

    text = " ".join(words)
    only = _sections_option([section] if section else None)
    with _open_index(data_dir) as idx:
        hits = searching.search(idx, text, section=only[0].id if only else None, limit=limit)
    if as_json:
        from medinfo import render_json

        _emit_json(render_json.search_hits(text, hits))
        return
    from medinfo import layout

    _emit(layout.search_results(text, hits))


@app.command("validate")
def validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or directories (default: all data).")
    ] = None,
    as_json: Json = False,
    data_dir: DataDirs = None,
) -> None:
    """Check data files against the schema; print each problem as file:line: key: message."""
    from medinfo import query

    checked, problems = query.validate(paths or [], data_dir or [])
    if as_json:
        _emit_json({"files": checked, "problems": [p._asdict() for p in problems]})
    else:
        with _stdout():
            for problem in problems:
                print(problem)
            if not problems:
                print(f"{checked} file(s) valid.")
    if problems:
        raise typer.Exit(2)


@app.command("index")
def index_command(
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Rebuild from scratch.")] = False,
    as_json: Json = False,
    data_dir: DataDirs = None,
) -> None:
    """Show the search index's status, or rebuild it."""
    from medinfo import dataset

    with _open_index(data_dir, rebuild=rebuild) as idx:
        status = idx.status(dataset.data_dirs(data_dir or []))
    if as_json:
        _emit_json(status._asdict())
        return
    print(f"index:   {status.path}")
    print(f"files:   {status.files} ({status.invalid} invalid)")
    print(f"drugs:   {status.drugs}")
    print(f"size:    {status.size_bytes / 1e6:.1f} MB")
    print(f"state:   {'stale (will refresh on next use)' if status.stale else 'up to date'}")


# -- the edge -------------------------------------------------------------------------------


def _app_for(argv: Sequence[str]) -> typer.Typer:
    """The app with only the command being run, when one is named: Typer turns
    every registered command into a Click command on each run, and building
    twenty of them costs more than answering the query. Help, completion and
    anything unrecognised get the whole app."""
    name = argv[0] if argv else ""
    for info in app.registered_commands:
        if info.name == name and "--help" not in argv and "-h" not in argv:
            lean = _typer()
            lean.registered_callback = app.registered_callback
            lean.registered_commands = [info]
            return lean
    return app


def main() -> None:
    """Run the app; turn every failure into one line on stderr and an exit code."""
    for stream in (sys.stdout, sys.stderr):
        # a non-UTF-8 locale (LANG=C on old systems, PYTHONIOENCODING=ascii) must
        # not turn a dash or a degree sign into a crash
        if (getattr(stream, "encoding", "") or "").lower().replace("-", "") != "utf8":
            with contextlib.suppress(AttributeError, ValueError):
                stream.reconfigure(errors="replace")  # type: ignore[union-attr]
    try:
        completing = any(key.endswith("_COMPLETE") for key in os.environ)
        (app if completing else _app_for(sys.argv[1:]))(standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # raised outside a command: while parsing, completing
        _internal_error(exc)
        sys.exit(2)
