"""One Excel workbook for a report period, both ways: the template and an export of a report (a sheet per dataset),
and a filled-in workbook (or a zip of the CSV files) read back into a folder of CSV files for `importer.import_report`.

Uploads are judged by their content, never their name: a size bound, a zip whose declared sizes and compression
ratio are checked before anything is decompressed, no macros, no formulas, merged cells, hidden sheets/rows/columns.
Every problem names the workbook's sheet, row and column (`report.xlsx, 시트 'facts', 5행, 열 'value'`), mapped back
from the temporary CSV files the importer validates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import re
import shutil
import stat
import tempfile
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel

from ydp_data import i18n
from ydp_data.datasets import SPEC_BY_TABLE, SPECS, DatasetSpec, sql_columns
from ydp_data.errors import DatasetError, Problem
from ydp_data.importer import ImportRefused, column_doc, describe_field, render_readme
from ydp_data.load import Records, load_datasets, shown
from ydp_data.models import FundingSource, Kind, Team

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # a workbook or zip larger than this is refused unread
MAX_UNCOMPRESSED = 50 * 1024 * 1024  # the zip's declared uncompressed total
MAX_RATIO = 100  # declared size / compressed size of one entry (checked for entries over RATIO_FROM bytes)
RATIO_FROM = 1024 * 1024
MAX_ENTRIES = 1000  # zip members
MAX_ROWS = 10_000  # rows holding data, per sheet
MAX_CELLS = 200_000  # cells holding data, per sheet
VALIDATED_ROWS = 5_000  # rows 2..this carry the drop-down lists
GUIDE = "안내"  # the instructions sheet; the only sheet besides the datasets
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
DATE_FORMAT = "yyyy-mm-dd"
EXCEL_DIGITS = 15  # significant digits a number cell keeps exactly; longer decimals are written as text
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and any password-protected workbook
_PLACES = re.compile(r"^[#,]*0\.(0+)$")  # '0.0', '#,##0.00': decimals a number cell shows
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8EEF4")
# the closed fields: column -> the values a drop-down offers (units: see unit_choices)
CHOICES: dict[str, list[str]] = {
    "team": [m.value for m in Team],
    "funding_source": [m.value for m in FundingSource],
    "kind": [m.value for m in Kind],
}
UNIT_COLUMNS = ("unit", "quantity_unit")

GUIDE_PREFACE = [
    "# 새 보고서 입력 통합문서 (Workbook for a new report)",
    "",
    "이 통합문서의 시트 하나가 CSV 양식의 파일 하나입니다: 시트 이름이 표 이름입니다(시트 `facts` = `facts.csv`). "
    "첫 행(열 이름)은 바꾸지 말고 둘째 행부터 채웁니다. 열 이름 칸의 메모에 뜻·형식·허용 값이 있고, "
    "팀·재원·구분(kind)·단위·report_id 칸은 목록에서 고릅니다(단위는 목록에 없는 값도 경고 뒤에 쓸 수 있습니다).",
    "Each sheet is one file of the CSV template, named as the table. Keep row 1 (the column names) and fill rows "
    "from row 2; each header cell has a note, closed fields have drop-down lists.",
    "",
    "저장은 .xlsx 그대로 합니다(CSV로 저장하지 않습니다). 값만 적으세요: 수식, 병합한 칸, 숨긴 시트·행·열, "
    "다른 이름의 시트, 매크로가 든 파일(.xlsm)은 거부합니다.",
    "Save it as .xlsx. Values only: formulas, merged cells, hidden sheets, rows or columns, other sheets and "
    "macro-enabled files are refused.",
    "",
    "python -m ydp_data import 이_파일.xlsx            # 검증해 datasets/에 더합니다 (validate and add)",
    "python -m ydp_data import 이_파일.xlsx --replace  # 같은 report_id를 고쳐 다시 넣습니다 (replace)",
    "python -m ydp_data export <report_id> 새_파일.xlsx  # 지난 보고서를 이 모양으로 내보냅니다 (start from the last one)",
    "",
    "아래는 CSV 폴더 양식의 README.md와 같은 안내입니다. '파일 facts.csv'는 이 통합문서의 '시트 facts'로, "
    "'이 폴더'는 '이 통합문서'로 읽고, 6번(CSV로 저장)은 건너뜁니다 "
    "(the CSV template's README follows: read each file as the sheet of the same name, and skip step 6).",
    "",
]


class WorkbookRefused(ImportRefused):
    """A workbook, zip or export refused as a whole (size, macros, not a workbook, unsafe zip, unknown report)."""


# --- writing: the template and an export ----------------------------------------------------------------------------
def unit_choices(records: Records | None = None) -> list[str]:
    """The units a drop-down offers: every unit the dashboard names (`i18n.UNITS`) and any the datasets already use."""
    used = [getattr(r, column) for spec in SPECS for column in UNIT_COLUMNS if column in spec.columns
            for r in (records or {}).get(spec.table, [])]
    return [u for u in dict.fromkeys([*i18n.UNITS, *sorted(used)]) if u]


def template_workbook(records: Records | None = None) -> Workbook:
    """The empty workbook: the instructions sheet, then a sheet per dataset (header, notes, drop-downs)."""
    return _workbook({}, unit_choices(records), [])


def export_workbook(records: Records, report_id: str) -> Workbook:
    """The workbook of one report in records (its rows on each sheet), so the next report starts from it."""
    known = [r.report_id for r in records.get("reports", [])]  # type: ignore[attr-defined]
    if report_id not in known:
        raise WorkbookRefused(f"datasets/에 보고서 {report_id!r}가 없습니다 (no such report). 있는 보고서: {', '.join(known)}")
    rows = {spec.table: [r for r in records[spec.table] if r.report_id == report_id]  # type: ignore[attr-defined]
            for spec in SPECS}
    note = [f"이 통합문서는 보고서 `{report_id}`를 내보낸 것입니다. 새 보고 시점이면 모든 시트의 report_id를 새 값으로 "
            f"바꾸고 바뀐 값을 고치세요 (exported from {report_id}; for a new period change report_id on every sheet).", ""]
    return _workbook(rows, unit_choices(records), note)


def workbook_bytes(book: Workbook) -> bytes:
    """The .xlsx file of a workbook, as bytes (for a download button)."""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def save_new(book: Workbook, path: Path) -> None:
    """Write the workbook to path (a .xlsx name that does not exist yet), through a temporary file and a rename."""
    if path.suffix.lower() != ".xlsx":
        raise WorkbookRefused(f"{path}: 파일 이름이 .xlsx로 끝나야 합니다 (give a .xlsx file name).")
    if path.exists():
        raise WorkbookRefused(f"{path}이(가) 이미 있습니다. 채운 통합문서를 덮어쓰지 않도록 새 이름을 주세요 "
                              "(the file exists; give a new name).")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(workbook_bytes(book))
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _workbook(rows: dict[str, list[BaseModel]], units: list[str], note: list[str]) -> Workbook:
    book = openpyxl.Workbook()
    guide = book.active
    assert guide is not None
    guide.title = GUIDE
    _write_guide(guide, [*GUIDE_PREFACE[:2], *note, *GUIDE_PREFACE[2:], *render_readme().splitlines()])
    for spec in SPECS:
        sheet = book.create_sheet(spec.table)
        _write_sheet(sheet, spec, rows.get(spec.table, []), units)
    return book


def _text_cell(sheet: Worksheet, row: int, column: int, text: str) -> Any:
    """A cell holding text as text: a value starting with '=' is never written as a formula."""
    cell = sheet.cell(row=row, column=column)
    cell.value = text
    cell.data_type = "s"
    return cell


def _write_guide(sheet: Worksheet, lines: list[str]) -> None:
    """The instructions: one line a row, markdown tables spread over columns, headings in bold."""
    row = 0
    for line in lines:
        if line.startswith("```") or re.fullmatch(r"\|(-+\|)+", line):
            continue
        row += 1
        if line.startswith("|"):
            cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            for column, text in enumerate(cells, start=1):
                _text_cell(sheet, row, column, text)
        elif line:
            cell = _text_cell(sheet, row, 1, line.lstrip("# ") if line.startswith("#") else line)
            cell.font = Font(bold=line.startswith("#"), size=14 if line.startswith("# ") else 11)
    for letter, width in zip("ABCDE", (22, 60, 18, 22, 50), strict=True):
        sheet.column_dimensions[letter].width = width


def _kind(spec: DatasetSpec, column: str) -> str:
    """How a column's cells are written and read: 'integer', 'decimal', 'date' or 'text'."""
    if column in spec.integer_columns:
        return "integer"
    if column in spec.numeric_columns:
        return "decimal"
    return "date" if sql_columns(spec.model)[column] == "DATE" else "text"


