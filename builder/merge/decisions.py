"""The editors' merge decisions (``builder/data/merge_decisions.yml``), read and checked.

The rules decide most merges; a few questions ask the same thing in words no general rule can
equate ("What is DPO advantage over PPO?" and "How does DPO differ from RLHF?"), and a few
wordings of one question mean two things ("model sharding" of checkpoint files and across GPUs).
The file names them, each decision with a short ``why``:

* ``same``: ``questions``, wordings that ask one question; every item asked in one of them goes
  on one entry, with everything the rules put beside it.
* ``apart``: ``sides``, a mapping from a short label to wordings; an entry of the rules holding
  wordings of two sides is split, one entry per side. An item the decision does not name goes to
  the side holding its nearest wording (``clustering._split_apart``).

Wordings are compared case- and punctuation-insensitively (``wording_key``). The clustering
applies ``same`` first, then ``apart``, so a split always holds.

Checks, reported as problems of the file with its line (``read_decisions``): a file that cannot
be read or has the wrong shape is an error (the build goes on without decisions); a wording no
source asks, a wording two ``same`` decisions name (they should be one), and a ``same`` decision
that names two sides of an ``apart`` decision are warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import yaml

from builder.model import Problem

DECISIONS_PATH = Path(__file__).parents[1] / "data" / "merge_decisions.yml"

_WORD = re.compile(r"[^\W_]+")


def wording_key(question: str) -> str:
    """``question`` compared case- and punctuation-insensitively: its words, casefolded."""
    return " ".join(_WORD.findall(question.casefold()))


@dataclass(frozen=True)
class Wording:
    """A question as a decision names it, and the line of the file that names it."""

    text: str
    line: int

    @property
    def key(self) -> str:
        return wording_key(self.text)


@dataclass(frozen=True)
class Same:
    """These wordings ask one question."""

    why: str
    line: int
    wordings: tuple[Wording, ...]


@dataclass(frozen=True)
class Apart:
    """Wordings of different sides never share an entry."""

    why: str
    line: int
    sides: tuple[tuple[Wording, ...], ...]

    @property
    def wordings(self) -> tuple[Wording, ...]:
        return tuple(w for side in self.sides for w in side)


@dataclass(frozen=True)
class Decisions:
    """The contents of a decisions file; ``file`` is how its problems name it."""

    file: str
    same: tuple[Same, ...] = ()
    apart: tuple[Apart, ...] = ()


NO_DECISIONS = Decisions("")
"""The rules alone."""


class DecisionsError(ValueError):
    """The file does not have the shape of a decisions file."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _mapping(node: yaml.Node, what: str, keys: set[str]) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        raise DecisionsError(_line(node), f"{what} must be a mapping")
    out: dict[str, yaml.Node] = {}
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.value not in keys or key.value in out:
            raise DecisionsError(_line(key), f"{what}: unexpected or repeated key (expected {', '.join(sorted(keys))})")
        out[key.value] = value
    return out


def _sequence(node: yaml.Node | None, what: str, line: int) -> list[yaml.Node]:
    if node is None:
        raise DecisionsError(line, f"{what} is missing")
    if not isinstance(node, yaml.SequenceNode):
        raise DecisionsError(_line(node), f"{what} must be a list")
    return list(node.value)


def _text(node: yaml.Node | None, what: str, line: int) -> str:
    if node is None:
        raise DecisionsError(line, f"{what} is missing")
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise DecisionsError(_line(node), f"{what} must be a non-empty text")
    return " ".join(str(node.value).split())


def _wordings(node: yaml.Node | None, what: str, line: int, least: int) -> tuple[Wording, ...]:
    items = _sequence(node, what, line)
    wordings = tuple(Wording(_text(n, "a wording", line), _line(n)) for n in items)
    if len(wordings) < least:
        raise DecisionsError(line if node is None else _line(node), f"{what} must name at least {least} wording(s)")
    seen: set[str] = set()
    for w in wordings:
        if not w.key or w.key in seen:
            raise DecisionsError(w.line, f"{w.text!r}: an empty or repeated wording")
        seen.add(w.key)
    return wordings


