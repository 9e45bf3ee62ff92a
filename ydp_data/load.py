"""Reads and validates the CSV files of datasets/ into pydantic records."""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ydp_data.datasets import SPEC_BY_TABLE, SPECS, DatasetSpec
from ydp_data.errors import DatasetError, Problem

Records = dict[str, list[BaseModel]]

SAVE_HINT = "Excel에서 '다른 이름으로 저장 → CSV UTF-8(쉼표로 분리)(*.csv)'로 저장하세요"
_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
MAX_BYTES = 20 * 1024 * 1024
SHOWN_CHARS = 60  # a value echoed in an error is cut to this many characters
# bidirectional controls reorder what a reader sees (a figure or name can read differently from what is stored)
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_DOTTED_INT = re.compile(r"^-?\d+(\.\d+)+$")
# Excel's and file managers' copy names: 'facts (2)', 'facts(1)', 'facts - 복사본', 'facts - Copy (2)', 'facts copy 2'
_COPY_SUFFIX = re.compile(r"(\s*\(\d+\)|\s*-\s*(복사본|사본|copy)(\s*\(\d+\))?|\s+copy(\s+\d+)?)$", re.IGNORECASE)
CORE_TABLES = ("programs", "budget_units", "program_budget")  # every report must have rows in these


def shown(value: object) -> str:
    """A value as an error message echoes it: quoted, cut to a readable length."""
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 1] + "…"


def decode(raw: bytes, name: str) -> str:
    """Text of a CSV file saved as UTF-8 (with or without BOM) or CP949 (Korean Excel's default)."""
    if raw.startswith(b"PK\x03\x04") or raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise DatasetError([Problem(name, None, None, f"Excel 통합문서(.xlsx/.xls)입니다. CSV가 아닙니다. {SAVE_HINT}")])
    if b"\x00" in raw[:4096]:
        raise DatasetError([Problem(name, None, None, f"텍스트 CSV 파일이 아닙니다(이진 파일). {SAVE_HINT}")])
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DatasetError([Problem(name, None, None, f"문자 인코딩을 읽을 수 없습니다(UTF-8도 CP949도 아님). {SAVE_HINT}")])


def clean_cell(value: str, numeric: bool) -> str | None:
    """A CSV cell as the models take it: blanks become None; in number columns '1,234' becomes '1234',
    '△1' and '−1' become '-1' and a lone '-' (how the report writes nil) becomes empty."""
    value = unicodedata.normalize("NFC", value.strip())  # Hangul saved decomposed (NFD) by some Mac tools
    if not value:
        return None
    if not numeric:
        return value
    if value == "-":
        return None
    if value.startswith(("△", "\u2212")):
        value = "-" + value[1:].strip()
    if _THOUSANDS.match(value):
        value = value.replace(",", "")
    return value


def _name(directory: Path, spec: DatasetSpec) -> str:
    """How errors name a file: datasets/<file>.csv for the repo's folder, the full path elsewhere."""
    return f"datasets/{spec.filename}" if directory.name == "datasets" else str(directory / spec.filename)


def read_rows(path: Path, spec: DatasetSpec) -> list[tuple[int, dict[str, str | None]]]:
    """The rows of one CSV file with their line numbers, after the header has been checked."""
    name = _name(path.parent, spec)
    if not path.exists():
        raise DatasetError([Problem(name, None, None, "파일이 없습니다 (file missing)")])
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        raise DatasetError([Problem(name, None, None, f"파일이 너무 큽니다({len(raw):,} bytes > {MAX_BYTES:,})")])
    text = decode(raw, name)
    if not text.strip():
        raise DatasetError([Problem(name, None, None, f"빈 파일입니다. 첫 줄에 열 이름이 있어야 합니다: {', '.join(spec.columns)}")])
    try:
        dialect = csv.excel
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        table = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise DatasetError([Problem(name, None, None, f"CSV 형식 오류: {exc}. {SAVE_HINT}")]) from None
    (_, header), body = table[0], table[1:]
    header = [unicodedata.normalize("NFC", h.strip()) for h in header]
    problems: list[Problem] = []
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        problems.append(Problem(name, 1, None, f"쉼표(,)로 구분된 CSV가 아닙니다. {SAVE_HINT}"))
    dupes = sorted({h for h in header if header.count(h) > 1})
    missing = [c for c in spec.columns if c not in header]
    extra = [h for h in header if h not in spec.columns]
    if dupes:
        problems.append(Problem(name, 1, ", ".join(dupes), "열 이름이 두 번 나옵니다 (duplicate column)"))
    if missing:
        problems.append(Problem(name, 1, ", ".join(missing), "필수 열이 없습니다 (missing column)"))
    if extra:
        problems.append(Problem(name, 1, ", ".join(extra), f"알 수 없는 열입니다 (unknown column). 쓸 수 있는 열: {', '.join(spec.columns)}"))
    if problems:
        raise DatasetError(problems)
    rows: list[tuple[int, dict[str, str | None]]] = []
    for line, row in body:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(Problem(name, line, None, f"칸 수가 {len(row)}개입니다. 열 이름은 {len(header)}개입니다 (쉼표가 든 값은 큰따옴표로 감싸세요)"))
            continue
        numeric = spec.numeric_columns
        cells = {h: clean_cell(cell, h in numeric) for h, cell in zip(header, row, strict=True)}
        problems += _cell_problems(name, line, cells, spec)
        rows.append((line, cells))
    if problems:
        raise DatasetError(problems)
    return rows


