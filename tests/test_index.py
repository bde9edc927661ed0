"""The derived index: user data directories, incremental refresh, and every
cache fault we could think of. The TOML files stay the truth throughout."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from medinfo import dataset, index, schema

from conftest import BIN, DATA, Run, write_monograph


def status(run: Run, *args: str, env: dict[str, str] | None = None) -> dict[str, object]:
    result = run("index", "--json", *args, env=env)
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


@pytest.fixture
def own_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("MEDINFO_CACHE_DIR", str(cache))
    return cache


def test_user_file_replaces_bundled_and_show_says_so(
    run: Run, tmp_path: Path, own_cache: Path
) -> None:
    user = tmp_path / "mine"
    write_monograph(
        user, "lorazepam", "lorazepam", [("Lorazepam is", "Lorazepam (edited copy) is")]
    )
    result = run("show", "lorazepam", "-s", "overview", "--data-dir", str(user))
    assert result.exit_code == 0
    assert "replaces the bundled monograph" in result.stdout
    assert "(edited copy)" in result.stdout
    # without the directory the bundled one is back
    assert "(edited copy)" not in run("show", "lorazepam", "-s", "overview").stdout


def test_medinfo_data_env_adds_directories(run: Run, tmp_path: Path, own_cache: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write_monograph(a, "clonazepam", "clonazepam-copy-a", [('name = "clonazepam"', 'name = "alphazepam"'),
                    ('brands = ["Klonopin", "Klonopin Wafers"]', "brands = []"),
                    ('other_names = ["Rivotril", "clonazepamum"]', "other_names = []")])  # fmt: skip
    write_monograph(b, "clonazepam", "clonazepam-copy-b", [('name = "clonazepam"', 'name = "betazepam"'),
                    ('brands = ["Klonopin", "Klonopin Wafers"]', "brands = []"),
                    ('other_names = ["Rivotril", "clonazepamum"]', "other_names = []")])  # fmt: skip
    env = {"MEDINFO_DATA": f"{a}{os.pathsep}{b}"}
    assert (
        json.loads(run("show", "alphazepam", "--json", env=env).stdout)["id"] == "clonazepam-copy-a"
    )
    assert (
        json.loads(run("show", "betazepam", "--json", env=env).stdout)["id"] == "clonazepam-copy-b"
    )
    assert run("show", "betazepam").exit_code == 1


def test_incremental_refresh_reparses_only_the_changed_file(
    run: Run, tmp_path: Path, own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = tmp_path / "mine"
    path = write_monograph(user, "buspirone", "buspirone")
    dirs = dataset.data_dirs([user])
    with index.open_index(dirs) as built:
        assert built.invalid_count() == 0
    parsed: list[Path] = []
    real = schema.parse_file

    def counting(p: Path, tags: frozenset[str]) -> object:
        parsed.append(p)
        return real(p, tags)

    monkeypatch.setattr(schema, "parse_file", counting)
    text = path.read_text().replace("Buspirone is", "Buspirone (zebrafinch) is", 1)
    path.write_text(text)
    os.utime(path, ns=(1, 1))  # a different mtime even on coarse clocks
    with index.open_index(dirs) as idx:
        assert parsed == [path]
        from medinfo.search import search

        assert [h.id for h in search(idx, "zebrafinch")] == ["buspirone"]
    parsed.clear()
    with index.open_index(dirs):
        assert parsed == []  # nothing changed: nothing parsed


def test_removed_user_file_brings_back_bundled(run: Run, tmp_path: Path, own_cache: Path) -> None:
    user = tmp_path / "mine"
    path = write_monograph(
        user, "lorazepam", "lorazepam", [("Lorazepam is", "Lorazepam (edited copy) is")]
    )
    assert "(edited copy)" in run("overview", "lorazepam", "--data-dir", str(user)).stdout
    path.unlink()
    out = run("overview", "lorazepam", "--data-dir", str(user)).stdout
    assert "(edited copy)" not in out and "replaces" not in out


@pytest.mark.parametrize("damage", ["garbage", "truncate", "empty"])
def test_corrupt_index_is_rebuilt(run: Run, own_cache: Path, damage: str) -> None:
    clean = run("search", "respiratory depression", "--json").stdout
    [path] = own_cache.glob("index-*.sqlite3")
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(os.urandom(len(data)))
    elif damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    else:
        path.write_bytes(b"")
    result = run("search", "respiratory depression", "--json")
    assert result.exit_code == 0, result.output
    assert result.stdout == clean
    state = status(run)
    assert state["in_memory"] is False and state["stale"] is False


def test_cache_deleted_between_calls(run: Run, own_cache: Path) -> None:
    first = run("show", "clonazepam", "--json").stdout
    for f in own_cache.iterdir():
        f.unlink()
    own_cache.rmdir()
    assert run("show", "clonazepam", "--json").stdout == first


def test_unwritable_cache_falls_back_to_memory_with_notice(run: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    env = {"MEDINFO_CACHE_DIR": str(blocker / "cache")}
    result = run("show", "clonazepam", "-s", "uses", env=env)
    assert result.exit_code == 0
    assert result.stdout.startswith("clonazepam (Klonopin")
    notes = [line for line in result.stderr.splitlines() if "in memory" in line]
    assert len(notes) == 1
    assert status(run, env=env)["in_memory"] is True


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_cache_directory(run: Run, tmp_path: Path) -> None:  # pragma: no cover - non-root
    cache = tmp_path / "ro"
    cache.mkdir()
    cache.chmod(0o500)
    try:
        result = run("show", "clonazepam", env={"MEDINFO_CACHE_DIR": str(cache)})
        assert result.exit_code == 0 and "in memory" in result.stderr
    finally:
        cache.chmod(0o700)


def test_index_status_and_rebuild(run: Run, own_cache: Path) -> None:
    state = status(run)
    assert state["drugs"] == len(list(DATA.glob("*.toml")))
    assert state["stale"] is False and state["invalid"] == 0
    rebuilt = status(run, "--rebuild")
    assert rebuilt["drugs"] == state["drugs"]
    plain = run("index").stdout
    assert "up to date" in plain


@pytest.mark.slow
def test_eight_processes_at_once_on_an_empty_cache(tmp_path: Path) -> None:
    env = {**os.environ, "MEDINFO_CACHE_DIR": str(tmp_path / "cache")}
    reference = subprocess.run(
        [str(BIN), "search", "seizure", "--json"], capture_output=True, text=True,
        env={**env, "MEDINFO_CACHE_DIR": str(tmp_path / "reference")}, timeout=120,
    ).stdout  # fmt: skip
    procs = [
        subprocess.Popen(
            [str(BIN), "search", "seizure", "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )  # fmt: skip
        for _ in range(8)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 8
    assert all(out == reference for out, _ in outputs)
    assert all(err == "" for _, err in outputs)
    leftovers = [
        p.name for p in (tmp_path / "cache").iterdir() if p.suffix not in (".sqlite3", ".lock")
    ]
    assert leftovers == []


def test_data_file_changed_while_searching(run: Run, tmp_path: Path, own_cache: Path) -> None:
    user = tmp_path / "mine"
    path = write_monograph(user, "buspirone", "buspirone")
    procs = []
    env = {**os.environ, "MEDINFO_CACHE_DIR": str(own_cache)}
    for i in range(4):
        procs.append(subprocess.Popen([str(BIN), "search", "anxiety", "--json", "--data-dir", str(user)],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env))  # fmt: skip
        path.write_text(path.read_text().replace("Buspirone", "Buspirone", 1) + f"\n# edit {i}\n")
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert "buspirone" in [r["id"] for r in json.loads(out)["results"]]
    assert status(run, "--data-dir", str(user))["stale"] is False
