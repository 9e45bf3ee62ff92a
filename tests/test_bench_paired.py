"""The benchmark's browser ratios are medians of ratios paired within a round, not ratios of medians gathered over
the whole run: on a machine whose speed drifts, only the paired figure compares a page with its reference."""

from __future__ import annotations

import math

import pytest

from bench import run
from bench.browser import BrowserResult, Target, Timing, _round_ratios

FRAMED = run.FRAMED
PAGE = "pages/6_향후계획_Plans.py"


def timing(ms: float) -> Timing:
    return Timing(ms, 0.0, 0.0, 0.0)


def one_round(one_chart: float, framed: float, page: float) -> dict[str, BrowserResult]:
    """One round's loads: the same time for fresh, warm and filter change of each target."""
    results = {}
    for name, ms in (("one_chart", one_chart), (FRAMED, framed), (PAGE, page)):
        res = BrowserResult(name)
        res.fresh, res.warm, res.filter = [timing(ms * 4)], [timing(ms)], [timing(ms / 3)]
        if name == PAGE:  # a section opened: set against the reference's filter change in the same round
            res.section = [timing(ms / 2)]
        results[name] = res
    return results


def measured(rounds: list[tuple[float, float, float]]) -> list[BrowserResult]:
    """What measure_paired returns for these rounds (the references' and the page's loads, and the page's ratios)."""
    refs = [Target("one_chart", "", 1, None, 1), Target(FRAMED, "", 1, None, 1)]
    totals = {name: BrowserResult(name) for name in ("one_chart", FRAMED, PAGE)}
    for values in rounds:
        round_of = one_round(*values)
        for name, got in round_of.items():
            totals[name].absorb(got)
        _round_ratios(totals[PAGE], round_of, refs)
    return list(totals.values())


# the machine slows down over the run: the page is 1.1x its reference in two rounds of three, 1.3x in one
DRIFTING = [(100.0, 100.0, 110.0), (200.0, 200.0, 260.0), (300.0, 300.0, 330.0)]


def test_a_page_ratio_is_the_median_of_its_rounds_ratios() -> None:
    page = measured(DRIFTING)[2]
    assert page.ratios[f"warm/{FRAMED}"] == pytest.approx([1.1, 1.3, 1.1])
    assert page.paired("warm", FRAMED) == pytest.approx(1.1)
    assert page.paired("fresh", "one_chart") == pytest.approx(1.1)
    assert page.ratios["section/one_chart"] == pytest.approx([1.65, 1.95, 1.65])  # (page / 2) / (reference / 3)
    # the ratio of medians would be 260 / 200 = 1.3
    assert page.median("warm") / 200.0 == pytest.approx(1.3)


def test_the_verdict_counts_the_paired_ratio() -> None:
    lines, counted, _, missed = run.browser_table(measured(DRIFTING))
    warm = next(o for o in counted if o.target == f"{PAGE} warm (× framed)")
    assert warm.met and warm.detail == "1.10x"
    assert PAGE not in missed
    row = next(line for line in lines if line.startswith(f"| {PAGE} |"))
    assert "| 1.10x |" in row and "| 1.30x |" not in row
    assert "| 130 | 1.65x |" in row  # the section's median ms and its paired ratio (the ratio of medians: 1.95x)
    assert row.endswith("| 1.10–1.30 |")  # how far the rounds spread, beside the verdict
    assert all(line.count("|") == lines[0].count("|") for line in lines)  # every row has the header's cells


def test_a_round_without_a_measurement_adds_no_ratio() -> None:
    refs = [Target("one_chart", "", 1, None, 1), Target(FRAMED, "", 1, None, 1)]
    round_of = one_round(100.0, 100.0, 120.0)
    round_of[FRAMED].filter = []  # its filter change was not measured
    page = BrowserResult(PAGE)
    _round_ratios(page, round_of, refs)
    assert f"filter/{FRAMED}" not in page.ratios
    assert page.ratios["filter/one_chart"] == pytest.approx([1.2])
    assert math.isnan(page.paired("filter", FRAMED))  # no round to count
