"""Synthetic data at scale: the real report plus one synthetic copy per Seoul district, year and quarter.

Every table of datasets/ is replicated per synthetic report_id (``seoul-<district>-<year>-q<quarter>``) with
plausible, varied numbers: money scales with a district size and a yearly growth, execution follows the share
of the year elapsed at the quarter's as-of date, counts scale with the district, and every stated total, rate
and ratio the reconciliation checks compare is re-derived from its scaled parts. Keys and references stay
within each report, so referential integrity holds; the result is validated with ydp_data.load.load_datasets.

All synthetic as-of dates fall before the real report's (2023-05-31), so the dashboard, which opens the newest
report, still shows the real one: the same page content over ~1,000 times more rows.

Never writes into datasets/: the caller passes a temporary folder.  ``python -m bench.scale DEST [--quick]``
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import zlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from ydp_data.datasets import SPECS

Row = dict[str, str]

# The 25 autonomous districts of Seoul: (slug for the report_id, Korean name, relative size of its budgets).
DISTRICTS: tuple[tuple[str, str, float], ...] = (
    ("jongno", "종로구", 0.8), ("jung", "중구", 0.7), ("yongsan", "용산구", 0.9), ("seongdong", "성동구", 1.0),
    ("gwangjin", "광진구", 1.0), ("dongdaemun", "동대문구", 1.1), ("jungnang", "중랑구", 1.1), ("seongbuk", "성북구", 1.2),
    ("gangbuk", "강북구", 0.9), ("dobong", "도봉구", 0.9), ("nowon", "노원구", 1.4), ("eunpyeong", "은평구", 1.3),
    ("seodaemun", "서대문구", 1.0), ("mapo", "마포구", 1.2), ("yangcheon", "양천구", 1.2), ("gangseo", "강서구", 1.5),
    ("guro", "구로구", 1.2), ("geumcheon", "금천구", 0.8), ("yeongdeungpo", "영등포구", 1.0), ("dongjak", "동작구", 1.1),
    ("gwanak", "관악구", 1.3), ("seocho", "서초구", 1.3), ("gangnam", "강남구", 1.6), ("songpa", "송파구", 1.7),
    ("gangdong", "강동구", 1.3),
)
FIRST_YEAR = 2013  # ten years 2013-2022, all before the real report's as-of date
QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
# units of facts that are counts of people, places, events (scale with the district)
COUNT_UNITS = {"명", "개소", "건", "회", "가구", "개 분과"}
MONEY_UNITS = {"백만원", "억원"}
# stated totals that are the sum of facts whose fact_id starts with the prefix and ends with the suffix
FACT_SUMS: dict[str, tuple[str, str]] = {
    "publicwork.selected.total": ("publicwork.", ".selected"),
    "training.participants": ("training.", ""),
    "orang.programs.sessions": ("orang.programs.", ""),
    "building.regular.sessions": ("building.", ".sessions"),
    "building.regular.participants": ("building.", ".participants"),
}


@dataclass(frozen=True)
class ScaleResult:
    """What scale_datasets wrote: the folder, the number of reports and rows, and rows per table."""

    directory: Path
    reports: int
    rows: dict[str, int]
    real_rows: int

    @property
    def factor(self) -> float:
        """Rows written over rows of the real datasets."""
        return sum(self.rows.values()) / self.real_rows


def _read(path: Path) -> tuple[list[str], list[Row]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _fmt(value: Decimal | float | int, places: int = 0) -> str:
    quant = Decimal(1).scaleb(-places)
    return str(Decimal(str(value)).quantize(quant, ROUND_HALF_UP))


def _rate(part: Decimal, whole: Decimal) -> str:
    return _fmt(part * 100 / whole, 1) if whole else "0.0"


class _Report:
    """One synthetic report: its id, as-of date and the factors its numbers are scaled by."""

    def __init__(self, slug: str, name: str, size: float, year: int, quarter: int) -> None:
        self.report_id = f"seoul-{slug}-{year}-q{quarter}"
        self.district = name
        month, day = QUARTER_END[quarter]
        self.as_of = dt.date(year, month, day)
        self.year = year
        self.rng = random.Random(zlib.crc32(self.report_id.encode()))
        self.elapsed = _elapsed(self.as_of)
        self.money = Decimal(str(size * 1.045 ** (year - 2023) * self.rng.uniform(0.85, 1.15)))
        self.count = Decimal(str(size * self.rng.uniform(0.7, 1.3)))
        self.execution = 1.0  # set against the template report's as-of date in _synthetic
        self.wage = Decimal(str(1.06 ** (year - 2023)))

    def money_of(self, value: str) -> Decimal:
        return (_dec(value) * self.money).quantize(Decimal(1), ROUND_HALF_UP)

    def executed_of(self, budget: Decimal, real_budget: str, real_executed: str) -> Decimal:
        real = _dec(real_executed) / _dec(real_budget) if _dec(real_budget) else Decimal(0)
        share = min(Decimal(1), real * Decimal(str(self.execution * self.rng.uniform(0.8, 1.2))))
        return (budget * share).quantize(Decimal(1), ROUND_HALF_UP)

    def count_of(self, value: str) -> Decimal:
        real = _dec(value)
        places = 1 if real % 1 else 0
        return max(Decimal(0), (real * self.count * Decimal(str(self.rng.uniform(0.9, 1.1)))).quantize(
            Decimal(1).scaleb(-places), ROUND_HALF_UP))


def _elapsed(day: dt.date) -> float:
    """Share of its year elapsed at a date."""
    return day.timetuple().tm_yday / (366 if day.year % 4 == 0 else 365)


def _synthetic(tables: dict[str, list[Row]], r: _Report, template_elapsed: float) -> dict[str, list[Row]]:
    """Every table's rows for one synthetic report, numbers re-derived so the report adds up."""
    r.execution = r.elapsed / template_elapsed  # how far spending has come relative to the template
    out: dict[str, list[Row]] = {name: [{**row, "report_id": r.report_id} for row in rows]
                                 for name, rows in tables.items()}
    report = out["reports"][0]
    report.update(district=r.district, as_of=r.as_of.isoformat(), title=f"{r.district} 일자리정책과 주요업무 보고")

    for row in out["staffing"]:
        authorized = max(1, round(int(row["authorized"]) * float(r.count)))
        current = max(0, authorized + r.rng.randint(-2, 2))
        row.update(authorized=str(authorized), current=str(current), stated_difference=str(current - authorized))

    program_money: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for row in out["program_budget"]:
        budget = r.money_of(row["budget"])
        executed = r.executed_of(budget, row["budget"], row["executed"])
        row.update(budget=str(budget), executed=str(executed))
        program_money[row["program_id"]][0] += budget
        program_money[row["program_id"]][1] += executed
    for row in out["programs"]:
        budget, executed = program_money[row["program_id"]]
        row["stated_rate_pct"] = _rate(executed, budget)
    inside: dict[str, Decimal] = defaultdict(Decimal)
    for row in out["programs"]:
        inside[row["unit_program"]] += program_money[row["program_id"]][0]
    for row in out["budget_units"]:
        # a unit program's budget holds its main programs' budgets (checked as ≤), whatever the rounding
        budget = max(r.money_of(row["budget"]), inside[row["unit_program"]])
        executed = r.executed_of(budget, row["budget"], row["executed"])
        row.update(budget=str(budget), executed=str(executed), stated_rate_pct=_rate(executed, budget))

    facts = {row["fact_id"]: row for row in out["facts"]}
    for row in out["facts"]:
        if row["period"][:4].isdigit():
            row["period"] = str(r.year) + row["period"][4:]
        if row["unit"] in COUNT_UNITS and row["kind"] != "plan":
            row["value"] = str(r.count_of(row["value"]))
        elif row["unit"] in MONEY_UNITS:
            row["value"] = str((_dec(row["value"]) * r.money).quantize(Decimal(1), ROUND_HALF_UP))
        elif row["unit"] == "원":
            row["value"] = str((_dec(row["value"]) * r.wage).quantize(Decimal(1), ROUND_HALF_UP))
    _rederive_facts(facts)

    totals = {row["total_id"]: row for row in out["stated_totals"]}
    units = out["budget_units"]
    derived: dict[str, Decimal] = {
        "budget.total.budget": sum((_dec(u["budget"]) for u in units), Decimal(0)),
        "budget.total.executed": sum((_dec(u["executed"]) for u in units), Decimal(0)),
        "staffing.total.authorized": Decimal(sum(int(s["authorized"]) for s in out["staffing"])),
        "staffing.total.current": Decimal(sum(int(s["current"]) for s in out["staffing"])),
        "teams.count": Decimal(len(out["teams"])),
    }
    derived["staffing.total.difference"] = derived["staffing.total.current"] - derived["staffing.total.authorized"]
    for program_id, (budget, executed) in program_money.items():
        derived[f"program.{program_id}.budget"] = budget
        derived[f"program.{program_id}.executed"] = executed
    for total_id, (prefix, suffix) in FACT_SUMS.items():
        derived[total_id] = sum((_dec(f["value"]) for fid, f in facts.items()
                                 if fid.startswith(prefix) and fid.endswith(suffix)), Decimal(0))
    for total_id, row in totals.items():
        if total_id in derived:
            row["value"] = str(derived[total_id])
        elif total_id == "budget.total.rate":
            row["value"] = _rate(derived["budget.total.executed"], derived["budget.total.budget"])
        elif row["unit"] in COUNT_UNITS:
            row["value"] = str(r.count_of(row["value"]))
    return out