def _cell_problems(name: str, line: int, cells: dict[str, str | None], spec: DatasetSpec) -> list[Problem]:
    """Cells no model rule catches: invisible direction controls, and a dotted number in a whole-number column."""
    problems = []
    for column, value in cells.items():
        if value is None:
            continue
        bidi = BIDI.search(value)
        if bidi:
            problems.append(Problem(name, line, column, f"보이지 않는 방향 제어 문자(U+{ord(bidi.group()):04X})가 있습니다. "
                                    "글자 순서를 바꿔 보이게 하므로 지우세요 (invisible bidirectional control character)"))
        elif column in spec.integer_columns and _DOTTED_INT.match(value):
            problems.append(Problem(name, line, column, f"정수 칸에 점이 있습니다 (값: {shown(value)}). 천 단위는 쉼표(357,000)로 "
                                    "쓰거나 쓰지 마세요: 357.000은 357로도 357000으로도 읽을 수 있습니다 "
                                    "(a dot in a whole-number column: European thousands separator?)"))
    return problems


def misnamed_files(directory: Path) -> list[Problem]:
    """Files that look like a dataset but are not named exactly as one (other case, a copy suffix): never skipped
    in silence, since the real file would then be read without their rows or not at all."""
    names = {spec.filename for spec in SPECS}
    stems = {spec.table.casefold(): spec.filename for spec in SPECS}
    problems = []
    for path in sorted(directory.iterdir()) if directory.is_dir() else []:
        if path.name in names or not path.is_file():
            continue
        stem, dot, ext = path.name.rpartition(".")
        if not dot or ext.casefold() not in ("csv", "txt"):
            continue
        base = _COPY_SUFFIX.sub("", unicodedata.normalize("NFC", stem)).strip().casefold()
        if base in stems:
            problems.append(Problem(str(directory / path.name), None, None,
                                    f"파일 이름이 {stems[base]}와 같지 않습니다(대소문자나 사본 표시). 이 파일을 쓰려면 이름을 "
                                    f"정확히 {stems[base]}(으)로 바꾸고, 아니면 지우세요 (a dataset file under another name "
                                    "is refused, not skipped)"))
    return problems


def unread_entries(directory: Path) -> list[str]:
    """What datasets/ holds that no build reads, named (not passed over in silence): sub-folders and CSV files that
    are not dataset files (a misnamed dataset file is refused by misnamed_files instead). An import keeps them."""
    misnamed = {Path(p.file).name for p in misnamed_files(directory)}
    said = []
    for path in sorted(directory.iterdir()) if directory.is_dir() else []:
        if path.name.startswith(".") or path.name in misnamed:
            continue
        if path.is_dir():
            said.append(f"{path.name}/: 하위 폴더는 읽지 않습니다. 데이터 파일은 {directory.name}/ 바로 아래에 있어야 "
                        "합니다 (a sub-folder is not read)")
        elif path.suffix.casefold() == ".csv" and path.name not in {spec.filename for spec in SPECS}:
            said.append(f"{path.name}: 데이터 파일이 아니라 읽지 않습니다 (not a dataset file: not read)")
    return said


def _difference(value: str, allowed: list[str]) -> str:
    """How a value differs from the closest allowed one, character by character (invisible ones by code point)."""
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.5)
    if not close:
        return ""
    target = close[0]
    marks = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, value, target).get_opcodes():
        if op != "equal":
            got = " ".join(f"U+{ord(c):04X}" for c in value[i1:i2]) or "없음"
            want = " ".join(f"U+{ord(c):04X}" for c in target[j1:j2]) or "없음"
            marks.append(f"{i1 + 1}번째 글자 {got} → {want}")
    return f" — 가장 가까운 허용 값 {target!r}와 다른 곳: {'; '.join(marks)}"


