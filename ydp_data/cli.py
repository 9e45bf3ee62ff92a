"""Command line: python -m ydp_data build | check | template DIR | import DIR [--replace]."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ydp_data import paths
from ydp_data.build import build
from ydp_data.checks import run_checks
from ydp_data.errors import DatasetError
from ydp_data.importer import ImportRefused, import_report, render_problems, write_template
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
    template = sub.add_parser("template", help="새 보고서 입력 양식(빈 CSV 파일과 README.md)을 DIR에 씁니다")
    template.add_argument("dir", type=Path, metavar="DIR", help="새 폴더 또는 빈 폴더")
    importer = sub.add_parser("import", help="DIR의 새 보고서를 검증해 datasets/에 더하고 데이터베이스를 다시 만듭니다")
    importer.add_argument("dir", type=Path, metavar="DIR", help="채운 양식 폴더 (한 보고 시점)")
    importer.add_argument("--replace", action="store_true", help="datasets/에 이미 있는 같은 report_id의 행을 바꿉니다")
    args = parser.parse_args(argv)
    datasets = args.datasets or paths.datasets_dir()
    target = args.db or paths.database_path()
    if args.command == "template":
        return _template(args.dir)
    if args.command == "import":
        return _import(args.dir, datasets, target, args.replace)
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


def _template(directory: Path) -> int:
    """Write the empty template; 1 when the folder already holds files."""
    try:
        written = write_template(directory)
    except (ImportRefused, OSError) as exc:
        print(f"양식을 쓰지 않았습니다 (template not written): {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(written)} files to {directory}: {', '.join(p.name for p in written)}")
    print(f"채우는 법과 가져오는 법은 {directory / 'README.md'}에 있습니다. 다 채우면: python -m ydp_data import {directory}")
    return 0


def _import(source: Path, datasets: Path, target: Path, replace: bool) -> int:
    """Import a filled-in template into datasets, then rebuild the database; 1 when refused or invalid."""
    untouched = "가져오지 않았습니다: datasets/는 바뀌지 않았습니다 (nothing imported; datasets/ is unchanged)."
    try:
        result = import_report(source, datasets, replace=replace)
    except DatasetError as exc:
        print(render_problems(exc, source), file=sys.stderr)
        print(untouched, file=sys.stderr)
        return 1
    except ImportRefused as exc:
        print(str(exc), file=sys.stderr)
        print(untouched, file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"파일을 쓰거나 옮기지 못했습니다 (file error): {exc}", file=sys.stderr)
        print(untouched, file=sys.stderr)
        return 1
    for warning in result.warnings:
        print(f"주의 (warning): {warning}", file=sys.stderr)
    for report_id in result.report_ids:
        how = "바꿈 (replaced)" if report_id in result.replaced else "새 보고서 (added)"
        print(f"imported {report_id}: {how}")
    width = max(len(name) for name in result.added) + 4
    for name, count in result.added.items():
        gone = result.removed.get(name, 0)
        print(f"  {name + '.csv':<{width}} {f'+{count}':>5}" + (f" {f'−{gone}':>5} (바뀐 기존 행 replaced)" if gone else ""))
    total, gone = sum(result.added.values()), sum(result.removed.values())
    print(f"  {'합계 total':<{width - 2}} {f'+{total}':>5}" + (f" {f'−{gone}':>5}" if result.replaced else "") + " rows")
    try:
        built = build(datasets, target)
    except (DatasetError, OSError) as exc:
        print(f"datasets/에는 가져왔지만 데이터베이스를 다시 만들지 못했습니다 (imported, but the database was not rebuilt): "
              f"{exc}\n`python -m ydp_data build`를 실행하세요.", file=sys.stderr)
        return 1
    rows = sum(v for k, v in built.rows.items() if k != "checks")
    print(f"built {built.path} ({rows:,} rows, {len(built.checks)} checks, {len(built.failed)} report discrepancies)")
    return 0
