"""The built wheel carries the data: a plain install in a fresh venv works."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_wheel_installs_and_runs_in_a_fresh_venv(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        timeout=600,
    )
    [wheel] = dist.glob("medinfo-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = venv / "bin" / "pip"
    subprocess.run([str(pip), "install", "-q", str(wheel)], check=True, timeout=600)
    env = {**os.environ, "MEDINFO_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("MEDINFO_DATA", None)
    proc = subprocess.run(
        [str(venv / "bin" / "medinfo"), "show", "clonazepam"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("clonazepam (Klonopin")
    # the data came from inside the installed package, not from this checkout
    proc = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "from medinfo.dataset import bundled_root; print(bundled_root())"],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert str(venv) in proc.stdout and "_data" in proc.stdout
