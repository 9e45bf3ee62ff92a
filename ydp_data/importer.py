"""Adding a new report period: an empty documented template, and an all-or-nothing import into datasets/.

`write_template(DIR)` writes every dataset file with only its header row and a README generated from the
models. `import_report(DIR, datasets)` validates DIR on its own, merges its rows into a copy of datasets/
beside it, validates and test-builds the copy and swaps the copy in; the CLI then rebuilds the database. Until the swap
nothing in datasets/ changes; the swap itself is one atomic exchange where the OS offers it (see `_swap`).
`stage_report` is the same merge as a dry run (the browser's preview); `publish` is import and rebuild under one lock
(the CLI's `import` and the browser's 게시); `undo` swaps the newest backup back in and rebuilds.
"""

from __future__ import annotations

import csv
import ctypes
import datetime as dt
import errno
import io
import os
import shutil
import sys
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ydp_data.build import BuildError, BuildResult, build
from ydp_data.datasets import SPECS, DatasetSpec
from ydp_data.errors import DatasetError, Problem
from ydp_data.fingerprint import fingerprint
from ydp_data.load import Records, decode, load_datasets, read_rows
from ydp_data.lock import LockBusy, writer_lock
from ydp_data.models import MonthSpan

BOM = "\ufeff"
KEEP_BACKUPS = 5  # dated copies of datasets/ kept from before each import; older ones are pruned
CORE_TABLES = ("reports", "programs", "budget_units", "program_budget")
_rename = os.rename  # module-level so tests can make one rename fail


class ImportRefused(Exception):
    """The import was refused before anything changed (existing report, empty folder, wrong folder)."""


# --- the template ---------------------------------------------------------------------------------------------------
# What each column means, in Korean with English, and its unit; text taken from datasets/README.md.
# Looked up by (table, column) first, then by column alone.
COLUMN_DOCS: dict[tuple[str, str] | str, str] = {
    "report_id": "보고서 식별자: 이 폴더의 모든 행에 같은 값 (report id, the same on every row), "
                 "예 `ydp-jobs-2023-12`",
    "source": "출처: 보고서의 장·절과 쪽 (chapter and page), 예 `Ⅱ-2, p.5`",
    "team": "담당 팀 (team in charge)",
    "program_id": "사업 번호 (programme id), programs.csv의 `program_id`, 예 `Ⅱ-1`",
    "sort_order": "표시 순서 (display order)",
    "use": "용도 (use)",
    "note": "비고 (note)",
    ("reports", "title"): "보고서 제목 (title)",
    ("reports", "district"): "자치구 (district), 예 `영등포구`",
    ("reports", "division"): "부서 (division), 예 `일자리정책과`",
    ("reports", "as_of"): "기준일 (as-of date), 예 `2023-12-31`",
    ("reports", "source_file"): "원본 파일 (source file of the report)",
    ("reports", "source"): "원본의 쪽 범위 (page range), 예 `표지·Ⅰ~Ⅲ, p.1-11`",
    ("teams", "team"): "팀명 (team name)",
    ("teams", "sort_order"): "표시 순서 (display order), 1, 2, 3",
    ("programs", "program_id"): "사업 번호: 장-번호 (programme id: chapter-number), 예 `Ⅱ-1`, `Ⅲ-2`",
    ("budget_units", "sort_order"): "보고서 표의 순서 (order in the report's table)",
    ("teams", "team_en"): "영문 팀명 (English team name)",
    ("team_duties", "seq"): "보고서의 순서 (order in the report)",
    ("team_duties", "duty"): "업무, 보고서 문구 그대로 (duty, as worded in the report)",
    ("staffing", "job_series"): "직렬 (job series), 예 `일반직`",
    ("staffing", "grade"): "직급 (grade), `5급`…`9급`",
    ("staffing", "authorized"): "정원 (authorised posts), 명",
    ("staffing", "current"): "현원 (staff in post), 명",
    ("staffing", "stated_difference"): "보고서의 과부족 = 현원 − 정원 (stated difference), 명; △1은 −1",
    ("facilities", "facility_id"): "시설 식별자, 영문 소문자·숫자·_·- (facility id), 예 `orang`",
    ("facilities", "name"): "시설명 (facility name)",
    ("facilities", "team"): "비고 열의 담당 팀 (team in charge)",
    ("facilities", "address"): "주소 (address)",
    ("facilities", "floor_area_m2"): "연면적 (floor area), ㎡",
    ("facilities", "used_area_m2"): "사용면적 (area in use), ㎡",
    ("facility_parts", "facility_id"): "시설 (facility), facilities.csv의 `facility_id`",
    ("facility_parts", "part"): "층·공간 (floor or space)",
    ("facility_parts", "area_m2"): "면적 (area), ㎡",
    ("facility_parts", "quantity"): "수량 (quantity)",
    ("facility_parts", "quantity_unit"): "수량의 단위 (unit of quantity), 예 `개`, `년`",
    ("equipment", "equipment_id"): "장비 식별자 (equipment id), 예 `car-1`",
    ("equipment", "category"): "구분 (category), 예 `행정차량`",
    ("equipment", "name"): "장비명 (name), 예 `소울EV`",
    ("equipment", "vehicle_type"): "차종 (vehicle type), 예 `승용`",
    ("equipment", "model_year"): "연식 (model year)",
    ("equipment", "quantity"): "수량 (quantity), 대",
    ("budget_units", "unit_program"): "단위사업명 (unit programme)",
    ("budget_units", "budget"): "예산액 (budget), 천원",
    ("budget_units", "executed"): "집행액, 기준일까지 (executed to the as-of date), 천원",
    ("budget_units", "stated_rate_pct"): "보고서의 집행률, 비교용 (stated execution rate), %",
    ("programs", "section"): "장 (chapter), `Ⅱ` 또는 `Ⅲ`",
    ("programs", "number"): "장 안의 번호 (number within the chapter)",
    ("programs", "title"): "사업명 (programme title)",
    ("programs", "unit_program"): "이 사업이 속한 단위사업 (unit programme), budget_units.csv의 `unit_program`",
    ("programs", "purpose"): "사업목적 (purpose)",
    ("programs", "period"): "사업기간, 원문 그대로 (period as written)",
    ("programs", "start_month"): "시작 월 (start month), 1–12",
    ("programs", "end_month"): "끝 월 (end month), 1–12",
    ("programs", "target_group"): "사업대상 (target group)",
    ("programs", "overview"): "사업개요 (overview)",
    ("programs", "stated_rate_pct"): "보고서의 집행률 (stated execution rate), %",
    ("program_budget", "funding_source"): "재원 (funding source)",
    ("program_budget", "budget"): "예산액 (budget), 천원",
    ("program_budget", "executed"): "집행액 (executed), 천원",
    ("stated_totals", "total_id"): "합계 이름, 검사가 찾는 이름 (total id the checks look for), 아래 목록 참고",
    ("stated_totals", "subject"): "무엇의 합계인가 (subject)",
    ("stated_totals", "measure"): "항목 (measure), 예 `예산액`",
    ("stated_totals", "value"): "보고서에 적힌 값 (stated value)",
    ("stated_totals", "unit"): "단위 (unit), 예 `천원`, `명`, `%`",
    ("subprograms", "subprogram"): "세부사업명 (sub-programme)",
    ("subprograms", "description"): "사업내용 (description)",
    ("subprograms", "target_group"): "지원대상 (target group)",
    ("subprograms", "period"): "추진기간, 원문 그대로 (period as written)",
    ("subprograms", "start_month"): "시작 월 (start month), 1–12",
    ("subprograms", "end_month"): "끝 월 (end month), 1–12",
    ("facts", "fact_id"): "안정된 식별자 (stable id): 지난 보고서와 같은 것은 같은 id, 예 `publicwork.donghaeng.selected`",
    ("facts", "measure"): "항목 (measure), 예 `선발인원`, `지원액`, `이용인원`",
    ("facts", "category"): "구분 (category), 예 세부사업·시설·과정",
    ("facts", "funding_source"): "재원별로 나뉜 값이면 재원, 합계나 재원 없는 값이면 빈 칸 (funding source or blank)",
    ("facts", "kind"): "`target` 목표, `actual` 실적, `plan` 계획(예산 배정, 기준, 계획 인원)",
    ("facts", "period"): "`2023` 연간, `2023-H1`/`2023-H2` 상·하반기, `2023-YTD` 1.1.~기준일 누계",
    ("facts", "value"): "값, 보고서 그대로 (value as stated; decimals allowed)",
    ("facts", "unit"): "단위 (unit): 명, 개소, 회, 건, %, 원, 백만원, 억원 …",
    ("facts", "note"): "원문 보충 (note from the report)",
    ("plans", "plan_id"): "계획 식별자 (plan id), 예 `Ⅱ-1.01`",
    ("plans", "plan_group"): "○ 과제 (plan group)",
    ("plans", "activity"): "추진내용 (activity)",
    ("plans", "detail"): "세부 내용 (detail)",
    ("plans", "schedule"): "시기, 원문 그대로 (schedule as written)",
    ("plans", "start_month"): "시작 월 (start month), 1–12; 시기가 없으면 빈 칸",
    ("plans", "end_month"): "끝 월 (end month), 1–12; 시기가 없으면 빈 칸",
}

