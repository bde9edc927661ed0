"""The derived index: a SQLite file holding the name table, the drug list and
FTS5 full-text indexes of every monograph (names and uses; every other section).

The TOML files stay the single source of truth. The index is keyed to them by
path, size and modification time, refreshed incrementally when they change, and
written so that a crash or a second process never leaves a broken file: a full
build goes to a temporary file that is renamed into place, an incremental one
is a single SQLite transaction, and writers take a lock file in turn.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from medinfo import dataset, schema
from medinfo.errors import CacheError, InvalidMonograph
from medinfo.model import Monograph, SideEffects
from medinfo.sections import SECTIONS
from medinfo.text import combo_key, squash

INDEX_VERSION = "3"
# Below this many files every file is stat'ed on each run, so in-place edits are
# seen at once; above it only directory times are compared (a file added,
# removed or renamed), and `medinfo index` does the full check.
FULL_CHECK_MAX_FILES = 2000
ENV_CACHE = "MEDINFO_CACHE_DIR"

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files(path TEXT PRIMARY KEY, dir TEXT NOT NULL, id TEXT NOT NULL,
    user INTEGER NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, error TEXT);
CREATE INDEX files_dir ON files(dir);
CREATE INDEX files_id ON files(id);
CREATE TABLE drugs(id TEXT PRIMARY KEY, path TEXT NOT NULL, user INTEGER NOT NULL,
    replaces TEXT, name TEXT NOT NULL, brands TEXT NOT NULL, drug_class TEXT NOT NULL,
    class_tags TEXT NOT NULL, rx_status TEXT NOT NULL, controlled TEXT, boxed INTEGER NOT NULL,
    head_row INTEGER NOT NULL, fts_first INTEGER NOT NULL, fts_last INTEGER NOT NULL);
CREATE TABLE names(key TEXT NOT NULL, klen INTEGER NOT NULL, id TEXT NOT NULL,
    kind TEXT NOT NULL, label TEXT NOT NULL);
CREATE INDEX names_key ON names(key);
CREATE INDEX names_klen ON names(klen);
CREATE INDEX names_id ON names(id);
CREATE VIRTUAL TABLE head USING fts5(names, uses, id UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE fts USING fts5(body, id UNINDEXED, section UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 2');
"""

Progress = Callable[[int, int], None]


class Status(NamedTuple):
    path: str
    in_memory: bool
    files: int
    drugs: int
    invalid: int
    stale: bool
    size_bytes: int


def cache_dir() -> Path:
    env = os.environ.get(ENV_CACHE)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("medinfo", appauthor=False))


def _index_path(dirs: Sequence[dataset.DataDir]) -> Path:
    key = "\n".join(f"{int(d.user)}:{d.path}" for d in dirs)
    # a short key is enough: a collision only makes the stamps look stale
    digest = f"{zlib.crc32(key.encode('utf-8', 'surrogateescape')):08x}"
    return cache_dir() / f"index-v{INDEX_VERSION}-{digest}.sqlite3"


