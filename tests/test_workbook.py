"""The Excel workbook, both ways: template and export (a sheet per dataset, notes, drop-downs) and the import of a
filled-in workbook or a zip of the CSV files, with every problem named by sheet, row and column.

Real files, real openpyxl, real DuckDB: every test copies datasets/ into tmp_path and points --datasets/--db there.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import shutil
import stat
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from tests.dbfiles import dump, query
from ydp_data import workbook
from ydp_data.cli import main
from ydp_data.datasets import SPEC_BY_TABLE, SPECS, DatasetSpec, sql_columns
from ydp_data.errors import DatasetError
from ydp_data.importer import column_doc, render_readme
from ydp_data.load import clean_cell, load_datasets
from ydp_data.models import FundingSource, Kind, Team

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "datasets"
FIXTURE = ROOT / "tests" / "fixtures" / "report_2023_12_test"
OLD_ID = "ydp-jobs-2023-05"
NEW_ID = "test-ydp-jobs-2023-12"
MB = 1024 * 1024


# --- helpers ------------------------------------------------------------------------------------
@pytest.fixture()
def datasets(tmp_path: Path) -> Path:
    """A copy of the real datasets/ in tmp_path/'datasets'."""
    target = tmp_path / "datasets"
    shutil.copytree(DATASETS, target)
    return target


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    """Where the tests build the database: never data/."""
    return tmp_path / "data" / "ydp.duckdb"


def cli(datasets: Path, db: Path, *args: str) -> int:
    """The CLI, pointed at the temporary datasets and database."""
    return main(["--datasets", str(datasets), "--db", str(db), *args])


def hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def fixture_rows(spec: DatasetSpec) -> list[dict[str, str]]:
    with open(FIXTURE / spec.filename, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def typed(spec: DatasetSpec, column: str, text: str) -> Any:
    """A fixture cell as an officer types it into Excel: numbers as numbers, the date as a date, text as text."""
    cleaned = clean_cell(text, column in spec.numeric_columns)
    if cleaned is None:
        return None
    if column in spec.integer_columns:
        return int(cleaned)
    if column in spec.numeric_columns:
        return float(cleaned)
    if sql_columns(spec.model)[column] == "DATE":
        return dt.date.fromisoformat(cleaned)
    return cleaned


def fill_with_fixture(path: Path) -> None:
    """Copy every row of the test-only fixture report into the sheets of a template workbook."""
    book = openpyxl.load_workbook(path)
    for spec in SPECS:
        sheet = book[spec.table]
        for row in fixture_rows(spec):
            sheet.append([typed(spec, column, row[column]) for column in spec.columns])
    book.save(path)


def edit(path: Path, change: Callable[[Workbook], None]) -> None:
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)


def row_of(sheet: Any, column: str, value: str) -> int:
    """The sheet row whose cell in column holds value (exactly one)."""
    header = [c.value for c in sheet[1]]
    found = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, header.index(column) + 1).value == value]
    assert len(found) == 1, (column, value, found)
    return found[0]


def column_of(sheet: Any, column: str) -> int:
    return [c.value for c in sheet[1]].index(column) + 1


def rezip(source: Path, target: Path, change: Callable[[str, bytes], bytes] = lambda n, b: b,
          extra: dict[str, bytes] | None = None) -> None:
    """Copy a zip entry by entry (changing some), adding extra entries."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, change(info.filename, old.read(info)))
        for name, data in (extra or {}).items():
            new.writestr(name, data)


def export(datasets: Path, db: Path, path: Path, report_id: str = OLD_ID) -> Path:
    assert cli(datasets, db, "export", report_id, str(path)) == 0
    return path


