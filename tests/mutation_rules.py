"""`make mutation`, the part mutmut cannot do, and the summary of both parts.

mutmut 3 mutates function bodies only; the rules that live in module-level tables (the case
lifecycle's action specs, the ID check weights and characters, the number patterns) are left
alone. `python -m tests.mutation_rules tables` makes single-line mutants of those tables — one
status added to or dropped from one row, one weight changed, two check characters swapped, one
pattern loosened or tightened — and runs the tests that pin them against each mutant, one mutant
at a time in a forked process. The pinning tests are plain functions: they are called directly,
every parametrized case expanded (a pytest start per mutant would cost seconds, this costs
milliseconds). `python -m tests.mutation_rules summary` prints mutmut's results per module.
Not collected by pytest (the name does not start with test_).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LIFECYCLE_TESTS = ("tests.unit.test_rules_lifecycle",)
IDENTITY_TESTS = ("tests.unit.test_rules_identity", "tests.unit.test_identity")
MODULES = (
    "gridgov.lifecycle.spec",
    "gridgov.lifecycle.move",
    "gridgov.cases.lifecycle",
    "gridgov.core.identity",
    "gridgov.core.masking",
    "gridgov.audit.verify",
    "gridgov.workdays.calendar",
)


# Table mutants that cannot change behaviour, and why (docs/mutation.md lists them too).
EQUIVALENT = {
    r"_ID18 → ^\d{17}[\dX]": "the length is checked to be 18 before the pattern is tried, and "
    "strip() has removed the trailing newline that `$` would also accept",
}


@dataclass(frozen=True)
class Mutant:
    where: str  # file:line of the table
    what: str  # the change, in words
    apply: Callable[[], None]  # makes the change (called in the child)
    tests: tuple[str, ...]


def _line_of(module_file: str, pattern: str) -> str:
    text = (ROOT / module_file).read_text().splitlines()
    for number, line in enumerate(text, start=1):
        if re.search(pattern, line):
            return f"{module_file}:{number}"
    raise LookupError(f"{pattern!r} not found in {module_file}")


def lifecycle_mutants() -> list[Mutant]:
    """One status added to or dropped from the sources or the targets of one action's spec (the
    `@CASES.action(...)` declarations in gridgov/cases/actions/*.py)."""
    import inspect

    from gridgov.cases.actions import CASES
    from gridgov.cases.choices import Status

    mutants = []
    for name, spec in CASES.specs.items():
        source = Path(inspect.getsourcefile(spec.effect) or "").relative_to(ROOT)
        where = _line_of(str(source), rf"^\s+CaseAction\.{spec.action.name},")
        for side in ("sources", "targets"):
            current = getattr(spec, side)
            for status in Status.values:
                changed = frozenset(current ^ {status})
                verb = "drop" if status in current else "add"

                def apply(name: str = name, side: str = side, changed: Any = changed) -> None:
                    CASES.specs[name] = replace(CASES.specs[name], **{side: changed})

                mutants.append(
                    Mutant(where, f"{name}: {verb} {status} in {side}", apply, LIFECYCLE_TESTS)
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
                lambda name=name, value=value: setattr(identity, name, value),
                IDENTITY_TESTS,
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


def _cases(function: Callable[..., Any]) -> list[dict[str, Any]]:
    """The keyword arguments of every case of a test function's parametrize marks."""
    cases: list[dict[str, Any]] = [{}]
    for mark in getattr(function, "pytestmark", []):
        if mark.name != "parametrize":
            continue
        names, values = mark.args[0], mark.args[1]
        names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
        expanded = []
        for case in cases:
            for value in values:
                value = getattr(value, "values", value)  # pytest.param(...)
                row = (value,) if len(names) == 1 else tuple(value)
                expanded.append({**case, **dict(zip(names, row, strict=True))})
        cases = expanded
    return cases


def _run_tests(module_names: tuple[str, ...]) -> None:
    """Call every test function of the modules; the first failure raises."""
    import importlib
    import inspect

    import pytest

    for module_name in module_names:
        module = importlib.import_module(module_name)
        for name, function in vars(module).items():
            if not name.startswith("test_") or not inspect.isfunction(function):
                continue
            wanted = set(inspect.signature(function).parameters)
            for case in _cases(function):
                with pytest.MonkeyPatch.context() as monkeypatch:
                    kwargs = {**case, "monkeypatch": monkeypatch}
                    missing = wanted - set(kwargs)
                    if missing:
                        raise RuntimeError(f"{module_name}.{name} needs fixtures {missing}")
                    function(**{k: v for k, v in kwargs.items() if k in wanted})


def _run_mutant(mutant: Mutant) -> bool:
    """True if the tests fail against the mutant (killed). The mutant lives in a forked child."""
    pid = os.fork()
    if pid == 0:  # the child: mutate, run the tests, report by exit code
        mutant.apply()
        try:
            _run_tests(mutant.tests)
        except RuntimeError:
            os._exit(3)
        except BaseException:
            os._exit(1)
        os._exit(0)
    _pid, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code == 3:
        raise RuntimeError("a pinning test needs a fixture this runner does not provide")
    return code != 0


def tables() -> int:
    os.chdir(ROOT)
    import tests.plugin_env  # noqa: F401  (the suite's environment)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gridgov.settings")
    import django

    django.setup()
    import importlib

    for module_name in (*LIFECYCLE_TESTS, *IDENTITY_TESTS):  # imported once, before the forks
        importlib.import_module(module_name)

    unchanged = Mutant("-", "none", lambda: None, (*LIFECYCLE_TESTS, *IDENTITY_TESTS))
    if _run_mutant(unchanged):
        print("the tests fail on the unchanged code: fix them first")
        return 1
    groups = {"lifecycle": lifecycle_mutants(), "identity": identity_mutants()}
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
    unexplained = [m for m in survivors if m.what not in EQUIVALENT]
    for mutant in survivors:
        reason = EQUIVALENT.get(mutant.what)
        verdict = f"equivalent: {reason}" if reason else "NOT KILLED"
        print(f"  survived: {mutant.where}: {mutant.what} ({verdict})")
    return 1 if unexplained else 0


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
        print(f"{'all modules':28} {total_killed:4}/{total:<4} killed ({share})")
    for line in survivors:
        print(f"  not killed: {line}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=["tables", "summary"])
    return {"tables": tables, "summary": summary}[parser.parse_args().part]()


if __name__ == "__main__":
    sys.exit(main())
