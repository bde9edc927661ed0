"""Every rule for finding the drug the user meant."""

from __future__ import annotations

import json

import pytest

from conftest import Run


def resolved(run: Run, query: str) -> dict[str, object]:
    result = run("show", query, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return {"id": data["id"], **data["match"]}


@pytest.mark.parametrize(
    "query", ["clonazepam", "CLONAZEPAM", "  Clonazepam ", "clonaze-pam", "clonazepam.", "Klonopin",
              "KLONOPIN", "klono pin", "Rivotril"]
)  # fmt: skip
def test_case_spaces_hyphens_punctuation_brands_other_names(run: Run, query: str) -> None:
    match = resolved(run, query)
    assert match["id"] == "clonazepam"
    assert match["guessed"] is False


@pytest.mark.parametrize(
    "query", ["Klonopin 2 mg", "clonazepam 0.5mg tablets", "clonazepam 1 mg tablet", "Klonopin 0.5",
              "clonazepam ODT"]
)  # fmt: skip
def test_trailing_strength_and_form_are_ignored(run: Run, query: str) -> None:
    assert resolved(run, query)["id"] == "clonazepam"


def test_brand_match_is_reported(run: Run) -> None:
    match = resolved(run, "Xanax")
    assert match == {"id": "alprazolam", "query": "Xanax", "kind": "brand", "matched": "Xanax",
                     "guessed": False, "distance": 0}  # fmt: skip
    assert "Xanax is a name for alprazolam." in run("show", "Xanax").stdout


@pytest.mark.parametrize("query", ["acetaminophen / hydrocodone", "hydrocodone/acetaminophen",
                                   "Hydrocodone and Acetaminophen", "Norco"])  # fmt: skip
def test_combination_names_in_any_order(run: Run, query: str) -> None:
    assert resolved(run, query)["id"] == "hydrocodone-acetaminophen"


def test_misspelling_shows_drug_with_visible_notice(run: Run) -> None:
    result = run("show", "klonipin")
    assert result.exit_code == 0
    first = result.stdout.splitlines()[0]
    assert "klonipin" in first and "clonazepam" in first
    match = resolved(run, "klonipin")
    assert match["guessed"] is True and match["kind"] == "fuzzy" and match["distance"] == 1


def test_two_letter_misspelling_of_long_name(run: Run) -> None:
    match = resolved(run, "clonazapan")
    assert match["id"] == "clonazepam" and match["distance"] == 2


def test_short_names_are_never_guessed(run: Run) -> None:
    # "Xanex" is one letter from Xanax, but names under six letters are too easy to confuse
    result = run("show", "Xanex")
    assert result.exit_code == 1
    assert "Xanax" in result.stderr


@pytest.mark.parametrize(
    "query, expected", [("clonidine", "clonidine"), ("clonazepam", "clonazepam"),
                        ("hydroxyzine", "hydroxyzine"), ("hydralazine", "hydralazine")]
)  # fmt: skip
def test_look_alike_names_resolve_to_themselves(run: Run, query: str, expected: str) -> None:
    match = resolved(run, query)
    assert match["id"] == expected and match["guessed"] is False


def test_query_close_to_two_drugs_is_not_guessed(run: Run) -> None:
    # one letter from lorazepam and one from clonazepam: either guess could be wrong
    result = run("show", "clorazepam")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "nothing was guessed" in result.stderr
    assert "lorazepam" in result.stderr and "clonazepam" in result.stderr


def test_not_found_exits_1_with_one_line(run: Run) -> None:
    result = run("show", "xyz")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "xyz" in result.stderr


def test_prefix_gives_did_you_mean(run: Run) -> None:
    result = run("show", "clona")
    assert result.exit_code == 1
    assert "Did you mean" in result.stderr and "clonazepam" in result.stderr


@pytest.mark.parametrize("query", ["", "   ", "!!!", "--"[:1]])
def test_empty_name_is_bad_usage(run: Run, query: str) -> None:
    result = run("show", query)
    assert result.exit_code == 2
