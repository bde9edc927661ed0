"""The `--json` shapes: plain dicts for scripts, stable across releases.

This path never touches Rich; the CLI writes `json.dumps` of these to stdout.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from medinfo.interactions import Finding, Row
from medinfo.layout import NOTICE
from medinfo.model import Alternative, DrugSummary, Interaction, Lookup, SearchHit, SideEffects
from medinfo.sections import SECTIONS, Section


def monograph(lookup: Lookup, only: Sequence[Section] = ()) -> dict[str, Any]:
    m, match = lookup.monograph, lookup.match
    sections: dict[str, Any] = {}
    for section in only or SECTIONS:
        if section.kind == "interactions":
            continue
        content = m.sections[section.id]
        if isinstance(content, SideEffects):
            sections[section.id] = {
                "common": list(content.common),
                "serious": list(content.serious),
            }
        elif isinstance(content, str):
            sections[section.id] = content
        else:
            sections[section.id] = [
                {
                    "id": c.id,
                    "name": c.display or c.name,
                    "note": c.note,
                    "in_dataset": bool(c.display),
                }
                if isinstance(c, Alternative)
                else c
                for c in content
            ]
    wants_interactions = not only or any(s.kind == "interactions" for s in only)
    box = m.boxed_warning
    return {
        "id": m.id,
        "name": m.name,
        "brands": list(m.brands),
        "other_names": list(m.other_names),
        "drug_class": m.drug_class,
        "class_tags": list(m.class_tags),
        "rx_status": m.rx_status,
        "controlled_substance": m.controlled_substance,
        "boxed_warning": {"topic": box.topic, "points": list(box.points)} if box else None,
        "forms": [{"form": f.form, "strengths": list(f.strengths)} for f in m.forms],
        "sections": sections,
        "interactions": [interaction(i) for i in m.interactions] if wants_interactions else [],
        "sources": [
            {
                "kind": s.kind,
                "title": s.title,
                "setid": s.setid,
                "effective": s.effective.isoformat() if s.effective else None,
                "url": s.url,
            }
            for s in m.sources
        ],
        "reviewed": m.reviewed.isoformat(),
        "no_fda_label": m.no_fda_label,
        "match": {
            "query": match.query,
            "kind": match.kind,
            "matched": match.matched,
            "guessed": match.guessed,
            "distance": match.distance,
        },
        "origin": {
            "user": lookup.origin.user,
            "replaces_bundled": lookup.origin.replaces is not None,
        },
        "notice": NOTICE,
    }


def interaction(i: Interaction) -> dict[str, Any]:
    return {"with": list(i.with_), "severity": i.severity, "effect": i.effect, "advice": i.advice}


def summary(d: DrugSummary) -> dict[str, Any]:
    return {
        "id": d.id,
        "name": d.name,
        "brands": list(d.brands),
        "drug_class": d.drug_class,
        "class_tags": list(d.class_tags),
        "rx_status": d.rx_status,
        "controlled_substance": d.controlled_substance,
        "boxed_warning": d.boxed_warning,
    }


def search_hits(query: str, hits: Sequence[SearchHit]) -> dict[str, Any]:
    return {
        "query": query,
        "results": [
            {
                "id": h.id,
                "name": h.name,
                "brands": list(h.brands),
                "score": h.score,
                "snippets": [
                    {"section": s.section, "text": s.text, "highlights": [list(x) for x in s.spans]}
                    for s in h.snippets
                ],
            }
            for h in hits
        ],
    }


def sections() -> list[dict[str, Any]]:
    return [
        {"id": s.id, "title": s.title, "summary": s.summary, "aliases": list(s.aliases)}
        for s in SECTIONS
    ]


def _resolved(lookups: Sequence[Lookup]) -> list[dict[str, Any]]:
    return [
        {"query": lk.match.query, "id": lk.monograph.id, "kind": lk.match.kind,
         "guessed": lk.match.guessed}
        for lk in lookups
    ]  # fmt: skip


def interaction_check(lookups: Sequence[Lookup], findings: Sequence[Finding]) -> dict[str, Any]:
    return {
        "drugs": [lk.monograph.id for lk in lookups],
        "resolved": _resolved(lookups),
        "interactions": [
            {
                "drugs": list(f.drugs),
                "severity": f.severity,
                "effect": f.effect,
                "advice": f.advice,
                "source": f.source,
                "matched": f.matched,
            }
            for f in findings
        ],  # fmt: skip
        "notice": NOTICE,
    }


def comparison(lookups: Sequence[Lookup], rows: Sequence[Row]) -> dict[str, Any]:
    ids = [lk.monograph.id for lk in lookups]
    return {
        "drugs": ids,
        "resolved": _resolved(lookups),
        "rows": [
            {"id": r.id, "title": r.title, "values": dict(zip(ids, r.values, strict=True))}
            for r in rows
        ],
        "notice": NOTICE,
    }
