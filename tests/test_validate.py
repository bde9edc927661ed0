"""`medinfo validate` on the bundled data and on a corpus of broken files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import DATA, ROOT, Run

BROKEN = ROOT / "tests" / "data" / "broken"

# file -> (key path, message fragment, text on the reported line or None for line 1)
EXPECTED = {
    "broken-syntax": ("(toml)", "Illegal character", 'drug_class = "unterminated'),
    "broken-type": ("brands", "must be a list of strings", "brands ="),
    "broken-missing": ("drug_class", "missing required field", None),
    "broken-section": ("sections.side-efects", "unknown section id", "side-efects ="),
    "broken-tag": ("class_tags[4]", "unknown class tag 'benzo'", "class_tags ="),
    "broken-id": ("id", "does not match the file name 'broken-id.toml'", 'id = "clonazepam"'),
    "broken-ref": ("sections.alternatives[0].id", "'no-such-drug' is neither", "alternatives ="),
    "broken-date": ("reviewed", "must be a date", "reviewed ="),
    "broken-severity": ("interactions[3].severity", "must be one of major, moderate, minor", 'severity = "mild"'),
    "broken-encoding": ("(file)", "not valid UTF-8", "Severe liver"),
    "broken-empty": ("(file)", "file is empty", None),
}  # fmt: skip


def test_bundled_data_is_valid(run: Run) -> None:
    result = run("validate")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.strip() == f"{len(list(DATA.glob('*.toml')))} file(s) valid."


def test_every_broken_file_is_reported_on_its_line(run: Run) -> None:
    result = run("validate", str(BROKEN))
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert len(lines) == len(EXPECTED) == len(list(BROKEN.glob("*.toml")))
    for name, (key, message, marker) in EXPECTED.items():
        path = BROKEN / f"{name}.toml"
        [line] = [line for line in lines if line.startswith(f"{path}:")]
        _, number, rest = line.split(":", 2)
        assert rest.startswith(f" {key}: ") and message in rest, line
        text = path.read_bytes().decode("utf-8", "replace").splitlines()
        if marker is None:
            assert number == "1"
        else:
            assert marker in text[int(number) - 1], (line, text[int(number) - 1])


def test_validate_json(run: Run) -> None:
    data = json.loads(run("validate", str(BROKEN / "broken-type.toml"), "--json").stdout)
    assert data["files"] == 1
    assert data["problems"][0]["path"] == "brands"


def test_huge_file_is_rejected_without_reading_it(run: Run, tmp_path: Path) -> None:
    big = tmp_path / "huge.toml"
    with open(big, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    result = run("validate", str(big))
    assert result.exit_code == 2
    assert "huge.toml:1: (file): file is 52.4 MB; the limit is 1 MB" in result.stdout


def test_other_commands_skip_invalid_files_with_one_notice(run: Run) -> None:
    result = run("show", "clonazepam", "-s", "uses", env={"MEDINFO_DATA": str(BROKEN)})
    assert result.exit_code == 0
    assert result.stdout.startswith("clonazepam (Klonopin")
    notices = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert len(notices) == 1
    # broken-ref is sound on its own; only the whole-dataset check of `validate` rejects it
    assert f"{len(EXPECTED) - 1} data file(s) were skipped" in notices[0]
    assert "medinfo validate" in notices[0]


def test_duplicate_user_ids_are_a_data_error_naming_both(run: Run, tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        shutil.copy(DATA / "lorazepam.toml", tmp_path / name / "lorazepam.toml")
    result = run(
        "show", "lorazepam", "--data-dir", str(tmp_path / "a"), "--data-dir", str(tmp_path / "b")
    )
    assert result.exit_code == 2
    assert str(tmp_path / "a" / "lorazepam.toml") in result.stderr
    assert str(tmp_path / "b" / "lorazepam.toml") in result.stderr


@pytest.mark.parametrize("path", [BROKEN / "broken-type.toml", BROKEN / "broken-empty.toml"])
def test_validate_never_changes_data(run: Run, path: Path) -> None:
    before = path.read_bytes(), path.stat().st_mtime_ns
    run("validate", str(path))
    run("show", "clonazepam", env={"MEDINFO_DATA": str(BROKEN)})
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
