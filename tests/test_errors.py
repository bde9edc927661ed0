"""Exit codes, one-line errors, and output that stays clean whatever comes in."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import BIN, Run


def test_version_and_help(run: Run) -> None:
    from medinfo import __version__

    assert run("--version").stdout.strip() == f"medinfo {__version__}"
    result = run("--help")
    assert result.exit_code == 0
    for command in ("show", "search", "list", "sections", "validate", "index", "side-effects"):
        assert command in result.stdout


@pytest.mark.parametrize("command", ["show", "search", "list", "sections", "validate", "index",
                                     "side-effects", "contraindications"])  # fmt: skip
def test_every_command_has_help(run: Run, command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.stdout


def test_missing_argument_and_unknown_option_exit_2(run: Run) -> None:
    assert run("show").exit_code == 2
    assert run("show", "clonazepam", "--nope").exit_code == 2
    assert run("nosuchcommand").exit_code == 2


def test_markup_in_query_is_printed_literally(run: Run) -> None:
    result = run("show", "[bold red]x[/]")
    assert result.exit_code == 1
    assert "[bold red]x[/]" in result.stderr


def test_escape_sequences_in_query_are_stripped(run: Run) -> None:
    result = run("show", "\x1b[31mxyz\x1b]0;title\x07")
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "xyz" in result.stderr


def test_pipe_closed_early_ends_quietly(tmp_path: Path) -> None:
    proc = subprocess.run(
        f"'{BIN}' show clonazepam | head -1", shell=True, capture_output=True, text=True, timeout=60
    )
    assert proc.stdout.startswith("clonazepam")
    assert proc.stderr == ""


def test_unknown_data_dir_is_bad_usage(run: Run, tmp_path: Path) -> None:
    result = run("list", "--data-dir", str(tmp_path / "missing"))
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_shell_completion_of_drug_names_and_sections(cli) -> None:  # type: ignore[no-untyped-def]
    drugs = cli(env={"_MEDINFO_COMPLETE": "complete_bash", "COMP_WORDS": "medinfo side-effects Xan",
                     "COMP_CWORD": "2"})  # fmt: skip
    assert drugs.returncode == 0
    assert drugs.stdout.split("\n")[:2] == ["Xanax", "Xanax XR"]
    sections = cli(env={"_MEDINFO_COMPLETE": "complete_bash",
                        "COMP_WORDS": "medinfo show clonazepam --section side", "COMP_CWORD": "4"})  # fmt: skip
    assert set(sections.stdout.split()) == {"side-effects", "side-effect-actions"}
