"""The typed model every stage passes on: plain frozen dataclasses, no behaviour beyond small derived views.

Data flows one way: ``SourceDoc`` (read) → ``Item`` (parse, repair) → ``Entry`` (merge)
→ ``Section`` (classify) → ``Page`` (render). Diagnostics travel beside the data as
``Problem`` (something wrong, with file and line) and ``Excluded`` (text deliberately not placed
on a question page, with the reason), so nothing is lost silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Mapping


class Level(IntEnum):
    """Difficulty, normalised across sources (Easy/Basic → Beginner, Medium → Intermediate, …)."""

    BEGINNER = 1
    INTERMEDIATE = 2
    ADVANCED = 3

    @property
    def label(self) -> str:
        return self.name.capitalize()


@dataclass(frozen=True)
class SourceDoc:
    """One document of ``sources/``, decoded, with Unix line endings."""

    name: str  # file name, e.g. "qa-review-bank-webpage.txt"; also the key items refer to
    slug: str  # URL-safe id for its provenance page
    title: str
    description: str
    text: str
    encoding: str
    short: str = ""  # a short label for answer tabs; the title when the metadata gives none

    @property
    def label(self) -> str:
        return self.short or self.title


@dataclass(frozen=True)
class Problem:
    """Something wrong in the input, reported as ``file:line: severity: message``."""

    file: str
    line: int
    message: str
    severity: str = "error"  # "error" makes the build exit non-zero; "warning" does not

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class Excluded:
    """A fragment of a source that is not placed on any question page, and why."""

    file: str
    line: int
    reason: str  # a short, generic reason, so the coverage report can count by it
    text: str  # the fragment itself (possibly several lines), for the coverage report
    detail: str = ""  # what is particular to this fragment ("the richer rendition is at line 5226")


@dataclass(frozen=True)
class Item:
    """One question as one source gave it."""

    source: str  # SourceDoc.name
    number: str  # its number in the source ("12"; "Q3"; "" when unnumbered)
    line: int  # 1-based line of the question in the source file
    question: str  # one line of plain text (inline Markdown allowed)
    answer: str  # Markdown
    level: Level | None = None
    section: str = ""  # the enclosing section heading in the source, cleaned
    convention: str = ""  # name of the question convention that recognised it
    rendition: int | None = None  # for documents that render their questions more than once: which one was kept
    other_renditions: tuple[int, ...] = ()  # lines of the renditions that were not kept

    @property
    def key(self) -> str:
        """Stable identity of the item within the whole corpus."""
        return f"{self.source}#{self.number or self.line}"


@dataclass(frozen=True)
class Entry:
    """What a reader sees once: one question, every answer any source gave to it."""

    id: str  # stable slug from the canonical question's text; the page anchor
    question: str  # canonical wording
    items: tuple[Item, ...]  # one per original question; each carries its own answer, in a stable order
    anchors: tuple[str, ...] = ()  # every other anchor that must land here (old per-item anchors)

    @property
    def variants(self) -> tuple[str, ...]:
        """Other wordings of the question, once each, in item order."""
        seen = {self.question.casefold()}
        out: list[str] = []
        for item in self.items:
            if item.question.casefold() not in seen:
                seen.add(item.question.casefold())
                out.append(item.question)
        return tuple(out)

    @property
    def levels(self) -> tuple[Level, ...]:
        return tuple(sorted({i.level for i in self.items if i.level is not None}))


@dataclass(frozen=True)
class Subtopic:
    """A sub-section of a topic page: a group of its questions a candidate would study together."""

    slug: str  # the id of its heading on the page; unique in the taxonomy
    title: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str
    order: int
    summary: str
    keywords: tuple[str, ...] = ()
    subtopics: tuple[Subtopic, ...] = ()  # in page order; none: the page is grouped by level


@dataclass(frozen=True)
class MovedTopic:
    """A topic that no longer has a page of its own: its old address tells readers where it went."""

    slug: str
    title: str
    topic: str  # slug of the topic that holds its questions now
    subtopic: str = ""  # and the sub-section of that topic, if one


@dataclass(frozen=True)
class Term:
    """A glossary term: one concept under all the names readers and sources give it."""

    slug: str
    term: str  # display name
    definition: str
    abbr: str = ""
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()  # slugs of other terms
    case_sensitive: bool = False  # the abbr is also an ordinary word (ZeRO, RAG): match it only as written
    not_near: tuple[str, ...] = ()  # words that, in the same sentence, show a name is used in another sense

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the term goes by: display name, abbreviation, aliases."""
        return tuple(n for n in (self.term, self.abbr, *self.aliases) if n)


@dataclass(frozen=True)
class Part:
    """One sub-section of a topic page with its entries, in level order."""

    subtopic: Subtopic
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Section:
    """One topic with the entries classified into it, in reading order: where the topic has sub-sections,
    ``parts`` holds every entry once (the non-empty sub-sections, in the topic's order) and ``entries``
    is the parts one after another; otherwise ``parts`` is empty and ``entries`` are in level order."""

    topic: Topic
    entries: tuple[Entry, ...]
    parts: tuple[Part, ...] = ()

    def __post_init__(self) -> None:
        if self.parts and tuple(e for p in self.parts for e in p.entries) != self.entries:
            raise ValueError(f"section {self.topic.slug!r}: its parts do not hold its entries in order")


@dataclass(frozen=True)
class Supplement:
    """Material of a source that is not question and answer but worth keeping (quick references, tips)."""

    source: str
    line: int
    title: str
    markdown: str
    depth: int = 2  # heading depth in the source, so nested reference sections keep their shape


@dataclass(frozen=True)
class Parsed:
    """What parsing one document yields."""

    source: SourceDoc
    items: tuple[Item, ...]
    supplements: tuple[Supplement, ...] = ()
    excluded: tuple[Excluded, ...] = ()
    problems: tuple[Problem, ...] = ()
    preamble: str = ""  # the document's own introduction, shown on its provenance page
    math_repairs: Mapping[str, int] = field(default_factory=dict)  # what the math repair did, by kind


@dataclass(frozen=True)
class Page:
    """A Markdown file to write under ``docs/``."""

    path: str  # relative to docs/, with "/" separators
    markdown: str
    front_matter: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Links:
    """What connects entries to each other and to the glossary (the link stage's output)."""

    terms: tuple[Term, ...]  # the glossary, in its file order
    answer_terms: Mapping[str, tuple[str, ...]]  # entry id → term slugs its answers mention in prose
    question_terms: Mapping[str, tuple[str, ...]]  # entry id → term slugs its question names and no answer does
    entries_of_term: Mapping[str, tuple[str, ...]]  # term slug → ids of the entries that discuss it, most first
    related: Mapping[str, tuple[str, ...]]  # entry id → 3–5 related entry ids, best first, never itself
    see_also: Mapping[str, tuple[str, ...]]  # topic slug → nearest topic slugs, nearest first
