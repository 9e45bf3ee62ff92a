"""Exact bytes and names of ydp_data.export (mutation testing, issue 16), written out by hand."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pandas as pd
import pytest

from ydp_data.export import csv_bytes, file_name, neutralise


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"])
def test_formula_starts_are_neutralised(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["a=1", "", "예산", 5, -5, 1.5, None])
def test_other_values_are_untouched(value: object) -> None:
    assert neutralise(value) == value


def test_csv_bytes_exactly() -> None:
    frame = pd.DataFrame({"=x": ["=1+1", "ok"], "n": [-3, 4]})
    assert csv_bytes(frame) == b"\xef\xbb\xbf'=x,n\r\n'=1+1,-3\r\nok,4\r\n"
    assert frame.columns.tolist() == ["=x", "n"]  # the caller's frame is left as it was
    assert frame["=x"].tolist() == ["=1+1", "ok"]
    mixed = pd.DataFrame({"o": pd.Series(["@a", 1], dtype=object), "예산": [1.5, -2.0]})
    assert csv_bytes(mixed) == "\ufeffo,예산\r\n'@a,1.5\r\n1,-2.0\r\n".encode()


def test_file_name() -> None:
    assert file_name("budget by team", dt.date(2023, 5, 31), ["상생기업팀", "국비"]) == (
        "ydp_budget_by_team_상생기업팀_국비_2023-05-31.csv")
    assert file_name("Budget--by Team!", "2023-05-31T00:00:00") == "ydp_budget_by_team_2023-05-31.csv"
    assert file_name("_x_", dt.datetime(2023, 5, 31, 13, 0), ["", "...", "a/b", "__c__"]) == "ydp_x_a_b_c_2023-05-31.csv"
    assert file_name("facts", dt.date(2023, 1, 2)) == "ydp_facts_2023-01-02.csv"


def test_file_name_parts_are_cut_and_normalised() -> None:
    long = "가" * 39 + "/" + "나" * 10
    assert file_name("t", "2023-05-31", [long]) == f"ydp_t_{'가' * 39}_2023-05-31.csv"
    assert file_name("t", "2023-05-31", ["가" * 45]) == f"ydp_t_{'가' * 40}_2023-05-31.csv"
    decomposed = unicodedata.normalize("NFD", "청년지원팀")
    assert file_name("t", "2023-05-31", [decomposed]) == "ydp_t_청년지원팀_2023-05-31.csv"
    assert file_name("t", "2023-05-31", [2023]) == "ydp_t_2023_2023-05-31.csv"  # type: ignore[list-item]
    assert file_name("t", "2023-05-31", ["_" + "가" * 45]) == f"ydp_t_{'가' * 40}_2023-05-31.csv"
    assert file_name("t", "2023-05-31", ["Xbox", "boxX", "X" * 41]) == f"ydp_t_Xbox_boxX_{'X' * 40}_2023-05-31.csv"
