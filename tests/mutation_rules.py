"""`make mutation`, the part mutmut cannot do, and the summary of both parts.

mutmut 3 mutates function bodies only; the rules that live in module-level tables (the case
lifecycle `TRANSITIONS`, the ID check weights and characters, the number patterns) are left
alone. `python -m tests.mutation_rules tables` makes single-line mutants of those tables — one
status added to or dropped from one row, one weight changed, two check characters swapped, one
pattern loosened or tightened — and runs the tests that pin them against each mutant, one at a
time in a forked process. `python -m tests.mutation_rules summary` prints mutmut's results per
module. Not collected by pytest (the name does not start with test_).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTEST_ARGS = ["-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"]
WORKFLOW_TESTS = ["tests/unit/test_rules_workflow.py"]
IDENTITY_TESTS = ["tests/unit/test_rules_identity.py", "tests/unit/test_identity.py"]
MODULES = (
    "gridgov.cases.workflow",
    "gridgov.core.identity",
    "gridgov.core.masking",
    "gridgov.audit.verify",
    "gridgov.workdays.calendar",
)


@dataclass(frozen=True)
class Mutant:
    where: str  # file:line of the table
    what: str  # the change, in words
    module: str
    name: str  # the module attribute replaced
    value: Callable[[], Any]  # builds the mutated attribute (called in the child)
    tests: tuple[str, ...]


def _line_of(module_file: str, pattern: str) -> str:
    text = (ROOT / module_file).read_text().splitlines()
    for number, line in enumerate(text, start=1):
        if re.search(pattern, line):
            return f"{module_file}:{number}"
    raise LookupError(f"{pattern!r} not found in {module_file}")


def workflow_mutants() -> list[Mutant]:
    from gridgov.cases.choices import Status
    from gridgov.cases.workflow import TRANSITIONS

    path = "gridgov/cases/workflow.py"
    mutants = []
    for action, (sources, targets) in TRANSITIONS.items():
        where = _line_of(path, rf'^\s+"{action}": ')
        for side, current in (("sources", sources), ("targets", targets)):
            for status in Status.values:
                changed = current ^ {status}
                verb = "drop" if status in current else "add"

                def build(action: str = action, side: str = side, changed: Any = changed) -> Any:
                    table = dict(TRANSITIONS)
                    old_sources, old_targets = table[action]
                    table[action] = (
                        (frozenset(changed), old_targets)
                        if side == "sources"
                        else (old_sources, frozenset(changed))
                    )
                    return table

                mutants.append(
                    Mutant(
                        where,
                        f"{action}: {verb} {status} in {side}",
                        "gridgov.cases.workflow",
                        "TRANSITIONS",
                        build,
                        tuple(WORKFLOW_TESTS),
                    )
                )
    return mutants


def identity_mutants() -> list[Mutant]:
    from gridgov.core import identity

    path = "gridgov/core/identity.py"
    mutants = []
    weights, check = identity._WEIGHTS, identity._CHECK

    def add(pattern: str, what: str, name: str, value: Any) -> None:
        mutants.append(
            Mutant(
                _line_of(path, pattern),
                what,
                "gridgov.core.identity",
                name,
                lambda value=value: value,
                tuple(IDENTITY_TESTS),
            )
        )

    for i, weight in enumerate(weights):
        for new in (weight - 1, weight + 1):
            if 0 <= new <= 10:
                changed = (*weights[:i], new, *weights[i + 1 :])
                add(r"^_WEIGHTS = ", f"weight {i + 1}: {weight} → {new}", "_WEIGHTS", changed)
    for i in range(len(weights) - 1):
        if weights[i] != weights[i + 1]:
            swapped = (*weights[:i], weights[i + 1], weights[i], *weights[i + 2 :])
            add(r"^_WEIGHTS = ", f"weights {i + 1} and {i + 2} swapped", "_WEIGHTS", swapped)
    for i in range(len(check)):
        for j in range(i + 1, len(check)):
            chars = list(check)
            chars[i], chars[j] = chars[j], chars[i]
            what = f"check characters {check[i]} and {check[j]} swapped"
            add(r"^_CHECK = ", what, "_CHECK", "".join(chars))
    for name, patterns in (
        (
            "_ID18",
            [r"^\d{17}\d$", r"^\d{16}[\dX]$", r"^\d{18}[\dX]$", r"^\d{17}[\dX]", r"^.{17}[\dX]$"],
        ),
        ("_ID15", [r"^\d{14}$", r"^\d{16}$", r"^\d{15}", r"^[\dX]{15}$"]),
        (
            "_MOBILE",
            [
                r"^1[2-9]\d{9}$",
                r"^1[3-8]\d{9}$",
                r"^1[4-9]\d{9}$",
                r"^1[3-9]\d{8}$",
                r"^1[3-9]\d{10}$",
                r"^1[3-9]\d{9}",
                r"^[1-9][3-9]\d{9}$",
            ],
        ),
    ):
        for pattern in patterns:
            add(rf"^{name} = ", f"{name} → {pattern}", name, re.compile(pattern))
    return mutants


def _run_mutant(mutant: Mutant) -> bool:
    """True if the tests fail against the mutant (killed). The mutant lives in a forked child."""
    import pytest

    pid = os.fork()
    if pid == 0:  # the child: mutate, run the tests quietly, report by exit code
        import importlib

        module = importlib.import_module(mutant.module)
        setattr(module, mutant.name, mutant.value())
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        code = pytest.main([*PYTEST_ARGS, *mutant.tests])
        os._exit(int(code))
    _pid, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) != 0


def tables() -> int:
    os.chdir(ROOT)
    import tests.plugin_env  # noqa: F401  (the suite's environment)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gridgov.settings")
    import django

    django.setup()
    from gridgov.cases import workflow

    unchanged = Mutant(
        "-",
        "none",
        "gridgov.cases.workflow",
        "TRANSITIONS",
        lambda: workflow.TRANSITIONS,
        (*WORKFLOW_TESTS, *IDENTITY_TESTS),
    )
    if _run_mutant(unchanged):
        print("the tests fail on the unchanged code: fix them first")
        return 1
    groups = {"workflow": workflow_mutants(), "identity": identity_mutants()}
    survivors = []
    for group, mutants in groups.items():
        killed = 0
        for mutant in mutants:
            if _run_mutant(mutant):
                killed += 1
            else:
                survivors.append(mutant)
        figure = f"{killed}/{len(mutants)}"
        print(f"rule tables, {group}: {figure} single-line mutants killed", flush=True)
    for mutant in survivors:
        print(f"  survived: {mutant.where}: {mutant.what}")
    return 1 if survivors else 0


def summary() -> int:
    """mutmut's results per module: killed / total (timeouts count as killed, as in mutmut)."""
    os.chdir(ROOT)
    out = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    counts: dict[str, Counter[str]] = {module: Counter() for module in MODULES}
    survivors = []
    for line in out.splitlines():
        match = re.match(r"\s*(\S+)__mutmut_\d+: (.+)$", line)
        if not match:
            continue
        name, status = match.groups()
        module = next((m for m in MODULES if name.startswith(m + ".")), None)
        if module is None:
            continue
        counts[module][status] += 1
        if status not in ("killed", "timeout"):
            survivors.append(line.strip())
    total_killed = total = 0
    for module, count in counts.items():
        killed = count["killed"] + count["timeout"]
        n = sum(count.values())
        total_killed, total = total_killed + killed, total + n
        share = f"{100 * killed / n:.1f} %" if n else "-"
        print(f"{module:28} {killed:4}/{n:<4} killed ({share})  {dict(count)}")
    if total:
        share = f"{100 * total_killed / total:.1f} %"
        print(f"{'all five modules':28} {total_killed:4}/{total:<4} killed ({share})")
    for line in survivors:
        print(f"  not killed: {line}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=["tables", "summary"])
    return {"tables": tables, "summary": summary}[parser.parse_args().part]()


if __name__ == "__main__":
    sys.exit(main())
