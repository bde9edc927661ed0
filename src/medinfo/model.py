"""Plain typed objects that the query layer returns and the renderers consume.

Nothing here reads files or prints; a `Monograph` is what one TOML file means
once it has passed the schema.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, NamedTuple

Severity = Literal["major", "moderate", "minor"]
SEVERITY_RANK: dict[str, int] = {"major": 0, "moderate": 1, "minor": 2}  # most severe first
RxStatus = Literal["rx", "otc", "both"]
MatchKind = Literal["id", "name", "brand", "other_name", "fuzzy"]


class BoxedWarning(NamedTuple):
    topic: str
    points: tuple[str, ...]


class Form(NamedTuple):
    form: str
    strengths: tuple[str, ...]


class SideEffects(NamedTuple):
    common: tuple[str, ...]
    serious: tuple[str, ...]


class Alternative(NamedTuple):
    """Either a drug in the dataset (`id`) or a treatment outside it (`name`)."""

    note: str
    id: str | None = None
    name: str | None = None
    display: str = ""  # the drug's printed name, filled in when `id` resolves


class Interaction(NamedTuple):
    with_: tuple[str, ...]
    severity: Severity
    effect: str
    advice: str


class Source(NamedTuple):
    kind: str
    title: str
    url: str
    setid: str | None = None
    effective: dt.date | None = None


SectionContent = str | tuple[str, ...] | SideEffects | tuple[Alternative, ...]


class Monograph(NamedTuple):
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


class Match(NamedTuple):
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


class Origin(NamedTuple):
    """Where a monograph came from; `replaces` is the bundled file a user file overrides."""

    path: str
    user: bool
    replaces: str | None = None


class Lookup(NamedTuple):
    """A resolved drug: the monograph, how its name matched, and its file."""

    monograph: Monograph
    match: Match
    origin: Origin


class DrugSummary(NamedTuple):
    """One row of `medinfo list`, read from the index without parsing a file."""

    id: str
    name: str
    brands: tuple[str, ...]
    drug_class: str
    class_tags: tuple[str, ...]
    rx_status: RxStatus
    controlled_substance: str | None
    boxed_warning: bool


class Snippet(NamedTuple):
    section: str
    text: str  # plain text
    spans: tuple[tuple[int, int], ...]  # highlighted ranges in `text`


class SearchHit(NamedTuple):
    id: str
    name: str
    brands: tuple[str, ...]
    score: float
    snippets: tuple[Snippet, ...] = ()
