"""The query layer's entry points: look a drug up, list drugs.

Functions here return model objects and never print; the CLI picks a renderer.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from medinfo import dataset, schema
from medinfo.index import Index, split
from medinfo.model import Alternative, DrugSummary, Lookup, Origin
from medinfo.resolve import names_starting, resolve
from medinfo.schema import Problem
from medinfo.text import squash


def lookup(index: Index, query: str) -> Lookup:
    """Resolve a name and parse only that drug's file."""
    match = resolve(index, query)
    path, user, replaces, size, mtime = index.conn.execute(
        "SELECT drugs.path, drugs.user, drugs.replaces, files.size, files.mtime_ns "
        "FROM drugs JOIN files ON files.path = drugs.path WHERE drugs.id = ?",
        (match.id,),
    ).fetchone()
    try:
        st = os.stat(path)
        unchanged = (st.st_size, st.st_mtime_ns) == (size, mtime)
    except OSError:
        unchanged = False
    if unchanged:  # checked against the schema when it was indexed
        monograph = schema.build(schema.load_toml(Path(path))[0])
    else:  # edited since: check it again before showing it
        monograph = schema.parse_file(Path(path), dataset.vocabulary())
    alternatives = monograph.sections["alternatives"]
    if isinstance(alternatives, tuple):
        named = tuple(_with_display(index, a) for a in alternatives if isinstance(a, Alternative))
        monograph.sections["alternatives"] = named
    return Lookup(monograph, match, Origin(path, bool(user), replaces))


def _with_display(index: Index, alt: Alternative) -> Alternative:
    if alt.id is None:
        return alt
    row = index.conn.execute("SELECT name FROM drugs WHERE id = ?", (alt.id,)).fetchone()
    return alt._replace(display=row[0] if row else "")


def list_drugs(
    index: Index, *, tag: str | None = None, rx_status: str | None = None
) -> Iterator[DrugSummary]:
    """Every drug in id order, read from the index so no file is parsed; a
    generator, so `list --json` streams at any size."""
    sql = "SELECT id, name, brands, drug_class, class_tags, rx_status, controlled, boxed FROM drugs"
    where, params = [], []
    if tag:
        where.append("instr(char(10) || class_tags || char(10), ?) > 0")
        params.append(f"\n{tag}\n")
    if rx_status == "rx":
        where.append("rx_status IN ('rx', 'both')")
    elif rx_status == "otc":
        where.append("rx_status IN ('otc', 'both')")
    if where:
        sql += " WHERE " + " AND ".join(where)
    for row in index.conn.execute(sql + " ORDER BY id", params):
        yield DrugSummary(
            row[0], row[1], split(row[2]), row[3], split(row[4]),
            row[5], row[6], bool(row[7]),
        )  # fmt: skip


def complete_names(index: Index, prefix: str, limit: int = 50) -> list[str]:
    """Names that start with what the user typed, shortest first, for shell completion."""
    labels = (label for _, label, _ in names_starting(index, squash(prefix), limit))
    return list(dict.fromkeys(labels))


def validate(paths: Sequence[Path], data_dirs: Sequence[Path]) -> tuple[int, list[Problem]]:
    """Check files (or every file of the data directories) against the schema and
    their references against every drug id there; (files checked, problems)."""
    dirs = dataset.data_dirs(data_dirs)
    ids = {f.id for d in dirs for f in dataset.scan(d)} | set(dataset.pending())
    targets: list[Path] = []
    for p in paths or [d.path for d in dirs]:
        if p.is_dir():
            targets.extend(sorted(Path(f.path) for f in dataset.scan(dataset.DataDir(p, True))))
        else:
            targets.append(p)
            ids.add(p.stem)
    return len(targets), schema.validate_files(targets, dataset.vocabulary(), ids)
