"""TEST-ONLY synthetic report periods: three periods of 2023 made by the tests, never written into datasets/.

The real report (2023-05-31), the test-only fixture report (2023-12-31, tests/fixtures/report_2023_12_test) and a
synthetic 2023-08-31 report made here from the fixture: executed amounts and results set to stated values between
the two, every title marked [테스트 전용]. The figures the tests expect are written out below, not recomputed.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from ydp_data.datasets import SPECS
from ydp_data.importer import import_report

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "report_2023_12_test"
MAY, AUG, DEC = "ydp-jobs-2023-05", "test-synthetic-ydp-jobs-2023-08", "test-ydp-jobs-2023-12"

# Executed 천원 per programme and funding source in the synthetic August report (budgets as in the fixture).
AUGUST_EXECUTED: dict[tuple[str, str], int] = {
    ("Ⅱ-1", "시비"): 4000, ("Ⅱ-1", "구비"): 110000,
    ("Ⅱ-2", "시비"): 1300000, ("Ⅱ-2", "구비"): 600000,
}


def _table(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def _write(path: Path, table: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(table)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def august_report(folder: Path) -> Path:
    """The synthetic 2023-08-31 report as a template folder ready to import."""
    shutil.copytree(FIXTURE, folder)
    for spec in SPECS:
        table = _table(folder / spec.filename)
        col = table[0].index("report_id")
        for row in table[1:]:
            row[col] = AUG
        if spec.table == "reports":
            head = table[0]
            table[1][head.index("title")] = "[테스트 전용] 합성 보고 (2023. 8. 31. 기준, 가상 자료, 실제 보고서 아님)"
            table[1][head.index("as_of")] = "2023-08-31"
            table[1][head.index("source_file")] = "tests/synthetic_periods.py (테스트 전용 합성 자료)"
        if spec.table == "program_budget":
            head = table[0]
            for row in table[1:]:
                key = (row[head.index("program_id")], row[head.index("funding_source")])
                if key in AUGUST_EXECUTED:
                    row[head.index("executed")] = str(AUGUST_EXECUTED[key])
        _write(folder / spec.filename, table)
    return folder


def three_periods(work: Path) -> Path:
    """A copy of datasets/ in work with the fixture December report and the synthetic August report imported."""
    datasets = work / "datasets"
    shutil.copytree(ROOT / "datasets", datasets)
    import_report(FIXTURE, datasets)
    import_report(august_report(work / "august"), datasets)
    return datasets
