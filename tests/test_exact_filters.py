"""Exact filter state and URL parsing of ydp_data.filters (mutation testing, issue 16), written out by hand."""

from __future__ import annotations

from ydp_data.filters import (
    ALL_SOURCES,
    ALL_TEAMS,
    MAX_PARAM_LENGTH,
    MAX_PARAM_VALUES,
    Filters,
    Parsed,
    parse_choices,
    parse_query,
)

TEAMS = ("일자리사업팀", "상생기업팀", "청년지원팀")
SOURCES = ("국비", "시비", "구비")


def test_defaults_are_every_team_and_source() -> None:
    assert ALL_TEAMS == TEAMS and ALL_SOURCES == SOURCES
    assert (MAX_PARAM_VALUES, MAX_PARAM_LENGTH) == (20, 100)
    f = Filters("r")
    assert not f.teams_filtered and not f.sources_filtered
    assert f.params() == {"report": "r", "teams": list(TEAMS), "sources": list(SOURCES)}
    assert not Filters("r", tuple(reversed(TEAMS)), tuple(reversed(SOURCES))).teams_filtered
    assert not Filters("r", tuple(reversed(TEAMS)), tuple(reversed(SOURCES))).sources_filtered
    chosen = Filters("r", ("청년지원팀",), ("국비",))
    assert chosen.teams_filtered and chosen.sources_filtered
    assert chosen.params() == {"report": "r", "teams": ["청년지원팀"], "sources": ["국비"]}
    assert Filters("r", teams=("청년지원팀",)).sources_filtered is False
    assert Filters("r", sources=("국비",)).teams_filtered is False


def test_parse_choices() -> None:
    parsed = Parsed()
    assert parse_choices([" 청년지원팀 ", "", "일자리사업팀", "기획팀"], TEAMS, "team", parsed) == ["일자리사업팀", "청년지원팀"]
    assert parsed.ignored == ["team=기획팀"]
    assert parse_choices(["", "  "], TEAMS, "team", parsed) is None
    assert parse_choices([], TEAMS, "team", parsed) is None
    assert parse_choices(["기획팀"], TEAMS, "team", parsed) == []
    long = "가" * 41
    assert parse_choices(["가" * 40, long], TEAMS, "t", parsed) == []
    assert parsed.ignored[-2:] == ["t=" + "가" * 40, "t=" + "가" * 40 + "…"]


def test_at_most_twenty_values_are_read() -> None:
    parsed = Parsed()
    assert parse_choices(["x"] * 20 + ["국비"], SOURCES, "source", parsed) == []
    assert parsed.ignored[0] == "source: 1개 값 (최대 20개)"
    assert len(parsed.ignored) == 21
    parsed = Parsed()
    assert parse_choices(["x"] * 19 + ["국비"], SOURCES, "source", parsed) == ["국비"]
    assert parsed.ignored == ["source=x"] * 19


def test_parse_query() -> None:
    report = "r" * 100
    parsed = parse_query({"unit": ["억원", "천원"], "report": [report + "xyz"], "compare": ["true"], "lang": ["English"],
                          "team": ["", " "], "k" * 41: ["1"], "other": ["2"], "source": ["구비", "국비"]}, [report, "b"])
    assert parsed.values == {"unit": ["천원"], "report": [report], "compare": ["true"], "lang": ["English"],
                             "source": ["국비", "구비"]}
    assert parsed.ignored == ["k" * 40 + "…", "other"]
    bad = parse_query({"unit": ["달러"], "k" * 40: []}, ["b"])
    assert bad.values == {}
    assert bad.ignored == ["unit=달러", "k" * 40]
    assert parse_query({"compare": ["false"]}, []).values == {"compare": ["false"]}
    assert parse_query({}, []).values == {} and parse_query({}, []).ignored == []
