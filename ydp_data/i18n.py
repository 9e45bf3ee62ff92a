"""Korean/English labels: Korean first, as the report writes them; English with the Korean name kept beside."""

from __future__ import annotations

LANGS: tuple[str, ...] = ("한국어", "English")

# Korean text -> English. Names from the report keep their Korean beside the English (see `translate`).
EN: dict[str, str] = {}


def translate(text: str, lang: str) -> str:
    """text in the chosen language: Korean unchanged; English from EN, else the Korean as written."""
    if lang != "English":
        return text
    return EN.get(text, text)
