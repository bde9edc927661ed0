"""`medinfo interactions` and `medinfo compare` on the bundled monographs."""

from __future__ import annotations

import json
from typing import Any

import pytest

from medinfo.layout import NO_INTERACTION

from conftest import Run


def check(run: Run, *names: str) -> dict[str, Any]:
    result = run("interactions", *names, "--json")
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def between(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for i in data["interactions"] if "alcohol" not in i["drugs"]]


@pytest.mark.parametrize(
    "a, b", [("clonazepam", "tramadol"), ("warfarin", "ibuprofen"), ("sertraline", "tramadol"),
             ("sildenafil", "isosorbide-mononitrate")],
)  # fmt: skip
def test_known_major_pair_in_both_orders(run: Run, a: str, b: str) -> None:
    for first, second in ((a, b), (b, a)):
        data = check(run, first, second)
        assert data["drugs"] == [first, second]
        found = between(data)
        assert found and found[0]["severity"] == "major"
        assert all(f["drugs"] == [first, second] for f in found)
        severities = [f["severity"] for f in found]
        assert severities == sorted(severities, key=["major", "moderate", "minor"].index)


def test_class_level_match(run: Run) -> None:
    found = between(check(run, "clonazepam", "oxycodone"))
    assert any(f["matched"] == "opioid" and f["source"] == "clonazepam" for f in found)


def test_one_entry_per_monograph_per_pair(run: Run) -> None:
    found = between(check(run, "clonazepam", "tramadol"))
    sources = [f["source"] for f in found]
    assert len(sources) == len(set(sources))


def test_pair_with_nothing_recorded(run: Run) -> None:
    assert between(check(run, "amlodipine", "metformin")) == []
    out = run("interactions", "amlodipine", "metformin").stdout
    assert " ".join(NO_INTERACTION.split()) in " ".join(out.split())
    assert "safe" not in out.lower()


def test_three_drugs_check_every_pair(run: Run) -> None:
    found = between(check(run, "lisinopril", "spironolactone", "potassium chloride"))
    pairs = {tuple(f["drugs"]) for f in found}
    assert ("lisinopril", "spironolactone") in pairs
    assert ("lisinopril", "potassium-chloride") in pairs
    assert ("spironolactone", "potassium-chloride") in pairs


def test_brand_and_misspelled_names(run: Run) -> None:
    plain = check(run, "clonazepam", "tramadol")
    assert check(run, "Klonopin", "Ultram")["interactions"] == plain["interactions"]
    result = run("interactions", "klonipin", "tramadol")
    assert result.exit_code == 0
    assert "klonipin" in result.stdout.splitlines()[0]


def test_alcohol_is_checked_for_each_drug(run: Run) -> None:
    data = check(run, "clonazepam", "amlodipine")
    assert {"drugs": ["clonazepam", "alcohol"]}.items() <= next(
        i for i in data["interactions"] if i["drugs"] == ["clonazepam", "alcohol"]
    ).items()
    assert "WITH ALCOHOL" in run("interactions", "clonazepam", "amlodipine").stdout
    # alcohol may also be named as one of the two
    assert check(run, "clonazepam", "alcohol")["drugs"] == ["clonazepam"]


def test_exit_codes(run: Run) -> None:
    assert run("interactions", "clonazepam", "nosuchdrugxyz").exit_code == 1
    assert run("interactions").exit_code == 2
    same = run("interactions", "clonazepam", "Klonopin")
    assert same.exit_code == 2 and "twice" in same.stderr
    # one drug: that drug's interactions section
    single = run("interactions", "clonazepam")
    assert single.exit_code == 0 and "\nINTERACTIONS\n" in single.stdout


def test_compare_in_a_pipe(run: Run) -> None:
    result = run("compare", "klonopin", "lorazepam")
    assert result.exit_code == 0
    out = result.stdout
    for row in (
        "Class",
        "Boxed warning",
        "Uses",
        "Dosage",
        "Side effects",
        "Interactions between them",
    ):
        assert f"Compared: {row}" in out
    assert "clonazepam: Rx, schedule CIV" in out
    assert "\x1b" not in out


def test_compare_json_and_section_rows(run: Run) -> None:
    data = json.loads(run("compare", "clonazepam", "lorazepam", "buspirone", "--json").stdout)
    assert data["drugs"] == ["clonazepam", "lorazepam", "buspirone"]
    rows = {r["id"]: r["values"] for r in data["rows"]}
    assert rows["boxed-warning"]["buspirone"] == "No"
    assert rows["boxed-warning"]["clonazepam"].startswith("Yes: ")
    picked = json.loads(run("compare", "clonazepam", "lorazepam", "-s", "uses", "--json").stdout)
    assert [r["id"] for r in picked["rows"]] == ["class", "status", "boxed-warning", "uses"]


def test_compare_table_in_a_terminal_wide_and_narrow(run: Run) -> None:
    wide = run(
        "compare", "clonazepam", "lorazepam", env={"MEDINFO_COLOR": "always", "COLUMNS": "160"}
    )
    assert wide.exit_code == 0
    header = next(line for line in wide.stdout.splitlines() if "Compared" in line)
    assert "clonazepam" in header and "lorazepam" in header  # side by side
    narrow = run(
        "compare", "clonazepam", "lorazepam", env={"MEDINFO_COLOR": "always", "COLUMNS": "50"}
    )
    assert narrow.exit_code == 0
    assert not any("clonazepam" in line and "lorazepam" in line for line in narrow.stdout.splitlines()
                   if "Compared" in line)  # fmt: skip


def test_compare_counts(run: Run) -> None:
    assert run("compare", "clonazepam").exit_code == 2
    five = ("clonazepam", "lorazepam", "diazepam", "alprazolam", "buspirone")
    assert run("compare", *five).exit_code == 2
