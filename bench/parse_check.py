"""Benchmark: parse and check a generated ruleset of about 5,000 lines.

    python bench/parse_check.py [--lines 5000] [--repeat 5]

The ruleset is made of realistic rules (quantifiers over members and events,
windows, `at attached_on`, money with year tables) over the canonical schema,
each rule using earlier ones. Prints the median of several runs, for parsing
alone and for parse + check, with the grammar already built (it is cached for
the life of a process). Both wall-clock and CPU time are reported: on a
shared machine the CPU time is the steadier figure.
"""

from __future__ import annotations

import argparse
import statistics
import time

from tfrules.check.ruleset import check_ruleset
from tfrules.check.workspace import Workspace
from tfrules.syntax.grammar import parser
from tfrules.syntax.parser import parse_text

BLOCK = """
parameter threshold_{i} "Threshold {i}" = {pct}%
    source "generated benchmark, block {i}"

criterion child_{i} "A child in block {i}" for person
    = age >= 5 and age <= 15

measure recent_{i} "Offences in the window" for person
    = count offences where proven, in the last 12 months, age at offence_date < 18

criterion problem_{i} "A problem in block {i}"
    source "generated benchmark"
    = any child_{i} member where recent_{i} >= 1
      or any member has asb where kind in {{asbo, injunction}}, in the last 6 months
      or (any member has benefit_claims where benefit in {{JSA, ESA}}, active) at attached_on

measure amount_{i} "An amount in block {i}": money
    = if problem_{i} is true then £{money} else £0

criterion combined_{i} "Combined {i}"
    = at least 2 of [problem_{i}, {previous}, attached_on is known]
      and (sum sessions_possible over school_terms where in the last 3 terms) >= 0
"""


def generate(lines: int) -> str:
    parts = ['ruleset bench.generated "A generated ruleset"\n    uses schema canonical\n']
    i = 0
    while sum(p.count("\n") for p in parts) < lines:
        previous = f"problem_{i - 1}" if i else "true"
        parts.append(BLOCK.format(i=i, pct=10 + i % 20, money=100 + i, previous=previous))
        i += 1
    return "".join(parts)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--lines", type=int, default=5000)
    options.add_argument("--repeat", type=int, default=5)
    args = options.parse_args()
    text = generate(args.lines)
    parser()  # build the grammar once, as every later parse in a process reuses it
    parse_times, check_times, parse_cpu, check_cpu = [], [], [], []
    for _ in range(args.repeat):
        started, cpu = time.perf_counter(), time.process_time()
        parsed = parse_text(text, "generated.tfr")
        parse_times.append(time.perf_counter() - started)
        parse_cpu.append(time.process_time() - cpu)
        assert parsed.ok, parsed.diagnostics[:3]
        started, cpu = time.perf_counter(), time.process_time()
        workspace = Workspace()
        workspace.add_text(text, "generated.tfr")
        result = check_ruleset(workspace, "bench.generated")
        check_times.append(time.perf_counter() - started)
        check_cpu.append(time.process_time() - cpu)
        errors = [d for d in result.diagnostics if d.is_error]
        assert not errors, errors[:3]
    rules = len(result.ruleset.rules)  # type: ignore[union-attr]
    median = statistics.median
    print(f"lines: {text.count(chr(10)):,}, rules: {rules:,}, runs: {args.repeat}")
    print(
        f"parse:         {median(parse_times):.3f} s wall, {median(parse_cpu):.3f} s CPU (medians)"
    )
    print(
        f"parse + check: {median(check_times):.3f} s wall, {median(check_cpu):.3f} s CPU (medians)"
    )


if __name__ == "__main__":
    main()
