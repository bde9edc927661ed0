"""Finding the drug the user meant, and refusing to guess when it is unclear.

Exact names (any case, spacing or punctuation; brands; other names; strengths
and forms stripped) resolve silently. A small misspelling of a long name
resolves with a visible notice. Anything that could be two drugs stops with a
ranked "did you mean" list, since showing the wrong drug is the one failure a
drug reference must not have.
"""

from __future__ import annotations

import re

from medinfo.errors import AmbiguousName, DrugNotFound, UsageError
from medinfo.index import Index
from medinfo.model import Match, MatchKind
from medinfo.text import clean, combo_key, squash

MIN_FUZZY_LENGTH = 6
MAX_FUZZY_DISTANCE = 2
_KIND_ORDER: dict[str, int] = {"id": 0, "name": 1, "brand": 2, "other_name": 3}

_UNIT = r"(?:mg|mcg|µg|ug|g|gm|kg|ml|l|iu|units?|u|meq|mmol|%|mg/ml|mcg/ml|mg/5ml|units/ml|puffs?)"
_STRENGTH = re.compile(rf"^(?:\d+(?:[.,]\d+)?(?:/\d+(?:[.,]\d+)?)*{_UNIT}?|{_UNIT})$")
_FORM_WORDS = frozenset(
    """tablet tablets tab tabs capsule capsules cap caps pill pills oral solution suspension
    syrup liquid elixir injection injectable pen vial cream ointment gel lotion patch spray nasal
    inhaler inhalation aerosol drops drop eye ear chewable odt er xr sr cr xl la dr ec ir
    extended delayed immediate release sustained controlled orally disintegrating film
    suppository powder granules packet kit generic brand""".split()
)


def strip_strength(query: str) -> str:
    """`Klonopin 2 mg`, `clonazepam 0.5mg tablets` -> the drug name alone."""
    words = query.split()
    while len(words) > 1:
        last = words[-1].casefold().strip(".,;:()")
        if _STRENGTH.match(last) or last in _FORM_WORDS:
            words.pop()
        else:
            break
    return " ".join(words)


def resolve(index: Index, query: str) -> Match:
    """The one drug a query names, or an error that says why there is none."""
    shown = clean(query, single_line=True).strip()
    if not squash(shown):
        raise UsageError("Give a drug name, such as 'clonazepam' or 'Klonopin'.")
    stripped = strip_strength(shown)
    for text in dict.fromkeys((shown, stripped)):
        for key in (squash(text), combo_key(text)):
            if key:
                match = _exact(index, shown, key)
                if match:
                    return match
    return _fuzzy(index, shown, squash(stripped))


def _exact(index: Index, query: str, key: str) -> Match | None:
    rows = index.conn.execute(
        "SELECT names.id, names.kind, names.label, drugs.name FROM names "
        "JOIN drugs ON drugs.id = names.id WHERE key = ?",
        (key,),
    ).fetchall()
    if not rows:
        return None
    ids = {r[0] for r in rows}
    if len(ids) > 1:
        labels = [f"{r[3]} (id {r[0]})" for r in rows]
        raise AmbiguousName(query, sorted(set(labels)))
    best = min(rows, key=lambda r: _KIND_ORDER[r[1]])
    kind: MatchKind = best[1]
    return Match(query=query, id=best[0], name=best[3], kind=kind, matched=best[2])


def _fuzzy(index: Index, query: str, key: str) -> Match:
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    rows = index.conn.execute(
        "SELECT names.key, names.id, names.label, drugs.name FROM names "
        "JOIN drugs ON drugs.id = names.id WHERE klen BETWEEN ? AND ?",
        (len(key) - 3, len(key) + 3),
    ).fetchall()
    found = process.extract(
        key, [r[0] for r in rows], scorer=OSA.distance, score_cutoff=3, limit=None
    )
    best: dict[str, tuple[int, str, str]] = {}  # id -> (distance, label, name)
    for _, distance, i in sorted(found, key=lambda f: f[1]):
        row = rows[i]
        if row[1] not in best:
            best[row[1]] = (int(distance), row[2], row[3])
    ranked = sorted(best.items(), key=lambda item: (item[1][0], item[1][1]))
    if ranked:
        ident, (distance, label, name) = ranked[0]
        runner_up = ranked[1][1][0] if len(ranked) > 1 else None
        if (
            distance <= MAX_FUZZY_DISTANCE
            and len(key) >= MIN_FUZZY_LENGTH
            and len(squash(label)) >= MIN_FUZZY_LENGTH
            and (runner_up is None or runner_up > distance + 1)
        ):
            return Match(query, ident, name, "fuzzy", label, distance)
        # a short query is "close" to every short name: scale the reach to its length
        reach = min(3, max(1, len(key) // 3))
        if distance <= reach:
            near = [r for r in ranked if r[1][0] <= max(reach, distance + 1)][:5]
            suggestions = [_label(label, name) for _, (_, label, name) in near]
            if len(suggestions) > 1:
                raise AmbiguousName(query, suggestions)
            raise DrugNotFound(query, suggestions)
    raise DrugNotFound(query, _prefix_suggestions(index, key))


def _label(label: str, name: str) -> str:
    return label if squash(label) == squash(name) else f"{label} ({name})"


def names_starting(index: Index, key: str, limit: int = 50) -> list[tuple[str, str, str]]:
    """(drug id, name as written, drug name) for every name whose key starts
    with `key`, shortest first: "did you mean" lists and shell completion."""
    rows = index.conn.execute(
        "SELECT names.id, names.label, drugs.name FROM names JOIN drugs ON drugs.id = names.id "
        "WHERE key >= ? AND key < ? ORDER BY klen LIMIT ?",
        (key, key + "\uffff", limit),
    )
    return [(row[0], row[1], row[2]) for row in rows]


def _prefix_suggestions(index: Index, key: str) -> list[str]:
    if len(key) < 3:
        return []
    first: dict[str, str] = {}
    for ident, label, name in names_starting(index, key):
        first.setdefault(ident, _label(label, name))
    return list(first.values())[:5]
