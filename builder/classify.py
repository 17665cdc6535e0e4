"""Classify stage: give every ``Entry`` exactly one primary topic and group the entries into sections.

The taxonomy lives in ``builder/data/topics.yml``: topics in reading order, each with *strong*
(weight 3) and *weak* (weight 1) keyword phrases. An entry is scored against every topic by the
phrases found in

* its question wordings (× 3; a parenthesis inside a question only × 1.5),
* the section headings its sources put it under (× 1.5),
* the first 400 characters of each answer (× 1, capped per topic, averaged over the entry's items),

counting each distinct phrase once per field. The highest score wins; ties go to the topic that
comes first in the taxonomy. An entry that matches nothing lands in the fallback topic ``other``.

All phrases of all topics are compiled into one trie-shaped regular expression, so matching costs
one scan per text however many keywords there are, and where phrases overlap the longest one is
taken ("flash attention" counts for its own topic and not also as a bare "attention").
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


from builder.yamlio import load_yaml_file

from builder.model import Entry, Level, Section, Topic
from builder.trie import Trie, add, trie_regex

log = logging.getLogger(__name__)

DEFAULT_TOPICS_PATH = Path(__file__).parent / "data" / "topics.yml"

STRONG_WEIGHT = 3.0
WEAK_WEIGHT = 1.0
QUESTION_FACTOR = 3.0
ASIDE_FACTOR = 1.5  # a parenthesis inside the question
SECTION_FACTOR = 1.5
ANSWER_FACTOR = 1.0
ANSWER_HEAD_CHARS = 400  # the opening of an answer states its subject; the rest wanders
ANSWER_CAP = 2 * STRONG_WEIGHT  # most an answer can add to one topic, before ANSWER_FACTOR

MAX_OTHER_SHARE = 0.03  # above this, the build warns that the taxonomy no longer covers the corpus
_NO_LEVEL = 99  # sorts entries without a level after every Level

OTHER_SLUG = "other"
OTHER_TITLE = "Other Questions"
OTHER_SUMMARY = "Questions that fit none of the topics above."

_SEPARATORS = re.compile(r"[\s\-]+")
_SEP = "\x00"  # stands for one optional space or hyphen inside a compiled phrase
# Sources mix typographic dashes and spaces with ASCII ones; keywords are written in ASCII.
# Quoted terms ('What is "Dense" vs "Sparse" retrieval?') should still match as phrases.
# One translation table does all three (the sets are disjoint).
_NORMALISE = str.maketrans(
    {
        **{chr(c): "-" for c in (*range(0x2010, 0x2016), 0x2212)},
        **{chr(c): " " for c in (0x00A0, *range(0x2000, 0x200C), 0x202F)},
        **{ch: None for ch in "\"\u201c\u201d\u201e\u00ab\u00bb"},
    }
)
_PARENTHETICAL = re.compile(r"\(([^()]*)\)")


@dataclass(frozen=True)
class TopicRules:
    """One topic of the taxonomy together with its weighted keywords."""

    topic: Topic
    strong: tuple[str, ...]
    weak: tuple[str, ...]


@dataclass(frozen=True)
class Taxonomy:
    """The loaded taxonomy, ready to score text: rules in reading order plus the compiled matcher."""

    rules: tuple[TopicRules, ...]
    pattern: re.Pattern[str]
    # phrase key → ((index into rules, weight), …); a weak phrase may belong to several topics
    weights: Mapping[str, tuple[tuple[int, float], ...]]

    @property
    def topics(self) -> tuple[Topic, ...]:
        return tuple(r.topic for r in self.rules)


def phrase_key(phrase: str) -> str:
    """The form under which a phrase and every text matching it compare equal.

    Spaces and hyphens are dropped because the matcher treats them as optional and
    interchangeable ("fine-tuning" = "fine tuning" = "finetuning").
    """
    return _SEPARATORS.sub("", normalise_text(phrase))


def normalise_text(text: str) -> str:
    return text.translate(_NORMALISE).casefold()


def other_topic(order: int) -> Topic:
    return Topic(slug=OTHER_SLUG, title=OTHER_TITLE, order=order, summary=OTHER_SUMMARY)


# --------------------------------------------------------------------------- loading


def load_topics(path: Path = DEFAULT_TOPICS_PATH) -> tuple[Topic, ...]:
    """The taxonomy's topics in reading order (``Topic.keywords``: strong phrases, then weak)."""
    return load_taxonomy(path).topics


