"""A quick run of the benchmark: it must generate valid data and report on it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, Run


def test_generated_monographs_are_schema_valid(run: Run, tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import run as bench  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    bench.generate(tmp_path / "data", 300)
    result = run("validate", str(tmp_path / "data"))
    assert result.exit_code == 0, result.stdout[:2000]
    sizes = [p.stat().st_size for p in (tmp_path / "data").rglob("*.toml")]
    assert len(sizes) == 300 and 5_000 < sum(sizes) / len(sizes) < 12_000


@pytest.mark.slow
def test_quick_benchmark_writes_results(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "100", "--runs", "1",
         "--out", str(out)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()
    for row in ("floor: import typer, rich.console", "show <drug>", "side-effects <brand>",
                "search 'respiratory depression'", "list --json", "incremental rebuild"):  # fmt: skip
        assert f"| {row}" in text
    assert "## 100 synthetic monographs" in text and "Cold index build" in text