class Index:
    """An open, fresh index. Queries live in `resolve` and `search`; this class
    owns only the connection and keeping it in step with the files."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, notices: list[str]) -> None:
        self.conn = conn
        self.path = path
        self.notices = notices

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.conn.close()

    def invalid_count(self) -> int:
        row = self.conn.execute("SELECT count(*) FROM files WHERE error IS NOT NULL").fetchone()
        return int(row[0])

    def status(self, dirs: Sequence[dataset.DataDir]) -> Status:
        files = int(self.conn.execute("SELECT count(*) FROM files").fetchone()[0])
        drugs = int(self.conn.execute("SELECT count(*) FROM drugs").fetchone()[0])
        stale = _stale(self.conn, dirs, full=True)
        size = self.path.stat().st_size if self.path and self.path.exists() else 0
        return Status(
            str(self.path) if self.path else ":memory:",
            self.path is None,
            files,
            drugs,
            self.invalid_count(),
            stale,
            size,
        )


def open_index(
    dirs: Sequence[dataset.DataDir],
    *,
    rebuild: bool = False,
    progress: Callable[[int], Progress | None] | None = None,
) -> Index:
    """Open the index for these data directories, building or refreshing it first
    when the files changed. `progress(total)` may return a callback for long builds."""
    path = _index_path(dirs)
    notices: list[str] = []
    if not rebuild:
        conn = _connect_existing(path)
        if conn is not None and not _stale(conn, dirs, full=False):
            return Index(conn, path, notices)
        if conn is not None:
            conn.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _writer_lock(path):
            conn = None if rebuild else _connect_existing(path)
            if conn is None:
                _build_file(path, dirs, progress)
                conn = _connect_existing(path)
                if conn is None:
                    raise CacheError(f"The index at {path} could not be read after building it.")
            else:
                _update(conn, dirs, progress)
            return Index(conn, path, notices)
    except OSError as exc:  # read-only or missing cache directory, full disk
        notices.append(
            f"cannot write the index cache in {path.parent} ({exc.strerror or exc}); "
            "built it in memory for this run"
        )
    except sqlite3.Error as exc:
        notices.append(f"cannot write the index cache ({exc}); built it in memory for this run")
    conn = sqlite3.connect(":memory:")
    conn.executescript(_SCHEMA)
    _update(conn, dirs, progress)
    return Index(conn, None, notices)


def _connect_existing(path: Path) -> sqlite3.Connection | None:
    """A connection to a usable index file, or None if it is missing, corrupt,
    or of another version (the caller then rebuilds it)."""
    try:
        size = path.stat().st_size
    except OSError:
        return None
    conn = None
    try:
        conn = sqlite3.connect(path, timeout=30)
        # a truncated file still answers its first pages: compare its length
        # with the page count its header records
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        row = conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if pages * page_size == size and row is not None and row[0] == INDEX_VERSION:
            return conn
    except sqlite3.Error:
        pass
    if conn is not None:
        conn.close()
    return None


@contextlib.contextmanager
def _writer_lock(path: Path) -> Iterator[None]:
    """Serialise writers across processes; readers never wait."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: rename and transactions still protect
        yield
        return
    with open(path.with_suffix(".lock"), "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _build_file(
    path: Path,
    dirs: Sequence[dataset.DataDir],
    progress: Callable[[int], Progress | None] | None,
) -> None:
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.executescript(_SCHEMA)
            _update(conn, dirs, progress)
            conn.execute("INSERT INTO head(head) VALUES ('optimize')")
            conn.execute("INSERT INTO fts(fts) VALUES ('optimize')")
            conn.commit()
        finally:
            conn.close()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _stale(conn: sqlite3.Connection, dirs: Sequence[dataset.DataDir], *, full: bool) -> bool:
    """Whether the files changed since the index was written: a directory
    changed (a file added, removed or renamed), or, for small datasets and for
    `medinfo index`, any file's size or time changed."""
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        stamps = _decode_stamps(meta["dirs"])
        nfiles = int(meta["files"])
    except (sqlite3.Error, KeyError, ValueError):
        return True
    if {str(d.path) for d in dirs} - set(stamps):
        return True
    for directory, stamp in stamps.items():
        try:
            if os.stat(directory).st_mtime_ns != stamp:
                return True
        except OSError:
            return True
    if not full and nfiles > FULL_CHECK_MAX_FILES:
        return False
    recorded = {
        row[0]: (row[1], row[2]) for row in conn.execute("SELECT path, size, mtime_ns FROM files")
    }
    current = {f.path: (f.size, f.mtime_ns) for d in dirs for f in dataset.scan(d)}
    return recorded != current


def _encode_stamps(stamps: dict[str, int]) -> str:
    return "".join(f"{mtime}\t{path}\n" for path, mtime in stamps.items())


def _decode_stamps(text: str) -> dict[str, int]:
    stamps = {}
    for line in text.splitlines():
        mtime, _, path = line.partition("\t")
        stamps[path] = int(mtime)
    return stamps


# lists are stored one item a line (names never hold a newline), so reading a
# row needs no JSON parser on the hot path
def join(items: Sequence[str]) -> str:
    return "\n".join(items)


def split(text: str) -> tuple[str, ...]:
    return tuple(text.split("\n")) if text else ()


def _walk(
    dirs: Sequence[dataset.DataDir], old: dict[str, int], everything: bool
) -> tuple[dict[str, int], dict[str, list[dataset.DataFile]]]:
    """New directory stamps, and the files of every directory that must be
    listed again: those whose time changed, or all of them when `everything`.
    An unchanged directory has the same entries, so its subdirectories are
    known from the old stamps without listing it."""
    children: dict[str, list[str]] = {}
    for path in old:
        children.setdefault(os.path.dirname(path), []).append(path)
    stamps: dict[str, int] = {}
    listed: dict[str, list[dataset.DataFile]] = {}
    for root in dirs:
        stack = [str(root.path)]
        while stack:
            current = stack.pop()
            try:
                stamp = os.stat(current).st_mtime_ns
            except OSError:
                continue
            stamps[current] = stamp
            if everything or old.get(current) != stamp:
                files, subdirs = dataset.list_dir(current, root.user)
                listed[current] = files
                stack.extend(subdirs)
            else:
                stack.extend(children.get(current, ()))
    return stamps, listed