def _field_of(error: dict[str, Any]) -> str | None:
    loc = [str(part) for part in error.get("loc", ()) if not str(part).isdigit()]
    return loc[0] if loc else None


def validate_file(path: Path, spec: DatasetSpec) -> tuple[list[BaseModel], dict[tuple[Any, ...], int], list[Problem]]:
    """Records of one file, their lines by key, and every problem of its rows (types, ranges, duplicates)."""
    name = _name(path.parent, spec)
    records: list[BaseModel] = []
    problems: list[Problem] = []
    seen: dict[tuple[Any, ...], int] = {}
    for line, row in read_rows(path, spec):
        data = {k: v for k, v in row.items() if v is not None}
        try:
            record = spec.model.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                # a record-level rule (month order) has no location: name the first column it mentions
                fld = _field_of(err) or next((c for c in spec.columns if c in err["msg"]), None)
                value = row.get(fld) if fld else None
                echo = "" if not fld else f" (값: {shown(value)})" if value is not None else " (값이 비어 있음)"
                allowed = err.get("ctx", {}).get("expected") if err.get("type") == "enum" else None
                if allowed and isinstance(value, str):
                    echo += _difference(value, re.findall(r"'([^']*)'", str(allowed)))
                problems.append(Problem(name, line, fld, f"{err['msg']}{echo}"))
            continue
        key = _key_values(record, spec.key)
        if key in seen:
            problems.append(Problem(name, line, ", ".join(spec.key),
                                    f"중복된 키 {key} — {seen[key]}행과 같습니다 (duplicate key)"))
            continue
        seen[key] = line
        records.append(record)
    return records, seen, problems


def _key_values(record: BaseModel, columns: Iterable[str]) -> tuple[Any, ...]:
    return tuple(str(getattr(record, c)) for c in columns)


def check_references(records: Records, lines: dict[str, dict[tuple[Any, ...], int]], directory: Path) -> list[Problem]:
    """Problems of values that must name a row of another file (a team, a program, a report)."""
    problems: list[Problem] = []
    report_ids = {r.report_id for r in records.get("reports", [])}  # type: ignore[attr-defined]
    for spec in SPECS:
        for cols, (target, target_cols) in spec.refs.items():
            known = {_key_values(r, target_cols) for r in records.get(target, [])}
            for record in records.get(spec.table, []):
                if record.report_id not in report_ids and cols != ("report_id",):  # type: ignore[attr-defined]
                    continue  # reported once, as an unknown report_id, below
                value = _key_values(record, cols)
                if value not in known:
                    line = lines[spec.table].get(_key_values(record, spec.key))
                    problems.append(Problem(_name(directory, spec), line, cols[-1],
                                            f"{value[-1]!r}은(는) {_name(directory, SPEC_BY_TABLE[target])}에 없습니다 (unknown reference)"))
    for spec in SPECS:
        if spec.table == "reports" or ("report_id",) in spec.refs:
            continue
        for record in records.get(spec.table, []):
            if record.report_id not in report_ids:  # type: ignore[attr-defined]
                line = lines[spec.table].get(_key_values(record, spec.key))
                problems.append(Problem(_name(directory, spec), line, "report_id",
                                        f"{record.report_id!r}은(는) {_name(directory, SPEC_BY_TABLE['reports'])}에 없습니다"))  # type: ignore[attr-defined]
    return problems


def load_datasets(directory: Path) -> Records:
    """Every record of every file in directory, validated; raises DatasetError listing all problems."""
    records: Records = {}
    lines: dict[str, dict[tuple[Any, ...], int]] = {}
    problems: list[Problem] = []
    for spec in SPECS:
        try:
            rows, lines[spec.table], found = validate_file(directory / spec.filename, spec)
        except DatasetError as exc:
            problems += exc.problems
            continue
        problems += found
        records[spec.table] = rows
    if not problems:
        problems += check_references(records, lines, directory)
    if not problems:
        problems += _core_rows(records, directory)
    problems = misnamed_files(directory) + problems
    if problems:
        raise DatasetError(problems)
    return records


def _core_rows(records: Records, directory: Path) -> list[Problem]:
    """A report with no programmes or no budget would show a division without money: refused, not drawn."""
    problems = []
    for report in records.get("reports", []):
        rid = report.report_id  # type: ignore[attr-defined]
        for table in CORE_TABLES:
            if not any(r.report_id == rid for r in records.get(table, [])):  # type: ignore[attr-defined]
                problems.append(Problem(_name(directory, SPEC_BY_TABLE[table]), None, "report_id",
                                        f"보고서 {rid!r}의 행이 하나도 없습니다. 주요사업과 예산은 모든 보고서에 있어야 합니다 "
                                        "(every report needs its programmes and budget)"))
    return problems
