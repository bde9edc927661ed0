"""Full-text search over the FTS5 index, ranked by BM25 with field weights.

A hit in a drug's names counts most, then its uses, then the rest of the text,
so `search seizure` puts the antiseizure drugs above those that merely warn
about seizures.
"""

from __future__ import annotations

import re

from medinfo.errors import NoResults, UsageError
from medinfo.index import Index, split
from medinfo.model import SearchHit, Snippet
from medinfo.text import clean

WEIGHTS = (10.0, 4.0, 1.0)  # names, uses, body
CANDIDATE_ROWS = 200  # best-ranked rows read per search (at least 20 per result asked for)
SNIPPETS_PER_HIT = 2
_OPEN, _CLOSE = "\x02", "\x03"
_TOKEN = re.compile(r'"([^"]*)"|(\w+)')


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
    weights = ", ".join(str(w) for w in WEIGHTS)
    # rank rowids only: reading each match's drug and section from the content
    # table costs more than ranking it, so that is done for the best rows alone
    sql = f"SELECT rowid, bm25(fts, {weights}) FROM fts WHERE fts MATCH ?"
    params: list[object] = [match]
    if section:
        sql += " AND section = ?"
        params.append(section)
    sql += " ORDER BY 2 LIMIT ?"
    params.append(max(CANDIDATE_ROWS, limit * 20))
    scores = dict(index.conn.execute(sql, params).fetchall())
    if not scores:
        raise NoResults(f"No monograph matches {clean(query, single_line=True)!r}.")
    marks = ",".join("?" * len(scores))
    where = index.conn.execute(
        f"SELECT rowid, id, section FROM fts WHERE rowid IN ({marks})", list(scores)
    ).fetchall()
    grouped: dict[str, list[tuple[int, str, float]]] = {}
    for rowid, ident, sec in sorted(where, key=lambda r: scores[r[0]]):
        grouped.setdefault(ident, []).append((rowid, sec, scores[rowid]))
    # best row plus a share of the others: many mentions help, one strong one helps most
    ranked = sorted(
        grouped.items(), key=lambda kv: kv[1][0][2] + 0.3 * sum(r[2] for r in kv[1][1:])
    )[:limit]
    hits = []
    for ident, found in ranked:
        name, brands = index.conn.execute(
            "SELECT name, brands FROM drugs WHERE id = ?", (ident,)
        ).fetchone()
        score = -(found[0][2] + 0.3 * sum(r[2] for r in found[1:]))
        snippets = tuple(
            _snippet(index, match, rowid, sec) for rowid, sec, _ in found[:SNIPPETS_PER_HIT]
        )
        hits.append(SearchHit(ident, name, split(brands), round(score, 3), snippets))
    return hits


def _snippet(index: Index, match: str, rowid: int, section: str) -> Snippet:
    (raw,) = index.conn.execute(
        f"SELECT snippet(fts, -1, '{_OPEN}', '{_CLOSE}', '…', 18) FROM fts "
        "WHERE fts MATCH ? AND rowid = ?",
        (match, rowid),
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
    return Snippet(section if section != "name" else "names", "".join(text), tuple(spans))
