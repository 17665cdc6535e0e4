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
    # The turn markers, sign-offs, noise patterns and range heading as one pattern (None when they cannot
    # be joined): most lines match none of them, and one match call tells the walk so.
    line_rules: re.Pattern[str] | None = None

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

    def may_apply(self, text: str) -> bool:
        """False when no turn marker, sign-off, noise pattern or range heading matches ``text``."""
        return self.line_rules is None or self.line_rules.match(text) is not None


def any_of(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """One pattern that matches where any of ``patterns`` matches, or None when they cannot be joined
    safely (different flags, back-references that would count groups differently, bad syntax)."""
    if not patterns or len({p.flags for p in patterns}) != 1 or any(re.search(r"\\\d|\(\?P=", p.pattern) for p in patterns):
        return None
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)
    except re.error:
        return None


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
        line_rules=any_of((*chat_turn_markers, *chat_sign_offs, *(p for p, _ in noise), range_heading)),
    )
