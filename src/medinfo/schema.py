"""The monograph schema, enforced: every rule of data/SCHEMA.md lives here.

`parse_file` is the only way a TOML file becomes a `Monograph`, so no command
ever works on data that the validator would reject.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple, cast

from medinfo.errors import InvalidMonograph
from medinfo.model import (
    SEVERITY_RANK,
    Alternative,
    BoxedWarning,
    Form,
    Interaction,
    Monograph,
    SectionContent,
    SideEffects,
    Source,
)
from medinfo.sections import BY_ID, SECTIONS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

SCHEMA_VERSION = 1
MAX_FILE_BYTES = 1_000_000
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
SCHEDULES = ("CII", "CIII", "CIV", "CV")
RX_STATUSES = ("rx", "otc", "both")
SEVERITIES = tuple(SEVERITY_RANK)  # one order of severities, the model's
SOURCE_KINDS = ("fda-label", "medlineplus", "other")
_SAFE_CLAIM = re.compile(r"\bsafe(?:ly|ty)?\b", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

TOP_KEYS = {
    "schema_version", "id", "name", "brands", "other_names", "drug_class", "class_tags",
    "rx_status", "controlled_substance", "reviewed", "no_fda_label", "boxed_warning",
    "forms", "sections", "interactions", "sources",
}  # fmt: skip
REQUIRED_TOP = (
    "schema_version", "id", "name", "brands", "other_names", "drug_class", "class_tags",
    "rx_status", "reviewed", "forms", "sections", "sources",
)  # fmt: skip


class Problem(NamedTuple):
    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.path}: {self.message}"


def load_toml(path: Path) -> tuple[dict[str, Any], str]:
    """Read and parse one file; any reason it cannot be read is a Problem."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _fail(name, 1, "(file)", f"file is {size / 1e6:.1f} MB; the limit is 1 MB")
        raw = path.read_bytes()
    except OSError as exc:
        raise _fail(name, 1, "(file)", f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _fail(name, line, "(file)", "not valid UTF-8 text") from None
    if not text.strip():
        raise _fail(name, 1, "(file)", "file is empty")
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        message = re.sub(r"\s*\(at .*\)$", "", str(exc))
        raise _fail(name, int(found.group(1)) if found else 1, "(toml)", message) from None


def _fail(file: str, line: int, path: str, message: str) -> InvalidMonograph:
    return InvalidMonograph([Problem(file, line, path, message)])


def read_table(path: Path, table: str) -> dict[str, Any]:
    """One top-level table of a bundled TOML file (the tag vocabulary, the pending list)."""
    with open(path, "rb") as fh:
        return dict(tomllib.load(fh)[table])


def parse_file(path: Path, tags: frozenset[str]) -> Monograph:
    """Parse, check and build one monograph; raise InvalidMonograph on any problem."""
    doc, text = load_toml(path)
    problems = check(doc, text, path, tags)
    if problems:
        raise InvalidMonograph(problems)
    return build(doc)


def check(doc: Mapping[str, Any], text: str, path: Path, tags: frozenset[str]) -> list[Problem]:
    """Every schema violation in one parsed document, with its line."""
    lines = _KeyLines(text)
    problems: list[Problem] = []

    def report(key: str, message: str) -> None:
        problems.append(Problem(str(path), lines.find(key), key, message))

    _Checker(report, tags).document(doc, path.stem)
    return problems


class _Checker:
    def __init__(self, report: Callable[[str, str], None], tags: frozenset[str]) -> None:
        self.report = report
        self.tags = tags

    # -- leaf types -------------------------------------------------------------
    def string(self, doc: Mapping[str, Any], key: str, path: str, required: bool = True) -> None:
        value = doc.get(key)
        if value is None:
            if required:
                self.report(path, "missing required field")
        elif not isinstance(value, str) or not value.strip():
            self.report(path, "must be a non-empty string")
        elif _CONTROL.search(value):
            self.report(path, "contains a control character")

    def strings(self, doc: Mapping[str, Any], key: str, path: str, min_items: int = 0) -> None:
        value = doc.get(key)
        if value is None:
            self.report(path, "missing required field")
        elif not isinstance(value, list):
            self.report(path, "must be a list of strings")
        elif len(value) < min_items:
            self.report(path, f"must have at least {min_items} item(s)")
        else:
            for i, item in enumerate(value):
                if not isinstance(item, str) or not item.strip():
                    self.report(f"{path}[{i}]", "must be a non-empty string")
                elif _CONTROL.search(item):
                    self.report(f"{path}[{i}]", "contains a control character")

    def date(self, doc: Mapping[str, Any], key: str, path: str) -> None:
        value = doc.get(key)
        if value is None:
            self.report(path, "missing required field")
        elif not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            self.report(path, "must be a date such as 2026-11-21 (no quotes)")

    def choice(self, doc: Mapping[str, Any], key: str, path: str, allowed: Iterable[str]) -> None:
        value = doc.get(key)
        allowed = tuple(allowed)
        if value not in allowed:
            self.report(path, f"must be one of {', '.join(allowed)} (got {value!r})")

    def table(
        self, value: object, path: str, keys: set[str], unknown: str = "unknown field"
    ) -> Mapping[str, Any] | None:
        if not isinstance(value, dict):
            self.report(path, "must be a table")
            return None
        for extra in sorted(set(value) - keys):
            self.report(f"{path}.{extra}", unknown)
        return value

    def tables(self, doc: Mapping[str, Any], key: str, min_items: int) -> list[object]:
        value = doc.get(key)
        if value is None:
            if min_items:
                self.report(key, "missing required field")
            return []
        if not isinstance(value, list) or len(value) < min_items:
            self.report(key, f"must be a list of at least {min_items} table(s)")
            return []
        return value

    # -- the document -----------------------------------------------------------
    def document(self, doc: Mapping[str, Any], stem: str) -> None:
        for extra in sorted(set(doc) - TOP_KEYS):
            self.report(extra, "unknown field")
        for key in REQUIRED_TOP:
            if key not in doc:
                self.report(key, "missing required field")
        if "schema_version" in doc and doc["schema_version"] != SCHEMA_VERSION:
            self.report("schema_version", f"must be {SCHEMA_VERSION}")
        ident = doc.get("id")
        if "id" in doc:
            if not isinstance(ident, str) or not ID_RE.match(ident):
                self.report("id", "must be a lowercase slug such as 'insulin-glargine'")
            elif ident != stem:
                self.report("id", f"{ident!r} does not match the file name {stem + '.toml'!r}")
        for key in ("name", "drug_class"):
            if key in doc:
                self.string(doc, key, key)
        for key in ("brands", "other_names"):
            if key in doc:
                self.strings(doc, key, key)
        if "class_tags" in doc:
            self.strings(doc, "class_tags", "class_tags", min_items=1)
            self._tags(doc["class_tags"], "class_tags", allow_ids=False)
        if "rx_status" in doc:
            self.choice(doc, "rx_status", "rx_status", RX_STATUSES)
        if "controlled_substance" in doc:
            self.choice(doc, "controlled_substance", "controlled_substance", SCHEDULES)
        if "reviewed" in doc:
            self.date(doc, "reviewed", "reviewed")
        self.string(doc, "no_fda_label", "no_fda_label", required=False)
        if "boxed_warning" in doc:
            box = self.table(doc["boxed_warning"], "boxed_warning", {"topic", "points"})
            if box is not None:
                self.string(box, "topic", "boxed_warning.topic")
                self.strings(box, "points", "boxed_warning.points", min_items=1)
        for i, form in enumerate(self.tables(doc, "forms", 1)):
            f = self.table(form, f"forms[{i}]", {"form", "strengths"})
            if f is not None:
                self.string(f, "form", f"forms[{i}].form")
                self.strings(f, "strengths", f"forms[{i}].strengths")
        if "sections" in doc:
            self.sections(doc["sections"])
        for i, entry in enumerate(self.tables(doc, "interactions", 0)):
            self.interaction(entry, f"interactions[{i}]")
        self.sources(doc)

    def _tags(self, values: object, path: str, allow_ids: bool) -> None:
        if not isinstance(values, list):
            return
        for i, tag in enumerate(values):
            if not isinstance(tag, str) or tag in self.tags:
                continue
            if allow_ids and ID_RE.match(tag):
                continue  # a drug id: checked against the whole dataset by `validate`
            self.report(f"{path}[{i}]", f"unknown class tag {tag!r} (see data/class_tags.toml)")

    def sections(self, value: object) -> None:
        table = self.table(
            value,
            "sections",
            set(BY_ID) - {"interactions"},
            "unknown section id (see 'medinfo sections'; interactions go in [[interactions]])",
        )
        if table is None:
            return
        for section in SECTIONS:
            key, path = section.id, f"sections.{section.id}"
            if section.kind == "interactions":
                continue
            if key not in table:
                self.report(path, "missing section")
            elif section.kind == "text":
                self.string(table, key, path)
            elif section.kind == "list":
                self.strings(table, key, path, min_items=1)
            elif section.kind == "side-effects":
                effects = self.table(table[key], path, {"common", "serious"})
                if effects is not None:
                    self.strings(effects, "common", f"{path}.common", min_items=1)
                    self.strings(effects, "serious", f"{path}.serious")
            elif section.kind == "alternatives":
                self.alternatives(table[key], path)

    def alternatives(self, value: object, path: str) -> None:
        if not isinstance(value, list) or not value:
            self.report(path, "must be a list of at least one { id = ..., note = ... } table")
            return
        for i, alt in enumerate(value):
            entry = self.table(alt, f"{path}[{i}]", {"id", "name", "note"})
            if entry is None:
                continue
            self.string(entry, "note", f"{path}[{i}].note")
            if ("id" in entry) == ("name" in entry):
                self.report(f"{path}[{i}]", "needs exactly one of 'id' or 'name'")
            elif "id" in entry:
                if not isinstance(entry["id"], str) or not ID_RE.match(entry["id"]):
                    self.report(f"{path}[{i}].id", "must be a drug id")
            else:
                self.string(entry, "name", f"{path}[{i}].name")

    def interaction(self, value: object, path: str) -> None:
        entry = self.table(value, path, {"with", "severity", "effect", "advice"})
        if entry is None:
            return
        self.strings(entry, "with", f"{path}.with", min_items=1)
        self._tags(entry.get("with"), f"{path}.with", allow_ids=True)
        self.choice(entry, "severity", f"{path}.severity", SEVERITIES)
        for key in ("effect", "advice"):
            self.string(entry, key, f"{path}.{key}")
            text = entry.get(key)
            if isinstance(text, str) and _SAFE_CLAIM.search(text):
                self.report(f"{path}.{key}", "must not call a combination safe")

    def sources(self, doc: Mapping[str, Any]) -> None:
        kinds = []
        for i, src in enumerate(self.tables(doc, "sources", 1)):
            path = f"sources[{i}]"
            entry = self.table(src, path, {"kind", "title", "url", "setid", "effective"})
            if entry is None:
                continue
            self.choice(entry, "kind", f"{path}.kind", SOURCE_KINDS)
            kinds.append(entry.get("kind"))
            self.string(entry, "title", f"{path}.title")
            url = entry.get("url")
            if not isinstance(url, str) or not url.startswith("https://"):
                self.report(f"{path}.url", "must be an https:// address")
            if entry.get("kind") == "fda-label" or "setid" in entry:
                setid = entry.get("setid")
                if not isinstance(setid, str) or not UUID_RE.match(setid):
                    self.report(f"{path}.setid", "must be a DailyMed set id (lowercase UUID)")
                self.date(entry, "effective", f"{path}.effective")
        if "sources" not in doc:
            return
        if doc.get("no_fda_label"):
            if "medlineplus" not in kinds:
                self.report("sources", "no_fda_label needs a medlineplus source instead")
        elif "fda-label" not in kinds:
            self.report("sources", "needs a source with kind = 'fda-label' (or set no_fda_label)")


def build(doc: Mapping[str, Any]) -> Monograph:
    """Turn a checked document into a Monograph (assumes `check` found nothing)."""
    raw_sections = cast(Mapping[str, Any], doc["sections"])
    sections: dict[str, SectionContent] = {}
    for section in SECTIONS:
        value: Any = raw_sections.get(section.id)
        if section.kind == "text":
            sections[section.id] = str(value)
        elif section.kind == "list":
            sections[section.id] = tuple(value)
        elif section.kind == "side-effects":
            sections[section.id] = SideEffects(tuple(value["common"]), tuple(value["serious"]))
        elif section.kind == "alternatives":
            sections[section.id] = tuple(
                Alternative(note=a["note"], id=a.get("id"), name=a.get("name")) for a in value
            )
    box = doc.get("boxed_warning")
    return Monograph(
        id=doc["id"],
        name=doc["name"],
        brands=tuple(doc["brands"]),
        other_names=tuple(doc["other_names"]),
        drug_class=doc["drug_class"],
        class_tags=tuple(doc["class_tags"]),
        rx_status=doc["rx_status"],
        controlled_substance=doc.get("controlled_substance"),
        boxed_warning=BoxedWarning(box["topic"], tuple(box["points"])) if box else None,
        forms=tuple(Form(f["form"], tuple(f["strengths"])) for f in doc["forms"]),
        sections=sections,
        interactions=tuple(
            Interaction(tuple(i["with"]), i["severity"], i["effect"], i["advice"])
            for i in doc.get("interactions", ())
        ),
        sources=tuple(
            Source(s["kind"], s["title"], s["url"], s.get("setid"), s.get("effective"))
            for s in doc["sources"]
        ),
        reviewed=doc["reviewed"],
        no_fda_label=doc.get("no_fda_label"),
    )


def references(doc: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every (key path, name) that must be a drug id or a class tag, for the
    cross-reference check that needs the whole dataset."""
    refs: list[tuple[str, str]] = []
    sections = doc.get("sections")
    alts = sections.get("alternatives") if isinstance(sections, dict) else None
    for i, alt in enumerate(alts if isinstance(alts, list) else ()):
        if isinstance(alt, dict) and isinstance(alt.get("id"), str):
            refs.append((f"sections.alternatives[{i}].id", alt["id"]))
    entries = doc.get("interactions")
    for i, entry in enumerate(entries if isinstance(entries, list) else ()):
        names = entry.get("with") if isinstance(entry, dict) else None
        for j, name in enumerate(names if isinstance(names, list) else ()):
            if isinstance(name, str):
                refs.append((f"interactions[{i}].with[{j}]", name))
    return refs


class _KeyLines:
    """Maps a key path (`sections.uses`, `interactions[2].severity`) to the line
    that defines it, since TOML parsers do not keep line numbers."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(?:#.*)?$")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*)\s*=")

    def __init__(self, text: str) -> None:
        self.lines: dict[str, int] = {}
        counts: dict[str, int] = {}
        table = ""
        in_string = False
        for number, line in enumerate(text.splitlines(), start=1):
            if in_string:
                in_string = line.count('"""') % 2 == 0
                continue
            header = self._HEADER.match(line)
            if header:
                name = header.group(2).replace(" ", "")
                if header.group(1) == "[[":
                    counts[name] = counts.get(name, -1) + 1
                    name = f"{name}[{counts[name]}]"
                table = name
                self.lines.setdefault(table, number)
                continue
            key = self._KEY.match(line)
            if key:
                dotted = key.group(1).replace(" ", "")
                self.lines.setdefault(f"{table}.{dotted}" if table else dotted, number)
                if line.count('"""') % 2 == 1:
                    in_string = True

    def find(self, path: str) -> int:
        """The line of the path, or of its nearest enclosing key; 1 if none."""
        candidate = path
        while candidate:
            if candidate in self.lines:
                return self.lines[candidate]
            candidate = re.sub(r"(\[\d+\]|\.[^.\[]+)$", "", candidate)
            if candidate == path:
                break
            path = candidate
        return 1


def validate_files(paths: Iterable[Path], tags: frozenset[str], ids: set[str]) -> list[Problem]:
    """Check files one by one and their cross-references against `ids` (every
    drug id in the data directories); the whole-dataset half of `validate`."""
    problems: list[Problem] = []
    for path in paths:
        try:
            doc, text = load_toml(path)
        except InvalidMonograph as exc:
            problems.extend(cast(list[Problem], exc.problems))
            continue
        found = check(doc, text, path, tags)
        lines = _KeyLines(text)
        for key, name in references(doc):
            if name not in ids and name not in tags:
                message = f"{name!r} is neither a drug id in the dataset nor a class tag"
                found.append(Problem(str(path), lines.find(key), key, message))
        problems.extend(found)
    return problems