def _note(spec: DatasetSpec, column: str) -> str:
    kind, required, allowed = describe_field(spec.model.model_fields[column])
    return "\n".join(part for part in (column_doc(spec.table, column), f"{kind} · {required}", allowed) if part)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _write_sheet(sheet: Worksheet, spec: DatasetSpec, records: list[BaseModel], units: list[str]) -> None:
    """One dataset sheet: bold frozen header with notes, the records' rows as typed cells, drop-down lists."""
    for column, name in enumerate(spec.columns, start=1):
        cell = _text_cell(sheet, 1, column, name)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.comment = Comment(_note(spec, name), "ydp_data", height=160, width=320)
    sheet.freeze_panes = "A2"
    kinds = {name: _kind(spec, name) for name in spec.columns}
    for row, record in enumerate(records, start=2):
        for column, name in enumerate(spec.columns, start=1):
            _put(sheet, row, column, getattr(record, name), kinds[name])
    for column, name in enumerate(spec.columns, start=1):
        letter = get_column_letter(column)
        values = [str(getattr(r, name) or "") for r in records]
        sheet.column_dimensions[letter].width = min(60, max(10, _width(name) + 4, *(_width(v) + 2 for v in values)))
        if kinds[name] == "text":
            sheet.column_dimensions[letter].number_format = "@"  # typed text stays text (no dates, no formulas)
        elif kinds[name] == "date":
            sheet.column_dimensions[letter].number_format = DATE_FORMAT
    _add_lists(sheet, spec, units)


