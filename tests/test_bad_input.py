"""Bad CSV input is refused with the file, line and field named, and never touches the last good database.

Each case copies datasets/ into tmp_path/'datasets', corrupts one thing, and builds over a target that
already holds a good database. Files the user may legitimately produce (BOM, CP949, '1,234', '△1')
must build and give the same tables as the originals.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.dbfiles import Dump, dump, sha256
from ydp_data.build import build
from ydp_data.errors import DatasetError, Problem

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "datasets"
DB_NAME = "ydp.duckdb"


# --- helpers ------------------------------------------------------------------------------------




def edit(path: Path, old: str, new: str) -> int:
    """Replace the one occurrence of old in a UTF-8 file; the 1-based line it is on (header = 1)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path.name}"
    index = text.index(old)
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text.count("\n", 0, index) + 1


def append(path: Path, line: str) -> int:
    """Append one line to a UTF-8 file; its 1-based line number."""
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def line_of(path: Path, needle: str) -> str:
    """The one line of a file that contains needle."""
    found = [ln for ln in path.read_text(encoding="utf-8").splitlines() if needle in ln]
    assert len(found) == 1, (needle, found)
    return found[0]


def rewrite_csv(path: Path, change: Callable[[list[list[str]]], list[list[str]]], delimiter: str = ",") -> None:
    with path.open(encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(change(table))
    path.write_text(out.getvalue(), encoding="utf-8")


def drop_column(name: str) -> Callable[[list[list[str]]], list[list[str]]]:
    def change(table: list[list[str]]) -> list[list[str]]:
        i = table[0].index(name)
        return [row[:i] + row[i + 1:] for row in table]
    return change


def add_column(name: str, value: str) -> Callable[[list[list[str]]], list[list[str]]]:
    def change(table: list[list[str]]) -> list[list[str]]:
        return [table[0] + [name]] + [row + [value] for row in table[1:]]
    return change


def find(problems: list[Problem], file: str, line: int | None, field: str | None) -> Problem:
    """The problem of this file, line and field; fails listing all problems when there is none."""
    for p in problems:
        if p.file == file and p.line == line and p.field == field:
            return p
    raise AssertionError(f"no problem at {file}, line {line}, field {field!r} in:\n"
                         + "\n".join(map(str, problems)))


# --- fixtures -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class GoodDb:
    data: bytes
    digest: str
    tables: Dump


@pytest.fixture(scope="module")
def good_db(tmp_path_factory: pytest.TempPathFactory) -> GoodDb:
    path = tmp_path_factory.mktemp("good") / DB_NAME
    build(DATASETS, path)
    return GoodDb(path.read_bytes(), sha256(path), dump(path))


@dataclass
class Workspace:
    datasets: Path
    target: Path
    good: GoodDb

    def assert_untouched(self) -> None:
        """The old database is byte-identical, still opens, still has its rows, and nothing was left beside it."""
        assert sha256(self.target) == self.good.digest
        assert sorted(os.listdir(self.target.parent)) == [DB_NAME]
        con = duckdb.connect(str(self.target), read_only=True)
        try:
            assert con.execute("SELECT count(*), sum(budget) FROM budget_units").fetchall() == [(6, 7_113_947)]
            assert con.execute("SELECT count(*) FROM facts").fetchall() == [(len(self.good.tables["facts"]),)]
        finally:
            con.close()


@pytest.fixture
def ws(tmp_path: Path, good_db: GoodDb) -> Workspace:
    datasets = tmp_path / "datasets"
    shutil.copytree(DATASETS, datasets)
    target = tmp_path / "out" / DB_NAME
    target.parent.mkdir()
    target.write_bytes(good_db.data)
    return Workspace(datasets, target, good_db)


# --- refused input ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Bad:
    """One corruption: what to do to the copy of datasets/, and where the problem must be reported."""

    id: str
    file: str  # the CSV file that is corrupted
    corrupt: Callable[[Path], int | None]  # returns the line the problem is on (None: the whole file)
    field: str | None
    says: str  # a fragment the problem's message must contain


def _f(name: str) -> Callable[[Callable[[Path], int | None]], Callable[[Path], int | None]]:
    """Adapts a corruption of one file to one of the datasets folder."""
    def wrap(fn: Callable[[Path], int | None]) -> Callable[[Path], int | None]:
        return lambda d: fn(d / name)
    return wrap


def _dup_program_budget(p: Path) -> int:
    return append(p, line_of(p, "Ⅱ-3,시비"))


def _dup_fact(p: Path) -> int:
    return append(p, line_of(p, "jobplus.referrals").replace(",5564,", ",5565,"))


def _write(data: bytes) -> Callable[[Path], None]:
    def corrupt(p: Path) -> None:
        p.write_bytes(data)
    return corrupt


def _semicolons(p: Path) -> int:
    rewrite_csv(p, lambda t: t, delimiter=";")
    return 1


def _utf16(p: Path) -> None:
    p.write_bytes(p.read_text(encoding="utf-8").encode("utf-16"))


def _drop(name: str) -> Callable[[Path], int]:
    def corrupt(p: Path) -> int:
        rewrite_csv(p, drop_column(name))
        return 1
    return corrupt


def _add(name: str) -> Callable[[Path], int]:
    def corrupt(p: Path) -> int:
        rewrite_csv(p, add_column(name, "x"))
        return 1
    return corrupt


def _dup_header(p: Path) -> int:
    rewrite_csv(p, add_column("team", "일자리사업팀"))
    return 1


BAD: list[Bad] = [
    Bad("bad-number", "budget_units.csv", _f("budget_units.csv")(lambda p: edit(p, ",357151,", ",abc,")),
        "budget", "abc"),
    Bad("negative-amount", "program_budget.csv",
        _f("program_budget.csv")(lambda p: edit(p, "Ⅱ-1,시비,4000,4000", "Ⅱ-1,시비,-4000,4000")), "budget", "-4000"),
    Bad("negative-triangle-amount", "program_budget.csv",
        _f("program_budget.csv")(lambda p: edit(p, "Ⅱ-4,구비,410780,203969", "Ⅱ-4,구비,410780,△203969")),
        "executed", "greater than or equal to 0"),
    Bad("unquoted-thousands", "program_budget.csv",
        _f("program_budget.csv")(lambda p: edit(p, "Ⅲ-1,구비,150000,", "Ⅲ-1,구비,150,000,")), None, "칸 수"),
    Bad("missing-column", "program_budget.csv", _f("program_budget.csv")(_drop("executed")),
        "executed", "missing column"),
    Bad("unknown-column", "teams.csv", _f("teams.csv")(_add("memo")), "memo", "unknown column"),
    Bad("duplicate-column", "teams.csv", _f("teams.csv")(_dup_header), "team", "duplicate column"),
    Bad("duplicate-key", "program_budget.csv", _f("program_budget.csv")(_dup_program_budget),
        "report_id, program_id, funding_source", "duplicate key"),
    Bad("duplicate-fact-id", "facts.csv", _f("facts.csv")(_dup_fact), "report_id, fact_id", "duplicate key"),
    Bad("unknown-team", "facilities.csv",
        _f("facilities.csv")(lambda p: edit(p, "orang,서울청년센터 영등포 오랑,청년지원팀", "orang,서울청년센터 영등포 오랑,기획팀")),
        "team", "기획팀"),
    Bad("unknown-team-duty", "team_duties.csv",
        _f("team_duties.csv")(lambda p: edit(p, "청년지원팀,8,", "기획팀,8,")), "team", "기획팀"),
    Bad("unknown-funding-source", "program_budget.csv",
        _f("program_budget.csv")(lambda p: edit(p, "Ⅱ-4,시비,", "Ⅱ-4,도비,")), "funding_source", "도비"),
    Bad("month-13", "plans.csv", _f("plans.csv")(lambda p: edit(p, "6월~7월,6,7,", "6월~7월,6,13,")),
        "end_month", "13"),
    Bad("month-0", "subprograms.csv", _f("subprograms.csv")(lambda p: edit(p, "1월~6월,1,6,", "1월~6월,0,6,")),
        "start_month", "0"),
    Bad("start-after-end", "programs.csv",
        _f("programs.csv")(lambda p: edit(p, "연중,1,12,사회적경제기업", "연중,12,1,사회적경제기업")),
        "start_month", "start_month(12)가 end_month(1)보다 늦습니다"),
    Bad("one-month-only", "plans.csv", _f("plans.csv")(lambda p: edit(p, "9~11월,9,11,", "9~11월,9,,")),
        "start_month", "start_month와 end_month는 둘 다"),
    Bad("empty-required", "programs.csv",
        _f("programs.csv")(lambda p: edit(p, ",4,청년 커뮤니티 활성화 지원,", ",4,,")), "title", "Field required"),
    Bad("blank-money", "program_budget.csv",
        _f("program_budget.csv")(lambda p: edit(p, "Ⅲ-2,국비,200500,200500", "Ⅲ-2,국비,,200500")),
        "budget", "Field required"),
    Bad("empty-file", "teams.csv", _f("teams.csv")(_write(b"")), None, "빈 파일"),
    Bad("blank-file", "staffing.csv", _f("staffing.csv")(_write(b" \r\n\r\n")), None, "빈 파일"),
    Bad("xlsx", "program_budget.csv", _f("program_budget.csv")(_write(b"PK\x03\x04" + bytes(range(256)) * 4)),
        None, "Excel"),
    Bad("xls", "budget_units.csv", _f("budget_units.csv")(_write(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64))),
        None, "Excel"),
    Bad("binary", "facts.csv", _f("facts.csv")(_write(bytes(range(256)) * 8)), None, "이진 파일"),
    Bad("utf-16", "teams.csv", _f("teams.csv")(_utf16), None, "이진 파일"),
    Bad("semicolons", "teams.csv", _f("teams.csv")(_semicolons), None, "쉼표(,)로 구분된 CSV가 아닙니다"),
    Bad("file-missing", "facts.csv", _f("facts.csv")(lambda p: p.unlink()), None, "파일이 없습니다"),
    Bad("short-row", "teams.csv", _f("teams.csv")(lambda p: append(p, "ydp-jobs-2023-05,청년지원팀")), None, "칸 수"),
    Bad("unknown-program-in-facts", "facts.csv",
        _f("facts.csv")(lambda p: edit(p, "jobforyou.hired,Ⅱ-1,", "jobforyou.hired,Ⅱ-9,")),
        "program_id", "'Ⅱ-9'은(는) datasets/programs.csv에 없습니다"),
    Bad("unknown-program-in-budget", "program_budget.csv",
        _f("program_budget.csv")(lambda p: edit(p, "Ⅲ-2,구비,", "Ⅲ-3,구비,")), "program_id", "Ⅲ-3"),
    Bad("unknown-unit-program", "programs.csv",
        _f("programs.csv")(lambda p: edit(p, "일자리사업팀,지역일자리사업 지원,", "일자리사업팀,지역일자리 지원,")),
        "unit_program", "지역일자리 지원"),
    Bad("unknown-facility", "facility_parts.csv",
        _f("facility_parts.csv")(lambda p: edit(p, "studio,미디어실", "studio2,미디어실")), "facility_id", "studio2"),
    Bad("unknown-report-in-facts", "facts.csv",
        _f("facts.csv")(lambda p: edit(p, "ydp-jobs-2023-05,orang.visitors", "ydp-jobs-2023-06,orang.visitors")),
        "report_id", "ydp-jobs-2023-06"),
    Bad("unknown-report-in-staffing", "staffing.csv",
        _f("staffing.csv")(lambda p: edit(p, "ydp-jobs-2023-05,일반직,8급", "ydp-jobs-2023-06,일반직,8급")),
        "report_id", "ydp-jobs-2023-06"),
    Bad("bad-report-id", "reports.csv", _f("reports.csv")(lambda p: edit(p, "ydp-jobs-2023-05,", "YDP Jobs,")),
        "report_id", "YDP Jobs"),
    Bad("bad-date", "reports.csv", _f("reports.csv")(lambda p: edit(p, "2023-05-31", "2023-02-30")), "as_of",
        "2023-02-30"),
    Bad("rate-two-decimals", "programs.csv", _f("programs.csv")(lambda p: edit(p, ",35.2,", ",35.26,")),
        "stated_rate_pct", "35.26"),
    Bad("bad-source", "budget_units.csv",
        _f("budget_units.csv")(lambda p: edit(p, '82368,27661,33.6,"Ⅰ-4, p.2"', "82368,27661,33.6,p.2")),
        "source", "p.2"),
    Bad("bad-grade", "staffing.csv", _f("staffing.csv")(lambda p: edit(p, "일반직,9급", "일반직,9")), "grade", "'9'"),
    Bad("bad-difference", "staffing.csv", _f("staffing.csv")(lambda p: edit(p, "7,4,-3,", "7,4,abc,")),
        "stated_difference", "abc"),
    Bad("bad-kind", "facts.csv",
        _f("facts.csv")(lambda p: edit(p, ",,actual,2023-YTD,5496,", ",,forecast,2023-YTD,5496,")), "kind", "forecast"),
    Bad("bad-period", "facts.csv",
        _f("facts.csv")(lambda p: edit(p, ",,actual,2023-YTD,891,", ",,actual,2023-Q2,891,")), "period", "2023-Q2"),
    Bad("zero-area", "facilities.csv", _f("facilities.csv")(lambda p: edit(p, ",502.6,", ",0,")),
        "floor_area_m2", "greater than 0"),
    Bad("bad-model-year", "equipment.csv", _f("equipment.csv")(lambda p: edit(p, ",2018,", ",18,")),
        "model_year", "1950"),
]


