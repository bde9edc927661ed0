"""Whatever comes in, medinfo answers with 0, 1 or 2, a short message, no
traceback, no control characters, and no file read outside its data."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medinfo.sections import SECTIONS

from conftest import BIN, DATA, ROOT, Run

NASTY = [
    "", " ", "\t\n", "x" * 100_000, "\x00", "clonazepam\x00", "\x1b[31mred\x1b[0m", "\x1b]0;title\x07",
    "\u202eclonazepam", "\u200fklonopin", "[bold red]x[/]", "[link=file:///etc/passwd]x[/link]",
    "$(rm -rf /)", "`id`", "; ls", "| cat", "&&", "*", "?", "../../etc/passwd", "/etc/passwd",
    "data/drugs/clonazepam.toml", str(DATA / "clonazepam.toml"), "C:\\Windows\\system32",
    "\ud800", "😀💊", "ß", "İ", "ﬁ", "０.５ mg", "NEAR(a b)", '"', "'", "\\", "%s%n", "{0}",
]  # fmt: skip
TEXT = st.one_of(st.sampled_from(NASTY), st.text(max_size=200))
CONTROL = {chr(c) for c in range(32) if chr(c) not in "\n"} | {"\x7f"}

opened: list[str] = []
recording = False


def _audit(event: str, args: tuple[object, ...]) -> None:
    if recording and event == "open" and isinstance(args[0], str):
        opened.append(args[0])


sys.addaudithook(_audit)


def allowed(path: str, cache: Path) -> bool:
    real = os.path.realpath(path)
    roots = [str(ROOT / "data"), str(ROOT / "src"), str(cache), sys.prefix, sys.base_prefix,
             "/dev/", "/proc/", "/sys/"]  # fmt: skip
    return any(real.startswith(os.path.realpath(r)) for r in roots)


def commands(text: str, other: str) -> list[list[str]]:
    section = SECTIONS[len(text) % len(SECTIONS)].id
    return [["show", text], [section, text], ["search", text], ["list", "--class", text],
            ["show", "clonazepam", "-s", text], ["interactions", text, other],
            ["compare", "clonazepam", text]]  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TEXT, other=TEXT)
def test_any_input_ends_cleanly(run: Run, shared_cache: Path, text: str, other: str) -> None:
    global recording
    for args in commands(text, other):
        opened.clear()
        recording = True
        try:
            result = run(*args)
        finally:
            recording = False
        assert result.exit_code in (0, 1, 2), (args, result.output)
        assert "Traceback" not in result.output
        assert not (CONTROL & set(result.stdout)), args
        assert not (CONTROL & set(result.stderr)), args
        if result.exit_code == 1:
            assert result.stderr.count("\n") == 1, result.stderr
        outside = [p for p in opened if not allowed(p, shared_cache)]
        assert outside == [], (args, outside)


@pytest.mark.parametrize("query", ["[bold red]x[/]", "[link=https://example.com]y[/link]"])
def test_markup_is_literal_in_a_colour_terminal(run: Run, query: str) -> None:
    result = run("search", query, env={"MEDINFO_COLOR": "always"})
    assert result.exit_code in (1, 2)
    assert query in result.stderr or "Give some words" in result.stderr
    assert "\x1b]8;" not in result.output  # no hyperlink escape was produced


def test_unknown_option_and_section_hint(run: Run) -> None:
    result = run("show", "clonazepam", "--colour")
    assert result.exit_code == 2 and "No such option" in result.output
    result = run("show", "clonazepam", "-s", "overdosage-info")
    assert result.exit_code == 2 and "overdose" in result.output


def test_twenty_column_terminal(run: Run) -> None:
    for env in ({"MEDINFO_COLOR": "always", "COLUMNS": "20"}, {"COLUMNS": "20"}):
        for args in (["show", "clonazepam"], ["search", "seizure"], ["list"],
                     ["compare", "clonazepam", "lorazepam"], ["interactions", "clonazepam", "tramadol"]):  # fmt: skip
            result = run(*args, env=env)
            assert result.exit_code == 0, (args, env, result.output)
            assert "clonazepam" in result.stdout or "seizure" in result.stdout.lower()


@pytest.mark.parametrize(
    "env",
    [{"LANG": "C", "LC_ALL": "C"}, {"PYTHONIOENCODING": "ascii"}, {"PYTHONIOENCODING": "latin-1"},
     {"TERM": "dumb"}],
)  # fmt: skip
def test_odd_locales_and_terminals(cli, env: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    for args in (
        ["show", "clonazepam"],
        ["search", "seizure"],
        ["compare", "clonazepam", "lorazepam"],
    ):
        proc = subprocess.run(
            [str(BIN), *args], capture_output=True, env={**os.environ, **env}, timeout=60
        )
        assert proc.returncode == 0, proc.stderr
        assert b"Traceback" not in proc.stderr
        assert b"clonazepam" in proc.stdout or b"seizure" in proc.stdout.lower()


def _snapshot(root: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() + str(p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}  # fmt: skip


def test_nothing_writes_to_data(run: Run, tmp_path: Path) -> None:
    user = tmp_path / "user"
    user.mkdir()
    (user / "lorazepam.toml").write_bytes((DATA / "lorazepam.toml").read_bytes())
    (user / "broken.toml").write_text("not = [valid")
    before = _snapshot(ROOT / "data"), _snapshot(user)
    env = {"MEDINFO_DATA": str(user), "MEDINFO_CACHE_DIR": str(tmp_path / "cache")}
    for args in (["index", "--rebuild"], ["show", "lorazepam"], ["search", "anxiety"], ["list"],
                 ["validate"], ["validate", str(user)], ["interactions", "lorazepam", "tramadol"],
                 ["compare", "lorazepam", "clonazepam"], ["index"]):  # fmt: skip
        assert run(*args, env=env).exit_code in (0, 2)
    assert (_snapshot(ROOT / "data"), _snapshot(user)) == before


def test_huge_user_file_is_skipped_with_notice(run: Run, tmp_path: Path) -> None:
    user = tmp_path / "user"
    user.mkdir()
    with open(user / "huge.toml", "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    env = {"MEDINFO_DATA": str(user), "MEDINFO_CACHE_DIR": str(tmp_path / "cache")}
    result = run("show", "clonazepam", "-s", "uses", env=env)
    assert result.exit_code == 0
    assert "1 data file(s) were skipped" in result.stderr