def _put(sheet: Worksheet, row: int, column: int, value: Any, kind: str) -> None:
    """Write one value with its type: numbers as numbers (showing their decimals), dates as dates, text as text."""
    if value is None or value == "":
        return
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, str):
        cell = _text_cell(sheet, row, column, value)
        if kind == "text":
            cell.number_format = "@"
        return
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        if len(value.as_tuple().digits) > EXCEL_DIGITS:
            _text_cell(sheet, row, column, format(value, "f"))
            return
        cell.value = float(value)
        if places:
            cell.number_format = "0." + "0" * places  # read back as that many decimals: 55.0 stays '55.0'
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:  # int, bool
        cell.value = value


def _list_formula(values: Iterable[str]) -> str:
    formula = '"' + ",".join(v.replace('"', '""') for v in values) + '"'
    if len(formula) > 257:  # Excel's limit for a list written in the rule: 255 characters inside the quotes
        raise ValueError(f"drop-down list too long for Excel ({len(formula)} characters): {formula[:60]}…")
    return formula


def _add_lists(sheet: Worksheet, spec: DatasetSpec, units: list[str]) -> None:
    """Drop-down lists on the closed fields: team, funding source, kind and unit, and report_id from the reports sheet."""
    reports = SPEC_BY_TABLE["reports"]
    report_col = get_column_letter(reports.columns.index("report_id") + 1)
    for column, name in enumerate(spec.columns, start=1):
        if name in CHOICES:
            rule = DataValidation(type="list", formula1=_list_formula(CHOICES[name]), allow_blank=True,
                                  showErrorMessage=True, errorStyle="stop", errorTitle=name,
                                  error="목록의 값만 쓸 수 있습니다 (choose a value from the list)")
        elif name in UNIT_COLUMNS:
            rule = DataValidation(type="list", formula1=_list_formula(units), allow_blank=True, showErrorMessage=True,
                                  errorStyle="warning", errorTitle=name,
                                  error="목록에 없는 단위입니다. 맞으면 '예'를 누르세요 (a unit not in the list: keep it?)")
        elif name == "report_id" and spec.table != "reports":
            rule = DataValidation(type="list", formula1=f"reports!${report_col}$2:${report_col}${VALIDATED_ROWS}",
                                  allow_blank=True, showErrorMessage=True, errorStyle="stop", errorTitle=name,
                                  error="reports 시트에 있는 report_id를 고르세요 (a report_id of the reports sheet)")
        else:
            continue
        letter = get_column_letter(column)
        rule.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
        sheet.add_data_validation(rule)


# --- reading: checks on the raw file --------------------------------------------------------------------------------
def _refuse_size(size: int, name: str) -> None:
    if size > MAX_UPLOAD_BYTES:
        raise WorkbookRefused(f"{name}: 파일이 너무 큽니다({size:,} bytes > {MAX_UPLOAD_BYTES:,}). 한 보고 시점의 "
                              "통합문서는 이보다 훨씬 작습니다 (file too large).")


