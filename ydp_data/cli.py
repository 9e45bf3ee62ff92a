"""Command line: python -m ydp_data build | check | template DIR|FILE.xlsx | export REPORT_ID FILE.xlsx |
import DIR|FILE.xlsx|FILE.zip [--replace] [--allow-empty TABLE].

Every command that writes datasets/ or the database holds the one writer lock, and every command leaves the
database matching datasets/ (rebuilt when its recorded fingerprint differs) or says plainly that it could not.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from ydp_data import paths, workbook
from ydp_data.build import BuildError, build, machine_error
from ydp_data.checks import run_checks
from ydp_data.datasets import SPEC_BY_TABLE
from ydp_data.db import DatabaseUnavailable, ensure_database
from ydp_data.errors import DatasetError
from ydp_data.importer import ImportRefused, ImportResult, RebuildFailed, publish, render_problems, write_template
from ydp_data.load import load_datasets, unread_entries
from ydp_data.lock import LockBusy


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
    template = sub.add_parser("template", help="새 보고서 입력 양식을 씁니다: DIR에 빈 CSV 파일과 README.md, "
                              "또는 FILE.xlsx에 엑셀 통합문서 하나")
    template.add_argument("dir", type=Path, metavar="DIR|FILE.xlsx", help="새 폴더 또는 빈 폴더, 또는 새 .xlsx 파일")
    export = sub.add_parser("export", help="datasets/의 한 보고서를 입력 통합문서(.xlsx)로 씁니다 (다음 보고서를 지난 것에서 시작)")
    export.add_argument("report_id", metavar="REPORT_ID", help="예: ydp-jobs-2023-05")
    export.add_argument("file", type=Path, metavar="FILE.xlsx", help="새 .xlsx 파일")
    importer = sub.add_parser("import", help="채운 양식의 새 보고서를 검증해 datasets/에 더하고 데이터베이스를 다시 만듭니다")
    importer.add_argument("dir", type=Path, metavar="DIR|FILE.xlsx",
                          help="채운 양식 폴더, .xlsx 통합문서 또는 CSV 파일의 .zip (한 보고 시점)")
    importer.add_argument("--replace", action="store_true", help="datasets/에 이미 있는 같은 report_id의 행을 바꿉니다")
    importer.add_argument("--allow-empty", action="append", default=[], metavar="TABLE", choices=sorted(SPEC_BY_TABLE),
                          help="--replace로 이 표(예: equipment)의 행을 모두 지워도 된다고 밝힙니다 (여러 번 쓸 수 있음)")
    args = parser.parse_args(argv)
    datasets = args.datasets or paths.datasets_dir()
    target = args.db or paths.database_path()
    if args.command == "template":
        if args.dir.suffix.lower() == ".xlsx":
            return _template_workbook(args.dir, datasets)
        return _template(args.dir)
    if args.command == "export":
        return _export(args.report_id, args.file, datasets)
    if args.command == "import":
        if args.dir.suffix.lower() in workbook.WORKBOOK_SUFFIXES or args.dir.is_file():
            return _import_file(args.dir, datasets, target, args.replace, frozenset(args.allow_empty))
        return _import(args.dir, datasets, target, args.replace, frozenset(args.allow_empty))
    for entry in unread_entries(datasets):  # build and check: what datasets/ holds that is not read
        print(f"주의 (warning): {entry}", file=sys.stderr)
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
            return _keep_current(datasets, target)
    except DatasetError as exc:
        print(exc.render(), file=sys.stderr)
        print("빌드하지 않았습니다: 기존 데이터베이스는 그대로 남아 있습니다 (the last good database is untouched).",
              file=sys.stderr)
        return 1
    except BuildError as exc:
        print(f"빌드하지 못했습니다 (build failed): {exc}", file=sys.stderr)
        print("기존 데이터베이스는 그대로 남아 있습니다 (the last good database is untouched).", file=sys.stderr)
        return 1
    return 2


def _keep_current(datasets: Path, target: Path) -> int:
    """Make the database match datasets/ (rebuilt when it lags behind, repaired when damaged); 1 when it could not."""
    try:
        _, notice = ensure_database(target, datasets)
    except DatabaseUnavailable as exc:
        print(f"데이터베이스를 datasets/에 맞추지 못했습니다 (the database could not be brought up to date): {exc}",
              file=sys.stderr)
        return 1
    if notice:
        print(notice, file=sys.stderr)
    print(f"데이터베이스가 datasets/와 맞습니다 (database {target} matches {datasets}).", file=sys.stderr)
    return 0


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


def _template_workbook(path: Path, datasets: Path) -> int:
    """Write the empty template workbook; 1 when the file exists (a filled-in workbook is never overwritten)."""
    try:
        records = load_datasets(datasets)
    except (DatasetError, OSError):
        records = None  # the drop-down of units then offers the dashboard's units only
    try:
        workbook.save_new(workbook.template_workbook(records), path)
    except (ImportRefused, OSError) as exc:
        print(f"양식을 쓰지 않았습니다 (template not written): {exc}", file=sys.stderr)
        return 1
    print(f"wrote {path}: '{workbook.GUIDE}' 시트(채우는 법)와 표마다 시트 하나 ({len(SPEC_BY_TABLE)} sheets).")
    print(f"다 채우면: python -m ydp_data import {path}")
    return 0


def _export(report_id: str, path: Path, datasets: Path) -> int:
    """Write one report of datasets/ as a workbook in the template's layout; 1 when refused."""
    try:
        records = load_datasets(datasets)
        workbook.save_new(workbook.export_workbook(records, report_id), path)
    except DatasetError as exc:
        print(exc.render(), file=sys.stderr)
        return 1
    except (ImportRefused, OSError) as exc:
        print(f"내보내지 않았습니다 (not exported): {exc}", file=sys.stderr)
        return 1
    rows = sum(1 for table in SPEC_BY_TABLE for r in records[table] if r.report_id == report_id)  # type: ignore[attr-defined]
    print(f"wrote {path}: {report_id}, {rows:,} rows. 고친 뒤 같은 보고서를 바꾸려면 python -m ydp_data import {path} "
          "--replace, 새 보고서로 더하려면 모든 시트의 report_id를 바꾸세요.")
    return 0