FILE_NOTES: dict[str, str] = {
    "reports": "새 보고서 한 행 (one row for the new report). 다른 모든 파일의 `report_id`가 이 값이어야 합니다.",
    "teams": "이 보고서의 팀을 **다시** 모두 적습니다 (list the teams again for the new report): "
             "다른 파일의 `team`은 이 파일에 있는 팀이어야 합니다.",
    "team_duties": "팀별 업무, 팀마다 `seq` 1, 2, 3 …",
    "staffing": "직급별 정원·현원. 과부족은 저장된 정원·현원에서 다시 계산해 보고서 값과 비교합니다.",
    "facilities": "주요시설. 면적이 없으면 빈 칸.",
    "facility_parts": "시설의 층·공간별 면적 또는 수량. 층별 면적의 합은 시설 면적과 비교합니다.",
    "equipment": "장비 (행정차량 등).",
    "budget_units": "단위사업별 예산현황. 계(합계)는 적지 않고 `stated_totals.csv`에 적습니다.",
    "programs": "주요사업 (Ⅱ, Ⅲ장). `unit_program`은 budget_units.csv에 있는 단위사업이어야 합니다.",
    "program_budget": "주요사업의 재원별 예산·집행. 보고서의 `구`는 `구비`, `시`는 `시비`, `국`은 `국비`로 적습니다.",
    "stated_totals": "보고서에 적힌 합계(계)와 비율. 저장된 세부 항목에서 다시 계산해 정합성 검사(`checks`)로 비교합니다.",
    "subprograms": "세부사업 (공공분야 일자리, 상생기업 재정지원 등).",
    "facts": "사업 실적·목표·계획의 숫자 하나하나. 지난 보고서와 같은 항목은 같은 `fact_id`를 쓰면 시점 비교가 됩니다.",
    "plans": "향후계획. 떨어진 달(`8월, 10월`)은 행을 나누고, 시기가 없으면 월 칸을 비웁니다.",
}

