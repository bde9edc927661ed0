"""`medinfo search`, `medinfo list` and `medinfo sections`."""

from __future__ import annotations

import json

from medinfo.sections import SECTIONS

from conftest import Run, ids_with_tag, monographs


def test_search_ranks_name_and_uses_hits_first(run: Run) -> None:
    result = run("search", "seizure", "--json")
    assert result.exit_code == 0
    ids = [r["id"] for r in json.loads(result.stdout)["results"]]
    antiseizure = set(ids_with_tag("antiseizure"))
    # the top hits are antiseizure drugs, not drugs that only warn about seizures
    assert ids[0] in antiseizure and ids[1] in antiseizure
    assert "clonazepam" in ids


def test_search_puts_drugs_used_for_the_words_before_passing_mentions(run: Run) -> None:
    results = json.loads(run("search", "high blood pressure", "--limit", "40", "--json").stdout)[
        "results"
    ]
    used_for = [any(s["section"] in ("names", "uses") for s in r["snippets"]) for r in results]
    assert used_for[0] and not used_for[-1]
    assert used_for == sorted(used_for, reverse=True), [r["id"] for r in results]


def test_search_snippets_highlight_the_match(run: Run) -> None:
    data = json.loads(run("search", "seizure", "--json").stdout)
    snippet = data["results"][0]["snippets"][0]
    start, end = snippet["highlights"][0]
    assert snippet["text"][start:end].lower().startswith("seizure")
    plain = run("search", "seizure").stdout
    assert "*seizure" in plain.lower()
    assert plain.startswith("1. ")


def test_search_phrase_and_several_words(run: Run) -> None:
    phrase = json.loads(run("search", '"respiratory depression"', "--json").stdout)["results"]
    assert phrase and all(
        "respiratory depression" in " ".join(s["text"].lower() for s in r["snippets"])
        for r in phrase[:3]
    )
    words = run("search", "panic", "disorder", "--limit", "3", "--json")
    assert len(json.loads(words.stdout)["results"]) <= 3


def test_search_section_filter(run: Run) -> None:
    data = json.loads(run("search", "seizure", "--section", "overdose", "--json").stdout)
    assert data["results"]
    assert all(s["section"] == "overdose" for r in data["results"] for s in r["snippets"])


def test_search_no_results_exits_1(run: Run) -> None:
    result = run("search", "zzzqqqxxyy")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "zzzqqqxxyy" in result.stderr


def test_search_of_only_punctuation_is_bad_usage(run: Run) -> None:
    assert run("search", "!!!").exit_code == 2


def test_search_query_is_never_fts_syntax(run: Run) -> None:
    for query in ["seizure OR", "NEAR(x y)", '"unbalanced', "a*", "col:umn", "^start"]:
        assert run("search", query).exit_code in (0, 1)


def test_list_shows_every_drug(run: Run) -> None:
    data = json.loads(run("list", "--json").stdout)
    assert [d["id"] for d in data] == sorted(str(d["id"]) for _, d in monographs())
    plain = run("list").stdout.splitlines()
    assert len(plain) == len(data) + 1


def test_list_by_class(run: Run) -> None:
    result = run("list", "--class", "benzodiazepine", "--json")
    assert [d["id"] for d in json.loads(result.stdout)] == ids_with_tag("benzodiazepine")
    assert {"clonazepam", "lorazepam", "diazepam", "alprazolam"} <= set(
        ids_with_tag("benzodiazepine")
    )
    plain = run("list", "--class", "benzodiazepine").stdout
    assert "clonazepam" in plain and "Klonopin" in plain


def test_list_rx_and_otc(run: Run) -> None:
    rx = {d["id"] for d in json.loads(run("list", "--rx", "--json").stdout)}
    otc = {d["id"] for d in json.loads(run("list", "--otc", "--json").stdout)}
    status = {str(d["id"]): d["rx_status"] for _, d in monographs()}
    assert rx == {i for i, s in status.items() if s in ("rx", "both")}
    assert otc == {i for i, s in status.items() if s in ("otc", "both")}
    assert run("list", "--rx", "--otc").exit_code == 2


def test_list_unknown_class_is_bad_usage_with_hint(run: Run) -> None:
    result = run("list", "--class", "benzodiazepines")
    assert result.exit_code == 2 and "benzodiazepine" in result.stderr


def test_sections_command(run: Run) -> None:
    data = json.loads(run("sections", "--json").stdout)
    assert [s["id"] for s in data] == [s.id for s in SECTIONS]
    plain = run("sections").stdout
    assert all(s.id in plain for s in SECTIONS)
