"""Errors of bad dataset input: each names the file, the row and the field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one place of a dataset file (line counts the header as line 1)."""

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", {self.line}행"
        if self.field:
            where += f", 열 '{self.field}'"
        return f"{where}: {self.message}"


class DatasetError(Exception):
    """The datasets could not be read or validated; holds every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(self.render())

    def render(self, limit: int = 50) -> str:
        lines = [f"데이터 파일에 문제가 {len(self.problems)}건 있습니다 (Dataset validation failed):"]
        lines += [f"  - {p}" for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"  … 외 {len(self.problems) - limit}건")
        lines.append("고치는 법: 위 파일의 해당 행·열을 고친 뒤 `python -m ydp_data build`를 다시 실행하세요. "
                     "열마다 들어갈 값과 단위는 datasets/README.md에 있습니다.")
        return "\n".join(lines)