TOTAL_IDS = """\
검사가 찾는 `total_id` (total ids the checks look for; others are stored but not checked):
`budget.total.budget`, `budget.total.executed`, `budget.total.rate`,
`staffing.total.authorized`, `staffing.total.current`, `staffing.total.difference`, `teams.count`,
`program.<program_id>.budget`, `program.<program_id>.executed` (예 `program.Ⅱ-1.budget`),
`publicwork.selected.total`, `training.fields`, `training.courses`, `training.participants`,
`orang.programs.sessions`, `orang.programs.participants`, `building.regular.sessions`, `building.regular.participants`.

검사가 쓰는 `fact_id` 모양 (fact id patterns the checks use): `publicwork.<사업>.selected` / `.target_h2` / `.budget` /
`.budget.<재원>` / `.ratio.<재원>`, `grants.<사업>.amount` / `.amount.<재원>`, `procurement.actual|target|rate`,
`jobplus.employed|seekers|rate`, `orang.programs.<유형>`, `building.<과정>.sessions|participants`, `training.<분야>`."""


def _unwrap(annotation: Any) -> tuple[Any, list[Any], bool]:
    """The base type of a field annotation, its constraint objects, and whether None is allowed."""
    optional = False
    metadata: list[Any] = []
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = typing.get_args(annotation)
        optional = type(None) in args
        annotation = next(a for a in args if a is not type(None))
    if typing.get_origin(annotation) is typing.Annotated:
        base, *extra = typing.get_args(annotation)
        for item in extra:
            metadata += item.metadata if isinstance(item, FieldInfo) else [item]
        annotation = base
    return annotation, metadata, optional


def describe_field(info: FieldInfo) -> tuple[str, str, str]:
    """(type, required, allowed values) of one model field, in Korean with English, for the template README."""
    base, inner, optional = _unwrap(info.annotation)
    metadata = [*info.metadata, *inner]
    limits: list[str] = []
    if isinstance(base, type) and issubclass(base, Enum):
        kind = "목록 (one of)"
        limits.append(" / ".join(f"`{m.value}`" for m in base))
    elif base is bool:
        kind = "참/거짓 (boolean)"
    elif base is int:
        kind = "정수 (integer)"
    elif base is Decimal:
        kind = "숫자 (number)"
    elif base is dt.date:
        kind = "날짜 (date)"
        limits.append("`YYYY-MM-DD`")
    else:
        kind = "글자 (text)"
    negative = False
    for item in metadata:
        for attr, label in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
            value = getattr(item, attr, None)
            if value is None:
                continue
            negative = negative or (label in "≥>" and value < 0)
            if abs(value) >= 10**9:  # sanity caps, not rules anyone meets
                continue
            limits.append(f"{label} {value:,}" if abs(value) >= 10_000 else f"{label} {value}")
        places = getattr(item, "decimal_places", None)
        if places is not None:
            limits.append(f"소수 {places}자리까지 (≤ {places} decimals)")
        pattern = getattr(item, "pattern", None)
        if pattern:
            limits.append(f"형식 (pattern) `{pattern}`")
        max_length = getattr(item, "max_length", None)
        if max_length:
            limits.append(f"≤ {max_length}자")
    if base is int or base is Decimal:
        limits.append("`1,234`·`△1`(−1) 허용" if negative else "`1,234` 허용")
    required = "필수 (required)" if info.is_required() else "선택, 빈 칸 가능 (optional)"
    if optional and info.is_required():  # pragma: no cover - no such field today
        required = "필수 열, 빈 칸 가능 (column required, may be blank)"
    return kind, required, "; ".join(limits)


def column_doc(table: str, column: str) -> str:
    """The meaning (and unit) of one column, from COLUMN_DOCS."""
    return COLUMN_DOCS.get((table, column)) or COLUMN_DOCS.get(column) or ""


