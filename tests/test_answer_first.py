"""Lead with the answer (issue 13 A): the overview and every business-line page say first which programme is behind
the year's pace and which is on track; the execution chart comes first, open, sorted, with a legend; the briefing
names a lagging programme that a combined rate would hide.

Expected figures are worked out here from the report's own numbers in datasets/*.csv (read with the csv module,
not through the dashboard's queries): execution rate = executed ÷ budget per programme, the year elapsed = days to
the as-of date ÷ days in the year, and the gap between them, with the dashboard's one tolerance
(findings.PACE_TOLERANCE_PP) deciding what counts as on pace.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_pages import ENTRY, ROOT, open_page, section_keys
from ydp_data import briefing, charts, findings, status
from ydp_data.db import Database
from ydp_data.filters import Filters
from ydp_data.i18n import NAMES
from ydp_data.safe_text import WORD_JOINER

DATASETS = ROOT / "datasets"
REPORT_ID = "ydp-jobs-2023-05"
HANGUL = re.compile(r"[가-힣]")
BUSINESS_PAGES = ["pages/1_일자리_Jobs.py", "pages/2_공공일자리_Public_jobs.py", "pages/3_상생기업_Social_economy.py",
                  "pages/4_청년_Youth.py"]


# --- the report's figures, worked out here ------------------------------------------------------------
def rows(table: str) -> list[dict[str, str]]:
    """The rows of one dataset file of the report."""
    with (DATASETS / f"{table}.csv").open(encoding="utf-8-sig", newline="") as f:
        return [r for r in csv.DictReader(f) if r["report_id"] == REPORT_ID]


def one_decimal(value: float) -> float:
    """Rounded half up to one decimal, as the report (and the database's ROUND) writes a rate."""
    return float(Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def elapsed() -> float:
    """Days to the as-of date ÷ days in that year, in % (2023-05-31: 151 ÷ 365 = 41.4%)."""
    (report,) = rows("reports")
    day = date.fromisoformat(report["as_of"])
    days = (date(day.year, 12, 31) - date(day.year, 1, 1)).days + 1
    return one_decimal(day.timetuple().tm_yday * 100 / days)


def signed(gap: float) -> str:
    """A gap as the dashboard writes it: △ for negatives, + for positives."""
    return f"△{abs(gap):.1f}%p" if gap < 0 else f"+{gap:.1f}%p" if gap > 0 else "0.0%p"


def pace(gap: float) -> str:
    """The status of a gap, by the rule the dashboard documents: within ±tolerance is on pace."""
    tolerance = findings.PACE_TOLERANCE_PP
    return "behind" if gap < -tolerance else "ahead" if gap > tolerance else "on_pace"


def programmes() -> dict[str, dict[str, Any]]:
    """Every main programme: title, execution rate and gap to the year elapsed, from program_budget.csv."""
    money: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows("program_budget"):
        money[r["program_id"]][0] += int(r["budget"])
        money[r["program_id"]][1] += int(r["executed"])
    out = {}
    for p in rows("programs"):
        budget, executed = money[p["program_id"]]
        rate = one_decimal(executed * 100 / budget)
        gap = round(rate - elapsed(), 1)
        out[p["program_id"]] = {"title": p["title"], "rate": rate, "gap": gap, "pace": pace(gap)}
    return out


def attainments(program_id: str) -> list[dict[str, Any]]:
    """The programme's annual targets with their actuals (same category and unit, or else the sub-programmes'
    actuals in that unit) and attainment, from facts.csv and subprograms.csv."""
    facts = [r for r in rows("facts") if r["program_id"] == program_id and not r["funding_source"]]
    subs = {r["subprogram"] for r in rows("subprograms") if r["program_id"] == program_id}
    found = []
    for t in facts:
        if t["kind"] != "target" or not re.fullmatch(r"\d{4}", t["period"]):
            continue
        actual = [float(a["value"]) for a in facts if a["kind"] == "actual" and a["category"] == t["category"]
                  and a["unit"] == t["unit"]]
        if not actual:
            actual = [float(a["value"]) for a in facts if a["kind"] == "actual" and a["category"] in subs
                      and a["unit"] == t["unit"]]
        if actual:
            share = one_decimal(sum(actual) * 100 / float(t["value"]))
            gap = round(share - elapsed(), 1)
            found.append({"target": float(t["value"]), "actual": sum(actual), "unit": t["unit"], "share": share,
                          "gap": gap, "pace": pace(gap)})
    return found


def test_the_report_has_programmes_behind_and_ahead() -> None:
    """The report's literal figures, so that the tests below check something: three behind, three ahead."""
    assert elapsed() == 41.4
    found = programmes()
    assert {k: (v["rate"], v["gap"]) for k, v in found.items()} == {
        "Ⅱ-1": (35.3, -6.1), "Ⅱ-2": (30.8, -10.6), "Ⅱ-3": (32.9, -8.5), "Ⅱ-4": (48.5, 7.1), "Ⅲ-1": (55.0, 13.6),
        "Ⅲ-2": (75.5, 34.1)}
    assert [a["share"] for a in attainments("Ⅱ-2")] == [49.3]  # 221 of 448 selected
    assert [a["share"] for a in attainments("Ⅱ-3")] == [57.8]  # 26 of 45 억원 bought


def test_on_pace_has_one_documented_tolerance() -> None:
    assert findings.PACE_TOLERANCE_PP == 5.0
    assert [status.status_of(g) for g in (-5.1, -5.0, 0.0, 5.0, 5.1)] == ["behind", "on_pace", "on_pace", "on_pace",
                                                                          "ahead"]
    assert [findings.signed_points(g) for g in (-10.6, 0.0, 7.1)] == ["△10.6%p", "0.0%p", "+7.1%p"]


# --- reading a page -----------------------------------------------------------------------------------
def plain(text: str) -> str:
    """Markdown as the reader sees it: escapes and word joiners (safe_text.md) taken out."""
    return re.sub(r"\\(.)", r"\1", text).replace(WORD_JOINER, "")


def in_order(at: AppTest) -> list[Any]:
    """The page's elements in the order they are drawn."""
    return list(at.main)


def strip_texts(at: AppTest) -> list[str]:
    """The text (Markdown and captions) of the status strip, as shown."""
    (box,) = [n for n in at.main if getattr(n, "key", None) == "status_strip"]
    return [plain(str(n.value)) for n in box if getattr(n, "type", None) in ("markdown", "caption")]


def figure(at: AppTest, name: str) -> dict[str, Any]:
    """The plotly figure behind st.plotly_chart(key='chart_<name>')."""
    return json.loads(at.get_by_key(f"chart_{name}").proto.spec)


@pytest.fixture(scope="module")
def overview(db_path: Path) -> AppTest:
    """The overview as a first visit shows it: only the first section open."""
    at = open_page(ENTRY, all_sections=False)
    assert not at.exception, [e.value for e in at.exception]
    return at


# --- the overview ------------------------------------------------------------------------------------
def test_overview_names_every_lagging_programme_right_after_the_cards(overview: AppTest) -> None:
    found = programmes()
    behind = sorted((p for p in found if found[p]["pace"] == "behind"), key=lambda p: found[p]["gap"])
    ahead = sorted((p for p in found if found[p]["pace"] == "ahead"), key=lambda p: found[p]["gap"])
    assert behind == ["Ⅱ-2", "Ⅱ-3", "Ⅱ-1"] and ahead == ["Ⅱ-4", "Ⅲ-1", "Ⅲ-2"]
    nodes = in_order(overview)
    cards = next(n for n in nodes if str(getattr(n, "key", "")).startswith("card_row_"))  # the headline cards' row
    inside = {id(n) for n in cards}
    after = nodes[max(i for i, n in enumerate(nodes) if id(n) in inside) + 1:]
    assert getattr(after[0], "key", None) == "status_strip", f"the element after the cards is {after[0]}"
    first = next(n for n in after if getattr(n, "type", None) in ("markdown", "caption", "expander"))
    assert first.type == "markdown", f"the first text after the cards is a {first.type}: {first.value}"
    text = plain(str(first.value))
    assert text.startswith("**뒤처짐 (3)**"), text
    lines = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(lines) == len(behind)
    for line, program in zip(lines, behind, strict=True):  # most behind first
        p = found[program]
        assert f"- {program} {p['title']} 집행률 {p['rate']:.1f}% — 경과율보다 {signed(p['gap'])}" == line
    assert "- Ⅱ-2 공공분야 일자리 창출을 통한 고용안정 지원 집행률 30.8% — 경과율보다 △10.6%p" in lines
    shown = "\n".join(strip_texts(overview))
    for program in ahead:
        assert f"{program} {found[program]['title']} 집행률 {found[program]['rate']:.1f}% — 경과율보다 " \
               f"{signed(found[program]['gap'])}" in shown
    assert "**앞섬 (3)**" in shown and "경과율 수준" in shown and "±5%p" in shown


def test_execution_chart_is_the_first_section_open_sorted_with_a_legend(overview: AppTest) -> None:
    source = (ROOT / ENTRY).read_text(encoding="utf-8")
    assert section_keys(ENTRY)[0] == "execution"
    assert re.findall(r'ui\.section\(\s*"[^"]*",\s*"(\w+)",\s*first=True', source) == ["execution"]
    first_section = overview.expander[0]
    assert plain(first_section.label) == "**사업별 집행률과 연중 경과율**"
    assert "chart_program_execution" in [str(getattr(n, "key", "")) for n in first_section]  # drawn: open
    spec = figure(overview, "program_execution")
    found = programmes()
    order = sorted(found, key=lambda p: found[p]["gap"])  # most behind first
    traces = [t for t in spec["data"] if t["type"] == "bar"]  # the bars (other marks may sit on them)
    assert [t["name"] for t in traces] == ["뒤처짐", "앞섬"]  # one trace per status present, in status order
    assert [y for t in traces for y in t["y"]] == [found[p]["title"] for p in order]
    assert [x for t in traces for x in t["x"]] == [found[p]["rate"] for p in order]
    for trace, want in zip(traces, ("behind", "ahead"), strict=True):
        assert trace["y"] == [found[p]["title"] for p in order if found[p]["pace"] == want]
        assert trace["customdata"] == [signed(found[p]["gap"]) for p in order if found[p]["pace"] == want]
        assert "%{customdata}" in trace["texttemplate"] and trace["textposition"] == "outside"  # '△10.6%p' on the bar
        assert trace["showlegend"] is True
    assert traces[0]["marker"]["color"] != traces[1]["marker"]["color"]
    assert "pattern" not in traces[0]["marker"] and "pattern" not in traces[1]["marker"]  # solid: no number on hatching
    assert spec["layout"]["showlegend"] is True
    mark = elapsed()
    notes = [a["text"] for a in spec["layout"]["annotations"]]
    assert notes == [f"연중 경과율 {mark:.1f}%"]
    assert any(s["type"] == "line" and s["x0"] == s["x1"] == mark for s in spec["layout"]["shapes"])
    behind = sum(1 for p in found.values() if p["pace"] == "behind")
    title = spec["layout"]["title"]["text"].replace("<br>", " ")  # wrapped to a phone's width
    assert title == f"{behind}개 사업이 연중 경과율보다 뒤처짐" == "3개 사업이 연중 경과율보다 뒤처짐"
    lines = spec["layout"]["title"]["subtitle"]["text"].split("<br>")
    assert lines[0].startswith("주요사업별 집행률") and [n for n in lines if n.startswith("출처: 보고서")]


def test_chart_title_follows_the_data() -> None:
    frame = pd.DataFrame({"program_id": ["a", "b"], "title": ["가", "나"], "rate": [60.0, 41.0]})
    paced = status.execution_pace(frame, 41.4)
    assert list(paced["pace"]) == ["on_pace", "ahead"]
    assert findings.pace_headline(status.behind_count(paced), len(paced)) == "연중 경과율보다 뒤처진 사업 없음"
    assert findings.pace_headline(1, 2, "English") == "1 programme behind the year's pace"


def test_status_chart_shows_data_labels_as_text() -> None:
    label = '<b>굵게</b> <a href="https://evil.example">x</a>'
    frame = status.execution_pace(pd.DataFrame({"title": [label, "보통"], "rate": [10.0, 60.0]}), 41.4)
    fig = charts.fit_margins(charts.pace_status_bars(
        frame, "title", "rate", "gap_pp", "pace", 41.4, title="t", description="<i>d</i>", mark_label="<b>m</b>",
        status_labels=status.labels("한국어"), tolerance=5.0), "출처")
    texts = json.dumps(json.loads(fig.to_json()), ensure_ascii=False)
    assert "<b>" not in texts and "<a " not in texts and "<i>" not in texts
    assert "&lt;b&gt;굵게&lt;/b&gt;" in texts


# --- the business-line pages ----------------------------------------------------------------------------
def page_programmes(page: str) -> list[str]:
    """The programmes a business-line page covers (its program_header calls)."""
    return re.findall(r'program_header\(ctx, "([^"]+)"\)', (ROOT / page).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def business_pages(db_path: Path) -> Iterator[dict[str, AppTest]]:
    """Each business-line page as a first visit shows it."""
    opened = {page: open_page(page, all_sections=False) for page in BUSINESS_PAGES}
    for page, at in opened.items():
        assert not at.exception, (page, [e.value for e in at.exception])
    yield opened


@pytest.mark.parametrize("page", BUSINESS_PAGES)
def test_business_line_page_opens_with_its_answer(business_pages: dict[str, AppTest], page: str) -> None:
    at = business_pages[page]
    found = programmes()
    own = page_programmes(page)
    assert own, page
    nodes = in_order(at)
    title = next(i for i, n in enumerate(nodes) if getattr(n, "type", None) == "title")
    first_text = next(n for n in nodes[title + 1:] if getattr(n, "type", None) in ("markdown", "caption", "header"))
    assert first_text.type == "markdown", f"{page}: the first text after the title is a {first_text.type}"
    text = plain(str(first_text.value))
    # behind first: every programme of the page behind the year's pace, and every annual target behind it
    behind = [p for p in own if found[p]["pace"] == "behind"]
    targets = [(p, a) for p in own for a in attainments(p)]
    late_targets = [(p, a) for p, a in targets if a["pace"] == "behind"]
    assert text.startswith(f"**뒤처짐 ({len(behind) + len(late_targets)})**"), text
    for program in behind:
        p = found[program]
        assert f"{program} {p['title']} 집행률 {p['rate']:.1f}% — 경과율보다 {signed(p['gap'])}" in text
    if not behind and not late_targets:
        assert findings.none_behind() in text
    # on track: the rest of the page's programmes and targets, each with its figure and gap
    shown = "\n".join(strip_texts(at))
    for program in own:
        p = found[program]
        assert f"{program} {p['title']} 집행률 {p['rate']:.1f}% — 경과율보다 {signed(p['gap'])}" in shown
    for program, a in targets:
        decimals = 0 if a["actual"].is_integer() and a["target"].is_integer() else 1
        assert f"{a['actual']:,.{decimals}f}{a['unit']} / 목표 {a['target']:,.{decimals}f}{a['unit']} " \
               f"({a['share']:.1f}%) — 경과율보다 {signed(a['gap'])}" in shown, (program, shown)


def test_public_jobs_page_puts_the_448_target_on_track_and_execution_behind(business_pages: dict[str, AppTest]) -> None:
    """The literal answer of the public-jobs page: execution 30.8% behind, 221 of 448 selected (49.3%) ahead."""
    texts = strip_texts(business_pages["pages/2_공공일자리_Public_jobs.py"])
    assert texts[0].startswith("**뒤처짐 (1)**") and "집행률 30.8% — 경과율보다 △10.6%p" in texts[0]
    assert texts[1].startswith("**앞섬 (1)**") and "선발인원 221명 / 목표 448명 (49.3%) — 경과율보다 +7.9%p" in texts[1]


# --- English ---------------------------------------------------------------------------------------------
def without_report_names(text: str) -> str:
    """The text with the report's Korean names that English keeps beside their translation taken out."""
    for korean in sorted(NAMES, key=len, reverse=True):
        text = text.replace(f"({korean})", "")
    return text


@pytest.mark.parametrize("page", [ENTRY, *BUSINESS_PAGES])
def test_new_strings_are_english_in_english(db_path: Path, page: str) -> None:
    at = open_page(page, {"lang": "English"}, all_sections=False)
    assert not at.exception, [e.value for e in at.exception]
    texts = strip_texts(at)
    assert texts and texts[0].startswith("**Behind ("), texts
    for text in texts:
        assert not HANGUL.search(without_report_names(text)), text
    if page == ENTRY:
        spec = figure(at, "program_execution")
        layout = spec["layout"]
        bars = [t for t in spec["data"] if t["type"] == "bar"]
        assert [t["name"] for t in bars] == ["Behind", "Ahead"]
        description = layout["title"]["subtitle"]["text"].split("<br>")[0]
        words = [layout["title"]["text"], description,
                 *(a["text"] for a in layout["annotations"]),
                 *(t["name"] for t in bars), *(c for t in bars for c in t["customdata"])]
        assert layout["title"]["text"].replace("<br>", " ") == "3 programmes behind the year's pace"
        for word in words:
            assert not HANGUL.search(word), word


# --- the briefing -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def slides(db: Database) -> dict[str, briefing.Slide]:
    return {s.key: s for s in briefing.build_slides(db, Filters(REPORT_ID), "천원")}


def test_briefing_jobs_slide_names_the_programme_its_combined_rate_hides(slides: dict[str, briefing.Slide]) -> None:
    found = programmes()
    jobs = slides["jobs"]
    combined = jobs.headlines[1].value
    assert combined == "43.5%"  # above the year's pace, while Ⅱ-1 alone is behind it
    one = found["Ⅱ-1"]
    assert one["pace"] == "behind" and one["rate"] == 35.3
    named = [f for f in jobs.findings if f"Ⅱ-1 {one['title']} 집행률 {one['rate']:.1f}% — 경과율보다 {signed(one['gap'])}" in f]
    assert len(named) == 1 and named[0].startswith("뒤처짐: "), jobs.findings
    for key in ("jobs", "youth"):  # every slide of several programmes names each of them against the pace
        for program in dict(briefing.LINES)[key]:
            p = found[program]
            assert any(f"{program} {p['title']} 집행률 {p['rate']:.1f}% — 경과율보다 {signed(p['gap'])}" in f
                       for f in slides[key].findings), (key, program)


def test_briefing_overview_leads_with_the_lagging_programmes(slides: dict[str, briefing.Slide]) -> None:
    found = programmes()
    behind = sorted((p for p in found if found[p]["pace"] == "behind"), key=lambda p: found[p]["gap"])
    overview = slides["overview"]
    lead = overview.findings[0]
    assert lead.startswith(f"{len(behind)}개 사업이 연중 경과율보다 뒤처짐: ")
    positions = [lead.index(f"{p} {found[p]['title']} 집행률 {found[p]['rate']:.1f}% — 경과율보다 {signed(found[p]['gap'])}")
                 for p in behind]
    assert positions == sorted(positions)
    assert overview.chart is not None and overview.chart.layout.title.text == "3개 사업이 연중 경과율보다 뒤처짐"
    assert [t.name for t in overview.chart.data if t.type == "bar"] == ["뒤처짐", "앞섬"]