def _rederive_facts(facts: dict[str, Row]) -> None:
    """Totals of split figures, rates and funding ratios from their scaled parts (what the checks compare)."""
    by_id = facts
    for fid, row in by_id.items():
        for whole_suffix in (".budget", ".amount"):
            if fid.endswith(whole_suffix):
                parts = [f for pid, f in by_id.items() if pid.startswith(fid + ".")]
                if parts:
                    total = sum((_dec(p["value"]) for p in parts), Decimal(0))
                    row["value"] = str(total)
                    key = fid.removesuffix(whole_suffix)
                    for p in parts:
                        ratio = by_id.get(f"{key}.ratio.{p['funding_source']}")
                        if ratio is not None:
                            ratio["value"] = _fmt(_dec(p["value"]) * 100 / total if total else 0, 0)
    pairs = (("jobplus.rate", "jobplus.employed", "jobplus.seekers", 1),
             ("procurement.rate", "procurement.actual", "procurement.target", 0))
    for rate_id, part_id, whole_id, places in pairs:
        if {rate_id, part_id, whole_id} <= by_id.keys():
            whole = _dec(by_id[whole_id]["value"])
            by_id[rate_id]["value"] = _fmt(_dec(by_id[part_id]["value"]) * 100 / whole if whole else 0, places)
    selected = [f for fid, f in by_id.items() if fid.startswith("publicwork.") and fid.endswith(".selected")]
    later = [f for fid, f in by_id.items() if fid.startswith("publicwork.") and fid.endswith(".target_h2")]
    if "publicwork.target" in by_id and selected and later:
        by_id["publicwork.target"]["value"] = str(sum((_dec(f["value"]) for f in selected + later), Decimal(0)))


