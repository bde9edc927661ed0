"""What a screen shows, decided once: the query layer's objects become a list of
blocks (headings, bullets, tables, warnings) that the plain and Rich renderers
draw, so the two outputs can never disagree on content or order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple

from medinfo.model import (
    SEVERITY_RANK,
    Alternative,
    DrugSummary,
    Interaction,
    Lookup,
    Monograph,
    SearchHit,
    SideEffects,
)
from medinfo.sections import BY_ID, SECTIONS, Section

if TYPE_CHECKING:  # only the check and compare screens need these
    from medinfo.interactions import Finding, Row

NOTICE = (
    "medinfo informs; it does not replace your doctor or pharmacist. "
    "Never start, stop or change a dose on your own."
)
SCHEDULE_WORDS = {"CII": "II", "CIII": "III", "CIV": "IV", "CV": "V"}
RX_WORDS = {
    "rx": "Prescription only",
    "otc": "Over the counter",
    "both": "Prescription and over the counter",
}


class Title(NamedTuple):
    text: str
    lines: tuple[str, ...] = ()


class Note(NamedTuple):
    text: str
    level: Literal["info", "warn"] = "info"


class Boxed(NamedTuple):
    topic: str
    points: tuple[str, ...]  # empty when only the header line is shown
    hint: str = ""


class Heading(NamedTuple):
    text: str
    level: int = 1  # 1: a section of a monograph; 2: an item in a list of results


class Paragraph(NamedTuple):
    text: str
    style: Literal["plain", "dim"] = "plain"


class Bullets(NamedTuple):
    items: tuple[str, ...]
    label: str = ""


class Table(NamedTuple):
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # a column whose values get a severity colour in a terminal
    severity_column: int | None = None
    # long prose cells: plain text shows one record per row instead of columns
    records: bool = False
    # a terminal narrower than this stacks the rows instead of squeezing columns
    min_width: int = 70


class Highlighted(NamedTuple):
    """Text with ranges to emphasise (search snippets)."""

    label: str
    text: str
    spans: tuple[tuple[int, int], ...] = ()


Block = Title | Note | Boxed | Heading | Paragraph | Bullets | Table | Highlighted


def monograph(lookup: Lookup, only: Sequence[Section] = ()) -> list[Block]:
    """The whole monograph, or only some sections; the boxed warning always
    appears, in full for the whole monograph and as its header line otherwise."""
    m, match = lookup.monograph, lookup.match
    blocks: list[Block] = []
    if match.guessed:
        blocks.append(
            Note(
                f"No drug is named {match.query!r}; showing {m.name}, whose name "
                f"{match.matched!r} is the closest. Check this is the drug you meant.",
                "warn",
            )
        )
    if lookup.origin.user and lookup.origin.replaces:
        blocks.append(
            Note(f"From your data file {lookup.origin.path}, which replaces the bundled monograph.")
        )
    blocks.append(_title(m, lookup))
    box = m.boxed_warning
    if box:
        if only:
            blocks.append(Boxed(box.topic, (), f"see the full warning: medinfo show {m.id}"))
        else:
            blocks.append(Boxed(box.topic, box.points))
    for section in only or SECTIONS:
        blocks.append(Heading(section.title))
        blocks.extend(_section(m, section))
    blocks.extend(_sources(m, brief=bool(only)))
    blocks.append(Paragraph(NOTICE, "dim"))
    return blocks


def _title(m: Monograph, lookup: Lookup) -> Title:
    name = m.name
    if m.brands:
        name += f" ({', '.join(m.brands)})"
    facts = [m.drug_class, RX_WORDS[m.rx_status]]
    if m.controlled_substance:
        facts.append(f"Schedule {SCHEDULE_WORDS[m.controlled_substance]} controlled substance")
    lines = [" · ".join(facts)]
    if m.other_names:
        lines.append("Also known as: " + ", ".join(m.other_names))
    if lookup.match.kind in ("brand", "other_name"):
        lines.append(f"{lookup.match.matched} is a name for {m.name}.")
    return Title(name, tuple(lines))


def _section(m: Monograph, section: Section) -> list[Block]:
    if section.kind == "interactions":
        return interactions_blocks(m.interactions)
    content = m.sections[section.id]
    blocks: list[Block] = []
    if section.id == "dosage" and isinstance(content, tuple):
        forms = tuple(f"{f.form}: {', '.join(f.strengths)}" for f in m.forms)
        blocks.append(Bullets(forms, "Forms and strengths"))
        blocks.append(Bullets(tuple(str(c) for c in content), "Dosing on the label"))
    elif isinstance(content, str):
        blocks.append(Paragraph(content))
    elif isinstance(content, SideEffects):
        blocks.append(Bullets(content.common, "Common"))
        if content.serious:
            blocks.append(Bullets(content.serious, "Serious"))
    elif section.kind == "alternatives":
        alts = [a for a in content if isinstance(a, Alternative)]
        blocks.append(Bullets(tuple(_alternative(a) for a in alts)))
        in_dataset = [a.id for a in alts if a.id and a.display]
        if in_dataset:
            blocks.append(Paragraph(f"Compare: medinfo compare {m.id} {in_dataset[0]}", "dim"))
    else:
        blocks.append(Bullets(tuple(str(c) for c in content)))
    return blocks


def _alternative(a: Alternative) -> str:
    if a.id:
        name = a.display or a.id
        return f"{name}: {a.note}" if a.display else f"{name} (not in this dataset): {a.note}"
    return f"{a.name}: {a.note}"


def interactions_blocks(entries: Iterable[Interaction]) -> list[Block]:
    ordered = sorted(entries, key=lambda i: SEVERITY_RANK[i.severity])
    if not ordered:
        return [
            Paragraph(
                "No interaction is recorded in this dataset. That is not proof that "
                "a combination is harmless: ask a pharmacist to check your full list."
            )
        ]
    rows = tuple((i.severity, ", ".join(i.with_), i.effect, i.advice) for i in ordered)
    return [
        Table(("Severity", "With", "Effect", "What to do"), rows, severity_column=0, records=True)
    ]


def _sources(m: Monograph, brief: bool) -> list[Block]:
    items = []
    for s in sorted(m.sources, key=lambda s: s.kind != "fda-label"):  # the label first
        if s.setid:
            when = f", effective {s.effective.isoformat()}" if s.effective else ""
            items.append(f"{s.title} — DailyMed set id {s.setid}{when}. {s.url}")
        else:
            items.append(f"{s.title}. {s.url}")
    if brief:  # one section asked for: its source, not the whole list
        items = items[:1]
    blocks: list[Block] = [Heading("Sources")]
    if m.no_fda_label:
        blocks.append(Paragraph(f"No FDA label: {m.no_fda_label}"))
    blocks.append(Bullets(tuple(items), f"Reviewed {m.reviewed.isoformat()}"))
    return blocks


def drug_list(rows: Iterable[DrugSummary]) -> list[Block]:
    table = tuple(
        (
            d.id,
            ", ".join(d.brands[:3]) + (", …" if len(d.brands) > 3 else ""),
            d.drug_class.split(" (")[0],
            d.rx_status + (f" {d.controlled_substance}" if d.controlled_substance else ""),
            "yes" if d.boxed_warning else "",
        )
        for d in rows
    )
    return [Table(("Drug", "Brands", "Class", "Status", "Boxed"), table)]


def search_results(query: str, hits: Sequence[SearchHit]) -> list[Block]:
    blocks: list[Block] = []
    for rank, hit in enumerate(hits, start=1):
        brands = f" ({', '.join(hit.brands[:3])})" if hit.brands else ""
        blocks.append(Heading(f"{rank}. {hit.name}{brands}  [{hit.id}]", level=2))
        for s in hit.snippets:
            title = (
                BY_ID[s.section].title
                if s.section in BY_ID
                else s.section.replace("-", " ").capitalize()
            )
            blocks.append(Highlighted(title, s.text, s.spans))
    return blocks


def section_list() -> list[Block]:
    rows = tuple((s.id, s.title, ", ".join(s.aliases)) for s in SECTIONS)
    return [Table(("Section", "Title", "Aliases"), rows)]


NO_INTERACTION = (
    "No interaction between these drugs is recorded in this dataset. That does not mean the "
    "combination is harmless: the dataset is not complete, so ask a pharmacist to check your "
    "full list of medicines."
)


def _match_notes(lookups: Sequence[Lookup]) -> list[Block]:
    return [
        Note(
            f"No drug is named {lk.match.query!r}; using {lk.monograph.name}, whose name "
            f"{lk.match.matched!r} is the closest. Check this is the drug you meant.",
            "warn",
        )
        for lk in lookups
        if lk.match.guessed
    ]


def interaction_check(lookups: Sequence[Lookup], findings: Sequence[Finding]) -> list[Block]:
    from medinfo.interactions import ALCOHOL

    names = [lk.monograph.name for lk in lookups]
    blocks: list[Block] = [*_match_notes(lookups), Title("Interactions: " + ", ".join(names))]
    between = [f for f in findings if ALCOHOL not in f.drugs]
    alcohol = [f for f in findings if ALCOHOL in f.drugs]
    blocks.append(Heading("Between these drugs"))
    if between:
        blocks.append(_findings_table(between))
    else:
        blocks.append(Paragraph(NO_INTERACTION))
    if alcohol:
        blocks += [Heading("With alcohol"), _findings_table(alcohol)]
    blocks.append(Paragraph(NOTICE, "dim"))
    return blocks


def _findings_table(findings: Sequence[Finding]) -> Table:
    rows = tuple(
        (f.severity, " + ".join(f.drugs), f.effect, f.advice, f"{f.source} monograph")
        for f in findings
    )
    return Table(
        ("Severity", "Drugs", "Effect", "What to do", "From"), rows, severity_column=0, records=True
    )


def comparison(lookups: Sequence[Lookup], rows: Sequence[Row]) -> list[Block]:
    ids = tuple(lk.monograph.id for lk in lookups)
    table = tuple((row.title, *row.values) for row in rows)
    return [
        *_match_notes(lookups),
        Title("Compare: " + ", ".join(lk.monograph.name for lk in lookups)),
        Table(("Compared", *ids), table, records=True, min_width=32 * len(ids) + 20),
        Paragraph(NOTICE, "dim"),
    ]
