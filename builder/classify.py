"""Classify stage: give every ``Entry`` exactly one topic (and, in a topic with sub-sections, exactly
one sub-section) and group the entries into sections.

The taxonomy lives in ``builder/data/topics.yml``: topics in reading order, each with *strong*
(weight 3) and *weak* (weight 1) keyword phrases, and large topics with sub-sections (``parts``)
that have keyword phrases of their own. An entry is scored against every topic by the phrases found in

* its question wordings (× 3; a parenthesis inside a question only × 1.5),
* the section headings its sources put it under (× 1.5),
* the first 400 characters of each answer (× 1, capped per topic, averaged over the entry's items),

counting each distinct phrase once per field. The highest score wins; ties go to the topic that
comes first in the taxonomy. An entry that matches nothing lands in the fallback topic ``other``.
Inside its topic an entry is scored the same way against the topic's sub-sections alone; one that
matches none goes to the first sub-section, with a warning (a keyword is missing).

A few questions no keyword rule can decide are placed by their wording: a topic's or a sub-section's
``questions`` list names them, compared as the merge decisions compare wordings (case and punctuation
aside). A wording no source asks, one listed twice, and two wordings of one entry placed apart are
warnings naming ``topics.yml`` and its line.

All phrases of all topics are compiled into one trie-shaped regular expression (and those of each
topic's sub-sections into another), so matching costs one scan per text however many keywords there
are, and where phrases overlap the longest one is taken ("flash attention" counts as itself and not
also as a bare "attention").
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from builder.merge.decisions import wording_key
from builder.model import Entry, Level, MovedTopic, Part, Problem, Section, Topic
from builder.taxonomy import (
    DEFAULT_TOPICS_PATH,
    OTHER_SLUG,
    STRONG_WEIGHT,
    Matcher,
    Placement,
    Taxonomy,
    TopicRules,
    load_taxonomy,
    normalise_text,
    without_separators,
)

log = logging.getLogger(__name__)

QUESTION_FACTOR = 3.0
ASIDE_FACTOR = 1.5  # a parenthesis inside the question
SECTION_FACTOR = 1.5
ANSWER_FACTOR = 1.0
ANSWER_HEAD_CHARS = 400  # the opening of an answer states its subject; the rest wanders
ANSWER_CAP = 2 * STRONG_WEIGHT  # most an answer can add to one topic, before ANSWER_FACTOR

MAX_OTHER_SHARE = 0.03  # above this, the build warns that the taxonomy no longer covers the corpus
_NO_LEVEL = 99  # sorts entries without a level after every Level

OTHER_TITLE = "Other Questions"
OTHER_SUMMARY = "Questions that fit none of the topics above."

_PARENTHETICAL = re.compile(r"\(([^()]*)\)")


@dataclass(frozen=True)
class Classification:
    """What the classify stage yields: the sections in reading order, the topics that moved into
    others, and what is wrong with the taxonomy's placements given these entries."""

    sections: tuple[Section, ...]
    moved: tuple[MovedTopic, ...] = ()
    problems: tuple[Problem, ...] = ()


def other_topic(order: int) -> Topic:
    return Topic(slug=OTHER_SLUG, title=OTHER_TITLE, order=order, summary=OTHER_SUMMARY)


# --------------------------------------------------------------------------- scoring


def phrases_in(text: str, taxonomy: Taxonomy) -> set[str]:
    """The distinct keyword phrases (as keys) found in ``text``."""
    return set(_found(text, taxonomy.matcher))


def _found(text: str, matcher: Matcher) -> frozenset[str]:
    # The pattern has no capturing group, so findall gives each whole match.
    keys = {_lookup(without_separators(matched), matcher.weights) for matched in matcher.pattern.findall(normalise_text(text))}
    keys.discard(None)
    return frozenset(keys)  # type: ignore[arg-type]


def _lookup(matched: str, weights: Mapping[str, object]) -> str | None:
    """The key of a match: as written, or without the plural ending the pattern allowed."""
    for cut in (0, 1, 2):
        if cut and not matched.endswith("es"[-cut:]):
            continue
        candidate = matched[: len(matched) - cut]
        if candidate in weights:
            return candidate
    return None


def _field_scores(keys: Iterable[str], matcher: Matcher, factor: float, cap: float | None = None) -> dict[int, float]:
    """The field's score per group it touches (the others score 0.0), times ``factor``."""
    scores: dict[int, float] = {}
    for key in keys:
        for index, weight in matcher.weights[key]:
            scores[index] = scores.get(index, 0.0) + weight
    return {index: factor * (score if cap is None else min(score, cap)) for index, score in scores.items()}


