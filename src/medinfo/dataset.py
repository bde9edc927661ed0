"""Where monographs live: the bundled data, the user's data directories, and
which file wins for each drug id.

This module finds files and decides precedence; it parses nothing but the
class-tag vocabulary, so listing a directory stays cheap at any size.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from medinfo.errors import DataError, UsageError

VOCABULARY_FILE = "class_tags.toml"
PENDING_FILE = "pending.toml"
NOT_MONOGRAPHS = {VOCABULARY_FILE, PENDING_FILE}  # bundled TOML that describes the data
ENV_DATA = "MEDINFO_DATA"


class DataDir(NamedTuple):
    path: Path
    user: bool


class DataFile(NamedTuple):
    id: str
    path: str  # a plain string: tens of thousands are made per scan
    user: bool
    size: int
    mtime_ns: int


def bundled_root() -> Path:
    """The bundled `data/`: `medinfo/_data` inside the installed wheel, or the
    checkout's own folder when running from source (an editable install).

    Found beside this file rather than through importlib.resources: the index
    needs real directories to stat, so medinfo never runs from a zip, and
    importlib.resources would import zipfile on every run for nothing."""
    here = Path(__file__).parent
    packaged = here / "_data"
    return packaged if packaged.is_dir() else here.parents[1] / "data"


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
    from medinfo.schema import read_table

    return frozenset(read_table(bundled_root() / VOCABULARY_FILE, "tags"))


def list_dir(path: str, user: bool) -> tuple[list[DataFile], list[str]]:
    """The monograph files directly in one directory, and its subdirectories."""
    files: list[DataFile] = []
    subdirs: list[str] = []
    try:
        entries = list(os.scandir(path))
    except OSError:
        return files, subdirs
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                subdirs.append(entry.path)
            elif entry.name.endswith(".toml") and entry.name not in NOT_MONOGRAPHS:
                st = entry.stat()
                files.append(
                    DataFile(entry.name[:-5], entry.path, user, st.st_size, st.st_mtime_ns)
                )
        except OSError:  # removed while we looked
            continue
    return files, subdirs


def pending() -> dict[str, str]:
    """Drug ids whose monographs are written but not yet shipped (data/pending.toml),
    with the reason; other monographs may already refer to them."""
    from medinfo.schema import read_table

    table = read_table(bundled_root() / PENDING_FILE, "pending")
    return {ident: str(entry["reason"]) for ident, entry in table.items()}


def scan(directory: DataDir) -> Iterator[DataFile]:
    """Every monograph file below one directory, with the stat the index keys on."""
    stack = [str(directory.path)]
    while stack:
        files, subdirs = list_dir(stack.pop(), directory.user)
        yield from files
        stack.extend(subdirs)


class Catalog(NamedTuple):
    """The winning file for each id, and which bundled files users replaced."""

    files: dict[str, DataFile]
    replaced: dict[str, str]


def catalog(files: Sequence[DataFile]) -> Catalog:
    """Apply precedence: a user file replaces a bundled one; two user files with
    one id are an error, since neither can be trusted to be the intended one."""
    winners: dict[str, DataFile] = {}
    replaced: dict[str, str] = {}
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