def render_readme() -> str:
    """The template's README.md: how to fill and import a report, then every file and column from the models."""
    out = [
        "# 새 보고서 입력 양식 (Template for a new report)",
        "",
        "이 폴더는 `python -m ydp_data template`이 만든 **빈 양식**입니다. 파일마다 첫 줄(열 이름)만 있습니다. "
        "새 보고 시점(예: 2023. 12. 31. 기준 보고)의 행을 채워 `python -m ydp_data import`로 `datasets/`에 더합니다. "
        "새 보고 시점은 행을 더할 뿐 표(파일)를 더하지 않습니다.",
        "",
        "This folder is an empty template: each file has only its header row. Fill in the rows of one new report period "
        "and import them into `datasets/`; a new period adds rows, never files or columns.",
        "",
        "아래 표는 `ydp_data/models.py`에서 만들었습니다(열, 형식, 필수 여부, 허용 값). 각 파일의 자세한 배경은 "
        "`datasets/README.md`(데이터 사전)에 있습니다 (generated from the models; the full data dictionary is "
        "datasets/README.md).",
        "",
        "## 채우는 법 (How to fill it in)",
        "1. **report_id를 정합니다** (choose a new report id): 소문자·숫자·하이픈, 예 `ydp-jobs-2023-12`. "
        "`reports.csv`에 한 행을 적고, **모든 파일의 모든 행**의 `report_id`에 같은 값을 적습니다.",
        "2. **참조는 이 폴더 안에서 풀려야 합니다** (references must resolve inside this folder): 팀·사업·단위사업·시설은 "
        "`datasets/`에 이미 있어도 새 보고서의 행으로 **다시** 적습니다 — `teams.csv`에 세 팀, `programs.csv`에 사업, "
        "`budget_units.csv`에 단위사업, `facilities.csv`에 시설. 예: `programs.csv`의 `team`은 이 폴더의 `teams.csv`에 "
        "있어야 합니다. (검사 메시지의 `datasets/teams.csv`는 이 폴더의 같은 이름 파일을 뜻합니다.)",
        "3. **가장 쉬운 방법** (easiest): 지난 보고서의 행을 `datasets/*.csv`에서 복사해 붙이고, `report_id`와 바뀐 값만 "
        "고칩니다. `fact_id`, `program_id`, `plan_id`, `total_id`를 지난 보고서와 같게 두면 대시보드가 두 시점을 비교할 수 "
        "있습니다 (keep the ids of the previous report so periods can be compared).",
        "4. **단위** (units): 금액은 따로 적지 않으면 **천원**(정수). `facts.csv`의 금액은 보고서에 적힌 단위 그대로 적고 "
        "`unit` 열에 단위를 적습니다(`백만원`, `억원`). 면적은 ㎡, 비율은 %.",
        "5. **숫자 칸** (number cells): `1,234`처럼 천 단위 쉼표를 써도 되고, `△1`은 −1, 빈 칸과 `-`는 값 없음입니다. "
        "**합계(계)와 비율은 세부 항목 행으로 적지 말고** `stated_totals.csv`(또는 각 행의 `stated_rate_pct`)에 적습니다. "
        "대시보드가 세부 항목에서 다시 계산해 보고서 값과 비교합니다.",
        "6. **저장** (save): Excel에서 **다른 이름으로 저장 → CSV UTF-8(쉼표로 분리)(*.csv)**. "
        "파일 이름과 첫 줄(열 이름)은 바꾸지 마세요. CP949(Excel의 기본 CSV)도 읽지만 UTF-8을 권합니다. "
        "행이 없는 파일은 열 이름 줄만 남겨 둡니다(예: 장비가 없으면 `equipment.csv`는 빈 채로).",
        "",
        "## 가져오는 법 (How to import)",
        "```bash",
        "python -m ydp_data import 이_폴더            # 새 보고서를 더합니다 (adds the new report)",
        "python -m ydp_data import 이_폴더 --replace  # 이미 가져온 같은 report_id를 고쳐 다시 넣습니다 (replaces it)",
        "```",
        "- 먼저 이 폴더만으로 빌드와 같은 규칙을 검사합니다. 잘못된 값은 **파일·행·열**을 밝힌 오류로 거부되고 "
        "`datasets/`는 그대로입니다 (nothing changes on any error; fix the named file, line and column and run it again).",
        "- `datasets/`에 이미 있는 `report_id`는 거부합니다. `--replace`를 붙이면 **그 report_id의 행만** 모든 파일에서 "
        "지우고 새 행으로 바꿉니다. 다른 보고서의 행은 건드리지 않습니다.",
        "- 합친 파일을 `datasets/` 옆의 임시 폴더에 쓰고, 다시 검사하고, 시험 삼아 데이터베이스를 만든 뒤에야 "
        "폴더를 바꿔 끼웁니다. 그 뒤 데이터베이스(`data/ydp.duckdb`)를 다시 만듭니다. 대시보드는 새로 고치면 새 데이터를 "
        "보여 줍니다. 기존 행은 한 글자도 바뀌지 않고, 새 행은 각 파일의 끝에 붙습니다(UTF-8로 저장).",
        "- 시험용 보고서(`tests/fixtures/`)는 절대 `datasets/`로 가져오지 마세요 (never import the test fixtures).",
        "",
        "## 공통 규칙 (Common rules)",
        "- 필수 열이 빈 칸이면 거부됩니다. `선택` 열은 비워도 됩니다 (required columns must not be blank).",
        "- 키(key)가 같은 행이 두 번 나오면 거부됩니다 (duplicate keys are refused).",
        "- `start_month`와 `end_month`는 둘 다 채우거나 둘 다 비우고, 시작이 끝보다 늦으면 안 됩니다.",
        "- `source`는 보고서의 장·절과 쪽: `Ⅱ-2, p.5`, `Ⅰ-4, p.2`, `Ⅱ-4 오랑, p.8` (chapter, page).",
        "",
        "## 파일과 열 (Files and columns)",
    ]
    for spec in SPECS:
        out += ["", f"### {spec.filename} — {spec.title} (키 key: {', '.join(spec.key)})", ""]
        if spec.table in FILE_NOTES:
            out += [FILE_NOTES[spec.table], ""]
        refs = [f"`{', '.join(cols)}` → {target}.csv" for cols, (target, _) in spec.refs.items() if cols != ("report_id",)]
        if refs:
            out += ["참조 (must name a row of, in the same report): " + "; ".join(refs), ""]
        if issubclass(spec.model, MonthSpan):
            out += ["`start_month`·`end_month`: 둘 다 채우거나 둘 다 비움, 시작 ≤ 끝 (both or neither, start ≤ end).", ""]
        out += ["| 열 column | 뜻 meaning (단위 unit) | 형식 type | 필수 | 허용 값 allowed |", "|---|---|---|---|---|"]
        for column, info in spec.model.model_fields.items():
            kind, required, allowed = describe_field(info)
            cells = [f"`{column}`", column_doc(spec.table, column), kind, required, allowed]
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        if spec.table == "stated_totals":
            out += ["", TOTAL_IDS]
    return "\n".join(out) + "\n"