@pytest.mark.parametrize("case", BAD, ids=[c.id for c in BAD])
def test_bad_input_is_refused_and_old_db_kept(ws: Workspace, case: Bad) -> None:
    line = case.corrupt(ws.datasets)
    with pytest.raises(DatasetError) as caught:
        build(ws.datasets, ws.target)
    file = f"datasets/{case.file}"
    problem = find(caught.value.problems, file, line, case.field)
    assert case.says in problem.message
    where = file + (f", {line}행" if line is not None else "") + (f", 열 '{case.field}'" if case.field else "")
    assert where in str(caught.value)  # the rendered message names the file, line and field
    assert all(p.file.startswith("datasets/") for p in caught.value.problems)
    ws.assert_untouched()


CLI_CASES = ["bad-number", "unknown-funding-source", "xlsx", "missing-column"]


@pytest.mark.parametrize("case", [c for c in BAD if c.id in CLI_CASES], ids=CLI_CASES)
def test_cli_build_exits_1_and_names_the_problem(ws: Workspace, case: Bad) -> None:
    line = case.corrupt(ws.datasets)
    proc = subprocess.run(
        [sys.executable, "-m", "ydp_data", "--datasets", str(ws.datasets), "--db", str(ws.target), "build"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 1, proc.stderr
    where = f"datasets/{case.file}" + (f", {line}행" if line is not None else "")
    where += f", 열 '{case.field}'" if case.field else ""
    assert where in proc.stderr
    assert case.says in proc.stderr
    assert "Traceback" not in proc.stderr
    assert "built" not in proc.stdout
    ws.assert_untouched()


def test_every_problem_is_reported_at_once(ws: Workspace) -> None:
    budget_line = edit(ws.datasets / "budget_units.csv", ",357151,", ",abc,")
    month_line = edit(ws.datasets / "plans.csv", "6월~7월,6,7,", "6월~7월,6,13,")
    (ws.datasets / "teams.csv").write_bytes(b"")
    with pytest.raises(DatasetError) as caught:
        build(ws.datasets, ws.target)
    problems = caught.value.problems
    find(problems, "datasets/budget_units.csv", budget_line, "budget")
    find(problems, "datasets/plans.csv", month_line, "end_month")
    find(problems, "datasets/teams.csv", None, None)
    ws.assert_untouched()


def test_line_numbers_skip_nothing(ws: Workspace) -> None:
    """Blank lines still count: a problem after them is reported on its real line."""
    path = ws.datasets / "teams.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n\nydp-jobs-2023-05,기획팀,Planning Team,4,\"Ⅰ-1, p.1\"\n", encoding="utf-8")
    expected_line = text.count("\n") + 3
    with pytest.raises(DatasetError) as caught:
        build(ws.datasets, ws.target)
    find(caught.value.problems, "datasets/teams.csv", expected_line, "team")
    ws.assert_untouched()


# --- accepted input -----------------------------------------------------------------------------
def _bom_everywhere(d: Path) -> None:
    for p in d.glob("*.csv"):
        p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())


