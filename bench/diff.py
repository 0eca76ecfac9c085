"""How long `tfrules diff` takes against one `tfrules eval`, at a million households.

    python bench/diff.py DATA_DIR [--repeat 3] [--write-docs]

DATA_DIR holds a synthetic data set (`tfrules synth --households 1000000
--seed 1 --out DATA_DIR`; kept outside the repository). Each side is the
whole command as an officer runs it, in its own process: loading and
checking the rules and the data, evaluating, and writing its output:

- eval: `tfrules eval national.phase1 ... --out results.parquet --quiet`;
- diff: `tfrules diff national.phase1 --param ... --format json --out diff.json`
  (both versions in one plan, the counts, and 3 sample households per rule
  and change, explained).

The two are run alternately, --repeat times each (the machine may be shared:
alternating spreads any other load over both), and the medians compared.
With --write-docs the figures replace the section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2014-03-31"
WHAT_IFS = ["identification_window=6 months", "payment_cap=£3,000"]
HEADING = "## tfrules diff against one eval"


def _tfrules() -> list[str]:
    """The `tfrules` command of this Python's environment."""
    script = Path(sys.executable).parent / "tfrules"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from tfrules.cli.entry import run; run()"]


def eval_command(data: Path, out: Path) -> list[str]:
    return [
        *_tfrules(), "eval", "national.phase1", "--data", str(data), "--as-of", AS_OF,
        "--out", str(out / "results.parquet"), "--quiet",
    ]  # fmt: skip


def diff_command(data: Path, out: Path) -> list[str]:
    params = [item for p in WHAT_IFS for item in ("--param", p)]
    return [
        *_tfrules(), "diff", "national.phase1", *params, "--data", str(data), "--as-of", AS_OF,
        "--format", "json", "--out", str(out / "diff.json"),
    ]  # fmt: skip


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return elapsed


def households(data: Path) -> int:
    import polars as pl

    return pl.scan_parquet(data / "households.parquet").select(pl.len()).collect().item()


def measure(data: Path, repeat: int) -> tuple[list[float], list[float]]:
    evals: list[float] = []
    diffs: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        for _ in range(repeat):
            evals.append(timed(eval_command(data, out)))
            diffs.append(timed(diff_command(data, out)))
    return evals, diffs


def section(count: int, evals: list[float], diffs: list[float], repeat: int) -> str:
    eval_median, diff_median = statistics.median(evals), statistics.median(diffs)
    ratio = diff_median / eval_median
    runs = lambda xs: ", ".join(f"{x:.1f}" for x in xs)  # noqa: E731
    return f"""{HEADING}

`tfrules diff` evaluates two versions of the rules on the same households in
one plan (a rule that did not change, over rules that did not change, is
computed once). Measured against one `tfrules eval` of the same ruleset, each
the whole command in its own process (rules and data loaded and checked,
evaluated, output written), run alternately {repeat} times each on a shared
machine; medians. The target is at most 1.3 times one eval.

| households | eval (s) | diff (s) | diff / eval |
|---:|---:|---:|---:|
| {count:,} | {eval_median:.1f} | {diff_median:.1f} | {ratio:.2f} |

- eval: `tfrules eval national.phase1 --data DATA --as-of {AS_OF} --out results.parquet --quiet`
  (runs: {runs(evals)} s)
- diff: `tfrules diff national.phase1 {" ".join(f'--param "{p}"' for p in WHAT_IFS)}
  --data DATA --as-of {AS_OF} --format json --out diff.json`, 3 sample households per rule and
  change (runs: {runs(diffs)} s)
- data: `tfrules synth --households {count} --seed 1 --out DATA`; Python
  {platform.python_version()}, {platform.machine()}
- command: `python bench/diff.py DATA --repeat {repeat} --write-docs`
"""


def write_docs(text: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    current = path.read_text(encoding="utf-8")
    if HEADING in current:
        before, _, rest = current.partition(HEADING)
        following = rest.find("\n## ")
        after = rest[following + 1 :] if following >= 0 else ""
        current = before + text + ("\n" + after if after else "")
    else:
        current = current.rstrip() + "\n\n" + text
    path.write_text(current, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write-docs", action="store_true")
    options = parser.parse_args()
    count = households(options.data)
    evals, diffs = measure(options.data, options.repeat)
    text = section(count, evals, diffs, options.repeat)
    print(text)
    if options.write_docs:
        write_docs(text)


if __name__ == "__main__":
    main()