def write_template(directory: Path) -> list[Path]:
    """Write the empty dataset files (header row only, UTF-8 with BOM for Excel) and README.md into directory.

    Refuses a directory that already holds anything, so a filled-in template is never overwritten.
    """
    if directory.exists() and not directory.is_dir():
        raise ImportRefused(f"{directory}은(는) 폴더가 아니라 파일입니다 (not a folder).")
    if directory.is_dir() and any(directory.iterdir()):
        raise ImportRefused(f"{directory}에 이미 파일이 있습니다. 빈 폴더나 새 폴더 이름을 주세요 "
                            f"(the folder is not empty; give an empty or new folder).")
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for spec in SPECS:
        path = directory / spec.filename
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow(spec.columns)
        path.write_bytes((BOM + buffer.getvalue()).encode("utf-8"))
        written.append(path)
    readme = directory / "README.md"
    readme.write_text(render_readme(), encoding="utf-8", newline="\n")
    written.append(readme)
    return written


# --- the import -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportResult:
    """What an import did: the report ids, which of them replaced old rows, rows added and removed per file."""

    report_ids: list[str]
    replaced: list[str]
    added: dict[str, int]
    removed: dict[str, int]
    warnings: list[str] = field(default_factory=list)
    backup: Path | None = None  # where the previous datasets/ was kept
    unchanged: bool = False  # the report was already in datasets/ with the same rows: nothing was written


@dataclass
class _CsvText:
    """One existing dataset file as raw text records, so kept rows are written back byte for byte."""

    header: list[str]
    header_raw: str
    rows: list[tuple[list[str], str]]  # (cells, raw text of the record including its line end)


def _raw_records(text: str) -> list[tuple[list[str], str]]:
    """Each CSV record of text with the exact text it came from (a quoted cell may span lines)."""
    consumed: list[str] = []

    def lines() -> Iterator[str]:
        for line in io.StringIO(text, newline=""):
            consumed.append(line)
            yield line

    out: list[tuple[list[str], str]] = []
    for cells in csv.reader(lines()):
        out.append((cells, "".join(consumed)))
        consumed.clear()
    if consumed:  # trailing text the reader swallowed without a record (cannot happen with valid files)
        out.append(([], "".join(consumed)))
    return out


def _read_existing(path: Path) -> _CsvText:
    """An existing datasets file split into its header and raw records."""
    text = decode(path.read_bytes(), path.name)
    records = _raw_records(text)
    (header, header_raw), rows = records[0], records[1:]
    return _CsvText([h.strip() for h in header], header_raw, rows)