def _cp949_everywhere(d: Path) -> None:
    """What Korean Excel's plain 'CSV (쉼표로 분리)' writes: CP949 with CRLF line ends."""
    for p in d.glob("*.csv"):
        text = p.read_text(encoding="utf-8")
        p.write_bytes(text.replace("\n", "\r\n").encode("cp949"))


def _thousands(d: Path) -> None:
    edit(d / "program_budget.csv", "Ⅱ-2,구비,1261217,369447", 'Ⅱ-2,구비,"1,261,217","369,447"')
    edit(d / "program_budget.csv", "Ⅱ-1,시비,4000,4000", 'Ⅱ-1,시비,"4,000",4000')
    edit(d / "budget_units.csv", ",3694810,1226574,", ',"3,694,810","1,226,574",')
    edit(d / "facts.csv", ",2023,204111,명,", ',2023,"204,111",명,')


def _triangles(d: Path) -> None:
    edit(d / "staffing.csv", "9급,2,1,-1", "9급,2,1,△1")
    edit(d / "staffing.csv", "7급,7,4,-3", "7급,7,4,△3")
    edit(d / "stated_totals.csv", "과부족,-1,명", "과부족,△1,명")


def _excel_habits(d: Path) -> None:
    """Padded cells, CRLF line ends and trailing blank lines."""
    edit(d / "staffing.csv", "6급,4,6,2,", "6급, 4 ,6 , 2,")
    for p in d.glob("*.csv"):
        p.write_bytes(p.read_bytes().replace(b"\n", b"\r\n") + b"\r\n\r\n")