def split_parenthetical(question: str) -> tuple[str, str]:
    """``"What is expert parallelism (MoE)?"`` → ``("What is expert parallelism ?", "MoE")``."""
    inner = " ".join(_PARENTHETICAL.findall(question))
    return _PARENTHETICAL.sub(" ", question), inner


def _sparse_scores(entry: Entry, matcher: Matcher) -> dict[int, float]:
    """The entry's non-zero scores by group index (the topics, or one topic's sub-sections). Fields add
    up in one fixed order, as a column sum would (a group a field does not touch gets 0.0 from it,
    which changes no sum)."""
    head_keys: set[str] = set()
    aside_keys: set[str] = set()
    for question in {entry.question, *(item.question for item in entry.items)}:
        head, aside = _question_keys(question, matcher)
        head_keys |= head
        aside_keys |= aside
    # A parenthesis in a question mostly spells out an acronym or gives an example ("expert
    # parallelism (MoE)", "4-bit quantization (QLoRA)"): evidence, but weaker than the question proper.
    aside_keys -= head_keys
    section_keys: set[str] = set()
    for section in {item.section for item in entry.items if item.section}:
        section_keys |= _found(section, matcher)
    total: dict[int, float] = {}
    fields = ((head_keys, QUESTION_FACTOR), (aside_keys, ASIDE_FACTOR), (section_keys, SECTION_FACTOR))
    for keys, factor in fields:
        if keys:  # (often none in parentheses or headings)
            for index, score in _field_scores(keys, matcher, factor).items():
                total[index] = total.get(index, 0) + score
    # Averaged, so an entry merged from many sources is not pulled about by its longest answers;
    # capped, so a keyword-dense answer can decide between topics but not outvote the question.
    share = ANSWER_FACTOR / max(len(entry.items), 1)
    for item in entry.items:
        for index, capped in _answer_scores(item.answer[:ANSWER_HEAD_CHARS], matcher):
            total[index] = total.get(index, 0) + share * capped
    return total


def _question_keys(question: str, matcher: Matcher) -> tuple[frozenset[str], frozenset[str]]:
    """The phrase keys of a question outside and inside its parentheses."""
    head, aside = split_parenthetical(question)
    return _found(head, matcher), _found(aside, matcher)


def _answer_scores(head: str, matcher: Matcher) -> tuple[tuple[int, float], ...]:
    """``(group index, capped score)`` of an answer's opening, before the entry's share."""
    return tuple(_field_scores(_found(head, matcher), matcher, 1.0, ANSWER_CAP).items())


def best_topic(entry: Entry, taxonomy: Taxonomy) -> int | None:
    """Index of the winning topic by the keywords, or ``None`` when nothing matched (the entry goes
    to ``other``)."""
    return _winner(_sparse_scores(entry, taxonomy.matcher))


def best_part(entry: Entry, rules: TopicRules) -> int | None:
    """Index of the winning sub-section of ``rules``' topic by the keywords, or ``None`` when the topic
    has none or none matched."""
    return None if rules.part_matcher is None else _winner(_sparse_scores(entry, rules.part_matcher))


def _winner(total: Mapping[int, float]) -> int | None:
    # Ties go to the group first in the taxonomy; a group with no score cannot win.
    best = max(total, key=lambda i: (total[i], -i), default=None)
    if best is None or total[best] <= 0:
        return None
    return best


# --------------------------------------------------------------------------- stage