def _cell(value: Any, cleaned: str | None) -> str:
    """How a validated cell is stored: dates as YYYY-MM-DD, everything else as the cleaned text of the cell."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    return cleaned if cleaned is not None else ""


def _new_rows(source: Path, spec: DatasetSpec, records: list[BaseModel], header: list[str]) -> list[list[str]]:
    """The rows of one imported file, cleaned ('1,234' → 1234, '△1' → -1) and in the order of header."""
    rows = read_rows(source / spec.filename, spec)
    if len(rows) != len(records):  # load_datasets passed, so every row became a record unless the file just changed
        raise DatasetError([Problem(str(source / spec.filename), None, None,
                                    "가져오는 중에 파일이 바뀌었습니다. 다시 실행하세요 (the file changed during the import)")])
    return [[_cell(getattr(record, c), row.get(c)) for c in header] for (_, row), record in zip(rows, records, strict=True)]


def _merge(existing: _CsvText, replace: set[str], new: list[list[str]]) -> tuple[str, int]:
    """The merged text of one file (kept rows byte for byte, new rows appended) and how many old rows were dropped."""
    id_col = existing.header.index("report_id")
    parts = [existing.header_raw]
    removed = 0
    for cells, raw in existing.rows:
        if len(cells) > id_col and cells[id_col].strip() in replace:
            removed += 1
            continue
        parts.append(raw)
    text = "".join(parts)
    if text and not text.endswith(("\n", "\r")):
        text += "\n"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(new)
    return text + buffer.getvalue(), removed


def _fsync(path: Path) -> None:
    """Flush a file or folder to disk where the OS allows it (folders cannot be opened on Windows)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write(path: Path, text: str) -> None:
    """Write text as UTF-8 without BOM, exactly as given (no newline translation), and flush it to disk."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


def _copy_others(datasets: Path, staging: Path) -> None:
    """Copy everything in datasets/ that is not a dataset file (README.md, notes, other files) into staging."""
    names = {spec.filename for spec in SPECS}
    for item in datasets.iterdir():
        if item.name in names:
            continue
        if item.is_dir() and not item.is_symlink():
            shutil.copytree(item, staging / item.name, symlinks=True)
        else:
            shutil.copy2(item, staging / item.name, follow_symlinks=False)
            _fsync(staging / item.name)


AT_FDCWD = -100
RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux renameat2 RENAME_EXCHANGE); False where the OS or filesystem lacks it."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap(staging: Path, datasets: Path, old: Path) -> Path:
    """Put staging in place of datasets; returns where the previous datasets folder now is (to be removed).

    On Linux the two folders are exchanged in one atomic step: datasets/ always exists and is always either
    wholly old or wholly new. Elsewhere (or on a filesystem without the exchange) it is two renames:
    datasets → old, staging → datasets. Between those two renames, a window of microseconds, datasets/ does
    not exist; if the process dies exactly there, `old` holds the complete previous data and `staging` the
    complete new data, and renaming either one back to datasets recovers. If the second rename fails, the
    first is undone.
    """
    if _exchange(staging, datasets):
        _fsync(datasets.parent)
        return staging
    _rename(datasets, old)
    try:
        _rename(staging, datasets)
    except BaseException:
        _rename(old, datasets)
        raise
    _fsync(datasets.parent)
    return old


def _check_folders(source: Path, datasets: Path) -> None:
    """Refuse a missing source, a missing datasets/ (pointing at a half-finished swap) and importing datasets/ itself."""
    if not source.is_dir():
        raise ImportRefused(f"가져올 폴더가 없습니다 (no such folder): {source}")
    if not datasets.is_dir():
        leftovers = sorted(p.name for p in datasets.parent.glob(f"{datasets.name}.old-*")) if datasets.parent.is_dir() else []
        hint = (f" 지난 가져오기가 중간에 멈췄을 수 있습니다: {', '.join(leftovers)}의 이름을 {datasets.name}(으)로 "
                "되돌리세요 (an interrupted import left the previous data there; rename it back).") if leftovers else ""
        raise ImportRefused(f"데이터 폴더가 없습니다 (no datasets folder): {datasets}.{hint}")
    if source.resolve() == datasets.resolve():
        raise ImportRefused("datasets/ 자신은 가져올 수 없습니다. 새 보고서만 담은 폴더를 주세요 (cannot import datasets/ into itself).")


def import_report(source: Path, datasets: Path, replace: bool = False, allow_empty: frozenset[str] = frozenset(),
                  wait: float | None = None) -> ImportResult:
    """Add the report(s) in source to datasets as new period(s), all or nothing (the caller rebuilds the database).

    Holds the writer lock (waiting up to `wait` s for another writer). A report already in datasets/ with the same
    rows changes nothing (result.unchanged). The previous datasets/ is kept as a dated backup.
    Raises DatasetError (source or merged set invalid) or ImportRefused (report exists with other rows, a replace
    that would empty a table, nothing to import); in both cases, and on any error before the swap, datasets/ is
    exactly as it was.
    """
    datasets, incoming, report_ids, warnings = _incoming(source, datasets)
    try:
        with writer_lock(datasets, **({} if wait is None else {"wait": wait})):
            return _import_locked(source, datasets, incoming, report_ids, replace, allow_empty, warnings)
    except LockBusy as exc:
        raise ImportRefused(str(exc)) from None


def _incoming(source: Path, datasets: Path) -> tuple[Path, Records, list[str], list[str]]:
    """Check the folders and validate source on its own: (datasets resolved, its records, report ids, warnings)."""
    _check_folders(source, datasets)
    datasets = datasets.resolve()  # a symlinked datasets/ is swapped where its files really are
    incoming = load_datasets(source)  # same rules and messages as the build; references resolve inside source
    report_ids = [r.report_id for r in incoming["reports"]]  # type: ignore[attr-defined]
    if not report_ids:
        raise ImportRefused(f"{source / 'reports.csv'}에 보고서 행이 없습니다: 가져올 것이 없습니다 (no report rows).")
    warnings = [f"{p.name}: 알 수 없는 파일이라 가져오지 않습니다 (ignored: not a dataset file)"
                for p in sorted(source.glob("*.csv")) if p.name not in {s.filename for s in SPECS}]
    warnings += [f"{p.name}/: 하위 폴더는 가져오지 않습니다 (a sub-folder is not imported)"
                 for p in sorted(source.iterdir()) if p.is_dir() and not p.name.startswith(".")]
    stale = sorted(p.name for p in datasets.parent.glob(f"{datasets.name}.old-*"))
    warnings += [f"{name}: 중단된 가져오기가 남긴 폴더입니다. {datasets.name}/가 맞는지 확인한 뒤 지워도 됩니다 "
                 "(left by an interrupted import; delete it once datasets/ looks right)" for name in stale]
    return datasets, incoming, report_ids, warnings


def _stamp() -> str:
    """A name for a backup or staging folder that sorts by time (to the microsecond) and names the process."""
    return f"{dt.datetime.now().strftime('%Y%m%d-%H%M%S-%f')}-{os.getpid()}"


def _plan(datasets: Path, incoming: Records, report_ids: list[str], replace: bool,
          allow_empty: frozenset[str]) -> tuple[Records, list[str], bool]:
    """The current records, the incoming report ids already there, and whether they are there with the same rows;
    ImportRefused when the current data is invalid, a clash needs --replace or a replace would empty a table."""
    for leftover in datasets.parent.glob(f".{datasets.name}.import-*"):  # staging of a killed import
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        before = load_datasets(datasets)  # the current data must be valid before anything is merged into it
    except DatasetError as exc:
        raise ImportRefused(f"지금의 {datasets.name}/에 문제가 있어 가져오지 않습니다. 먼저 고치세요 "
                            f"(the current datasets are invalid; fix them first):\n{exc.render()}") from None
    existing = {r.report_id for r in before["reports"]}  # type: ignore[attr-defined]  # valid: lists every id
    clash = [r for r in report_ids if r in existing]
    if clash and _same_rows(before, incoming, set(clash)) and set(clash) == set(report_ids):
        return before, clash, True
    if clash and not replace:
        raise ImportRefused(
            f"이미 datasets/에 있는 보고서입니다 (already imported): {', '.join(clash)}. 들어 있는 행과 내용이 다릅니다. "
            "고친 자료로 바꾸려면 --replace를 붙이세요 (use --replace to replace its rows). 아무것도 바꾸지 않았습니다.")
    if clash:
        _refuse_emptied(before, incoming, set(clash), allow_empty)
    return before, clash, False


def _stage(source: Path, datasets: Path, incoming: Records, before: Records, clash: list[str],
           staging: Path) -> tuple[Records, dict[str, int], dict[str, int]]:
    """Write the merged files into staging (a new folder) and read them back: (merged records, added, removed)."""
    added: dict[str, int] = {}
    removed: dict[str, int] = {}
    staging.mkdir(parents=True)
    for spec in SPECS:
        current = _read_existing(datasets / spec.filename)
        rows = _new_rows(source, spec, incoming[spec.table], current.header)
        text, removed[spec.table] = _merge(current, set(clash), rows)
        added[spec.table] = len(rows)
        _write(staging / spec.filename, text)
        shutil.copymode(datasets / spec.filename, staging / spec.filename)
    _copy_others(datasets, staging)
    _fsync(staging)
    merged: Records = load_datasets(staging)
    _expect_counts(merged, before, added, removed)
    return merged, added, removed


def _import_locked(source: Path, datasets: Path, incoming: Records, report_ids: list[str], replace: bool,
                   allow_empty: frozenset[str], warnings: list[str]) -> ImportResult:
    """The import proper, under the writer lock: merge into a staging copy, verify, swap, keep a backup."""
    before, clash, same = _plan(datasets, incoming, report_ids, replace, allow_empty)
    if same:
        return ImportResult(report_ids, [], {}, {}, warnings, unchanged=True)
    stamp = _stamp()
    root = datasets.parent / f".{datasets.name}.import-{stamp}"
    staging = root / datasets.name  # same folder name, so problems read 'datasets/<file>.csv'
    try:
        _, added, removed = _stage(source, datasets, incoming, before, clash, staging)
        build(staging, root / "verify.duckdb")  # everything the real build does, into a throwaway file
        previous = _swap(staging, datasets, datasets.parent / f"{datasets.name}.old-{stamp}")
        backup = _keep_backup(previous, datasets, stamp)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return ImportResult(report_ids, clash, added, removed, warnings, backup)


# --- a dry run, publishing (import + rebuild) and undo --------------------------------------------------------------
@dataclass(frozen=True)
class Staged:
    """What importing a folder would make of datasets/, worked out in a throwaway copy: nothing in datasets/ changed."""

    report_ids: list[str]
    replaced: list[str]  # report ids already in datasets/ whose rows the import would replace
    before: Records  # datasets/ now
    merged: Records  # datasets/ after the import
    warnings: list[str]
    fingerprint: str  # of datasets/ now: a publish can insist that nothing changed since
    unchanged: bool = False  # already there with the same rows


def stage_report(source: Path, datasets: Path, replace: bool = False, allow_empty: frozenset[str] = frozenset(),
                 wait: float | None = None) -> Staged:
    """The import's dry run: the same checks and merge into a staging copy, read back and thrown away; raises what
    import_report raises for the same folder (DatasetError, ImportRefused), and datasets/ never changes."""
    datasets, incoming, report_ids, warnings = _incoming(source, datasets)
    try:
        with writer_lock(datasets, **({} if wait is None else {"wait": wait})):
            before, clash, same = _plan(datasets, incoming, report_ids, replace, allow_empty)
            printed = fingerprint(datasets)
            if same:
                return Staged(report_ids, clash, before, before, warnings, printed, unchanged=True)
            root = datasets.parent / f".{datasets.name}.import-{_stamp()}"  # removed like a killed import's
            try:
                merged, _, _ = _stage(source, datasets, incoming, before, clash, root / datasets.name)
            finally:
                shutil.rmtree(root, ignore_errors=True)
            return Staged(report_ids, clash, before, merged, warnings, printed)
    except LockBusy as exc:
        raise ImportRefused(str(exc)) from None


class RebuildFailed(Exception):
    """datasets/ was changed (imported or restored) but the database could not be rebuilt: the change stands, and
    the dashboard and the next command rebuild the database when they find it behind."""

    def __init__(self, reason: str, imported: ImportResult | None = None, restored: Restored | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.imported = imported
        self.restored = restored


@dataclass(frozen=True)
class Published:
    """An import followed by the rebuild of the database (built is None when nothing had to change)."""

    imported: ImportResult
    built: BuildResult | None


def publish(source: Path, datasets: Path, db: Path, replace: bool = False,
            allow_empty: frozenset[str] = frozenset(), wait: float | None = None) -> Published:
    """Import source into datasets, then rebuild db, both under the one writer lock (the CLI's `import`, the
    browser's 게시). Raises what import_report raises, LockBusy, and RebuildFailed after a swap whose rebuild failed."""
    with writer_lock(datasets, **({} if wait is None else {"wait": wait})):
        imported = import_report(source, datasets, replace=replace, allow_empty=allow_empty)
        if imported.unchanged:
            return Published(imported, None)
        return Published(imported, _rebuild(datasets, db, imported=imported))


def _rebuild(datasets: Path, db: Path, imported: ImportResult | None = None,
             restored: Restored | None = None) -> BuildResult:
    """Build db from the datasets just changed; RebuildFailed (carrying what changed) when it cannot."""
    try:
        return build(datasets, db)
    except (DatasetError, BuildError, OSError) as exc:
        raise RebuildFailed(str(exc), imported, restored) from exc


@dataclass(frozen=True)
class Restored:
    """An undo: which backup is datasets/ again, where the replaced datasets/ was kept, and what it changed."""

    restored: Path  # the backup folder (by its former name) now in place as datasets/
    kept: Path | None  # the replaced datasets/, now the newest backup (so an undo is undone by another)
    report_ids: list[str]  # reports whose rows differ between the two
    built: BuildResult | None = None


def latest_backup(datasets: Path) -> Path | None:
    """The newest dated backup of datasets/, or None when there is none."""
    folder = backups_dir(datasets.resolve() if datasets.exists() else datasets)
    found = sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink()) if folder.is_dir() else []
    return found[-1] if found else None