def parse_decisions(text: str, file: str) -> Decisions:
    """The decisions of a file's ``text``; raises ``DecisionsError`` (with a line) on a wrong shape."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is None:
        return Decisions(file)
    top = _mapping(root, "the file", {"same", "apart"})
    same: list[Same] = []
    for node in _sequence(top.get("same"), "same", 1) if "same" in top else []:
        fields = _mapping(node, "a same decision", {"why", "questions"})
        line = _line(node)
        same.append(Same(_text(fields.get("why"), "why", line), line,
                         _wordings(fields.get("questions"), "questions", line, 2)))
    apart: list[Apart] = []
    for node in _sequence(top.get("apart"), "apart", 1) if "apart" in top else []:
        fields = _mapping(node, "an apart decision", {"why", "sides"})
        line = _line(node)
        sides_node = fields.get("sides")
        if not isinstance(sides_node, yaml.MappingNode) or len(sides_node.value) < 2:
            raise DecisionsError(line if sides_node is None else _line(sides_node),
                                 "sides must map at least two labels to their wordings")
        sides = tuple(_wordings(value, f"side {label.value!r}", _line(label), 1) for label, value in sides_node.value)
        keys = [w.key for side in sides for w in side]
        if len(set(keys)) < len(keys):
            raise DecisionsError(line, "a wording is on two sides")
        apart.append(Apart(_text(fields.get("why"), "why", line), line, sides))
    return Decisions(file, tuple(same), tuple(apart))


def load_decisions(path: Path = DECISIONS_PATH) -> Decisions:
    """Read ``path`` (raises ``OSError``, ``yaml.YAMLError`` or ``DecisionsError``)."""
    return parse_decisions(path.read_text(encoding="utf-8"), _display(path))


@lru_cache(maxsize=1)
def default_decisions() -> Decisions:
    """The project's decisions, read once (what ``merge`` and ``group_indices`` use by default)."""
    return load_decisions()


def _display(path: Path) -> str:
    """``path`` as problems name it: relative to the working directory when inside it."""
    cwd = Path.cwd()
    return path.relative_to(cwd).as_posix() if path.is_relative_to(cwd) else path.as_posix()


def check_decisions(decisions: Decisions, questions: Iterable[str]) -> list[Problem]:
    """Warnings about ``decisions`` given the ``questions`` the sources ask (see the module docstring)."""
    asked = {wording_key(q) for q in questions}
    problems: list[Problem] = []

    def warn(line: int, message: str) -> None:
        problems.append(Problem(decisions.file, line, message, "warning"))

    for decision in (*decisions.same, *decisions.apart):
        for w in decision.wordings:
            if w.key not in asked:
                warn(w.line, f"no source asks {w.text!r}; the decision of line {decision.line} cannot apply to it")
    joined: dict[str, int] = {}
    for same in decisions.same:
        for w in same.wordings:
            if w.key in joined:
                warn(w.line, f"{w.text!r} is also in the same decision of line {joined[w.key]}; make them one")
            joined.setdefault(w.key, same.line)
    for apart in decisions.apart:
        side_of = {w.key: s for s, side in enumerate(apart.sides) for w in side}
        for same in decisions.same:
            if len({side_of[w.key] for w in same.wordings if w.key in side_of}) > 1:
                warn(same.line, f"this decision joins two sides of the apart decision of line {apart.line}; the split wins")
    return problems


def read_decisions(questions: Iterable[str], path: Path = DECISIONS_PATH) -> tuple[Decisions, list[Problem]]:
    """The decisions and their problems, for the build: a file that cannot be read is an error and
    the build goes on with the rules alone, instead of stopping with a traceback."""
    try:
        decisions = load_decisions(path)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, DecisionsError) as err:
        mark = getattr(err, "context_mark", None) or getattr(err, "problem_mark", None)
        line = getattr(err, "line", None) or (mark.line + 1 if mark is not None else 1)
        message = f"the merge decisions could not be read ({type(err).__name__}: {' '.join(str(err).split())}); merging by the rules alone"
        return NO_DECISIONS, [Problem(_display(path), line, message)]
    return decisions, check_decisions(decisions, questions)
