"""Evaluation always finishes, and its cost grows linearly with the rules.

    python bench/chains.py [--households 200] [--out FILE.md]

Runs `tfrules eval` (a fresh process each, so peak memory is its own) over
generated rulesets that once did not finish or took gigabytes:

- `local = work or work or ...` with 10,000 operands (1,000 took 34 s, 2,000 did
  not finish in 120 s: Polars' optimiser is cubic in a chain of binary `or`);
- `at least 2 of [...]` over 10,000 items;
- 5,000 one-line rules (3.96 GB for 200 households, from the summary);
- a chain of 3,000 rules, each using the one before.

Prints a Markdown table of wall time and peak memory per case, and writes it to
`--out` if given.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LOCAL_HEADER = (
    'ruleset local.chain.phase1 "c"\n    extends national.phase1\n    applies to E08000035\n\n'
)
GEN_HEADER = 'ruleset gen.many "m"\n    uses schema canonical\n\n'


def cases() -> dict[str, str]:
    operands = " or ".join(["work"] * 10_000)
    items = ", ".join(["work"] * 10_000)
    one_line = "".join(f'criterion r{i} "r" = attached_on is known\n' for i in range(5_000))
    chain = "".join(
        f'criterion r{i} "r" = {f"r{i - 1}" if i else "true"} and attached_on is known\n'
        for i in range(3_000)
    )
    return {
        "`or` of 10,000 operands": LOCAL_HEADER + f'criterion local "l" = {operands}\n',
        "`at least 2 of` 10,000 items": LOCAL_HEADER
        + f'criterion local "l" = at least 2 of [{items}]\n',
        "5,000 one-line rules": GEN_HEADER + one_line,
        "a chain of 3,000 rules": GEN_HEADER + chain,
    }


def run(rules: Path, data: Path, out: Path) -> tuple[float, float, int]:
    """Wall seconds, peak memory (MB) and exit code of one `tfrules eval`."""
    command = Path(sys.executable).parent / "tfrules"
    started = time.perf_counter()
    child = subprocess.Popen(
        [str(command), "eval", str(rules), "--data", str(data),
         "--as-of", "2013-01-15", "--out", str(out), "-q"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=200)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    from tfrules.data.synth import generate_to_dir

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = folder / "data"
        generate_to_dir(args.households, 1, data)
        lines = [
            f"| case ({args.households} households) | wall | peak memory | exit |",
            "|---|---|---|---|",
        ]
        for name, text in cases().items():
            rules = folder / "rules.tfr"
            rules.write_text(text, encoding="utf-8")
            wall, peak, code = run(rules, data, folder / "out.parquet")
            lines.append(f"| {name} | {wall:.1f} s | {peak:,.0f} MB | {code} |")
            print(lines[-1], flush=True)
    table = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