def _open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    """The upload as a zip whose declared sizes are safe to decompress; refused with a clear message otherwise."""
    _refuse_size(len(data), name)
    if data.startswith(_OLE):
        raise WorkbookRefused(f"{name}: 옛 Excel 형식(.xls)이거나 암호를 건 통합문서입니다. 암호를 풀고 'Excel 통합문서(*.xlsx)'로 "
                              "저장하세요 (an old .xls or a password-protected workbook: save it as .xlsx).")
    if not data.startswith(b"PK"):
        what = "텍스트(CSV?) 파일" if _looks_like_text(data) else "알 수 없는 형식의 파일"
        raise WorkbookRefused(f"{name}: Excel 통합문서(.xlsx)나 zip이 아니라 {what}입니다. Excel에서 'Excel 통합문서(*.xlsx)'로 "
                              "저장하세요; CSV 파일은 폴더나 zip으로 가져옵니다 (not a workbook: a renamed CSV or other file).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise WorkbookRefused(f"{name}: 망가진 zip/통합문서입니다 (a damaged workbook or zip: {exc}).") from None
    try:
        _refuse_bomb(entries, name)
    except WorkbookRefused:
        archive.close()
        raise
    return archive


def _looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return False
    for encoding in ("utf-8-sig", "cp949"):
        try:
            sample.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start > len(sample) - 4:  # a character cut by the sample's end
                return True
    return False


def _refuse_bomb(entries: list[zipfile.ZipInfo], name: str) -> None:
    """Refuse a zip by its declared sizes before any entry is decompressed (zipfile never inflates past them)."""
    if len(entries) > MAX_ENTRIES:
        raise WorkbookRefused(f"{name}: zip 안의 항목이 너무 많습니다({len(entries):,}개 > {MAX_ENTRIES:,}) (too many entries).")
    total = sum(e.file_size for e in entries)
    if total > MAX_UNCOMPRESSED:
        raise WorkbookRefused(f"{name}: 압축을 풀면 {total:,} bytes로 한도 {MAX_UNCOMPRESSED:,}를 넘습니다. 압축 폭탄일 수 있어 "
                              "열지 않았습니다 (declared uncompressed size over the limit: possible zip bomb; not opened).")
    for entry in entries:
        if entry.file_size > RATIO_FROM and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise WorkbookRefused(f"{name}: 항목 {entry.filename!r}의 압축률이 {entry.file_size // max(entry.compress_size, 1):,}배로 "
                                  f"한도 {MAX_RATIO}배를 넘습니다. 압축 폭탄일 수 있어 열지 않았습니다 "
                                  "(compression ratio over the limit: possible zip bomb; not opened).")
        if entry.flag_bits & 0x1:
            raise WorkbookRefused(f"{name}: 암호를 건 zip 항목이 있습니다({entry.filename!r}) (encrypted entry).")


def _is_workbook(archive: zipfile.ZipFile) -> bool:
    names = set(archive.namelist())
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names


def _refuse_doctype(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse XML parts that declare a DOCTYPE or entities (Excel never writes one; entity tricks hide there)."""
    for entry in archive.infolist():
        if not entry.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        tail = b""
        with archive.open(entry) as part:  # sizes already checked: at most MAX_UNCOMPRESSED in all
            while chunk := part.read(1024 * 1024):
                window = (tail + chunk).lower()
                if b"<!doctype" in window or b"<!entity" in window:
                    raise WorkbookRefused(f"{name}: {entry.filename}에 DOCTYPE/ENTITY 선언이 있습니다. Excel이 쓴 통합문서가 아닙니다 "
                                          "(an XML part declares a DOCTYPE or entities: not a workbook Excel wrote).")
                tail = chunk[-16:]


def _refuse_macros(archive: zipfile.ZipFile, name: str) -> None:
    macro = [n for n in archive.namelist() if n.lower().rsplit("/", 1)[-1] == "vbaproject.bin"]
    types_xml = archive.read("[Content_Types].xml")  # small: the sizes were checked
    if name.lower().endswith(".xlsm") or macro or b"macroenabled" in types_xml.lower():
        raise WorkbookRefused(f"{name}: 매크로가 든 통합문서(.xlsm)는 받지 않습니다. Excel에서 'Excel 통합문서(*.xlsx)'로 "
                              "저장하세요 (macro-enabled workbooks are refused; save it as .xlsx).")


# --- reading: into a folder of CSV files, every problem named by sheet, row and column -----------------------------
def read_workbook(path: Path, into: Path | None = None) -> Path:
    """A workbook file read into a folder of valid CSV files (see read_upload); anything but a workbook is refused."""
    try:
        info = path.stat()
    except OSError as exc:
        raise WorkbookRefused(f"{path}: 파일을 읽을 수 없습니다 (cannot read the file: {exc.strerror}).") from None
    if not stat.S_ISREG(info.st_mode):
        raise WorkbookRefused(f"{path}: 통합문서 파일이 아닙니다 (not a file).")
    _refuse_size(info.st_size, str(path))
    with path.open("rb") as f:
        data = f.read(MAX_UPLOAD_BYTES + 1)
    return _read(data, str(path), into, workbook_only=True)


def read_upload(data: bytes, name: str, into: Path | None = None) -> Path:
    """An upload, judged by its content (an .xlsx workbook, or a zip of the dataset CSV files), as a folder of CSV
    files that load_datasets accepts: `into` (an empty folder) or a new temporary folder the caller removes.

    Raises WorkbookRefused (size, macros, unsafe zip, not a workbook, no report) or DatasetError whose problems name
    the sheet, row and column of the workbook (or the file in the zip), never the temporary CSV files."""
    return _read(data, name, into, workbook_only=False)


def _read(data: bytes, name: str, into: Path | None, workbook_only: bool) -> Path:
    if into is not None and (not into.is_dir() or any(into.iterdir())):
        raise ValueError(f"{into} must be an empty folder")
    archive = _open_zip(data, name)
    tables: dict[str, tuple[list[list[str]], list[int]]] = {}
    members: list[zipfile.ZipInfo] = []
    with archive:
        is_workbook = _is_workbook(archive)
        if is_workbook:
            _refuse_macros(archive, name)
            _refuse_doctype(archive, name)
            tables, problems = _read_sheets(data, name)
            if problems:
                raise DatasetError(problems)
        elif workbook_only or "[Content_Types].xml" in archive.namelist():
            raise WorkbookRefused(f"{name}: Excel 통합문서가 아닙니다(xl/workbook.xml이 없음). Word·PowerPoint 파일이거나 다른 "
                                  "zip입니다. Excel에서 'Excel 통합문서(*.xlsx)'로 저장하세요 (not an Excel workbook).")
        else:
            members = _csv_members(archive, name)
        folder = Path(tempfile.mkdtemp(prefix="ydp-upload-")) if into is None else into
        written: list[Path] = []
        try:
            rows: dict[str, dict[int, int]] = {}
            if is_workbook:
                for table, (records, sheet_rows) in tables.items():
                    path = folder / SPEC_BY_TABLE[table].filename
                    written.append(path)
                    rows[table] = _write_csv(path, records, sheet_rows)
            else:
                for entry in members:
                    written.append(folder / entry.filename)
                    with archive.open(entry) as source, (folder / entry.filename).open("xb") as out:
                        shutil.copyfileobj(source, out)
            _validate(folder, _Places(folder, name, is_workbook, rows))
        except BaseException:
            if into is None:
                shutil.rmtree(folder, ignore_errors=True)
            else:
                for path in written:
                    path.unlink(missing_ok=True)
            raise
    return folder


@dataclass
class _Places:
    """How problems of the temporary CSV files are named: the workbook's sheets and rows, or the zip's files."""

    folder: Path
    name: str  # the workbook or zip as the officer named it, e.g. 'report.xlsx'
    is_workbook: bool
    rows: dict[str, dict[int, int]]  # table -> CSV line -> sheet row

    def place(self, table: str) -> str:
        return f"{self.name}, 시트 '{table}'" if self.is_workbook else f"{self.name}: {table}.csv"

    def text(self, message: str) -> str:
        """A message with the temporary CSV paths replaced by the sheet (or zip file) they came from."""
        for spec in SPECS:
            message = message.replace(_loader_name(self.folder, spec), self.place(spec.table))
        return message.replace(f"{self.folder}{os.sep}", f"{self.name}: ").replace(str(self.folder), self.name)

    def problem(self, p: Problem) -> Problem:
        table = next((s.table for s in SPECS if p.file == _loader_name(self.folder, s)), None)
        if table is None:
            return Problem(self.text(p.file), p.line, p.field, self.text(p.message))
        line = None if p.line is None else self.rows.get(table, {}).get(p.line, p.line)
        return Problem(self.place(table), line, p.field, self.text(p.message))


def _loader_name(folder: Path, spec: DatasetSpec) -> str:
    """How load.py names a file of folder in its problems."""
    return f"datasets/{spec.filename}" if folder.name == "datasets" else str(folder / spec.filename)


def _validate(folder: Path, places: _Places) -> None:
    """The importer's own validation of the folder (load_datasets), its problems named as the upload's places."""
    try:
        records = load_datasets(folder)
    except DatasetError as exc:
        raise DatasetError([places.problem(p) for p in exc.problems]) from None
    if not records["reports"]:
        raise WorkbookRefused(f"{places.place('reports')}에 보고서 행이 없습니다: 가져올 것이 없습니다 (no report rows).")


def _write_csv(path: Path, records: list[list[str]], sheet_rows: list[int]) -> dict[int, int]:
    """Write the records as UTF-8 CSV; the line each record ends on (as the loader counts it) -> its sheet row."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(records)
    text = buffer.getvalue()
    with path.open("xb") as out:
        out.write(text.encode("utf-8"))
    reader = csv.reader(io.StringIO(text, newline=""))  # the loader's own way of numbering lines (load.read_rows)
    lines = [reader.line_num for _ in reader]
    return dict(zip(lines, sheet_rows, strict=True))


def _csv_members(archive: zipfile.ZipFile, name: str) -> list[zipfile.ZipInfo]:
    """The CSV files of a zip (plain file names only: no folders, ../, absolute paths or links); others are left out."""
    members: list[zipfile.ZipInfo] = []
    seen: set[str] = set()
    for entry in archive.infolist():
        member = entry.filename
        if member.startswith("__MACOSX/"):  # metadata macOS adds to every zip
            continue
        kind = stat.S_IFMT(entry.external_attr >> 16)
        plain = (member and "/" not in member and "\\" not in member and ":" not in member and member not in (".", "..")
                 and not any(unicodedata.category(c) == "Cc" for c in member))
        if not plain or entry.is_dir() or kind not in (0, stat.S_IFREG):
            raise WorkbookRefused(f"{name}: zip 안의 {member!r}은(는) 받지 않습니다. 폴더·상위 경로(../)·절대 경로·링크 없이 "
                                  "CSV 파일만 골라 압축하세요 (zip members must be plain file names: no folders, ../, "
                                  "absolute paths or links).")
        if member in seen:
            raise WorkbookRefused(f"{name}: zip 안에 {member!r}이(가) 두 번 있습니다 (a file name appears twice).")
        seen.add(member)
        if member.lower().endswith((".csv", ".txt")):
            members.append(entry)
    if not members:
        raise WorkbookRefused(f"{name}: zip 안에 CSV 파일이 없습니다 (no CSV files in the zip).")
    return members


# --- reading: the sheets --------------------------------------------------------------------------------------------
@dataclass
class _Sheet:
    """The cells of one sheet with data, and what the worksheet hides or merges."""

    rows: list[tuple[int, list[ReadOnlyCell]]]
    merged: list[str]
    hidden_rows: set[int]
    hidden_columns: list[tuple[int, int]]  # (first, last) column of each hidden range
    too_many: bool = False


def _parse(sheet: ReadOnlyWorksheet) -> _Sheet:
    """Stream one worksheet's cells, merged ranges and hidden rows/columns: the parser openpyxl's read-only worksheet
    uses (its internals in 3.1, pinned), without padding rows to the declared width, plus what it does not expose."""
    with sheet._get_source() as source:
        parser = WorkSheetParser(source, sheet._shared_strings, data_only=False, epoch=sheet.parent.epoch,
                                 date_formats=sheet.parent._date_formats,
                                 timedelta_formats=sheet.parent._timedelta_formats)
        rows: list[tuple[int, list[ReadOnlyCell]]] = []
        count = 0
        for index, cells in parser.parse():
            present = [ReadOnlyCell(sheet, **c) for c in cells if c["value"] not in (None, "")]
            if present:
                rows.append((index, present))
                count += len(present)
            if len(rows) > MAX_ROWS or count > MAX_CELLS:
                return _Sheet([], [], set(), [], too_many=True)
        merged = [str(m.ref) for m in parser.merged_cells.mergeCell] if parser.merged_cells else []
        hidden_rows = {int(r) for r, attrs in parser.row_dimensions.items() if _true(attrs.get("hidden"))}
        hidden_columns = [(int(attrs["min"]), int(attrs.get("max", attrs["min"])))
                          for attrs in parser.column_dimensions.values() if _true(attrs.get("hidden"))]
    return _Sheet(rows, merged, hidden_rows, hidden_columns)


def _true(value: str | None) -> bool:
    return value is not None and value.strip().lower() in ("1", "true")


def _read_sheets(data: bytes, name: str) -> tuple[dict[str, tuple[list[list[str]], list[int]]], list[Problem]]:
    """Every dataset sheet as CSV records (header first) with their sheet rows, and every problem of the workbook."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops; nothing we read
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise WorkbookRefused(f"{name}: 통합문서를 읽을 수 없습니다 (cannot read the workbook: {type(exc).__name__}: "
                              f"{shown(str(exc))}). Excel에서 열어 'Excel 통합문서(*.xlsx)'로 다시 저장하세요.") from None
    try:
        return _tables(book, name)
    except WorkbookRefused:
        raise
    except Exception as exc:
        raise WorkbookRefused(f"{name}: 통합문서를 읽을 수 없습니다 (cannot read the workbook: {type(exc).__name__}: "
                              f"{shown(str(exc))}).") from None
    finally:
        book.close()


def _tables(book: Workbook, name: str) -> tuple[dict[str, tuple[list[list[str]], list[int]]], list[Problem]]:
    problems: list[Problem] = []
    titles = list(book.sheetnames)
    for title in titles:
        where = f"{name}, 시트 '{title}'"
        if book[title].sheet_state != "visible":
            problems.append(Problem(where, None, None, "숨긴 시트입니다. 숨기기를 취소하거나 지우세요: 보이지 않는 자료는 "
                                    "가져오지 않습니다 (hidden sheet: unhide or delete it)"))
        if title not in SPEC_BY_TABLE and title != GUIDE:
            problems.append(Problem(where, None, None, f"알 수 없는 시트입니다. 쓸 수 있는 시트: {GUIDE}, "
                                    f"{', '.join(s.table for s in SPECS)} (unknown sheet: rename or delete it)"))
    for spec in SPECS:
        if spec.table not in titles:
            problems.append(Problem(f"{name}, 시트 '{spec.table}'", None, None,
                                    "시트가 없습니다. 행이 없는 표도 열 이름 행과 함께 시트를 남겨 두세요 (missing sheet)"))
    if problems:
        return {}, problems
    tables: dict[str, tuple[list[list[str]], list[int]]] = {}
    for spec in SPECS:
        sheet = book[spec.table]
        if not isinstance(sheet, ReadOnlyWorksheet):
            problems.append(Problem(f"{name}, 시트 '{spec.table}'", None, None, "표 시트가 아닙니다(차트 시트) (not a worksheet)"))
            continue
        records, sheet_rows, found = _sheet_records(_parse(sheet), spec, f"{name}, 시트 '{spec.table}'")
        problems += found
        tables[spec.table] = (records, sheet_rows)
    return tables, problems


def _sheet_records(sheet: _Sheet, spec: DatasetSpec, where: str) -> tuple[list[list[str]], list[int], list[Problem]]:
    """The CSV records of one sheet (row 1 is the header) and the problems only the workbook has."""
    if sheet.too_many:
        return [], [], [Problem(where, None, None, f"데이터가 든 행이 {MAX_ROWS:,}개나 칸이 {MAX_CELLS:,}개보다 많습니다 "
                                "(too many rows or cells)")]
    problems = [Problem(where, None, None, f"병합한 칸이 있습니다: {', '.join(sheet.merged)}. 병합을 풀고 칸마다 값을 적으세요 "
                        "(merged cells: unmerge them)")] if sheet.merged else []
    rows = dict(sheet.rows)
    header_cells = {c.column: c for c in rows.pop(1, [])}
    width = max(header_cells, default=0)
    header = [_header_text(header_cells.get(column)) for column in range(1, width + 1)]
    columns = {column: (header[column - 1] or get_column_letter(column)) for column in range(1, width + 1)}
    if not header:
        problems.append(Problem(where, 1, None, f"1행에 열 이름이 없습니다. 열 이름: {', '.join(spec.columns)} (no header row)"))
    for column in range(1, width + 1):
        if not header[column - 1]:
            problems.append(Problem(where, 1, get_column_letter(column), "열 이름이 비어 있습니다 (blank column name)"))
    hidden_rows = sorted(r for r in sheet.hidden_rows if r in rows or (r == 1 and header))
    used = set(header_cells) | {cell.column for cells in rows.values() for cell in cells}
    hidden_columns = sorted(c for c in used if any(first <= c <= last for first, last in sheet.hidden_columns))
    if hidden_rows:
        problems.append(Problem(where, None, None, f"숨긴 행에 값이 있습니다: {', '.join(map(str, hidden_rows))}행. 숨기기(필터)를 "
                                "취소하세요 (hidden rows hold values: unhide them or clear the filter)"))
    if hidden_columns:
        problems.append(Problem(where, None, None, f"숨긴 열에 값이 있습니다: {', '.join(get_column_letter(c) for c in hidden_columns)}열. "
                                "숨기기를 취소하세요 (hidden columns hold values: unhide them)"))
    kinds = {column: _kind(spec, columns[column]) if columns[column] in spec.columns else "text"
             for column in range(1, width + 1)}
    records: list[list[str]] = [header]
    sheet_rows = [1]
    for cell in header_cells.values():
        problems += _cell_problems(cell, spec, where, "header")
    for index in sorted(rows):
        texts = [""] * width
        for cell in rows[index]:
            found = _cell_problems(cell, spec, where, columns.get(cell.column))
            problems += found
            if found:
                continue
            if cell.column > width:
                problems.append(Problem(where, index, get_column_letter(cell.column), f"열 이름이 없는 열에 값이 있습니다 "
                                        f"(값: {shown(cell.value)}). 열 이름 행 밖의 칸은 비우세요 (a value outside the columns)"))
                continue
            if kinds[cell.column] == "integer" and isinstance(cell.value, float) and not cell.value.is_integer():
                problems.append(Problem(where, index, columns[cell.column], f"정수 칸에 소수가 있습니다 (값: {cell.value!r}). "
                                        "정수로 적으세요 (a whole number is expected)"))
                continue
            texts[cell.column - 1] = _cell_text(cell, kinds[cell.column])
        if any(t.strip() for t in texts):
            records.append(texts)
            sheet_rows.append(index)
    return records, sheet_rows, problems


def _header_text(cell: ReadOnlyCell | None) -> str:
    if cell is None or cell.value is None or cell.data_type == "f":
        return ""
    return unicodedata.normalize("NFC", str(cell.value).strip())


def _cell_problems(cell: ReadOnlyCell, spec: DatasetSpec, where: str, column: str | None) -> list[Problem]:
    """A formula or an error value: refused, with the cell's address."""
    address = f"{spec.table}!{cell.coordinate}"
    field_name = None if column == "header" else column or get_column_letter(cell.column)
    if cell.data_type == "f":
        formula = cell.value if isinstance(cell.value, str) else getattr(cell.value, "text", "") or "="
        return [Problem(where, cell.row, field_name, f"수식 칸입니다 ({address}: {shown(formula)}). 파일에 든 계산 결과는 믿을 수 "
                        "없으므로 값을 직접 적으세요(복사 → 값으로 붙여넣기) (formula cell: type the value instead)")]
    if cell.data_type == "e":
        return [Problem(where, cell.row, field_name, f"오류 값입니다 ({address}: {shown(cell.value)}) (an error value)")]
    return []


def _cell_text(cell: ReadOnlyCell, kind: str) -> str:
    """A cell as the CSV loader reads it: whole numbers without '.0', decimals as shown, dates as YYYY-MM-DD."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return repr(value)
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if kind == "decimal":
            match = _PLACES.match(cell.number_format or "")
            shown_places = len(match.group(1)) if match else 0
            exponent = number.normalize().as_tuple().exponent
            places = max(shown_places, -exponent if isinstance(exponent, int) and exponent < 0 else 0)
            try:
                return format(number.quantize(Decimal(1).scaleb(-places)), "f")
            except InvalidOperation:  # beyond any allowed value: the model refuses it with its own message
                return format(number, "f")
        if number == number.to_integral_value():
            return str(int(number))
        return format(number, "f")
    return str(value)
