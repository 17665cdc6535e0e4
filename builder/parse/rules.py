"""Structure rules read from ``builder/data/structure.yml``: level words, noise lines, chat markers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from builder.model import Level
from builder.yamlio import load_yaml_file

DATA = Path(__file__).resolve().parent.parent / "data" / "structure.yml"


@dataclass(frozen=True)
class StructureRules:
    levels: dict[str, Level]
    level_heading: re.Pattern[str]
    toc_heading: re.Pattern[str]
    range_heading: re.Pattern[str]
    plain_heading_max_length: int
    noise: tuple[tuple[re.Pattern[str], str], ...]
    chat_turn_markers: tuple[re.Pattern[str], ...]
    chat_sign_offs: tuple[re.Pattern[str], ...]

    def level(self, word: str) -> Level | None:
        return self.levels.get(word.strip().lower())

    def heading_level(self, title: str) -> Level | None:
        m = self.level_heading.search(title)
        return self.level(m.group("level")) if m else None

    def noise_reason(self, text: str) -> str | None:
        return next((reason for pattern, reason in self.noise if pattern.match(text)), None)

    def is_turn_marker(self, text: str) -> bool:
        return any(p.match(text) for p in self.chat_turn_markers)

    def is_sign_off(self, text: str) -> bool:
        return any(p.match(text) for p in self.chat_sign_offs)


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@lru_cache(maxsize=4)
def load_rules(path: Path = DATA) -> StructureRules:
    raw = load_yaml_file(path)
    range_heading = _compile(raw["range_heading"])
    noise = tuple((_compile(n["pattern"]), n["reason"]) for n in raw["noise"])
    chat_turn_markers = tuple(_compile(p) for p in raw["chat_turn_markers"])
    chat_sign_offs = tuple(_compile(p) for p in raw["chat_sign_offs"])
    return StructureRules(
        levels={k.lower(): Level[v.upper()] for k, v in raw["levels"].items()},
        level_heading=_compile(raw["level_heading"]),
        toc_heading=_compile(raw["toc_heading"]),
        range_heading=range_heading,
        plain_heading_max_length=int(raw["plain_heading_max_length"]),
        noise=noise,
        chat_turn_markers=chat_turn_markers,
        chat_sign_offs=chat_sign_offs,
    )