ACCEPTED: dict[str, Callable[[Path], None]] = {
    "utf8-bom": _bom_everywhere,
    "cp949": _cp949_everywhere,
    "quoted-thousands": _thousands,
    "triangle-negative": _triangles,
    "crlf-padding-blank-lines": _excel_habits,
}


@pytest.mark.parametrize("name", list(ACCEPTED))
def test_accepted_input_builds_the_same_tables(ws: Workspace, name: str) -> None:
    ACCEPTED[name](ws.datasets)
    result = build(ws.datasets, ws.target)
    assert result.path == ws.target
    assert sha256(ws.target) != ws.good.digest  # it really was rebuilt
    assert dump(ws.target) == ws.good.tables
    assert sorted(os.listdir(ws.target.parent)) == [DB_NAME]


def test_triangle_in_staffing_that_disagrees_is_a_failed_check_not_an_error(ws: Workspace) -> None:
    # △2 is valid input; it just does not match 현원 − 정원 (1 − 2 = −1), which the checks must say
    edit(ws.datasets / "staffing.csv", "9급,2,1,-1", "9급,2,1,△2")
    result = build(ws.datasets, ws.target)
    failed = {c.check_id: c for c in result.failed}
    assert failed["staffing.일반직.9급.difference"].expected == -2
    assert failed["staffing.일반직.9급.difference"].computed == -1
    assert "staffing.total.difference" not in failed  # the total compares 현원 − 정원, not the stated column