def undo(datasets: Path, db: Path, wait: float | None = None) -> Restored:
    """Swap the newest backup back in as datasets/ (the replaced one kept as the newest backup: undo is undoable) and
    rebuild db, under the writer lock; ImportRefused without a valid backup, RebuildFailed after the swap."""
    if not datasets.is_dir():
        raise ImportRefused(f"데이터 폴더가 없습니다 (no datasets folder): {datasets}")
    datasets = datasets.resolve()
    try:
        with writer_lock(datasets, **({} if wait is None else {"wait": wait})):
            return _undo_locked(datasets, db)
    except LockBusy as exc:
        raise ImportRefused(str(exc)) from None


def _undo_locked(datasets: Path, db: Path) -> Restored:
    backup = latest_backup(datasets)
    if backup is None:
        raise ImportRefused(f"되돌릴 이전 판이 없습니다 (no backup in {backups_dir(datasets)} to restore).")
    try:
        restoring = load_datasets(backup)
    except DatasetError as exc:
        raise ImportRefused(f"가장 최근 백업 {backup.name}이(가) 검증을 통과하지 못해 되돌리지 않았습니다 "
                            f"(the newest backup does not validate; nothing changed):\n{exc.render()}") from None
    try:
        current = load_datasets(datasets)
    except DatasetError:
        current = {}
    ids = sorted({r.report_id for records in (current, restoring) for r in records.get("reports", [])})  # type: ignore[attr-defined]
    changed = [i for i in ids if not _same_rows(current, restoring, {i})]
    stamp = _stamp()
    previous = _swap(backup, datasets, datasets.parent / f"{datasets.name}.old-{stamp}")
    swapped = Restored(backup, _keep_backup(previous, datasets, stamp), changed)
    return Restored(backup, swapped.kept, changed, _rebuild(datasets, db, restored=swapped))