def _import_file(path: Path, datasets: Path, target: Path, replace: bool, allow_empty: frozenset[str]) -> int:
    """Import a workbook (.xlsx) or a zip of the CSV files: read and validated into a temporary folder (problems
    named by sheet, row and column), then imported as a folder."""
    with tempfile.TemporaryDirectory(prefix="ydp-upload-") as tmp:
        try:
            if path.suffix.lower() in workbook.WORKBOOK_SUFFIXES:
                folder = workbook.read_workbook(path, Path(tmp))
            else:
                with path.open("rb") as f:
                    folder = workbook.read_upload(f.read(workbook.MAX_UPLOAD_BYTES + 1), str(path), Path(tmp))
        except DatasetError as exc:
            print(render_problems(exc, path), file=sys.stderr)
            print("가져오지 않았습니다: datasets/는 바뀌지 않았습니다 (nothing imported; datasets/ is unchanged).", file=sys.stderr)
            return 1
        except (ImportRefused, OSError) as exc:
            print(str(exc), file=sys.stderr)
            print("가져오지 않았습니다: datasets/는 바뀌지 않았습니다 (nothing imported; datasets/ is unchanged).", file=sys.stderr)
            return 1
        return _import(folder, datasets, target, replace, allow_empty)


def _import(source: Path, datasets: Path, target: Path, replace: bool, allow_empty: frozenset[str]) -> int:
    """Import a filled-in template into datasets, then rebuild the database, both under the writer lock
    (importer.publish, the same function as the browser's 게시); 1 when refused or invalid (the database is still
    brought up to date with datasets/)."""
    untouched = "가져오지 않았습니다: datasets/는 바뀌지 않았습니다 (nothing imported; datasets/ is unchanged)."
    try:
        done = publish(source, datasets, target, replace=replace, allow_empty=allow_empty)
    except LockBusy as exc:
        print(str(exc), file=sys.stderr)
        print(untouched, file=sys.stderr)
        return 1
    except DatasetError as exc:
        print(render_problems(exc, source), file=sys.stderr)
        print(untouched, file=sys.stderr)
        return 1
    except ImportRefused as exc:
        print(str(exc), file=sys.stderr)
        print(untouched, file=sys.stderr)
        if datasets.is_dir() and target.exists():  # e.g. a repeat of an import killed before its rebuild
            _keep_current(datasets, target)
        return 1
    except RebuildFailed as exc:
        if exc.imported is not None:
            _print_imported(exc.imported)
        print(f"datasets/에는 가져왔지만 데이터베이스를 다시 만들지 못했습니다 (imported, but the database was not rebuilt): "
              f"{exc.reason}\n`python -m ydp_data build`를 실행하세요. 대시보드와 다음 명령이 다시 만들기를 시도합니다.",
              file=sys.stderr)
        return 1
    except BuildError as exc:
        print(f"가져오기를 끝내지 못했습니다 (import failed): {exc}", file=sys.stderr)
        print(untouched, file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"파일을 쓰거나 옮기지 못했습니다 (file error): {machine_error(exc, datasets)}", file=sys.stderr)
        print(untouched, file=sys.stderr)
        return 1
    result = done.imported
    if result.unchanged:
        for warning in result.warnings:
            print(f"주의 (warning): {warning}", file=sys.stderr)
        print(f"이미 같은 내용으로 들어 있습니다 (already imported, identical rows): {', '.join(result.report_ids)}. "
              "datasets/는 바꾸지 않았습니다.")
        return _keep_current(datasets, target)
    _print_imported(result)
    built = done.built
    assert built is not None  # publish rebuilds after every import that changed datasets/
    rows = sum(v for k, v in built.rows.items() if k != "checks")
    print(f"built {built.path} ({rows:,} rows, {len(built.checks)} checks, {len(built.failed)} report discrepancies)")
    return 0


def _print_imported(result: ImportResult) -> None:
    """What an import changed: warnings, each report, rows added and removed per file, where the backup is."""
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
    if result.backup:
        print(f"이전 datasets/는 {result.backup}에 보관했습니다 (the previous datasets/ was kept there).")
