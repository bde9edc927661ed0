"""The section registry: the one place that names a monograph's sections.

The schema checks, the `--section` choices, the per-section subcommands, the
renderers and the search index all read this tuple, so adding a section here
adds it everywhere.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from medinfo.errors import UnknownSection

SectionKind = Literal["text", "list", "side-effects", "interactions", "alternatives"]


class Section(NamedTuple):
    id: str
    title: str
    kind: SectionKind
    summary: str
    aliases: tuple[str, ...] = ()


SECTIONS: tuple[Section, ...] = (
    Section("overview", "Overview", "text", "what it is and how it works", ("about", "summary")),
    Section("uses", "Uses", "list", "what it treats", ("indications", "use", "used-for")),
    Section(
        "how-to-take", "How to take it", "list", "how to take it", ("how-to-use", "administration")
    ),
    Section(
        "dosage",
        "Dosage",
        "list",
        "forms, strengths, usual adult dosing and maximums",
        ("dose", "doses", "dosing", "strengths"),
    ),
    Section("missed-dose", "Missed dose", "text", "what to do about a missed dose", ("missed",)),
    Section(
        "side-effects",
        "Side effects",
        "side-effects",
        "common and serious side effects",
        ("adverse-reactions", "adverse-effects", "effects"),
    ),
    Section(
        "side-effect-actions",
        "What to do about side effects",
        "list",
        "when to call a doctor, when to get emergency help",
        ("when-to-call", "emergency", "actions"),
    ),
    Section(
        "contraindications",
        "When not to take it",
        "list",
        "conditions in which it must not be taken",
        ("contra", "when-not-to-take", "do-not-take"),
    ),
    Section("warnings", "Warnings", "list", "warnings and precautions", ("precautions", "warning")),
    Section(
        "interactions",
        "Interactions",
        "interactions",
        "medicines and substances it interacts with",
        ("drug-interactions", "interaction"),
    ),
    Section(
        "pregnancy",
        "Pregnancy and breastfeeding",
        "text",
        "pregnancy and breastfeeding",
        ("breastfeeding", "lactation", "pregnancy-and-breastfeeding"),
    ),
    Section(
        "stopping",
        "Stopping, dependence and withdrawal",
        "text",
        "dependence, withdrawal and how stopping is done",
        ("withdrawal", "dependence", "discontinuation"),
    ),
    Section("overdose", "Overdose", "text", "signs of overdose and what to do", ("overdosage",)),
    Section("storage", "Storage", "text", "how to store and dispose of it", ("store", "disposal")),
    Section(
        "alternatives",
        "Alternatives",
        "alternatives",
        "other treatments for the same use",
        ("alternative", "similar", "instead"),
    ),
)

SECTION_IDS: tuple[str, ...] = tuple(s.id for s in SECTIONS)
BY_ID: dict[str, Section] = {s.id: s for s in SECTIONS}


def _squash(name: str) -> str:
    """Aliases match whatever the user typed between words: `side_effects`,
    `side effects` and `sideeffects` are one name."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


_LOOKUP: dict[str, Section] = {
    _squash(name): section for section in SECTIONS for name in (section.id, *section.aliases)
}


def resolve_section(name: str) -> Section:
    section = _LOOKUP.get(_squash(name))
    if section is None:
        raise UnknownSection(name, nearest_sections(name))
    return section


def nearest_sections(name: str, limit: int = 3) -> list[str]:
    """The ids a mistyped section name most resembles, for the usage hint."""
    import difflib

    names = difflib.get_close_matches(_squash(name), list(_LOOKUP), n=limit * 2, cutoff=0.5)
    ids: list[str] = []
    for n in names:
        sid = _LOOKUP[n].id
        if sid not in ids:
            ids.append(sid)
    return ids[:limit] or list(SECTION_IDS[:limit])