def backups_dir(datasets: Path) -> Path:
    """Where dated copies of datasets/ from before each import are kept: datasets-backups/ beside it."""
    return datasets.parent / f"{datasets.name}-backups"


def _keep_backup(previous: Path, datasets: Path, stamp: str) -> Path | None:
    """Move the replaced datasets/ into datasets-backups/<stamp>/ and keep only the newest KEEP_BACKUPS."""
    folder = backups_dir(datasets)
    try:
        folder.mkdir(exist_ok=True)
        backup = folder / stamp
        _rename(previous, backup)
        _fsync(folder)
    except OSError:
        shutil.rmtree(previous, ignore_errors=True)  # the import is done; a backup that cannot be kept is not fatal
        return None
    for old in sorted(p for p in folder.iterdir() if p.is_dir())[:-KEEP_BACKUPS]:
        shutil.rmtree(old, ignore_errors=True)
    return backup


def _rows_of(records: Records, table: str, report_ids: set[str]) -> list[dict[str, Any]]:
    return [r.model_dump() for r in records.get(table, []) if r.report_id in report_ids]  # type: ignore[attr-defined]


def _same_rows(before: Records, incoming: Records, report_ids: set[str]) -> bool:
    """Whether datasets/ already holds exactly these reports' rows (a repeated import)."""
    key = repr
    return all(sorted(map(key, _rows_of(before, spec.table, report_ids))) ==
               sorted(map(key, _rows_of(incoming, spec.table, report_ids))) for spec in SPECS)


def _refuse_emptied(before: Records, incoming: Records, report_ids: set[str], allow_empty: frozenset[str]) -> None:
    """Refuse a replace that would leave a table of the report empty, unless the officer named that table."""
    emptied = [(spec.table, len(_rows_of(before, spec.table, report_ids))) for spec in SPECS
               if spec.table not in allow_empty and _rows_of(before, spec.table, report_ids)
               and not _rows_of(incoming, spec.table, report_ids)]
    if emptied:
        listed = ", ".join(f"{table}.csv ({count}행 → 0행)" for table, count in emptied)
        flags = " ".join(f"--allow-empty {table}" for table, _ in emptied)
        raise ImportRefused(
            f"바꾸면 이 보고서의 표가 비게 됩니다 (the replace would empty these tables of the report): {listed}. "
            f"양식의 파일을 채우지 않았다면 채워서 다시 가져오세요. 정말 비우려면 {flags}를 붙이세요. "
            "아무것도 바꾸지 않았습니다 (nothing changed).")


def _expect_counts(merged: Records, before: Records, added: dict[str, int], removed: dict[str, int]) -> None:
    """Guard against a merge bug: every merged file holds old rows − removed + added."""
    problems = [Problem(f"datasets/{spec.filename}", None, None,
                        f"합친 행 수가 맞지 않습니다 (merged row count {len(merged[spec.table])} ≠ "
                        f"{len(before[spec.table])} − {removed[spec.table]} + {added[spec.table]})")
                for spec in SPECS
                if len(merged[spec.table]) != len(before[spec.table]) - removed[spec.table] + added[spec.table]]
    if problems:
        raise DatasetError(problems)


def render_problems(exc: DatasetError, source: Path, limit: int = 50) -> str:
    """The build's problem list with advice for an import (the build's own advice names `build`)."""
    lines = [f"데이터 파일에 문제가 {len(exc.problems)}건 있습니다 (Dataset validation failed):"]
    lines += [f"  - {p}" for p in exc.problems[:limit]]
    if len(exc.problems) > limit:
        lines.append(f"  … 외 {len(exc.problems) - limit}건")
    lines.append(f"고치는 법: 위 파일의 해당 행·열을 고친 뒤 `python -m ydp_data import {source}`를 다시 실행하세요. "
                 f"열마다 들어갈 값과 단위는 template의 README.md에 있습니다. 참조 오류의 'datasets/….csv'는 가져오는 "
                 f"폴더 안의 같은 이름 파일을 뜻합니다 (references must resolve inside the imported folder).")
    return "\n".join(lines)
