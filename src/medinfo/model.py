"""Plain typed objects that the query layer returns and the renderers consume.

Nothing here reads files or prints; a `Monograph` is what one TOML file means
once it has passed the schema.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["major", "moderate", "minor"]
RxStatus = Literal["rx", "otc", "both"]
MatchKind = Literal["id", "name", "brand", "other_name", "fuzzy"]


@dataclass(frozen=True, slots=True)
class BoxedWarning:
    topic: str
    points: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Form:
    form: str
    strengths: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SideEffects:
    common: tuple[str, ...]
    serious: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Alternative:
    """Either a drug in the dataset (`id`) or a treatment outside it (`name`)."""

    note: str
    id: str | None = None
    name: str | None = None
    display: str = ""  # the drug's printed name, filled in when `id` resolves


@dataclass(frozen=True, slots=True)
class Interaction:
    with_: tuple[str, ...]
    severity: Severity
    effect: str
    advice: str


@dataclass(frozen=True, slots=True)
class Source:
    kind: str
    title: str
    url: str
    setid: str | None = None
    effective: dt.date | None = None


SectionContent = str | tuple[str, ...] | SideEffects | tuple[Alternative, ...]


@dataclass(frozen=True, slots=True)
class Monograph:
    id: str
    name: str
    brands: tuple[str, ...]
    other_names: tuple[str, ...]
    drug_class: str
    class_tags: tuple[str, ...]
    rx_status: RxStatus
    controlled_substance: str | None
    boxed_warning: BoxedWarning | None
    forms: tuple[Form, ...]
    sections: dict[str, SectionContent]
    interactions: tuple[Interaction, ...]
    sources: tuple[Source, ...]
    reviewed: dt.date
    no_fda_label: str | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """How a query was resolved: shown to the user whenever it was not exact."""

    query: str
    id: str
    name: str
    kind: MatchKind
    matched: str  # the name that matched (a brand, an other name, ...)
    distance: int = 0

    @property
    def guessed(self) -> bool:
        return self.kind == "fuzzy"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a monograph came from; `replaces` is the bundled file a user file overrides."""

    path: str
    user: bool
    replaces: str | None = None


@dataclass(frozen=True, slots=True)
class Lookup:
    """A resolved drug: the monograph, how its name matched, and its file."""

    monograph: Monograph
    match: Match
    origin: Origin


@dataclass(frozen=True, slots=True)
class DrugSummary:
    """One row of `medinfo list`, read from the index without parsing a file."""

    id: str
    name: str
    brands: tuple[str, ...]
    drug_class: str
    class_tags: tuple[str, ...]
    rx_status: RxStatus
    controlled_substance: str | None
    boxed_warning: bool


@dataclass(frozen=True, slots=True)
class Snippet:
    section: str
    text: str  # plain text
    spans: tuple[tuple[int, int], ...]  # highlighted ranges in `text`


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    name: str
    brands: tuple[str, ...]
    score: float
    snippets: tuple[Snippet, ...] = field(default=())