# --- defects found in ydp_data, fixed: these guard against their return ----------------------------
def test_month_order_problem_names_its_field(ws: Workspace) -> None:
    line = edit(ws.datasets / "programs.csv", "연중,1,12,사회적경제기업", "연중,12,1,사회적경제기업")
    with pytest.raises(DatasetError) as caught:
        build(ws.datasets, ws.target)
    (problem,) = caught.value.problems
    assert problem.line == line
    assert problem.field in ("start_month", "end_month")
    assert "비어 있음" not in problem.message


def test_unknown_report_id_is_the_only_problem(ws: Workspace) -> None:
    edit(ws.datasets / "facts.csv", "ydp-jobs-2023-05,orang.visitors", "ydp-jobs-2023-06,orang.visitors")
    with pytest.raises(DatasetError) as caught:
        build(ws.datasets, ws.target)
    assert [p.field for p in caught.value.problems] == ["report_id"]


def test_text_cells_are_kept_verbatim(ws: Workspace) -> None:
    edit(ws.datasets / "facts.csv", "2342,명,,", '2342,명,"1,234",')
    build(ws.datasets, ws.target)
    con = duckdb.connect(str(ws.target), read_only=True)
    try:
        got = con.execute("SELECT note FROM facts WHERE fact_id = 'orang.sns.kakao'").fetchall()
    finally:
        con.close()
    assert got == [("1,234",)]


def test_extreme_but_valid_rows_build_and_fail_their_check(ws: Workspace) -> None:
    edit(ws.datasets / "budget_units.csv", ",82368,27661,", ",1,10000000000000,")
    result = build(ws.datasets, ws.target)
    failed = {c.check_id for c in result.failed}
    assert "budget.unit.기본경비.rate" in failed and "budget.total.budget" in failed
