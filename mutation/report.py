"""Per-module mutation scores from mutmut's results in mutants/ (python -m mutation.report [--survivors]).

Reads mutants/ydp_data/<module>.py.meta, which `mutmut run` writes, and prints a Markdown table: mutants, killed,
survived, timeout, no tests, not checked yet, and the score (killed + timeout over the mutants that were run).
With --survivors, each surviving mutant's changed lines (as `mutmut show <name>` would show them).
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KILLED = {1, 3}  # mutmut: a failing test run (or pytest's internal error) kills the mutant
TIMEOUT = {36, -24, 24, 152, 255}
NO_TESTS = {5, 33}


def status(code: int | None) -> str:
    if code is None:
        return "not checked"
    if code in KILLED:
        return "killed"
    if code == 0:
        return "survived"
    if code in TIMEOUT:
        return "timeout"
    if code in NO_TESTS:
        return "no tests"
    return "other"


def results(root: Path = ROOT) -> dict[str, dict[str, str]]:
    """Mutant name -> status, per module file (ydp_data/x.py)."""
    out: dict[str, dict[str, str]] = {}
    for meta in sorted((root / "mutants").glob("**/*.py.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        module = str(meta.relative_to(root / "mutants"))[: -len(".meta")]
        out[module] = {name: status(code) for name, code in data["exit_code_by_key"].items()}
    return out


def reset_survivors(root: Path = ROOT) -> int:
    """Set the result of every surviving or untested mutant back to 'not checked' (after new tests were written)."""
    count = 0
    for meta in (root / "mutants").glob("**/*.py.meta"):
        data = json.loads(meta.read_text(encoding="utf-8"))
        codes = data["exit_code_by_key"]
        for name, code in codes.items():
            if status(code) in ("survived", "no tests"):
                codes[name] = None
                count += 1
        meta.write_text(json.dumps(data), encoding="utf-8")
    return count


def table(by_module: dict[str, dict[str, str]]) -> str:
    lines = ["| module | mutants | killed | survived | timeout | no tests | not checked | score |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    total: Counter[str] = Counter()
    for module, statuses in by_module.items():
        if not statuses:
            continue
        counts = Counter(statuses.values())
        total.update(counts)
        lines.append(row(module, len(statuses), counts))
    lines.append(row("**all**", sum(total.values()), total))
    return "\n".join(lines)


def row(name: str, n: int, c: Counter[str]) -> str:
    run = n - c["not checked"]
    score = f"{(c['killed'] + c['timeout']) * 100 / run:.1f}%" if run else "-"
    return (f"| {name} | {n} | {c['killed']} | {c['survived']} | {c['timeout']} | {c['no tests']} | "
            f"{c['not checked']} | {score} |")


def functions(path: Path) -> dict[str, str]:
    """The source of every function and method in mutmut's copy of a module, by its bare name."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    return {node.name: "\n".join(lines[node.lineno - 1:node.end_lineno]) for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def change(sources: dict[str, str], mutant: str) -> list[str]:
    """The lines a mutant changes: its function against the original (x_f__mutmut_orig), names aside."""
    bare = mutant.rsplit(".", 1)[-1]
    orig_name = bare.rsplit("__mutmut_", 1)[0] + "__mutmut_orig"
    original = sources.get(orig_name, "").replace(orig_name, bare)
    lines = difflib.unified_diff(original.splitlines(), sources.get(bare, "").splitlines(), lineterm="", n=0)
    return [ln[0] + " " + ln[1:].strip() for ln in lines if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--survivors", action="store_true", help="also show each surviving mutant's change")
    parser.add_argument("--reset-survivors", action="store_true",
                        help="mark survivors and no-test mutants unchecked, so the next `mutmut run` tests them again")
    args = parser.parse_args(argv)
    if args.reset_survivors:
        print(f"{reset_survivors()} mutants will be tested again by the next `mutmut run --max-children 2`")
        return 0
    by_module = results()
    if not by_module:
        print("No mutmut results in mutants/: run `mutmut run --max-children 2` first (see mutation/README.md).")
        return 1
    print(table(by_module))
    if args.survivors:
        for module, statuses in by_module.items():
            sources = functions(ROOT / "mutants" / module)
            for name, st in statuses.items():
                if st in ("survived", "no tests"):
                    print(f"\n{name} ({st})")
                    for line in change(sources, name):
                        print("    " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