def load_taxonomy(path: Path = DEFAULT_TOPICS_PATH) -> Taxonomy:
    """Read and check ``topics.yml`` and compile its matcher. Raises ``ValueError`` on a bad file."""
    data = load_yaml_file(path)
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise ValueError(f"{path}: expected a mapping with a 'topics' list")
    rules = tuple(_parse_topic(path, i, raw) for i, raw in enumerate(data["topics"], start=1))
    if not rules:
        raise ValueError(f"{path}: no topics")
    _check_unique(path, rules)
    weights = _weights(rules)
    pattern = _compile(p for r in rules for p in r.strong + r.weak)
    log.debug("loaded %d topics, %d keyword phrases from %s", len(rules), len(weights), path)
    return Taxonomy(rules=rules, pattern=pattern, weights=weights)


def _parse_topic(path: Path, order: int, raw: object) -> TopicRules:
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: topic #{order} is not a mapping")
    slug, title, summary = (str(raw.get(k) or "").strip() for k in ("slug", "title", "summary"))
    if not slug or not title or not summary:
        raise ValueError(f"{path}: topic #{order} needs slug, title and summary")
    if slug == OTHER_SLUG:
        raise ValueError(f"{path}: '{OTHER_SLUG}' is the implicit fallback topic and cannot be declared")
    keywords = raw.get("keywords") or {}
    if not isinstance(keywords, dict):
        raise ValueError(f"{path}: topic {slug!r}: keywords must be a mapping with 'strong' and 'weak'")
    strong = _phrases(path, slug, keywords.get("strong"))
    weak = _phrases(path, slug, keywords.get("weak"))
    if not strong:
        raise ValueError(f"{path}: topic {slug!r} has no strong keywords")
    topic = Topic(slug=slug, title=title, order=order, summary=summary, keywords=strong + weak)
    return TopicRules(topic=topic, strong=strong, weak=weak)


