"""Checking several drugs against each other, and comparing them side by side.

Every pair is checked both ways: an interaction entry on either drug that
names the other drug's id, or one of its class tags, is a match. The answer is
only as complete as the monographs; the renderers say so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import combinations
from typing import NamedTuple

from medinfo.model import SEVERITY_RANK, Alternative, Interaction, Monograph, SideEffects
from medinfo.sections import BY_ID, Section

ALCOHOL = "alcohol"
COMPARE_ROWS = ("uses", "dosage", "side-effects", "contraindications", "pregnancy", "interactions")


class Finding(NamedTuple):
    drugs: tuple[str, str]  # in the order the user named them; "alcohol" for alcohol
    severity: str
    effect: str
    advice: str
    source: str  # the monograph whose entry this is
    matched: str  # the id or class tag the entry named


def _matches(entry: Interaction, other: Monograph) -> str | None:
    if other.id in entry.with_:
        return other.id
    for tag in other.class_tags:
        if tag in entry.with_:
            return tag
    return None


def check(drugs: Sequence[Monograph]) -> list[Finding]:
    """Every recorded interaction between the drugs, and of each with alcohol,
    most severe first. Matches are merged: for one pair, each monograph gives
    its most severe matching entry (a drug-specific entry usually sits beside a
    broader class one), and the same text found twice is reported once."""
    found: dict[tuple[str, str, str], Finding] = {}

    def add(finding: Finding) -> None:
        key = (*finding.drugs, finding.source)
        old = found.get(key)
        if old is None or SEVERITY_RANK[finding.severity] < SEVERITY_RANK[old.severity]:
            found[key] = finding

    for a, b in combinations(drugs, 2):
        for holder, other in ((a, b), (b, a)):
            for entry in holder.interactions:
                tag = _matches(entry, other)
                if tag:
                    add(Finding((a.id, b.id), entry.severity, entry.effect, entry.advice,
                                holder.id, tag))  # fmt: skip
    for drug in drugs:
        for entry in drug.interactions:
            if ALCOHOL in entry.with_:
                add(Finding((drug.id, ALCOHOL), entry.severity, entry.effect, entry.advice,
                            drug.id, ALCOHOL))  # fmt: skip
    unique: dict[tuple[str, str, str], Finding] = {}
    for f in found.values():
        unique.setdefault((*f.drugs, f.effect), f)
    return sorted(unique.values(), key=lambda f: (f.drugs[1] == ALCOHOL, SEVERITY_RANK[f.severity]))


class Row(NamedTuple):
    id: str
    title: str
    values: tuple[str, ...]  # one per drug, in order


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    return match.group(1) if match else text


def _joined(items: Sequence[str]) -> str:
    return "; ".join(item.rstrip(".") for item in items)


def _summary(m: Monograph, section: Section, limit: int) -> str:
    content = m.sections.get(section.id)
    if isinstance(content, str):
        return _first_sentence(content)
    if isinstance(content, SideEffects):
        return _joined(content.common[:limit])
    if content and isinstance(content[0], Alternative):
        return "; ".join(
            a.display or a.id or a.name or "" for a in content if isinstance(a, Alternative)
        )
    return _joined([str(c) for c in (content or ())[:limit]])


def compare(drugs: Sequence[Monograph], sections: Sequence[Section] = ()) -> list[Row]:
    """The facts people weigh when choosing between drugs, one row each."""
    rows = [
        Row("class", "Class", tuple(m.drug_class for m in drugs)),
        Row(
            "status",
            "Rx/OTC and schedule",
            tuple(
                {"rx": "Rx", "otc": "OTC", "both": "Rx and OTC"}[m.rx_status]
                + (f", schedule {m.controlled_substance}" if m.controlled_substance else "")
                for m in drugs
            ),
        ),
        Row(
            "boxed-warning",
            "Boxed warning",
            tuple(f"Yes: {m.boxed_warning.topic}" if m.boxed_warning else "No" for m in drugs),
        ),
    ]
    findings = check(drugs)
    for section in sections or [BY_ID[s] for s in COMPARE_ROWS]:
        if section.kind == "interactions":
            values = []
            for m in drugs:
                hits = [f for f in findings if m.id in f.drugs and ALCOHOL not in f.drugs]
                others = sorted({d for f in hits for d in f.drugs if d != m.id})
                worst = min((SEVERITY_RANK[f.severity] for f in hits), default=None)
                label = next((k for k, v in SEVERITY_RANK.items() if v == worst), "")
                values.append(
                    f"{label} with {', '.join(others)}" if hits else "none recorded in this dataset"
                )
            rows.append(Row("interactions", "Interactions between them", tuple(values)))
        else:
            rows.append(
                Row(section.id, section.title, tuple(_summary(m, section, 3) for m in drugs))
            )
    return rows
