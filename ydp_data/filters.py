"""The dashboard's filter state: report period, teams and funding sources, parsed from and written to URLs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ydp_data.models import FundingSource, Team

ALL_TEAMS: tuple[str, ...] = tuple(t.value for t in Team)
ALL_SOURCES: tuple[str, ...] = tuple(s.value for s in FundingSource)
MONEY_UNITS: tuple[str, ...] = ("천원", "백만원", "억원")
MAX_PARAM_VALUES = 20
MAX_PARAM_LENGTH = 100


@dataclass(frozen=True)
class Filters:
    """What the director has chosen; empty choices mean everything."""

    report_id: str
    teams: tuple[str, ...] = ALL_TEAMS
    sources: tuple[str, ...] = ALL_SOURCES

    @property
    def teams_filtered(self) -> bool:
        return set(self.teams) != set(ALL_TEAMS)

    @property
    def sources_filtered(self) -> bool:
        return set(self.sources) != set(ALL_SOURCES)

    def params(self) -> dict[str, object]:
        """The filters as named SQL parameters."""
        return {"report": self.report_id, "teams": list(self.teams), "sources": list(self.sources)}


@dataclass
class Parsed:
    """Values read from a URL, and what was ignored in it."""

    values: dict[str, list[str]] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)


def parse_choices(raw: Iterable[str], allowed: Iterable[str], name: str, parsed: Parsed) -> list[str] | None:
    """The allowed values among raw URL values, in allowed order; None when absent.

    Repeated keys carry several values (team=a&team=b), as the URL-bound widgets write them; anything else,
    a comma list included, is not an allowed value and is reported as ignored.
    """
    allowed = list(allowed)
    chosen: set[str] = set()
    seen_any = False
    raw = list(raw)
    if len(raw) > MAX_PARAM_VALUES:
        parsed.ignored.append(f"{name}: {len(raw) - MAX_PARAM_VALUES}개 값 (최대 {MAX_PARAM_VALUES}개)")
    for item in raw[:MAX_PARAM_VALUES]:
        value = str(item).strip()
        if not value:
            continue
        seen_any = True
        if value in allowed:
            chosen.add(value)
        else:
            shown = value if len(value) <= 40 else value[:40] + "…"
            parsed.ignored.append(f"{name}={shown}")
    if not seen_any:
        return None
    return [a for a in allowed if a in chosen]


LANGUAGES: tuple[str, ...] = ("한국어", "English")
SINGLE = ("unit", "report", "lang", "compare")


def parse_query(params: Mapping[str, list[str]], reports: Iterable[str]) -> Parsed:
    """Read the filters (team, source, unit, report, lang, compare) from URL query parameters; unknown keys and
    values are listed, not used."""
    parsed = Parsed()
    specs = {"team": ALL_TEAMS, "source": ALL_SOURCES, "unit": MONEY_UNITS, "report": tuple(reports),
             "lang": LANGUAGES, "compare": ("true", "false")}
    for key, raw in params.items():
        if key not in specs:
            shown = key if len(key) <= 40 else key[:40] + "…"
            parsed.ignored.append(shown)
            continue
        values = parse_choices([v[:MAX_PARAM_LENGTH] for v in raw], specs[key], key, parsed)
        if values is not None:
            if key in SINGLE:
                values = values[:1]
            if values:
                parsed.values[key] = values
    return parsed