def refused(datasets: Path, db: Path, path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    """Import path, expect a refusal that changed nothing, and return what it said."""
    before = hashes(datasets)
    capsys.readouterr()
    assert cli(datasets, db, "import", str(path), *extra) == 1
    err = capsys.readouterr().err
    assert "nothing imported" in err
    assert hashes(datasets) == before
    return err


def report_rows(path: Path, report_id: str) -> dict[str, list[tuple[Any, ...]]]:
    return {s.table: query(path, f'SELECT * FROM "{s.table}" WHERE report_id = ? ORDER BY ALL', [report_id]) for s in SPECS}


# --- the template -------------------------------------------------------------------------------
def test_template_filled_in_excel_imports_exactly_the_fixture_report(datasets: Path, db: Path, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "report.xlsx"
    assert cli(datasets, db, "template", str(book)) == 0
    fill_with_fixture(book)
    assert cli(datasets, db, "import", str(book)) == 0
    assert f"imported {NEW_ID}" in capsys.readouterr().out
    # the same report imported the CSV way, into another copy of datasets/
    reference, reference_db = tmp_path / "reference" / "datasets", tmp_path / "reference" / "ydp.duckdb"
    shutil.copytree(DATASETS, reference)
    assert cli(reference, reference_db, "import", str(FIXTURE)) == 0
    assert report_rows(db, NEW_ID) == report_rows(reference_db, NEW_ID)
    assert report_rows(db, OLD_ID) == report_rows(reference_db, OLD_ID)
    figures = {r["fact_id"]: Decimal(r["value"]) for r in fixture_rows(SPEC_BY_TABLE["facts"])}
    assert dict(query(db, "SELECT fact_id, value FROM facts WHERE report_id = ?", [NEW_ID])) == figures
    money = {(r["program_id"], r["funding_source"]): (int(r["budget"]), int(r["executed"]))
             for r in fixture_rows(SPEC_BY_TABLE["program_budget"])}
    got = query(db, "SELECT program_id, funding_source, budget, executed FROM program_budget WHERE report_id = ?", [NEW_ID])
    assert {(p, f): (b, e) for p, f, b, e in got} == money


def test_template_has_instructions_notes_and_drop_downs(datasets: Path, db: Path, tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    assert cli(datasets, db, "template", str(path)) == 0
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [workbook.GUIDE] + [s.table for s in SPECS]
    guide = "\n".join(str(c.value) for row in book[workbook.GUIDE].iter_rows() for c in row if c.value)
    for line in render_readme().splitlines():  # the CSV template's README, line by line (tables as cells)
        if line and not line.startswith(("|", "```")):
            assert line.lstrip("# ") in guide, line
    assert "python -m ydp_data import" in guide and ".xlsx" in guide
    units = {r.unit for table in ("facts", "stated_totals") for r in load_datasets(DATASETS)[table]}  # type: ignore[attr-defined]
    lists = {"team": [m.value for m in Team], "funding_source": [m.value for m in FundingSource],
             "kind": [m.value for m in Kind]}
    seen: set[str] = set()
    for spec in SPECS:
        sheet = book[spec.table]
        assert [c.value for c in sheet[1]] == spec.columns and sheet.max_row == 1
        assert sheet.freeze_panes == "A2"
        for column, cell in zip(spec.columns, sheet[1], strict=True):
            assert cell.font.bold
            assert cell.comment is not None and column_doc(spec.table, column) in cell.comment.text
        rules = {str(sqref): dv for dv in sheet.data_validations.dataValidation for sqref in dv.sqref.ranges}
        for number, column in enumerate(spec.columns, start=1):
            letter = openpyxl.utils.get_column_letter(number)
            rule = rules.get(f"{letter}2:{letter}{workbook.VALIDATED_ROWS}")
            closed = column in lists or column == "unit" or (column == "report_id" and spec.table != "reports")
            if not closed:
                assert rule is None or column == "quantity_unit", (spec.table, column)
                continue
            seen.add(column)
            assert rule is not None and rule.type == "list", (spec.table, column)
            if column == "report_id":
                assert rule.formula1 == f"reports!$A$2:$A${workbook.VALIDATED_ROWS}"
                continue
            offered = rule.formula1.strip('"').split(",")
            if column == "unit":
                assert units <= set(offered), units - set(offered)
            else:
                assert offered == lists[column] and rule.errorStyle == "stop"
    assert seen == {"team", "funding_source", "kind", "unit", "report_id"}


def test_template_and_export_never_overwrite_and_a_folder_template_still_works(
        datasets: Path, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"filled in")
    assert cli(datasets, db, "template", str(path)) == 1
    assert cli(datasets, db, "export", OLD_ID, str(path)) == 1
    assert path.read_bytes() == b"filled in"
    assert cli(datasets, db, "export", "no-such-report", str(tmp_path / "other.xlsx")) == 1
    assert "no such report" in capsys.readouterr().err and not (tmp_path / "other.xlsx").exists()
    assert cli(datasets, db, "template", str(tmp_path / "folder")) == 0
    assert sorted(p.name for p in (tmp_path / "folder").iterdir()) == sorted([s.filename for s in SPECS] + ["README.md"])


# --- export -------------------------------------------------------------------------------------
def test_export_change_one_figure_and_replace(datasets: Path, db: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(datasets, db, "build") == 0
    before = dump(db)
    path = export(datasets, db, tmp_path / "report.xlsx")
    book = openpyxl.load_workbook(path)
    facts = book["facts"]
    cell = facts.cell(row_of(facts, "fact_id", "jobplus.employed"), column_of(facts, "value"))
    assert cell.value == 420 and cell.data_type == "n"  # numbers are written as numbers
    cell.value = 421
    book.save(path)
    assert cli(datasets, db, "import", str(path), "--replace") == 0
    assert f"imported {OLD_ID}: 바꿈 (replaced)" in capsys.readouterr().out
    after = dump(db)
    assert query(db, "SELECT value FROM facts WHERE fact_id = 'jobplus.employed'") == [(Decimal("421"),)]
    for table in [s.table for s in SPECS]:
        if table != "facts":
            assert after[table] == before[table], table
    changed = set(after["facts"]) ^ set(before["facts"])
    assert len(changed) == 2 and len(after["facts"]) == len(before["facts"])
    assert {row[1] for row in changed} == {"jobplus.employed"}


def test_export_then_import_is_lossless(datasets: Path, db: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = export(datasets, db, tmp_path / "report.xlsx")
    before = hashes(datasets)
    for extra in ((), ("--replace",)):
        capsys.readouterr()
        assert cli(datasets, db, "import", str(path), *extra) == 0
        assert "already imported" in capsys.readouterr().out
        assert hashes(datasets) == before
    # the same through read_upload (the browser's way): the records are the report's records, every value equal
    (tmp_path / "up").mkdir()
    folder = workbook.read_upload(path.read_bytes(), "report.xlsx", tmp_path / "up")
    assert folder == tmp_path / "up"
    assert load_datasets(folder) == {t: [r for r in rows if r.report_id == OLD_ID]  # type: ignore[attr-defined]
                                     for t, rows in load_datasets(datasets).items()}


def test_text_starting_with_equals_is_exported_and_imported_as_text(datasets: Path, db: Path, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    facts = (datasets / "facts.csv").read_text(encoding="utf-8")
    line = next(x for x in facts.splitlines() if ",jobplus.employed," in x)
    assert line.endswith(',명,,"Ⅱ-1, p.4"')
    (datasets / "facts.csv").write_text(facts.replace(line, line.replace(',명,,"', ',명,=1+2,"')), encoding="utf-8")
    path = export(datasets, db, tmp_path / "report.xlsx")
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)  # no formula anywhere
    book = openpyxl.load_workbook(path)
    sheet = book["facts"]
    cell = sheet.cell(row_of(sheet, "fact_id", "jobplus.employed"), column_of(sheet, "note"))
    assert (cell.value, cell.data_type) == ("=1+2", "s")
    assert cli(datasets, db, "import", str(path), "--replace") == 0
    assert "already imported" in capsys.readouterr().out
    cell.value = "=SUM(A1:A2)"
    cell.data_type = "s"  # typed as text ('=SUM… in Excel): a string, not a formula
    book.save(path)
    assert cli(datasets, db, "import", str(path), "--replace") == 0
    assert query(db, "SELECT note FROM facts WHERE fact_id = 'jobplus.employed'") == [("=SUM(A1:A2)",)]


# --- refusals -----------------------------------------------------------------------------------
def test_a_formula_is_refused_with_its_address(datasets: Path, db: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = export(datasets, db, tmp_path / "report.xlsx")
    edit(path, lambda book: book["facts"].cell(7, column_of(book["facts"], "value"), "=1+2"))
    err = refused(datasets, db, path, capsys, "--replace")
    assert "facts!I7" in err and f"{path}, 시트 'facts', 7행, 열 'value'" in err and "=1+2" in err


def _merge(book: Workbook) -> None:
    book["facts"].merge_cells("K3:L3")


def _hide_sheet(book: Workbook) -> None:
    book["plans"].sheet_state = "hidden"


def _hide_row(book: Workbook) -> None:
    book["facts"].row_dimensions[4].hidden = True


def _hide_column(book: Workbook) -> None:
    book["facts"].column_dimensions["K"].hidden = True


def _hide_empty(book: Workbook) -> None:  # an empty hidden row hides nothing: accepted
    book["facts"].row_dimensions[900].hidden = True


@pytest.mark.parametrize("change, said", [
    pytest.param(_merge, ["시트 'facts'", "K3:L3", "병합"], id="merged"),
    pytest.param(_hide_sheet, ["시트 'plans'", "숨긴 시트"], id="hidden-sheet"),
    pytest.param(_hide_row, ["시트 'facts'", "숨긴 행", "4행"], id="hidden-row"),
    pytest.param(_hide_column, ["시트 'facts'", "숨긴 열", "K열"], id="hidden-column"),
    pytest.param(lambda book: book.create_sheet("메모"), ["시트 '메모'", "알 수 없는 시트"], id="unknown-sheet"),
    pytest.param(lambda book: book.remove(book["equipment"]), ["시트 'equipment'", "시트가 없습니다"], id="missing-sheet"),
    pytest.param(lambda book: book["facts"].cell(1, 9, "amount"), ["시트 'facts', 1행, 열 'amount'", "unknown column",
                 "시트 'facts', 1행, 열 'value'", "missing column"], id="header"),
    pytest.param(lambda book: book["facts"].cell(5, 13, "x"), ["시트 'facts', 5행, 열 'M'", "열 이름이 없는 열"],
                 id="outside-columns"),
    pytest.param(lambda book: book["staffing"].cell(3, 4, 3.5), ["시트 'staffing', 3행, 열 'authorized'", "whole number"],
                 id="fraction-in-whole-number-column"),
    pytest.param(_hide_empty, None, id="empty-hidden-row-accepted"),
])
def test_workbook_shapes_are_refused_by_name(datasets: Path, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             change: Callable[[Workbook], None], said: list[str] | None) -> None:
    path = export(datasets, db, tmp_path / "report.xlsx")
    edit(path, change)
    if said is None:
        assert cli(datasets, db, "import", str(path)) == 0
        assert "already imported" in capsys.readouterr().out
        return
    err = refused(datasets, db, path, capsys, "--replace")
    for text in said:
        assert text in err, (text, err)


def test_a_sheet_with_too_many_rows_is_refused(datasets: Path, db: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    path = export(datasets, db, tmp_path / "report.xlsx")
    monkeypatch.setattr(workbook, "MAX_ROWS", 50)  # facts has 119 rows
    err = refused(datasets, db, path, capsys, "--replace")
    assert "시트 'facts'" in err and "too many rows" in err and "시트 'plans'" not in err


def test_a_bad_value_is_named_by_sheet_row_and_column(datasets: Path, db: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = export(datasets, db, tmp_path / "report.xlsx")
    edit(path, lambda book: book["facts"].cell(5, column_of(book["facts"], "kind"), "targte"))
    err = refused(datasets, db, path, capsys, "--replace")
    assert f"{path}, 시트 'facts', 5행, 열 'kind'" in err and "'targte'" in err
    assert "ydp-upload-" not in err and ".csv" not in err.split("고치는 법")[0]


@pytest.mark.parametrize("column, value", [("kind", "targte"), ("program_id", "Ⅱ-99")])
def test_multi_line_cells_do_not_shift_the_row_of_a_problem(datasets: Path, db: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str], column: str,
                                                            value: str) -> None:
    path = export(datasets, db, tmp_path / "report.xlsx")

    def change(book: Workbook) -> None:
        facts = book["facts"]
        facts.cell(2, column_of(facts, "note"), "첫 줄\n둘째 줄\n셋째 줄")
        facts.cell(3, column_of(facts, "note"), "한 줄\r\n또 한 줄")
        facts.cell(6, column_of(facts, column), value)

    edit(path, change)
    err = refused(datasets, db, path, capsys, "--replace")
    assert f"시트 'facts', 6행, 열 '{column}'" in err, err
    # the multi-line cells themselves are fine: without the bad value the workbook imports
    edit(path, lambda book: book["facts"].cell(6, column_of(book["facts"], column), "actual" if column == "kind" else "Ⅱ-1"))
    assert cli(datasets, db, "import", str(path), "--replace") == 0
    notes = query(db, "SELECT note FROM facts WHERE note LIKE '%줄%' ORDER BY note")
    assert notes == [("첫 줄\n둘째 줄\n셋째 줄",), ("한 줄\r\n또 한 줄",)] or notes == [("첫 줄\n둘째 줄\n셋째 줄",), ("한 줄\n또 한 줄",)]


@pytest.mark.parametrize("how", ["vbaProject.bin", "content type", "xlsm name"])
def test_macro_enabled_workbooks_are_refused(datasets: Path, db: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str], how: str) -> None:
    clean = export(datasets, db, tmp_path / "clean.xlsx")
    path = tmp_path / ("report.xlsm" if how == "xlsm name" else "report.xlsx")
    if how == "vbaProject.bin":
        rezip(clean, path, extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really VBA"})
    elif how == "content type":
        rezip(clean, path, lambda name, data: data.replace(
            b"spreadsheetml.sheet.main+xml", b"spreadsheetml.sheet.macroEnabled.main+xml") if name == "[Content_Types].xml"
            else data)
        assert b"macroEnabled" in zipfile.ZipFile(path).read("[Content_Types].xml")
    else:
        shutil.copy(clean, path)
    err = refused(datasets, db, path, capsys, "--replace")
    assert "macro-enabled workbooks are refused" in err


def test_a_workbook_declaring_entities_is_refused(datasets: Path, db: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    clean = export(datasets, db, tmp_path / "clean.xlsx")
    path = tmp_path / "report.xlsx"
    entity = b'<!DOCTYPE worksheet [<!ENTITY e "ydp-jobs-2023-05">]>'  # harmless here; billion laughs live here
    rezip(clean, path, lambda name, data: entity + data.replace(b">ydp-jobs-2023-05<", b">&e;<")
          if name == "xl/worksheets/sheet2.xml" else data)
    with zipfile.ZipFile(path) as z:
        assert b"&e;" in z.read("xl/worksheets/sheet2.xml")
    assert "DOCTYPE" in refused(datasets, db, path, capsys, "--replace")


def _bomb(path: Path, size: int, names: tuple[str, ...] = ("[Content_Types].xml", "xl/workbook.xml")) -> None:
    """A zip whose one big entry is size bytes of zeros (a few hundred KB compressed)."""
    chunk = bytes(MB)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in names:
            z.writestr(name, "<x/>")
        with z.open("xl/worksheets/sheet1.xml" if names else "facts.csv", "w", force_zip64=True) as out:
            for _ in range(size // MB):
                out.write(chunk)


@pytest.mark.parametrize("size, said", [(200 * MB, "declared uncompressed size over the limit"),
                                        (20 * MB, "compression ratio over the limit")])
def test_a_zip_bomb_is_refused_before_anything_is_decompressed(datasets: Path, db: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str],
                                                               monkeypatch: pytest.MonkeyPatch, size: int, said: str) -> None:
    path, zipped = tmp_path / "report.xlsx", tmp_path / "report.zip"
    _bomb(path, size)
    _bomb(zipped, size, names=())
    assert path.stat().st_size < workbook.MAX_UPLOAD_BYTES and zipped.stat().st_size < workbook.MAX_UPLOAD_BYTES

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("an entry of the zip bomb was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_reading)  # read, extract and openpyxl all go through open
    assert said in refused(datasets, db, path, capsys)
    with pytest.raises(workbook.WorkbookRefused, match=said):
        workbook.read_upload(zipped.read_bytes(), "report.zip")


def test_an_oversize_file_is_refused(datasets: Path, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(workbook.MAX_UPLOAD_BYTES))
    assert "file too large" in refused(datasets, db, path, capsys)
    with pytest.raises(workbook.WorkbookRefused, match="file too large"):
        workbook.read_upload(path.read_bytes(), "report.xlsx")


@pytest.mark.parametrize("content, said", [
    ((FIXTURE / "facts.csv").read_bytes(), "renamed CSV"),
    ("report_id,title\n영등포,보고서\n".encode("cp949"), "renamed CSV"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old .xls"),
    (b"%PDF-1.7\n\x00\x01\x02", "not a workbook"),
    (None, "not an Excel workbook"),  # a Word document: a zip with [Content_Types].xml but no xl/workbook.xml
])
def test_files_that_are_not_workbooks_are_refused_clearly(datasets: Path, db: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str], content: bytes | None,
                                                          said: str) -> None:
    path = tmp_path / "report.xlsx"
    if content is None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("word/document.xml", "<w:document/>")
    else:
        path.write_bytes(content)
    assert said in refused(datasets, db, path, capsys)
    with pytest.raises(workbook.WorkbookRefused, match=said):  # the browser's upload, whatever its name
        workbook.read_upload(path.read_bytes(), "upload")


# --- a zip of the CSV files (the browser's upload) ----------------------------------------------
def _zip_of(folder: Path, path: Path, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for spec in SPECS:
            z.write(folder / spec.filename, spec.filename)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


def test_a_zip_of_the_csv_files_is_read_and_imported(datasets: Path, db: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = _zip_of(FIXTURE, tmp_path / "report.zip", {"README.md": b"# notes", "__MACOSX/._facts.csv": b"x"})
    folder = workbook.read_upload(path.read_bytes(), "report.zip")
    try:
        assert sorted(p.name for p in folder.iterdir()) == sorted(s.filename for s in SPECS)
        assert load_datasets(folder) == load_datasets(FIXTURE)
    finally:
        shutil.rmtree(folder)
    assert cli(datasets, db, "import", str(path)) == 0
    assert f"imported {NEW_ID}" in capsys.readouterr().out
    bad = tmp_path / "bad"
    shutil.copytree(FIXTURE, bad)
    text = (bad / "facts.csv").read_text(encoding="utf-8-sig")
    (bad / "facts.csv").write_text(text.replace(",actual,", ",actaul,", 1), encoding="utf-8")
    line = next(i for i, x in enumerate(text.splitlines(), start=1) if ",actual," in x)
    with pytest.raises(DatasetError) as caught:
        workbook.read_upload(_zip_of(bad, tmp_path / "bad.zip").read_bytes(), "bad.zip")
    assert f"bad.zip: facts.csv, {line}행, 열 'kind'" in str(caught.value.problems[0])


def _symlink(z: zipfile.ZipFile) -> None:
    info = zipfile.ZipInfo("facts.csv")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    z.writestr(info, "/etc/passwd")


@pytest.mark.parametrize("member", ["../evil.csv", "/tmp/evil.csv", "sub/evil.csv", "..\\evil.csv", "C:evil.csv", None])
def test_a_zip_with_paths_or_links_is_refused(tmp_path: Path, member: str | None) -> None:
    path = tmp_path / "inner" / "report.zip"
    path.parent.mkdir()
    with zipfile.ZipFile(path, "w") as z:
        for spec in SPECS:
            z.write(FIXTURE / spec.filename, spec.filename if member is not None or spec.table != "facts" else "x.txt")
        if member is None:
            _symlink(z)
        else:
            z.writestr(member, "report_id\n")
    into = tmp_path / "inner" / "up"
    into.mkdir()
    with pytest.raises(workbook.WorkbookRefused, match="plain file names"):
        workbook.read_upload(path.read_bytes(), "report.zip", into)
    assert list(into.iterdir()) == []
    assert not any(p.name == "evil.csv" for p in tmp_path.rglob("*"))


def test_uploads_are_judged_by_content_not_name(tmp_path: Path, datasets: Path, db: Path) -> None:
    book = export(datasets, db, tmp_path / "report.xlsx")
    folder = workbook.read_upload(book.read_bytes(), "upload.bin")  # a workbook under any name is a workbook
    try:
        assert [r.report_id for r in load_datasets(folder)["reports"]] == [OLD_ID]  # type: ignore[attr-defined]
    finally:
        shutil.rmtree(folder)
    csv_zip = _zip_of(FIXTURE, tmp_path / "fixture.zip")
    with pytest.raises(workbook.WorkbookRefused, match="not an Excel workbook"):  # the CLI's .xlsx wants a workbook
        workbook.read_workbook(csv_zip.rename(tmp_path / "fixture.xlsx"))
