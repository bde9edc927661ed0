"""Where monographs live: the bundled data, the user's data directories, and
which file wins for each drug id.

This module finds files and decides precedence; it parses nothing but the
class-tag vocabulary, so listing a directory stays cheap at any size.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from medinfo.errors import DataError, UsageError

VOCABULARY_FILE = "class_tags.toml"
ENV_DATA = "MEDINFO_DATA"


@dataclass(frozen=True, slots=True)
class DataDir:
    path: Path
    user: bool


@dataclass(frozen=True, slots=True)
class DataFile:
    id: str
    path: Path
    user: bool
    size: int
    mtime_ns: int


def bundled_root() -> Path:
    """The bundled `data/`: inside the installed wheel, or the checkout's own
    folder when running from source (an editable install)."""
    packaged = resources.files("medinfo") / "_data"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "data"


def data_dirs(extra: Sequence[Path] = ()) -> list[DataDir]:
    """Bundled first, then MEDINFO_DATA, then --data-dir: later ones win."""
    dirs = [DataDir(bundled_root() / "drugs", user=False)]
    env = [Path(p) for p in os.environ.get(ENV_DATA, "").split(os.pathsep) if p.strip()]
    seen: set[Path] = set()
    for path in [*env, *extra]:
        if not path.is_dir():
            raise UsageError(f"Data directory {str(path)!r} does not exist or is not a directory.")
        resolved = path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            dirs.append(DataDir(resolved, user=True))
    return dirs


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """The class tags a monograph may use (data/class_tags.toml)."""
    from medinfo.schema import read_vocabulary

    return read_vocabulary(bundled_root() / VOCABULARY_FILE)


def list_dir(path: Path, user: bool) -> tuple[list[DataFile], list[Path]]:
    """The monograph files directly in one directory, and its subdirectories."""
    files: list[DataFile] = []
    subdirs: list[Path] = []
    try:
        entries = list(os.scandir(path))
    except OSError:
        return files, subdirs
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                subdirs.append(Path(entry.path))
            elif entry.name.endswith(".toml") and entry.name != VOCABULARY_FILE:
                st = entry.stat()
                files.append(
                    DataFile(entry.name[:-5], Path(entry.path), user, st.st_size, st.st_mtime_ns)
                )
        except OSError:  # removed while we looked
            continue
    return files, subdirs


def scan(directory: DataDir) -> Iterator[DataFile]:
    """Every monograph file below one directory, with the stat the index keys on."""
    stack = [directory.path]
    while stack:
        files, subdirs = list_dir(stack.pop(), directory.user)
        yield from files
        stack.extend(subdirs)


@dataclass(frozen=True, slots=True)
class Catalog:
    """The winning file for each id, and which bundled files users replaced."""

    files: dict[str, DataFile]
    replaced: dict[str, Path]


def catalog(files: Sequence[DataFile]) -> Catalog:
    """Apply precedence: a user file replaces a bundled one; two user files with
    one id are an error, since neither can be trusted to be the intended one."""
    winners: dict[str, DataFile] = {}
    replaced: dict[str, Path] = {}
    for f in files:
        old = winners.get(f.id)
        if old is None:
            winners[f.id] = f
        elif old.user and f.user:
            raise DataError(f"Two data files have the id {f.id!r}: {old.path} and {f.path}.")
        elif f.user:
            replaced[f.id] = old.path
            winners[f.id] = f
        else:
            raise DataError(f"Two bundled files have the id {f.id!r}: {old.path} and {f.path}.")
    return Catalog(winners, replaced)
