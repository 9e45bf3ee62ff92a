"""Every field of every dataset file, broken on purpose, and random edits (hypothesis): a clear refusal or a good build."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ydp_data.build import build
from ydp_data.datasets import SPECS, DatasetSpec, sql_columns
from ydp_data.db import is_usable
from ydp_data.errors import DatasetError

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "datasets"
TOO_BIG = "99999999999999999999"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Put value into one cell (row 0 = first data row) of a CSV file."""
    with path.open(encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    table[row + 1][table[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    path.write_text(out.getvalue(), encoding="utf-8")


def _cases() -> list[tuple[str, str, str, str]]:
    """(file, column, bad value, what is wrong) for every field: wrong type, empty required, out of range."""
    cases = []
    for spec in SPECS:
        types = sql_columns(spec.model)
        for column, field in spec.model.model_fields.items():
            kind = types[column]
            if field.is_required():
                cases.append((spec.table, column, "", "empty"))
            if kind.startswith(("BIGINT", "DECIMAL", "DATE")):
                cases.append((spec.table, column, "abc", "type"))
                cases.append((spec.table, column, TOO_BIG, "range"))
            elif column in ("team", "funding_source", "kind"):
                cases.append((spec.table, column, "없는값", "enum"))
    return cases


@pytest.fixture(scope="module")
def good_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("good") / "ydp.duckdb"
    build(DATASETS, path)
    return path


@pytest.mark.parametrize(("table", "column", "value", "what"), _cases(),
                         ids=lambda v: v if isinstance(v, str) and len(v) < 20 else "big")
def test_every_field_is_validated(tmp_path: Path, good_db: Path, table: str, column: str, value: str,
                                  what: str) -> None:
    datasets = tmp_path / "datasets"
    shutil.copytree(DATASETS, datasets)
    _set_cell(datasets / f"{table}.csv", 0, column, value)
    target = tmp_path / "ydp.duckdb"
    shutil.copy(good_db, target)
    before = _digest(target)
    with pytest.raises(DatasetError) as caught:
        build(datasets, target)
    where = [(p.file, p.line, p.field) for p in caught.value.problems]
    assert (f"datasets/{table}.csv", 2, column) in where, (what, where)
    text = caught.value.render()
    assert f"datasets/{table}.csv, 2행, 열 '{column}'" in text
    assert "datasets/README.md" in text  # where to read what the column must hold
    assert _digest(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["datasets", "ydp.duckdb"]


SPEC_LIST: list[DatasetSpec] = list(SPECS)
CELL_VALUES = st.one_of(
    st.text(max_size=12),
    st.integers(min_value=-10**15, max_value=10**15).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    st.sampled_from(["", "-", "△3", "1,234", "=cmd|' /C calc'!A0", "일자리사업팀", "국비", "2023-H1", "Ⅱ-9, p.99",
                     "ydp-jobs-2023-05", "Ⅱ-2", "12", "0", "\x00", "\"", "\n"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=st.sampled_from(SPEC_LIST), row=st.integers(min_value=0, max_value=200), data=st.data())
def test_random_edits_build_or_are_refused_cleanly(tmp_path_factory: pytest.TempPathFactory, good_db: Path,
                                                   spec: DatasetSpec, row: int, data: st.DataObject) -> None:
    work = tmp_path_factory.mktemp("edit")
    datasets = work / "datasets"
    shutil.copytree(DATASETS, datasets)
    path = datasets / spec.filename
    rows = path.read_text(encoding="utf-8").count("\n") - 1
    column = data.draw(st.sampled_from(spec.columns))
    value = data.draw(CELL_VALUES)
    _set_cell(path, row % rows, column, value)
    target = work / "ydp.duckdb"
    shutil.copy(good_db, target)
    before = _digest(target)
    try:
        result = build(datasets, target)
    except DatasetError as exc:
        assert exc.problems and all(p.file and p.message for p in exc.problems)
        assert _digest(target) == before
    else:
        assert is_usable(result.path)
        assert result.rows[spec.table] == rows
    assert sorted(p.name for p in work.iterdir()) == ["datasets", "ydp.duckdb"]
