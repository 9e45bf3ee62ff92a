"""Exact cleaning and messages of ydp_data.load (mutation testing, issue 16), written out by hand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ydp_data import paths
from ydp_data.errors import DatasetError
from ydp_data.load import SAVE_HINT, _core_rows, check_references, clean_cell, decode, load_datasets, shown, unread_entries


@pytest.mark.parametrize(
    ("value", "numeric", "expected"),
    [("  ", True, None), ("", False, None), (" 가 ", False, "가"), ("-", True, None), ("-", False, "-"),
     ("△1", True, "-1"), ("\u22121,500", True, "-1500"), ("△ 2", True, "-2"), ("1,234", True, "1234"),
     ("1,234", False, "1,234"), ("1,234.5", True, "1234.5"), ("12,34", True, "12,34"), ("357.000", True, "357.000")],
    ids=[f"cell{i:02d}" for i in range(13)],  # ASCII ids (mutation/README.md)
)
def test_clean_cell(value: str, numeric: bool, expected: str | None) -> None:
    assert clean_cell(value, numeric) == expected


def test_shown_cuts_long_values() -> None:
    assert shown("abc") == "'abc'"
    assert shown("x" * 58) == "'" + "x" * 58 + "'"  # 60 characters: kept
    assert shown("x" * 59) == "'" + "x" * 58 + "…"


def test_decode() -> None:
    assert decode("\ufeff가,나".encode(), "f.csv") == "가,나"
    assert decode("가,나".encode("cp949"), "f.csv") == "가,나"
    with pytest.raises(DatasetError) as xlsx:
        decode(b"PK\x03\x04rest", "f.csv")
    assert [p.message for p in xlsx.value.problems] == [f"Excel 통합문서(.xlsx/.xls)입니다. CSV가 아닙니다. {SAVE_HINT}"]
    assert xlsx.value.problems[0].file == "f.csv"


# --- whole files: every problem with its file, line, column and message, written out by hand ----------------------
DATASETS = Path(paths.ROOT) / "datasets"
REPORT = "ydp-jobs-2023-05"
TEAMS_HEADER = "report_id,team,team_en,sort_order,source"


# A small copy of datasets/ (the first rows of each file, every reference kept) so that one mutant's tests take a
# fraction of a second: mutmut runs these tests once per mutant of load.py.
KEEP = {"reports": 1, "teams": 3, "team_duties": 1, "staffing": 2, "facilities": 1, "facility_parts": 1,
        "equipment": 1, "budget_units": 2, "programs": 2, "program_budget": 2, "stated_totals": 2,
        "subprograms": 1, "facts": 2, "plans": 1}


def copy_of_datasets(tmp_path: Path, name: str = "datasets") -> Path:
    target = tmp_path / name
    target.mkdir()
    for table, rows in KEEP.items():
        lines = (DATASETS / f"{table}.csv").read_text(encoding="utf-8-sig").splitlines()
        (target / f"{table}.csv").write_text("\n".join(lines[:rows + 1]) + "\n", encoding="utf-8")
    return target


def lines_of(directory: Path, table: str) -> list[str]:
    return (directory / f"{table}.csv").read_text(encoding="utf-8-sig").splitlines()


def write_lines(directory: Path, table: str, lines: list[str]) -> None:
    (directory / f"{table}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def problems(directory: Path) -> list[tuple[str, int | None, str | None, str]]:
    with pytest.raises(DatasetError) as caught:
        load_datasets(directory)
    return [(p.file, p.line, p.field, p.message) for p in caught.value.problems]


def test_the_real_datasets_load() -> None:
    records = load_datasets(DATASETS)
    assert len(records["budget_units"]) == 6
    assert [r.team for r in records["teams"]] == ["일자리사업팀", "상생기업팀", "청년지원팀"]  # type: ignore[attr-defined]


def test_missing_and_empty_files(tmp_path: Path) -> None:
    d = copy_of_datasets(tmp_path)
    (d / "teams.csv").unlink()
    (d / "equipment.csv").write_text("  \n", encoding="utf-8")
    header = (DATASETS / "equipment.csv").read_text(encoding="utf-8-sig").splitlines()[0].replace(",", ", ")
    assert problems(d) == [  # in the order of datasets.SPECS
        ("datasets/teams.csv", None, None, "파일이 없습니다 (file missing)"),
        ("datasets/equipment.csv", None, None, f"빈 파일입니다. 첫 줄에 열 이름이 있어야 합니다: {header}"),
    ]


def test_a_folder_with_another_name_is_named_in_full(tmp_path: Path) -> None:
    d = copy_of_datasets(tmp_path, "elsewhere")
    (d / "teams.csv").unlink()
    assert problems(d) == [(str(d / "teams.csv"), None, None, "파일이 없습니다 (file missing)")]


def test_header_problems(tmp_path: Path) -> None:
    d = copy_of_datasets(tmp_path)
    (d / "teams.csv").write_text("report_id;team;team_en\n", encoding="utf-8")
    (d / "staffing.csv").write_text((d / "staffing.csv").read_text(encoding="utf-8-sig").replace(
        "report_id,", "report_id,report_id,extra,", 1), encoding="utf-8")
    columns = TEAMS_HEADER.replace(",", ", ")
    staffing_columns = (DATASETS / "staffing.csv").read_text(encoding="utf-8-sig").splitlines()[0].replace(",", ", ")
    assert problems(d) == [
        ("datasets/teams.csv", 1, None, f"쉼표(,)로 구분된 CSV가 아닙니다. {SAVE_HINT}"),
        ("datasets/teams.csv", 1, columns, "필수 열이 없습니다 (missing column)"),
        ("datasets/teams.csv", 1, "report_id;team;team_en",
         f"알 수 없는 열입니다 (unknown column). 쓸 수 있는 열: {columns}"),
        ("datasets/staffing.csv", 1, "report_id", "열 이름이 두 번 나옵니다 (duplicate column)"),
        ("datasets/staffing.csv", 1, "extra", f"알 수 없는 열입니다 (unknown column). 쓸 수 있는 열: {staffing_columns}"),
    ]


def test_row_problems(tmp_path: Path) -> None:
    d = copy_of_datasets(tmp_path)
    teams = (d / "teams.csv").read_text(encoding="utf-8-sig").splitlines()
    teams.insert(2, "ydp-jobs-2023-05,상생기업팀")
    teams.insert(3, " , ,")
    teams[1] = teams[1].replace("Jobs Programs Team", "Jobs \u202eTeam")
    teams[4] = teams[4].replace(",2,", ",2.000,")
    (d / "teams.csv").write_text("\n".join(teams) + "\n", encoding="utf-8")
    assert problems(d) == [
        ("datasets/teams.csv", 2, "team_en", "보이지 않는 방향 제어 문자(U+202E)가 있습니다. 글자 순서를 바꿔 보이게 하므로 지우세요 "
         "(invisible bidirectional control character)"),
        ("datasets/teams.csv", 3, None, "칸 수가 2개입니다. 열 이름은 5개입니다 (쉼표가 든 값은 큰따옴표로 감싸세요)"),
        ("datasets/teams.csv", 5, "sort_order", "정수 칸에 점이 있습니다 (값: '2.000'). 천 단위는 쉼표(357,000)로 쓰거나 쓰지 "
         "마세요: 357.000은 357로도 357000으로도 읽을 수 있습니다 (a dot in a whole-number column: European thousands "
         "separator?)"),
    ]


def test_duplicate_keys_and_references(tmp_path: Path) -> None:
    d = copy_of_datasets(tmp_path)
    teams = (d / "teams.csv").read_text(encoding="utf-8-sig").splitlines()
    (d / "teams.csv").write_text("\n".join([*teams, teams[1]]) + "\n", encoding="utf-8")
    assert problems(d) == [("datasets/teams.csv", 5, "report_id, team",
                            f"중복된 키 ('{REPORT}', '일자리사업팀') — 2행과 같습니다 (duplicate key)")]
    (d / "teams.csv").write_text("\n".join(teams) + "\n", encoding="utf-8")
    budget = (d / "program_budget.csv").read_text(encoding="utf-8-sig").splitlines()
    budget[1] = budget[1].replace("Ⅱ-1,", "Ⅸ-9,", 1)
    (d / "program_budget.csv").write_text("\n".join(budget) + "\n", encoding="utf-8")
    staffing = (d / "staffing.csv").read_text(encoding="utf-8-sig").splitlines()
    staffing[1] = staffing[1].replace(REPORT, "nope", 1)
    (d / "staffing.csv").write_text("\n".join(staffing) + "\n", encoding="utf-8")
    assert problems(d) == [
        ("datasets/staffing.csv", 2, "report_id", "'nope'은(는) datasets/reports.csv에 없습니다 (unknown reference)"),
        ("datasets/program_budget.csv", 2, "program_id", "'Ⅸ-9'은(는) datasets/programs.csv에 없습니다 (unknown reference)"),
    ]


def test_a_report_without_programmes_or_budget(tmp_path: Path) -> None:
    d = copy_of_datasets(tmp_path)
    reports = (d / "reports.csv").read_text(encoding="utf-8-sig").splitlines()
    reports.append(reports[1].replace(REPORT, "ydp-jobs-2023-06").replace("2023-05-31", "2023-06-30"))
    (d / "reports.csv").write_text("\n".join(reports) + "\n", encoding="utf-8")
    said = "보고서 'ydp-jobs-2023-06'의 행이 하나도 없습니다. 주요사업과 예산은 모든 보고서에 있어야 합니다 " \
           "(every report needs its programmes and budget)"
    assert problems(d) == [("datasets/programs.csv", None, "report_id", said),
                           ("datasets/budget_units.csv", None, "report_id", said),
                           ("datasets/program_budget.csv", None, "report_id", said)]


def test_misnamed_files_are_refused(tmp_path: Path) -> None:
    d = copy_of_datasets(tmp_path)
    shutil.copy(d / "facts.csv", d / "Facts (2).csv")
    shutil.copy(d / "teams.csv", d / "teams - 복사본.txt")
    (d / "notes.csv").write_text("x\n", encoding="utf-8")
    (d / "facts.xlsx").write_bytes(b"PK")
    (d / "plans copy").write_text("x\n", encoding="utf-8")
    (d / "staffing (1).csv").mkdir()
    said = "(대소문자나 사본 표시). 이 파일을 쓰려면 이름을 정확히 {0}(으)로 바꾸고, 아니면 지우세요 (a dataset file under another " \
           "name is refused, not skipped)"
    assert problems(d) == [
        (str(d / "Facts (2).csv"), None, None, "파일 이름이 facts.csv와 같지 않습니다" + said.format("facts.csv")),
        (str(d / "teams - 복사본.txt"), None, None, "파일 이름이 teams.csv와 같지 않습니다" + said.format("teams.csv")),
    ]


def test_an_enum_value_names_the_character_that_differs(tmp_path: Path) -> None:
    d = copy_of_datasets(tmp_path)
    teams = (d / "teams.csv").read_text(encoding="utf-8-sig").splitlines()
    teams[3] = teams[3].replace("청년지원팀", "청년지원 팀")
    (d / "teams.csv").write_text("\n".join(teams) + "\n", encoding="utf-8")
    (found,) = problems(d)
    assert found[:3] == ("datasets/teams.csv", 4, "team")
    assert found[3].endswith(" (값: '청년지원 팀') — 가장 가까운 허용 값 '청년지원팀'와 다른 곳: 5번째 글자 U+0020 → 없음")


def test_unreadable_text(tmp_path: Path) -> None:
    d = copy_of_datasets(tmp_path)
    (d / "teams.csv").write_bytes(b"report_id\x00")
    (d / "staffing.csv").write_bytes(b"\xd0\xcf\x11\xe0rest")
    (d / "equipment.csv").write_bytes(b"\xff\xfe\xff")
    (d / "plans.csv").write_text('report_id\n"' + "x" * 140_000 + '"\n', encoding="utf-8")
    found = problems(d)
    assert found[0] == ("datasets/teams.csv", None, None, f"텍스트 CSV 파일이 아닙니다(이진 파일). {SAVE_HINT}")
    assert found[1] == ("datasets/staffing.csv", None, None, f"Excel 통합문서(.xlsx/.xls)입니다. CSV가 아닙니다. {SAVE_HINT}")
    assert found[2] == ("datasets/equipment.csv", None, None, f"문자 인코딩을 읽을 수 없습니다(UTF-8도 CP949도 아님). {SAVE_HINT}")
    assert found[3] == ("datasets/plans.csv", None, None,
                        f"CSV 형식 오류: field larger than field limit (131072). {SAVE_HINT}")
    assert len(found) == 4


def test_record_rules_and_empty_required_cells_name_their_column(tmp_path: Path) -> None:
    d = copy_of_datasets(tmp_path)
    subs = (d / "subprograms.csv").read_text(encoding="utf-8-sig").splitlines()
    assert subs[1].endswith(',1월~6월,1,6,"Ⅱ-2, p.5"')
    subs[1] = subs[1].replace(",1,6,", ",6,1,")
    (d / "subprograms.csv").write_text("\n".join(subs) + "\n", encoding="utf-8")
    teams = (d / "teams.csv").read_text(encoding="utf-8-sig").splitlines()
    teams[2] = teams[2].replace("Social Economy Team", " ")
    (d / "teams.csv").write_text("\n".join(teams) + "\n", encoding="utf-8")
    found = problems(d)
    assert found[0][:3] == ("datasets/teams.csv", 3, "team_en")
    assert found[0][3].endswith(" (값이 비어 있음)")
    assert found[1] == ("datasets/subprograms.csv", 2, "start_month",
                        "Value error, start_month(6)가 end_month(1)보다 늦습니다 (값: '6')")
    assert len(found) == 2


def test_a_file_over_twenty_megabytes_is_refused(tmp_path: Path) -> None:
    d = copy_of_datasets(tmp_path)
    (d / "plans.csv").write_bytes(b"a" * (20 * 1024 * 1024 + 1))
    assert problems(d) == [("datasets/plans.csv", None, None, "파일이 너무 큽니다(20,971,521 bytes > 20,971,520)")]
    (d / "plans.csv").write_bytes(b"PK\x03\x04" + b"x" * (20 * 1024 * 1024 - 4))
    # exactly 20 MB is read (and found to be a workbook, which is told at once, without decoding 20 MB)
    assert problems(d) == [("datasets/plans.csv", None, None, f"Excel 통합문서(.xlsx/.xls)입니다. CSV가 아닙니다. {SAVE_HINT}")]


def test_only_the_first_four_kilobytes_are_checked_for_binary(tmp_path: Path) -> None:
    assert decode(b"a" * 4096 + b"\x00", "f.csv") == "a" * 4096 + "\x00"
    with pytest.raises(DatasetError):
        decode(b"a" * 4095 + b"\x00", "f.csv")


@pytest.mark.parametrize(("team", "said"), [
    ("완전히 다른 값", " (값: '완전히 다른 값')"),
    ("청년지원팀팀팀", " (값: '청년지원팀팀팀') — 가장 가까운 허용 값 '청년지원팀'와 다른 곳: 6번째 글자 U+D300 U+D300 → 없음"),
    ("청년팀", " (값: '청년팀') — 가장 가까운 허용 값 '청년지원팀'와 다른 곳: 3번째 글자 없음 → U+C9C0 U+C6D0"),
    ("청 년지원 팀", " (값: '청 년지원 팀') — 가장 가까운 허용 값 '청년지원팀'와 다른 곳: 2번째 글자 U+0020 → 없음; "
     "6번째 글자 U+0020 → 없음"),
    # similarity 2×3 ÷ (6 + 5) = 0.545 (청, 년, 팀 in common): above the cutoff 0.5, below difflib's default 0.6
    ("청년가나다팀", " (값: '청년가나다팀') — 가장 가까운 허용 값 '청년지원팀'와 다른 곳: 3번째 글자 U+AC00 U+B098 U+B2E4 → "
     "U+C9C0 U+C6D0"),
], ids=["far", "longer", "shorter", "two-spaces", "middle-differs"])
def test_how_an_enum_value_differs(tmp_path: Path, team: str, said: str) -> None:
    d = copy_of_datasets(tmp_path)
    teams = (d / "teams.csv").read_text(encoding="utf-8-sig").splitlines()
    teams[3] = teams[3].replace("청년지원팀", team)
    (d / "teams.csv").write_text("\n".join(teams) + "\n", encoding="utf-8")
    (found,) = problems(d)
    assert found[3].endswith(said), found[3]
    assert "—" not in found[3] or "가장 가까운" in found[3]


def test_unread_entries_are_named_in_name_order(tmp_path: Path) -> None:
    """Sub-folders and CSV files that are not dataset files are named; dataset files, a misnamed copy of one (refused
    by misnamed_files), hidden entries and files that are not CSV are not."""
    d = copy_of_datasets(tmp_path)
    (d / "old").mkdir()
    (d / "x.csv").mkdir()
    for name in ("notes.csv", "NOTES2.CSV", "Teams (1).csv", ".hidden.csv", "readme.txt"):
        (d / name).write_text("a\n", encoding="utf-8")
    (d / ".git").mkdir()
    folder = "하위 폴더는 읽지 않습니다. 데이터 파일은 datasets/ 바로 아래에 있어야 합니다 (a sub-folder is not read)"
    unread = "데이터 파일이 아니라 읽지 않습니다 (not a dataset file: not read)"
    assert unread_entries(d) == [f"NOTES2.CSV: {unread}", f"notes.csv: {unread}", f"old/: {folder}", f"x.csv/: {folder}"]
    assert unread_entries(DATASETS) == []
    assert unread_entries(d / "notes.csv") == [] and unread_entries(tmp_path / "missing") == []


def test_an_unknown_report_and_a_later_unknown_programme_in_one_file_are_both_named(tmp_path: Path) -> None:
    """program_budget.csv has no plain report_id reference: its unknown report is named by the second pass (without
    the '(unknown reference)' ending), and its other rows are still checked for unknown programmes."""
    d = copy_of_datasets(tmp_path)
    budget = lines_of(d, "program_budget")
    budget[1] = budget[1].replace(REPORT, "nope", 1)
    budget[2] = budget[2].replace("Ⅱ-1,", "Ⅸ-9,", 1)
    write_lines(d, "program_budget", budget)
    assert problems(d) == [
        ("datasets/program_budget.csv", 3, "program_id", "'Ⅸ-9'은(는) datasets/programs.csv에 없습니다 (unknown reference)"),
        ("datasets/program_budget.csv", 2, "report_id", "'nope'은(는) datasets/reports.csv에 없습니다"),
    ]


def test_the_reference_and_core_row_checks_take_missing_tables_as_empty(tmp_path: Path) -> None:
    d = copy_of_datasets(tmp_path)
    assert check_references({}, {}, d) == []
    assert _core_rows({}, d) == []
    reports = load_datasets(d)["reports"]
    said = f"보고서 '{REPORT}'의 행이 하나도 없습니다. 주요사업과 예산은 모든 보고서에 있어야 합니다 " \
           "(every report needs its programmes and budget)"
    assert [(p.file, p.line, p.field, p.message) for p in _core_rows({"reports": reports}, d)] == [
        ("datasets/programs.csv", None, "report_id", said),
        ("datasets/budget_units.csv", None, "report_id", said),
        ("datasets/program_budget.csv", None, "report_id", said),
    ]


def test_line_endings_as_excel_and_old_macs_write_them(tmp_path: Path) -> None:
    """A CRLF file keeps a line break inside a quoted cell as written (\\r\\n), and a file with bare CR line ends (old
    Mac Excel) reads row by row."""
    d = copy_of_datasets(tmp_path)
    plans = lines_of(d, "plans")
    assert plans[1].count(",,") == 1  # the first plan's detail is empty
    plans[1] = plans[1].replace(",,", ',"첫 줄\r\n둘째 줄",', 1)
    (d / "plans.csv").write_bytes("\r\n".join(plans).encode() + b"\r\n")
    (d / "teams.csv").write_bytes("\r".join(lines_of(d, "teams")).encode() + b"\r")
    records = load_datasets(d)
    assert [p.detail for p in records["plans"]] == ["첫 줄\r\n둘째 줄"]  # type: ignore[attr-defined]
    assert [t.team for t in records["teams"]] == ["일자리사업팀", "상생기업팀", "청년지원팀"]  # type: ignore[attr-defined]


def test_a_header_of_one_column_or_of_tabs(tmp_path: Path) -> None:
    d = copy_of_datasets(tmp_path)
    (d / "teams.csv").write_text("report_id\n", encoding="utf-8")  # one column, but comma-separated: no hint
    staffing = "report_id\tjob_series\tgrade\tauthorized\tcurrent\tstated_difference\tsource"
    (d / "staffing.csv").write_text(staffing + "\n", encoding="utf-8")
    staffing_columns = staffing.replace("\t", ", ")
    assert problems(d) == [
        ("datasets/teams.csv", 1, "team, team_en, sort_order, source", "필수 열이 없습니다 (missing column)"),
        ("datasets/staffing.csv", 1, None, f"쉼표(,)로 구분된 CSV가 아닙니다. {SAVE_HINT}"),
        ("datasets/staffing.csv", 1, staffing_columns, "필수 열이 없습니다 (missing column)"),
        ("datasets/staffing.csv", 1, staffing, f"알 수 없는 열입니다 (unknown column). 쓸 수 있는 열: {staffing_columns}"),
    ]


def test_several_duplicate_and_unknown_columns_are_listed_with_commas(tmp_path: Path) -> None:
    d = copy_of_datasets(tmp_path)
    staffing = lines_of(d, "staffing")
    staffing[0] = "report_id,report_id,job_series,job_series,grade,authorized,current,stated_difference,source,extra,more"
    write_lines(d, "staffing", staffing)
    columns = "report_id, job_series, grade, authorized, current, stated_difference, source"
    assert problems(d) == [
        ("datasets/staffing.csv", 1, "job_series, report_id", "열 이름이 두 번 나옵니다 (duplicate column)"),
        ("datasets/staffing.csv", 1, "extra, more", f"알 수 없는 열입니다 (unknown column). 쓸 수 있는 열: {columns}"),
    ]


def test_number_columns_are_cleaned_and_text_columns_kept(tmp_path: Path) -> None:
    d = copy_of_datasets(tmp_path)
    units = lines_of(d, "budget_units")
    assert units[1].startswith(f"{REPORT},희망이 되는 안정적인 일자리지원,1,357151,155473,")
    units[1] = units[1].replace(",357151,155473,", ',"357,151",155473,', 1)
    write_lines(d, "budget_units", units)
    staffing = lines_of(d, "staffing")
    assert staffing[2].startswith(f"{REPORT},일반직,6급,4,6,2,")
    staffing[2] = staffing[2].replace(",4,6,2,", ",4,6,△ 2,", 1)
    write_lines(d, "staffing", staffing)
    facilities = lines_of(d, "facilities")
    facilities[1] = facilities[1].replace(",일자리정책과 사무실 내 공간 사용,", ",-,", 1)  # a text '-' is kept
    write_lines(d, "facilities", facilities)
    records = load_datasets(d)
    unit = records["budget_units"][0]
    assert (unit.budget, unit.executed) == (357151, 155473)  # type: ignore[attr-defined]
    assert records["staffing"][1].stated_difference == -2  # type: ignore[attr-defined]
    assert records["facilities"][0].note == "-"  # type: ignore[attr-defined]


def test_a_blank_cell_does_not_stop_the_checks_of_the_cells_after_it(tmp_path: Path) -> None:
    d = copy_of_datasets(tmp_path)
    facilities = lines_of(d, "facilities")
    assert ",,49," in facilities[1]  # the first facility's floor area is blank
    facilities[1] = facilities[1].replace("공간 사용", "공간\u202e 사용", 1)
    write_lines(d, "facilities", facilities)
    assert problems(d) == [("datasets/facilities.csv", 2, "note", "보이지 않는 방향 제어 문자(U+202E)가 있습니다. 글자 순서를 바꿔 "
                            "보이게 하므로 지우세요 (invisible bidirectional control character)")]


def test_every_row_is_checked_after_an_invalid_or_a_duplicate_row(tmp_path: Path) -> None:
    d = copy_of_datasets(tmp_path)
    teams = lines_of(d, "teams")
    blank = teams[1].replace("Jobs Programs Team", " ")
    dotted_bad = teams[2].replace(",2,", ",x,")
    write_lines(d, "teams", [teams[0], blank, teams[2], teams[3], teams[3], dotted_bad, teams[1].replace(",1,", ",y,")])
    found = problems(d)
    assert [f[:3] for f in found] == [("datasets/teams.csv", 2, "team_en"), ("datasets/teams.csv", 5, "report_id, team"),
                                      ("datasets/teams.csv", 6, "sort_order"), ("datasets/teams.csv", 7, "sort_order")]
    assert found[1][3] == f"중복된 키 ('{REPORT}', '청년지원팀') — 4행과 같습니다 (duplicate key)"