def _update(
    conn: sqlite3.Connection,
    dirs: Sequence[dataset.DataDir],
    progress: Callable[[int], Progress | None] | None,
) -> None:
    """Bring the tables in step with the files, listing only the directories
    that changed and parsing only the files that changed. A full build is this
    same step run on empty tables."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        old_stamps = _decode_stamps(meta.get("dirs", ""))
        nfiles = int(meta.get("files", "0"))
        everything = nfiles <= FULL_CHECK_MAX_FILES
        stamps, listed = _walk(dirs, old_stamps, everything)
        looked = set(listed) | (set(old_stamps) - set(stamps))
        old: dict[str, tuple[str, int, int]] = {}
        for d in looked:
            for path, ident, size, mtime in conn.execute(
                "SELECT path, id, size, mtime_ns FROM files WHERE dir = ?", (d,)
            ):
                old[path] = (ident, size, mtime)
        now = {f.path: f for files in listed.values() for f in files}
        changed = [f for p, f in now.items() if p not in old or old[p][1:] != (f.size, f.mtime_ns)]
        removed = [p for p in old if p not in now]
        ids = sorted({f.id for f in changed} | {old[p][0] for p in removed})
        conn.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in removed])
        tick = progress(len(ids)) if progress and len(ids) >= 300 else None
        tags = dataset.vocabulary()
        fresh: dict[str, list[dataset.DataFile]] = {}
        for f in now.values():
            fresh.setdefault(f.id, []).append(f)
        for done, ident in enumerate(ids, start=1):
            # every file that claims this id: fresh ones, and recorded ones elsewhere
            candidates = list(fresh.get(ident, ()))
            for path, user, size, mtime in conn.execute(
                "SELECT path, user, size, mtime_ns FROM files WHERE id = ?", (ident,)
            ):
                if path not in now:
                    candidates.append(dataset.DataFile(ident, path, bool(user), size, mtime))
            candidates.sort(key=lambda f: f.user)
            cat = dataset.catalog(candidates)
            _drop(conn, ident)
            chosen = cat.files.get(ident)
            for f in candidates:
                error = None
                if f is chosen:
                    try:
                        replaced = cat.replaced.get(ident)
                        _insert(conn, schema.parse_file(Path(f.path), tags), f, replaced)
                    except InvalidMonograph as exc:
                        error = str(exc)
                conn.execute(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (str(f.path), os.path.dirname(f.path), f.id, int(f.user), f.size,
                     f.mtime_ns, error),
                )  # fmt: skip
            if tick:
                tick(done, len(ids))
        nfiles += len([f for f in changed if f.path not in old]) - len(removed)
        conn.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            [("version", INDEX_VERSION), ("dirs", _encode_stamps(stamps)), ("files", str(nfiles))],
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _drop(conn: sqlite3.Connection, ident: str) -> None:
    row = conn.execute(
        "SELECT head_row, fts_first, fts_last FROM drugs WHERE id = ?", (ident,)
    ).fetchone()
    if row:
        conn.execute("DELETE FROM head WHERE rowid = ?", row[:1])
        conn.execute("DELETE FROM fts WHERE rowid BETWEEN ? AND ?", row[1:])
    conn.execute("DELETE FROM drugs WHERE id = ?", (ident,))
    conn.execute("DELETE FROM names WHERE id = ?", (ident,))


def name_keys(m: Monograph) -> Iterator[tuple[str, str, str]]:
    """(key, kind, label) for every name a user may type for this drug."""
    named = [(m.id, "id"), (m.name, "name")]
    named += [(b, "brand") for b in m.brands] + [(o, "other_name") for o in m.other_names]
    for label, kind in named:
        for key in {squash(label), combo_key(label)}:
            if key:
                yield key, kind, label


def section_texts(m: Monograph) -> Iterator[tuple[str, str]]:
    """Each section as searchable plain text, in registry order."""
    for section in SECTIONS:
        if section.kind == "interactions":
            text = " ".join(f"{' '.join(i.with_)} {i.effect} {i.advice}" for i in m.interactions)
        else:
            content = m.sections[section.id]
            if isinstance(content, str):
                text = content
            elif isinstance(content, SideEffects):
                text = " ".join((*content.common, *content.serious))
            else:
                text = " ".join(
                    x if isinstance(x, str) else f"{x.id or x.name} {x.note}" for x in content
                )
        if text:
            yield section.id, text


def _insert(
    conn: sqlite3.Connection, m: Monograph, f: dataset.DataFile, replaced: str | None
) -> None:
    conn.executemany(
        "INSERT INTO names VALUES (?, ?, ?, ?, ?)",
        [(k, len(k), m.id, kind, label) for k, kind, label in name_keys(m)],
    )
    # names and uses live in a table of their own, one row per drug, so that
    # BM25 measures their length against other drugs' names and uses; in one
    # table with the section rows, mostly empty columns would skew the lengths
    # and sink a hit in the uses below a passing mention in the body
    names = " ".join([m.name, *m.brands, *m.other_names, m.drug_class])
    texts = dict(section_texts(m))
    cur = conn.execute(
        "INSERT INTO head(names, uses, id) VALUES (?, ?, ?)", (names, texts.pop("uses", ""), m.id)
    )
    head_row = int(cur.lastrowid or 0)
    if m.boxed_warning:
        box = m.boxed_warning
        texts = {"boxed-warning": " ".join((box.topic, *box.points)), **texts}
    first = last = 0
    for sid, text in texts.items():
        cur = conn.execute("INSERT INTO fts(body, id, section) VALUES (?, ?, ?)", (text, m.id, sid))
        last = int(cur.lastrowid or 0)
        first = first or last
    conn.execute(
        "INSERT INTO drugs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            m.id,
            f.path,
            int(f.user),
            replaced,
            m.name,
            join(m.brands),
            m.drug_class,
            join(m.class_tags),
            m.rx_status,
            m.controlled_substance,
            int(m.boxed_warning is not None),
            head_row,
            first,
            last,
        ),
    )