def synthetic_reports(districts: int = 25, years: int = 10, quarters: int = 4) -> list[_Report]:
    """The synthetic reports: the first `districts` districts × `years` years from 2013 × `quarters` quarters."""
    return [_Report(slug, name, size, FIRST_YEAR + y, q)
            for slug, name, size in DISTRICTS[:districts] for y in range(years) for q in range(1, quarters + 1)]


def scale_datasets(source: Path, target: Path, districts: int = 25, years: int = 10, quarters: int = 4) -> ScaleResult:
    """Write the real CSVs of source plus the synthetic reports into target (a new or empty folder)."""
    if target.resolve() == source.resolve():
        raise ValueError("refusing to write synthetic data over the source datasets")
    target.mkdir(parents=True, exist_ok=True)
    headers: dict[str, list[str]] = {}
    tables: dict[str, list[Row]] = {}
    for spec in SPECS:
        headers[spec.table], tables[spec.table] = _read(source / spec.filename)
    real_rows = sum(len(rows) for rows in tables.values())
    # the template is the newest real report: every synthetic report is a varied copy of its rows
    newest = max(tables["reports"], key=lambda row: row["as_of"])
    template = {name: [row for row in rows if row["report_id"] == newest["report_id"]] for name, rows in tables.items()}
    reports = synthetic_reports(districts, years, quarters)
    if max(r.as_of for r in reports).isoformat() >= newest["as_of"]:
        raise ValueError(f"synthetic as-of dates must stay before the newest real report's ({newest['as_of']})")
    handles = {}
    writers = {}
    try:
        for spec in SPECS:
            handles[spec.table] = (target / spec.filename).open("w", encoding="utf-8", newline="")
            writers[spec.table] = csv.DictWriter(handles[spec.table], fieldnames=headers[spec.table])
            writers[spec.table].writeheader()
            writers[spec.table].writerows(tables[spec.table])
        counts = {spec.table: len(tables[spec.table]) for spec in SPECS}
        for report in reports:
            for name, rows in _synthetic(template, report, _elapsed(dt.date.fromisoformat(newest["as_of"]))).items():
                writers[name].writerows(rows)
                counts[name] += len(rows)
    finally:
        for fh in handles.values():
            fh.close()
    return ScaleResult(target, len(reports) + 1, counts, real_rows)


def main() -> None:
    from ydp_data import paths
    from ydp_data.load import load_datasets

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path, help="an empty folder outside datasets/")
    parser.add_argument("--quick", action="store_true", help="5 districts × 1 year × 2 quarters instead of 25 × 10 × 4")
    args = parser.parse_args()
    shape = (5, 1, 2) if args.quick else (25, 10, 4)
    result = scale_datasets(paths.datasets_dir(), args.dest, *shape)
    records = load_datasets(args.dest)
    print(f"{result.reports} reports, {sum(result.rows.values()):,} rows ({result.factor:,.0f}x), "
          f"validated {sum(len(v) for v in records.values()):,} records in {args.dest}")


if __name__ == "__main__":
    main()
