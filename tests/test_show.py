"""`medinfo show` and the per-section commands, on the bundled data."""

from __future__ import annotations

import json

import pytest

from medinfo.layout import NOTICE
from medinfo.sections import SECTIONS

from conftest import Run, monographs


def test_show_whole_monograph_in_registry_order(run: Run) -> None:
    result = run("show", "clonazepam")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("clonazepam (Klonopin")
    # the boxed warning comes before every section
    positions = [out.index("BOXED WARNING")]
    positions += [out.index("\n" + s.title.upper() + "\n") for s in SECTIONS]
    assert positions == sorted(positions)
    assert "DailyMed set id 34366dd2-432c-4fa9-8fab-832cca781b84" in out
    assert "Reviewed 2026-" in out
    assert " ".join(NOTICE.split()) in " ".join(out.split())
    assert "\x1b" not in out  # a pipe gets no escape codes


def test_section_filter_keeps_boxed_warning_header(run: Run) -> None:
    result = run("show", "Klonopin", "--section", "side_effects")
    assert result.exit_code == 0
    out = result.stdout
    assert "BOXED WARNING:" in out
    assert "see the full warning: medinfo show clonazepam" in out
    assert "SIDE EFFECTS" in out and "Common:" in out and "Serious:" in out
    assert "USES" not in out and "OVERDOSE" not in out


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.id)
def test_every_section_has_a_subcommand(run: Run, section: object) -> None:
    sid = section.id  # type: ignore[attr-defined]
    title = section.title  # type: ignore[attr-defined]
    result = run(sid, "Klonopin 2 mg")
    assert result.exit_code == 0, result.output
    assert f"\n{title.upper()}\n" in result.stdout
    others = [s for s in SECTIONS if s.id != sid]
    assert not any(f"\n{s.title.upper()}\n" in result.stdout for s in others)


@pytest.mark.parametrize(
    "alias, title", [("sideeffects", "SIDE EFFECTS"), ("contra", "WHEN NOT TO TAKE IT"),
                     ("when-not-to-take", "WHEN NOT TO TAKE IT"), ("dose", "DOSAGE")]
)  # fmt: skip
def test_section_aliases(run: Run, alias: str, title: str) -> None:
    result = run("show", "clonazepam", "-s", alias)
    assert result.exit_code == 0
    assert f"\n{title}\n" in result.stdout


def test_sections_print_in_registry_order_whatever_the_request(run: Run) -> None:
    out = run("show", "clonazepam", "-s", "storage", "-s", "uses").stdout
    assert out.index("\nUSES\n") < out.index("\nSTORAGE\n")


def test_unknown_section_is_a_usage_error_with_hint(run: Run) -> None:
    result = run("show", "clonazepam", "--section", "side-efects")
    assert result.exit_code == 2
    assert "side-effects" in result.stderr
    assert "Traceback" not in result.output


def test_show_json_shape(run: Run) -> None:
    result = run("show", "klonopin", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    for key in ("id", "name", "brands", "other_names", "drug_class", "class_tags", "rx_status",
                "controlled_substance", "boxed_warning", "sections", "interactions", "sources",
                "reviewed", "match"):  # fmt: skip
        assert key in data
    assert data["id"] == "clonazepam"
    assert data["controlled_substance"] == "CIV"
    assert data["match"] == {"query": "klonopin", "kind": "brand", "matched": "Klonopin",
                             "guessed": False, "distance": 0}  # fmt: skip
    assert set(data["sections"]) == {s.id for s in SECTIONS if s.kind != "interactions"}
    assert set(data["sections"]["side-effects"]) == {"common", "serious"}
    assert data["sources"][0]["setid"] == "34366dd2-432c-4fa9-8fab-832cca781b84"


def test_show_json_section_filter_keeps_boxed_warning(run: Run) -> None:
    data = json.loads(run("show", "clonazepam", "-s", "uses", "--json").stdout)
    assert list(data["sections"]) == ["uses"]
    assert data["boxed_warning"]["points"]


def test_drug_without_boxed_warning_shows_none(run: Run) -> None:
    no_box = next(d for _, d in monographs() if "boxed_warning" not in d)
    result = run("show", str(no_box["id"]))
    assert result.exit_code == 0
    assert "BOXED WARNING" not in result.stdout
    assert json.loads(run("show", str(no_box["id"]), "--json").stdout)["boxed_warning"] is None


def test_alternatives_cross_link_and_compare_hint(run: Run) -> None:
    out = run("alternatives", "clonazepam").stdout
    assert "lorazepam:" in out
    assert "medinfo compare clonazepam lorazepam" in out


def test_installed_executable_shows_klonopin(cli) -> None:  # type: ignore[no-untyped-def]
    proc = cli("show", "klonopin")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("clonazepam (Klonopin")
    assert "\x1b" not in proc.stdout


def test_python_dash_m_works(cli) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "medinfo", "--version"], capture_output=True, text=True
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith("medinfo ")


def test_rich_output_in_a_terminal(run: Run) -> None:
    result = run(
        "show",
        "clonazepam",
        "-s",
        "uses",
        env={"MEDINFO_COLOR": "always", "TERM": "xterm-256color"},
    )
    assert result.exit_code == 0
    assert "\x1b[" in result.stdout
    assert "BOXED WARNING" in result.stdout


def test_no_color_gives_plain_text(run: Run) -> None:
    result = run("show", "clonazepam", env={"NO_COLOR": "1"})
    assert "\x1b" not in result.stdout
