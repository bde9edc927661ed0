"""medinfo benchmark: whole-process times and peak memory against baselines
measured in the same run, at several dataset sizes.

    python bench/run.py                      # 100, 5,000 and 50,000 monographs
    python bench/run.py --sizes 100 --runs 3 # a quick look

Synthetic monographs (schema-valid, about 8 KB, varied vocabulary) are written
to a temporary directory in shards of 1,000 files and added with --data-dir.
Results are printed and written to bench/RESULTS.md (or --out).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PHRASE = "respiratory depression"
SHARD = 1000
SYLLABLES = [
    "ba", "co", "da", "fe", "ga", "hi", "jo", "ka", "lu", "me", "ni", "po", "qua", "ri", "sa",
    "te", "vo", "xa", "ze", "bro", "cla", "dri", "fla", "gro", "pla", "tri", "sto", "vel", "mor",
    "zan", "lor", "pex", "tin", "dol", "fen", "mab", "pril", "sar", "zol", "cet",
]  # fmt: skip
MEDICAL = """pain fever infection swelling kidney liver heart rhythm blood pressure sugar insulin
seizure tremor anxiety sleep nausea vomiting diarrhea constipation rash itching headache dizziness
drowsiness fatigue weakness cough asthma allergy bleeding bruising clot stroke angina cholesterol
thyroid bone muscle joint arthritis migraine mood depression attention memory vision hearing skin
stomach ulcer reflux bladder urine prostate pregnancy breastfeeding infant elderly dose tablet
capsule injection liquid cream inhaler daily weekly morning evening food water alcohol grapefruit
doctor pharmacist emergency hospital monitor test level enzyme receptor hormone""".split()
CLASS_TAGS = ["opioid", "benzodiazepine", "ssri", "nsaid", "statin", "ace-inhibitor", "arb",
              "beta-blocker", "antibiotic", "antihistamine", "ppi", "corticosteroid", "insulin",
              "antiseizure", "anticoagulant", "diuretic", "stimulant", "antipsychotic"]  # fmt: skip


def _words(rng: random.Random, vocab: list[str], n: int) -> str:
    return " ".join(rng.choice(vocab) for _ in range(n))


def _sentence(rng: random.Random, vocab: list[str]) -> str:
    text = _words(rng, vocab, rng.randint(8, 18))
    return text[0].upper() + text[1:] + "."


def _para(rng: random.Random, vocab: list[str], sentences: int) -> str:
    return " ".join(_sentence(rng, vocab) for _ in range(sentences))


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _list(items: list[str]) -> str:
    return "[\n" + "".join(f"  {_q(i)},\n" for i in items) + "]"


def drug_name(i: int) -> str:
    n = len(SYLLABLES)
    return SYLLABLES[i % n] + SYLLABLES[(i // n) % n] + SYLLABLES[(i // n // n) % n] + "zine"


def brand_name(i: int) -> str:
    return "Syn" + drug_name(i + 7919)[:-4].capitalize() + "ex"


def monograph(i: int, rng: random.Random, vocab: list[str]) -> str:
    """One schema-valid monograph of about 8 KB; one in twenty mentions PHRASE."""
    ident = f"synth-{i:05d}"
    mention = i % 20 == 0
    tag = CLASS_TAGS[i % len(CLASS_TAGS)]

    def items(k: int) -> list[str]:
        out = [_sentence(rng, vocab) for _ in range(k)]
        if mention and rng.random() < 0.5:
            out[0] = f"Slowed breathing ({PHRASE}). " + out[0]
        return out

    warnings = items(5)
    if mention:
        warnings.append(f"Serious {PHRASE} can happen, above all with other sedating medicines.")
    parts = [
        "schema_version = 1",
        f"id = {_q(ident)}",
        f"name = {_q(drug_name(i))}",
        f"brands = [{_q(brand_name(i))}]",
        "other_names = []",
        f"drug_class = {_q('Synthetic ' + tag + ' medicine for benchmarking')}",
        f'class_tags = ["{tag}"]',
        'rx_status = "rx"',
        "reviewed = 2026-11-21",
        "",
        "[[forms]]",
        'form = "tablet"',
        'strengths = ["5 mg", "10 mg"]',
        "",
        "[sections]",
        f"overview = {_q(_para(rng, vocab, 4))}",
        f"uses = {_list(items(3))}",
        f'"how-to-take" = {_list(items(3))}',
        f"dosage = {_list(items(3))}",
        f'"missed-dose" = {_q(_para(rng, vocab, 2))}',
        f'"side-effects".common = {_list(items(6))}',
        f'"side-effects".serious = {_list(items(4))}',
        f'"side-effect-actions" = {_list(items(3))}',
        f"contraindications = {_list(items(3))}",
        f"warnings = {_list(warnings)}",
        f"pregnancy = {_q(_para(rng, vocab, 3))}",
        f"stopping = {_q(_para(rng, vocab, 3))}",
        f"overdose = {_q(_para(rng, vocab, 3))}",
        f"storage = {_q(_para(rng, vocab, 2))}",
        f'alternatives = [{{ name = "another treatment", note = {_q(_sentence(rng, vocab))} }}]',
        "",
        "[[interactions]]",
        f'with = ["{CLASS_TAGS[(i + 3) % len(CLASS_TAGS)]}", "alcohol"]',
        'severity = "moderate"',
        f"effect = {_q(_sentence(rng, vocab))}",
        f"advice = {_q('Tell your prescriber. ' + _sentence(rng, vocab))}",
        "",
        "[[sources]]",
        'kind = "fda-label"',
        f'title = "Synthetic label {i}"',
        f'setid = "{uuid.UUID(int=rng.getrandbits(128))}"',
        "effective = 2025-01-01",
        'url = "https://dailymed.nlm.nih.gov/dailymed/"',
        "",
    ]
    return "\n".join(parts)


def generate(directory: Path, count: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    made = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(4000)}
    made = {w for w in made if "safe" not in w}  # the schema rejects "safe" in interaction text
    vocab = sorted(made) + MEDICAL * 8
    for i in range(count):
        shard = directory / f"shard-{i // SHARD:03d}"
        if i % SHARD == 0:
            shard.mkdir(parents=True, exist_ok=True)
        (shard / f"synth-{i:05d}.toml").write_text(monograph(i, rng, vocab), encoding="utf-8")


@dataclass
class Measure:
    seconds: list[float] = field(default_factory=list)
    max_rss_kb: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Wall time, peak RSS (KB) and exit code of one process whose stdout is a pipe."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    while proc.stdout.read(1 << 16):
        pass
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, int(usage.ru_maxrss), proc.returncode


Command = tuple[list[str], tuple[int, ...], Callable[[], None] | None]


def measure(commands: dict[str, Command], env: dict[str, str], runs: int) -> dict[str, Measure]:
    """Time each command `runs` times after one warm-up, taking the commands in
    turn within each round, so a noisy moment lands on all of them alike. A
    command's `before` step (such as editing a file) runs untimed just before it."""
    results = {name: Measure() for name in commands}
    for round_ in range(runs + 1):
        for name, (cmd, ok, before) in commands.items():
            if before:
                before()
            seconds, rss, code = timed(cmd, env)
            if code not in ok:
                raise SystemExit(f"benchmark command failed ({code}): {' '.join(cmd)}")
            if round_:  # round 0 is the warm-up
                results[name].seconds.append(seconds)
                results[name].max_rss_kb = max(results[name].max_rss_kb, rss)
    return results


