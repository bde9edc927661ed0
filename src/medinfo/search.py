"""Full-text search over the FTS5 index, ranked by BM25 with field weights.

Drugs whose names or uses match come before drugs that only mention the words
elsewhere, so `search seizure` puts the antiseizure drugs above those that
merely warn about seizures, however often they warn; within each group a hit
in the names counts most, then one in the uses, then the rest of the text.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from medinfo.errors import NoResults, UsageError
from medinfo.index import Index, split
from medinfo.model import SearchHit, Snippet
from medinfo.text import clean

WEIGHTS = (10.0, 4.0, 1.0)  # names, uses, any other section
CANDIDATE_ROWS = 200  # best rows read per table (at least 20 per result asked for)
SNIPPETS_PER_HIT = 2
_OPEN, _CLOSE = "\x02", "\x03"
_TOKEN = re.compile(r'"([^"]*)"|(\w+)')


class _Row(NamedTuple):
    score: float  # BM25 times the section's weight: lower is better
    ident: str
    table: str
    rowid: int
    column: int
    section: str


def fts_query(query: str) -> str:
    """User words as an FTS5 expression: each word and each quoted phrase must
    appear; no user character is ever read as FTS syntax."""
    parts = []
    for phrase, word in _TOKEN.findall(clean(query, single_line=True)):
        words = re.findall(r"\w+", phrase) if phrase else [word]
        if words:
            parts.append('"' + " ".join(words) + '"')
    if not parts:
        raise UsageError(
            "Give some words to search for, such as 'seizure' or \"high blood pressure\"."
        )
    return " ".join(parts)


def search(
    index: Index, query: str, *, section: str | None = None, limit: int = 10
) -> list[SearchHit]:
    match = fts_query(query)
    want = max(CANDIDATE_ROWS, limit * 20)
    rows: list[_Row] = []
    if section in (None, "uses"):
        rows += _head_rows(index, match, section, want)
    if section != "uses":
        rows += _body_rows(index, match, section, want)
    if not rows:
        raise NoResults(f"No monograph matches {clean(query, single_line=True)!r}.")
    grouped: dict[str, list[_Row]] = {}
    for row in rows:
        grouped.setdefault(row.ident, []).append(row)
    # drugs named for the words or used for them come first, whatever the
    # number of passing mentions elsewhere; then best row plus a share of the
    # others: many mentions help, one strong one helps most
    scored = sorted(
        (
            all(r.table != "head" for r in found),
            found[0].score + 0.3 * sum(r.score for r in found[1:]),
            ident,
            found,
        )
        for ident, found in ((i, sorted(f)) for i, f in grouped.items())
    )[:limit]
    hits = []
    for _, score, ident, found in scored:
        name, brands = index.conn.execute(
            "SELECT name, brands FROM drugs WHERE id = ?", (ident,)
        ).fetchone()
        # a hit in the names or uses says best why the drug is listed: show it first
        shown = sorted(found, key=lambda r: (r.table != "head", r.score))[:SNIPPETS_PER_HIT]
        snippets = tuple(_snippet(index, match, row) for row in shown)
        hits.append(SearchHit(ident, name, split(brands), round(-score, 3), snippets))
    return hits


def _head_rows(index: Index, match: str, section: str | None, want: int) -> list[_Row]:
    """Hits in drug names and uses, one row per drug, each column scored on its own."""
    names_w, uses_w, _ = WEIGHTS
    if section == "uses":
        match, names_w = f"uses : ({match})", 0.0
    found = index.conn.execute(
        f"SELECT rowid, bm25(head, {names_w}, 0), bm25(head, 0, {uses_w}) FROM head "
        f"WHERE head MATCH ? ORDER BY bm25(head, {names_w}, {uses_w}) LIMIT ?",
        (match, want),
    ).fetchall()
    owner = _read(index, "head", "id", [r[0] for r in found])
    rows = []
    for rowid, *scores in found:
        for column, (score, label) in enumerate(zip(scores, ("names", "uses"), strict=True)):
            if score < 0:  # 0: no hit in this column
                rows.append(_Row(score, owner[rowid][0], "head", rowid, column, label))
    return rows


def _body_rows(index: Index, match: str, section: str | None, want: int) -> list[_Row]:
    sql = "SELECT rowid, bm25(fts) * ? FROM fts WHERE fts MATCH ?"
    params: list[object] = [WEIGHTS[2], match]
    if section:
        sql += " AND section = ?"
        params.append(section)
    found = index.conn.execute(sql + " ORDER BY 2 LIMIT ?", [*params, want]).fetchall()
    where = _read(index, "fts", "id, section", [r[0] for r in found])
    return [
        _Row(score, where[rowid][0], "fts", rowid, 0, where[rowid][1]) for rowid, score in found
    ]


def _read(index: Index, table: str, columns: str, rowids: list[int]) -> dict[int, tuple[str, ...]]:
    """Content of the given rows: read after ranking, for the best rows alone,
    because reading a row costs more than scoring it."""
    marks = ",".join("?" * len(rowids))
    sql = f"SELECT rowid, {columns} FROM {table} WHERE rowid IN ({marks})"
    return {row[0]: row[1:] for row in index.conn.execute(sql, rowids)}


def _snippet(index: Index, match: str, row: _Row) -> Snippet:
    (raw,) = index.conn.execute(
        f"SELECT snippet({row.table}, {row.column}, '{_OPEN}', '{_CLOSE}', '…', 18) "
        f"FROM {row.table} WHERE {row.table} MATCH ? AND rowid = ?",
        (match, row.rowid),
    ).fetchone()
    text, spans, pos = [], [], 0
    for piece in re.split(f"({_OPEN}|{_CLOSE})", raw):
        if piece == _OPEN:
            start = pos
        elif piece == _CLOSE:
            spans.append((start, pos))
        else:
            text.append(piece)
            pos += len(piece)
    return Snippet(row.section, "".join(text), tuple(spans))
