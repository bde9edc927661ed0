"""Shared fixtures: a pinned terminal, a private cache, and two ways to run the
real CLI (Typer's runner in-process, and the installed `medinfo` executable)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from medinfo.cli import app
from medinfo.schema import load_toml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "drugs"
BIN = Path(sys.executable).parent / "medinfo"

Run = Callable[..., Result]


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def pinned_env(monkeypatch: pytest.MonkeyPatch, shared_cache: Path) -> None:
    """Output must not depend on where the tests run."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "24")
    monkeypatch.setenv("MEDINFO_CACHE_DIR", str(shared_cache))
    for name in ("MEDINFO_DATA", "MEDINFO_COLOR", "NO_COLOR", "FORCE_COLOR", "MEDINFO_DEBUG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def run() -> Run:
    """Invoke the Typer app in-process, as a pipe would see it."""

    def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
        return CliRunner(env=env).invoke(app, list(args))

    return invoke


@pytest.fixture
def cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the installed `medinfo` executable in a subprocess."""
    assert BIN.exists(), f"medinfo is not installed next to {sys.executable}"

    def call(
        *args: str, env: dict[str, str] | None = None, input: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        full = {**os.environ, **(env or {})}
        return subprocess.run(
            [str(BIN), *args], capture_output=True, text=True, env=full, input=input, timeout=120
        )

    return call


def monographs() -> Iterator[tuple[Path, dict[str, object]]]:
    for path in sorted(DATA.glob("*.toml")):
        yield path, load_toml(path)[0]


def ids_with_tag(tag: str) -> list[str]:
    return sorted(str(d["id"]) for _, d in monographs() if tag in d["class_tags"])  # type: ignore[operator]


def write_monograph(
    directory: Path, source: str, new_id: str, edits: Sequence[tuple[str, str]] = ()
) -> Path:
    """Copy a bundled monograph under a new id (and optional text edits) into a user dir."""
    text = (DATA / f"{source}.toml").read_text(encoding="utf-8")
    text = text.replace(f'id = "{source}"', f'id = "{new_id}"', 1)
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{new_id}.toml"
    path.write_text(text, encoding="utf-8")
    return path