def touch_one(directory: Path, n: int) -> None:
    """Change one monograph the way an editor saves: write aside, then rename."""
    path = directory / "shard-000" / "synth-00001.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("Synthetic label 1", f"Synthetic label 1 (edit {n})", 1)
    text = text.replace("Synthetic label 1 (edit", "Synthetic label 1 (edit", 1)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


@dataclass
class SizeResult:
    size: int
    results: dict[str, Measure]
    cold_build: float
    index_mb: float


def run_size(size: int, runs: int, medinfo: str, work: Path) -> SizeResult:
    data = work / f"data-{size}"
    cache = work / f"cache-{size}"
    generate(data, size)
    env = {**os.environ, "MEDINFO_CACHE_DIR": str(cache), "COLUMNS": "80"}
    env.pop("MEDINFO_DATA", None)
    dd = ["--data-dir", str(data)]
    start = time.perf_counter()
    subprocess.run([medinfo, "index", *dd], check=True, env=env, capture_output=True)
    cold = time.perf_counter() - start
    index_mb = sum(p.stat().st_size for p in cache.glob("*.sqlite3")) / 1e6
    ok = (0,)
    edits = itertools.count()
    results = measure(
        {
            "floor: import typer, rich.console": (
                [sys.executable, "-c", "import typer, rich.console"], ok, None),
            f"grep -ril '{PHRASE}'": (["grep", "-ril", PHRASE, str(data)], (0, 1), None),
            "show <drug>": ([medinfo, "show", drug_name(size // 2), *dd], ok, None),
            "side-effects <brand>": (
                [medinfo, "side-effects", brand_name(size // 3), *dd], ok, None),
            f"search '{PHRASE}'": ([medinfo, "search", PHRASE, *dd], ok, None),
            "list --json": ([medinfo, "list", "--json", *dd], ok, None),
            "incremental rebuild (1 file) + search": (
                [medinfo, "search", PHRASE, *dd], ok, lambda: touch_one(data, next(edits))),
        },
        env,
        runs,
    )  # fmt: skip
    shutil.rmtree(data)
    shutil.rmtree(cache)
    return SizeResult(size, results, cold, index_mb)


def versions(medinfo: str) -> list[str]:
    out = subprocess.run([medinfo, "--version"], capture_output=True, text=True).stdout.strip()
    code = (
        "from importlib.metadata import version as v; "
        "print(', '.join(f'{p} {v(p)}' for p in ('typer', 'rich', 'rapidfuzz', 'platformdirs')))"
    )
    pkgs = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True
    ).stdout.strip()
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return [
        f"{out}; Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}; {pkgs}",
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}",
    ]


def report(results: list[SizeResult], info: list[str]) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Run on {dt.date.today().isoformat()} with `python bench/run.py`; medians of",
        "whole-process wall times after one warm-up run; peak memory is the largest max RSS.",
        'Ratios are against the floor (`python -c "import typer, rich.console"`) measured in the',
        "same run, so they hold on a noisy machine where seconds do not.",
        "",
        *[f"- {line}" for line in info],
        "",
    ]
    for r in results:
        floor = r.results["floor: import typer, rich.console"]
        grep = r.results[f"grep -ril '{PHRASE}'"]
        search = r.results[f"search '{PHRASE}'"]
        lines += [
            f"## {r.size:,} synthetic monographs (plus the bundled ones)",
            "",
            f"Cold index build: {r.cold_build:.1f} s; index file {r.index_mb:.1f} MB. "
            f"grep -ril takes {grep.median / search.median:.1f}x as long as search.",
            "",
            "| command | median s | x floor | peak RSS MB | RSS x floor |",
            "|---|---:|---:|---:|---:|",
        ]
        for name, m in r.results.items():
            lines.append(
                f"| {name} | {m.median:.3f} | {m.median / floor.median:.2f} | "
                f"{m.max_rss_kb / 1024:.1f} | {m.max_rss_kb / floor.max_rss_kb:.2f} |"
            )
        lines.append("")
        if r.size >= 50_000:  # below that, start-up dominates and scaling up misleads
            per_50k = r.results["list --json"].median * 50_000 / r.size
            lines += [f"`list --json`: {per_50k:.2f} s per 50,000 entries.", ""]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 5000, 50000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    # the medinfo installed beside this Python, so the floor and medinfo share one interpreter
    parser.add_argument("--medinfo", default=str(Path(sys.executable).parent / "medinfo"))
    args = parser.parse_args()
    # byte-compile medinfo as an ordinary install would, so an editable install
    # (or PYTHONDONTWRITEBYTECODE) does not add a compile to every measured run
    python = str(Path(args.medinfo).parent / "python")
    subprocess.run(
        [python, "-c", "import compileall, os, medinfo; "
         "compileall.compile_dir(os.path.dirname(medinfo.__file__), quiet=1)"],
        check=True,
    )  # fmt: skip
    results = []
    with tempfile.TemporaryDirectory(prefix="medinfo-bench-") as tmp:
        for size in args.sizes:
            print(f"benchmarking {size:,} monographs ...", file=sys.stderr)
            results.append(run_size(size, args.runs, args.medinfo, Path(tmp)))
    text = report(results, versions(args.medinfo))
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