def _phrases(path: Path, slug: str, raw: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ValueError(f"{path}: topic {slug!r}: keyword lists must be YAML lists")
    out: list[str] = []
    for item in raw:
        # YAML reads bare `false`, `on` or `1.58` as non-strings; they must be quoted to mean text.
        if not isinstance(item, str):
            raise ValueError(f"{path}: topic {slug!r}: keyword {item!r} is not a string (quote it)")
        phrase = item.strip()
        # Lower case is the documented form; mixed case would suggest a case-sensitive match.
        if not phrase or phrase != phrase.lower():
            raise ValueError(f"{path}: topic {slug!r}: keyword {phrase!r} must be non-empty lower case")
        out.append(phrase)
    return tuple(out)


def _check_unique(path: Path, rules: Sequence[TopicRules]) -> None:
    seen: set[str] = set()
    for r in rules:
        if r.topic.slug in seen:
            raise ValueError(f"{path}: duplicate topic slug {r.topic.slug!r}")
        seen.add(r.topic.slug)
    owner: dict[str, str] = {}
    for r in rules:
        for phrase in r.strong:
            key = phrase_key(phrase)
            if owner.setdefault(key, r.topic.slug) != r.topic.slug:
                raise ValueError(
                    f"{path}: strong keyword {phrase!r} is claimed by {owner[key]!r} and {r.topic.slug!r}"
                )


def _weights(rules: Sequence[TopicRules]) -> dict[str, tuple[tuple[int, float], ...]]:
    table: dict[str, dict[int, float]] = {}
    for index, r in enumerate(rules):
        for phrases, weight in ((r.strong, STRONG_WEIGHT), (r.weak, WEAK_WEIGHT)):
            for phrase in phrases:
                per_topic = table.setdefault(phrase_key(phrase), {})
                # A phrase listed twice for one topic ("pre-training", "pretraining") counts once.
                per_topic[index] = max(per_topic.get(index, 0.0), weight)
    return {key: tuple(sorted(per_topic.items())) for key, per_topic in table.items()}


def _compile(phrases: Iterable[str]) -> re.Pattern[str]:
    """One regex for all phrases, shaped as a character trie so a scan does not retry every phrase."""
    trie: Trie = {}
    for phrase in phrases:
        # Each run of spaces/hyphens becomes one separator mark; the text may have either or none.
        add(trie, _SEPARATORS.sub(_SEP, normalise_text(phrase)))
    body = trie_regex(trie, _UNITS)
    # A trailing "s"/"es" is allowed so plurals need not be listed; the key lookup strips it again.
    return re.compile(rf"(?<!\w)(?:{body})(?:e?s)?(?!\w)")


# The pattern text of a trie character: the separator mark, else the character escaped (the common
# ones escaped here once)
_UNITS = {_SEP: r"[\s\-]?", **{ch: re.escape(ch) for ch in "abcdefghijklmnopqrstuvwxyz0123456789"}}


# --------------------------------------------------------------------------- scoring


def phrases_in(text: str, taxonomy: Taxonomy) -> set[str]:
    """The distinct keyword phrases (as keys) found in ``text``."""
    return set(_found(text, taxonomy))


def _found(text: str, taxonomy: Taxonomy) -> frozenset[str]:
    # The pattern has no capturing group, so findall gives each whole match.
    keys = {_lookup(_SEPARATORS.sub("", matched), taxonomy.weights) for matched in taxonomy.pattern.findall(normalise_text(text))}
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


def _field_scores(keys: Iterable[str], taxonomy: Taxonomy, factor: float, cap: float | None = None) -> dict[int, float]:
    """The field's score per topic it touches (the others score 0.0), times ``factor``."""
    scores: dict[int, float] = {}
    for key in keys:
        for index, weight in taxonomy.weights[key]:
            scores[index] = scores.get(index, 0.0) + weight
    return {index: factor * (score if cap is None else min(score, cap)) for index, score in scores.items()}


def split_parenthetical(question: str) -> tuple[str, str]:
    """``"What is expert parallelism (MoE)?"`` → ``("What is expert parallelism ?", "MoE")``."""
    inner = " ".join(_PARENTHETICAL.findall(question))
    return _PARENTHETICAL.sub(" ", question), inner


def _sparse_scores(entry: Entry, taxonomy: Taxonomy) -> dict[int, float]:
    """The entry's non-zero scores by topic index. Fields add up in one fixed order, as a column
    sum would (a topic a field does not touch gets 0.0 from it, which changes no sum)."""
    head_keys: set[str] = set()
    aside_keys: set[str] = set()
    for question in {entry.question, *(item.question for item in entry.items)}:
        head, aside = _question_keys(question, taxonomy)
        head_keys |= head
        aside_keys |= aside
    # A parenthesis in a question mostly spells out an acronym or gives an example ("expert
    # parallelism (MoE)", "4-bit quantization (QLoRA)"): evidence, but weaker than the question proper.
    aside_keys -= head_keys
    section_keys: set[str] = set()
    for section in {item.section for item in entry.items if item.section}:
        section_keys |= _found(section, taxonomy)
    total: dict[int, float] = {}
    fields = ((head_keys, QUESTION_FACTOR), (aside_keys, ASIDE_FACTOR), (section_keys, SECTION_FACTOR))
    for keys, factor in fields:
        if keys:  # (often none in parentheses or headings)
            for index, score in _field_scores(keys, taxonomy, factor).items():
                total[index] = total.get(index, 0) + score
    # Averaged, so an entry merged from many sources is not pulled about by its longest answers;
    # capped, so a keyword-dense answer can decide between topics but not outvote the question.
    share = ANSWER_FACTOR / max(len(entry.items), 1)
    for item in entry.items:
        for index, capped in _answer_scores(item.answer[:ANSWER_HEAD_CHARS], taxonomy):
            total[index] = total.get(index, 0) + share * capped
    return total


def _question_keys(question: str, taxonomy: Taxonomy) -> tuple[frozenset[str], frozenset[str]]:
    """The phrase keys of a question outside and inside its parentheses."""
    head, aside = split_parenthetical(question)
    return _found(head, taxonomy), _found(aside, taxonomy)


def _answer_scores(head: str, taxonomy: Taxonomy) -> tuple[tuple[int, float], ...]:
    """``(topic index, capped score)`` of an answer's opening, before the entry's share."""
    return tuple(_field_scores(_found(head, taxonomy), taxonomy, 1.0, ANSWER_CAP).items())


def topic_scores(entry: Entry, taxonomy: Taxonomy) -> tuple[float, ...]:
    """The entry's score for every topic, in taxonomy order."""
    total = _sparse_scores(entry, taxonomy)
    return tuple(total.get(index, 0.0) for index in range(len(taxonomy.rules)))


def best_topic(entry: Entry, taxonomy: Taxonomy) -> int | None:
    """Index of the winning topic, or ``None`` when nothing matched (the entry goes to ``other``)."""
    total = _sparse_scores(entry, taxonomy)
    # Ties go to the topic first in the taxonomy; a topic with no score cannot win.
    best = max(total, key=lambda i: (total[i], -i), default=None)
    if best is None or total[best] <= 0:
        return None
    return best


# --------------------------------------------------------------------------- stage


def classify(
    entries: Sequence[Entry], topics_path: Path | None = None, levels: Mapping[str, tuple[Level, ...]] | None = None
) -> tuple[Section, ...]:
    """Group ``entries`` into one ``Section`` per non-empty topic, in taxonomy order, ``other`` last.

    Inside a section entries are ordered by their easiest level (Beginner first, entries without a
    level last), then by their position in ``entries``, so the output depends only on the input.
    ``levels`` are the levels a reader sees by entry id (a source's, or the handbook's estimate),
    the entries' own by default. ``topics_path`` defaults to the handbook's ``builder/data/topics.yml``.
    """
    levels = levels or {}
    taxonomy = load_taxonomy(topics_path or DEFAULT_TOPICS_PATH)
    buckets: dict[int | None, list[tuple[int, Entry]]] = {}
    for position, entry in enumerate(entries):
        buckets.setdefault(best_topic(entry, taxonomy), []).append((position, entry))

    sections: list[Section] = []
    for index, r in enumerate(taxonomy.rules):
        if index in buckets:
            sections.append(Section(topic=r.topic, entries=_ordered(buckets[index], levels)))
    if None in buckets:
        unplaced = buckets[None]
        share = len(unplaced) / len(entries)
        # The taxonomy is meant to cover the corpus; a growing "other" means the keywords need work.
        level = logging.WARNING if share > MAX_OTHER_SHARE else logging.INFO
        log.log(level, "%d of %d entries (%.1f%%) matched no topic and went to %r",
                len(unplaced), len(entries), 100 * share, OTHER_SLUG)
        sections.append(Section(topic=other_topic(len(taxonomy.rules) + 1), entries=_ordered(unplaced, levels)))
    log.info("classified %d entries into %d sections", len(entries), len(sections))
    return tuple(sections)


def _ordered(bucket: Sequence[tuple[int, Entry]], levels: Mapping[str, tuple[Level, ...]]) -> tuple[Entry, ...]:
    def key(pair: tuple[int, Entry]) -> tuple[int, int]:
        position, entry = pair
        shown = levels.get(entry.id, entry.levels)
        return (int(shown[0]) if shown else _NO_LEVEL, position)

    return tuple(entry for _, entry in sorted(bucket, key=key))