def classify(
    entries: Sequence[Entry], topics_path: Path | None = None, levels: Mapping[str, tuple[Level, ...]] | None = None
) -> Classification:
    """Group ``entries`` into one ``Section`` per non-empty topic, in taxonomy order, ``other`` last.

    An entry one of whose wordings the taxonomy places goes where it says; any other by its keywords.
    Inside a section (or each of its sub-sections) entries are ordered by their easiest level
    (Beginner first, entries without a level last), then by their position in ``entries``, so the
    output depends only on the input. ``levels`` are the levels a reader sees by entry id (a source's,
    or the handbook's estimate), the entries' own by default. ``topics_path`` defaults to the
    handbook's ``builder/data/topics.yml``.
    """
    levels = levels or {}
    taxonomy = load_taxonomy(topics_path or DEFAULT_TOPICS_PATH)
    placed, problems = _placements(taxonomy, entries)
    buckets: dict[int | None, list[tuple[int, Entry]]] = {}
    chosen_part: dict[str, int | None] = {}
    for position, entry in enumerate(entries):
        placement = placed.get(entry.id)
        topic = placement.topic if placement else best_topic(entry, taxonomy)
        buckets.setdefault(topic, []).append((position, entry))
        if placement and placement.part is not None:
            chosen_part[entry.id] = placement.part

    sections: list[Section] = []
    for index, r in enumerate(taxonomy.rules):
        if index in buckets:
            section, unmatched = _section(r, buckets[index], chosen_part, levels)
            sections.append(section)
            problems += [_no_part_problem(taxonomy, r, entry) for entry in unmatched]
    if None in buckets:
        unplaced = buckets[None]
        share = len(unplaced) / len(entries)
        # The taxonomy is meant to cover the corpus; a growing "other" means the keywords need work.
        level = logging.WARNING if share > MAX_OTHER_SHARE else logging.INFO
        log.log(level, "%d of %d entries (%.1f%%) matched no topic and went to %r",
                len(unplaced), len(entries), 100 * share, OTHER_SLUG)
        sections.append(Section(topic=other_topic(len(taxonomy.rules) + 1), entries=_ordered(unplaced, levels)))
    log.info("classified %d entries into %d sections", len(entries), len(sections))
    return Classification(tuple(sections), taxonomy.moved, tuple(problems))


def _section(
    rules: TopicRules, bucket: Sequence[tuple[int, Entry]], chosen: Mapping[str, int | None],
    levels: Mapping[str, tuple[Level, ...]],
) -> tuple[Section, list[Entry]]:
    """The topic's section, and the entries no sub-section's keywords matched (they go to the first)."""
    if not rules.parts:
        return Section(rules.topic, _ordered(bucket, levels)), []
    by_part: dict[int, list[tuple[int, Entry]]] = {}
    unmatched: list[Entry] = []
    for position, entry in bucket:
        part = chosen.get(entry.id)
        if part is None:
            part = best_part(entry, rules)
        if part is None:
            unmatched.append(entry)
            part = 0
        by_part.setdefault(part, []).append((position, entry))
    parts = tuple(Part(p.subtopic, _ordered(by_part[i], levels)) for i, p in enumerate(rules.parts) if i in by_part)
    return Section(rules.topic, tuple(e for part in parts for e in part.entries), parts), unmatched


def _no_part_problem(taxonomy: Taxonomy, rules: TopicRules, entry: Entry) -> Problem:
    first = entry.items[0] if entry.items else None
    where = (first.source, first.line) if first else (taxonomy.file, 1)
    return Problem(*where, f"{entry.question!r} matches no sub-section of {rules.topic.slug!r} ({taxonomy.file}): "
                   f"it is shown under {rules.parts[0].subtopic.title!r}; add a keyword or place the question", "warning")


def _placements(taxonomy: Taxonomy, entries: Sequence[Entry]) -> tuple[dict[str, Placement], list[Problem]]:
    """Each placed entry's placement (by entry id), and the warnings about the placements: a wording
    no entry has, one placed twice, two wordings of one entry placed apart. The first placement wins."""
    problems: list[Problem] = []

    def warn(line: int, message: str) -> None:
        problems.append(Problem(taxonomy.file, line, message, "warning"))

    by_key: dict[str, Placement] = {}
    for p in taxonomy.placements:
        if p.key in by_key:
            warn(p.line, f"{p.wording!r} is also placed at line {by_key[p.key].line}; that placement wins")
        else:
            by_key[p.key] = p
    asked: set[str] = set()
    placed: dict[str, Placement] = {}
    for entry in entries:
        keys = [wording_key(q) for q in (entry.question, *(item.question for item in entry.items))]
        asked.update(keys)
        found = sorted({by_key[k] for k in keys if k in by_key}, key=lambda p: p.line)
        if found:
            placed[entry.id] = found[0]
        for other in found[1:]:
            if (other.topic, other.part) != (found[0].topic, found[0].part):
                warn(other.line, f"{other.wording!r} and {found[0].wording!r} (line {found[0].line}) are wordings of one entry, "
                                 f"placed apart; line {found[0].line} wins")
    for p in taxonomy.placements:
        if p.key not in asked:
            warn(p.line, f"no source asks {p.wording!r}; its placement cannot apply")
    return placed, problems


def _ordered(bucket: Sequence[tuple[int, Entry]], levels: Mapping[str, tuple[Level, ...]]) -> tuple[Entry, ...]:
    def key(pair: tuple[int, Entry]) -> tuple[int, int]:
        position, entry = pair
        shown = levels.get(entry.id, entry.levels)
        return (int(shown[0]) if shown else _NO_LEVEL, position)

    return tuple(entry for _, entry in sorted(bucket, key=key))
