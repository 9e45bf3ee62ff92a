"""Command line: python -m ydp_data build | check."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ydp_data import paths
from ydp_data.build import build
from ydp_data.checks import run_checks
from ydp_data.errors import DatasetError
from ydp_data.load import load_datasets


def _print_checks(checks: list, out=sys.stdout) -> None:  # type: ignore[no-untyped-def,type-arg]
    for c in checks:
        mark = "PASS" if c.passed else "FAIL"
        print(f"{mark}  {c.check_id}: {c.description} — 보고서 {c.expected:,} / 계산 {c.computed:,} {c.unit}"
              f" ({c.source}){'  ※ ' + c.note if c.note and not c.passed else ''}", file=out)
    failed = sum(not c.passed for c in checks)
    print(f"{len(checks) - failed} passed, {failed} failed (보고서 자체의 불일치는 FAIL로 표시됩니다)", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ydp_data", description="영등포구 일자리정책과 대시보드 데이터")
    parser.add_argument("--datasets", type=Path, default=None, help="CSV 폴더 (기본: datasets/)")
    parser.add_argument("--db", type=Path, default=None, help="DuckDB 파일 (기본: data/ydp.duckdb)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="datasets/를 검증하고 DuckDB 파일을 원자적으로 다시 만듭니다")
    sub.add_parser("check", help="정합성 검사 결과를 출력합니다")
    args = parser.parse_args(argv)
    datasets = args.datasets or paths.datasets_dir()
    target = args.db or paths.database_path()
    try:
        if args.command == "build":
            start = time.perf_counter()
            result = build(datasets, target)
            elapsed = time.perf_counter() - start
            rows = sum(v for k, v in result.rows.items() if k != "checks")
            print(f"built {result.path} ({rows:,} rows, {len(result.checks)} checks, "
                  f"{len(result.failed)} report discrepancies) in {elapsed:.2f}s")
            return 0
        if args.command == "check":
            _print_checks(run_checks(load_datasets(datasets)))
            return 0
    except DatasetError as exc:
        print(exc.render(), file=sys.stderr)
        print("빌드하지 않았습니다: 기존 데이터베이스는 그대로 남아 있습니다 (the last good database is untouched).",
              file=sys.stderr)
        return 1
    return 2
