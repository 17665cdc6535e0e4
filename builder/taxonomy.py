"""The topic taxonomy (``builder/data/topics.yml``): read, checked, and compiled into matchers.

Topics come in reading order, each with *strong* and *weak* keyword phrases; a large topic has
sub-sections (``parts``), each with keyword phrases of its own; a topic or a sub-section may place a
few questions by their wording (``questions``); ``moved`` names topics that went into others. A file
of the wrong shape raises ``ValueError`` naming the file and what is wrong; the questions' lines are
kept, so the classify stage can name them in its warnings.

Phrases are matched as the comments of ``topics.yml`` explain: case-insensitively, on word
boundaries, a space or hyphen matching either or nothing, a plural ending allowed. Each list of
groups (the topics, or one topic's sub-sections) is compiled into one trie-shaped regular expression,
so a scan costs one pass however many phrases there are, and the longest phrase is taken.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from builder.merge.decisions import wording_key
from builder.model import MovedTopic, Subtopic, Topic
from builder.slugs import slugify
from builder.trie import Trie, add, trie_regex
from builder.yamlio import SAFE_LOADER

log = logging.getLogger(__name__)

DEFAULT_TOPICS_PATH = Path(__file__).parent / "data" / "topics.yml"

STRONG_WEIGHT = 3.0
WEAK_WEIGHT = 1.0

OTHER_SLUG = "other"  # the implicit fallback topic, which the file may not declare

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


@dataclass(frozen=True)
class Matcher:
    """The keyword phrases of a list of groups (the topics, or one topic's sub-sections), compiled."""

    pattern: re.Pattern[str]
    # phrase key → ((group index, weight), …); a weak phrase may belong to several groups
    weights: Mapping[str, tuple[tuple[int, float], ...]]


@dataclass(frozen=True)
class PartRules:
    """One sub-section of a topic together with its weighted keywords."""

    subtopic: Subtopic
    strong: tuple[str, ...]
    weak: tuple[str, ...]


@dataclass(frozen=True)
class TopicRules:
    """One topic of the taxonomy together with its weighted keywords and its sub-sections'."""

    topic: Topic
    strong: tuple[str, ...]
    weak: tuple[str, ...]
    parts: tuple[PartRules, ...] = ()
    part_matcher: Matcher | None = None  # None when the topic has no sub-sections


@dataclass(frozen=True)
class Placement:
    """A question the taxonomy places by its wording, whatever the keywords say."""

    wording: str
    line: int  # of ``topics.yml``
    topic: int  # index into ``Taxonomy.rules``
    part: int | None  # index into that topic's parts; None: the keywords choose the sub-section

    @property
    def key(self) -> str:
        return wording_key(self.wording)


@dataclass(frozen=True)
class Taxonomy:
    """The loaded taxonomy, ready to score text: rules in reading order plus the compiled matcher."""

    rules: tuple[TopicRules, ...]
    matcher: Matcher
    placements: tuple[Placement, ...] = ()
    moved: tuple[MovedTopic, ...] = ()
    file: str = ""  # how problems name the taxonomy's file

    @property
    def topics(self) -> tuple[Topic, ...]:
        return tuple(r.topic for r in self.rules)


def phrase_key(phrase: str) -> str:
    """The form under which a phrase and every text matching it compare equal.

    Spaces and hyphens are dropped because the matcher treats them as optional and
    interchangeable ("fine-tuning" = "fine tuning" = "finetuning").
    """
    return without_separators(normalise_text(phrase))


def without_separators(normalised: str) -> str:
    """A normalised text's key (``phrase_key`` of text already through ``normalise_text``)."""
    return _SEPARATORS.sub("", normalised)


def normalise_text(text: str) -> str:
    return text.translate(_NORMALISE).casefold()


def load_topics(path: Path = DEFAULT_TOPICS_PATH) -> tuple[Topic, ...]:
    """The taxonomy's topics in reading order (``Topic.keywords``: strong phrases, then weak)."""
    return load_taxonomy(path).topics


def load_taxonomy(path: Path = DEFAULT_TOPICS_PATH) -> Taxonomy:
    """Read and check ``topics.yml`` and compile its matchers. Raises ``ValueError`` on a bad file."""
    data, root = _read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise ValueError(f"{path}: expected a mapping with a 'topics' list")
    _check_keys(path, "the file", data, {"topics", "moved"})
    topic_nodes = _value_node(root, "topics")
    rules: list[TopicRules] = []
    placements: list[Placement] = []
    for i, raw in enumerate(data["topics"]):
        node = topic_nodes.value[i] if isinstance(topic_nodes, yaml.SequenceNode) else None
        topic_rules, topic_placements = _parse_topic(path, i + 1, raw, node)
        rules.append(topic_rules)
        placements += [Placement(w, line, i, part) for w, line, part in topic_placements]
    if not rules:
        raise ValueError(f"{path}: no topics")
    _check_unique(path, rules)
    moved = _parse_moved(path, data.get("moved"), rules)
    matcher = _matcher((r.strong, r.weak) for r in rules)
    log.debug("loaded %d topics, %d keyword phrases from %s", len(rules), len(matcher.weights), path)
    return Taxonomy(tuple(rules), matcher, tuple(placements), moved, _display(path))


def _read_yaml(path: Path) -> tuple[object, yaml.Node | None]:
    """The file's data and its node tree, read once (the nodes know the line of each question)."""
    loader = SAFE_LOADER(path.read_text(encoding="utf-8"))
    try:
        node = loader.get_single_node()
        return (None if node is None else loader.construct_document(node)), node
    finally:
        loader.dispose()


def _value_node(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The node of ``key``'s value in a mapping node."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def _display(path: Path) -> str:
    """``path`` as problems name it: relative to the project when inside it."""
    root = Path(__file__).resolve().parents[1]
    resolved = path.resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else path.as_posix()


def _check_keys(path: Path, what: str, raw: dict, allowed: set[str]) -> None:
    unknown = sorted(str(k) for k in raw if k not in allowed)
    if unknown:
        raise ValueError(f"{path}: {what}: unknown key(s) {', '.join(unknown)} (expected {', '.join(sorted(allowed))})")


def _parse_topic(path: Path, order: int, raw: object, node: yaml.Node | None) -> tuple[TopicRules, list[tuple[str, int, int | None]]]:
    """The topic's rules and its placements as (wording, line, part index or None)."""
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: topic #{order} is not a mapping")
    slug, title, summary = (str(raw.get(k) or "").strip() for k in ("slug", "title", "summary"))
    if not slug or not title or not summary:
        raise ValueError(f"{path}: topic #{order} needs slug, title and summary")
    if slug == OTHER_SLUG:
        raise ValueError(f"{path}: '{OTHER_SLUG}' is the implicit fallback topic and cannot be declared")
    _check_keys(path, f"topic {slug!r}", raw, {"slug", "title", "summary", "keywords", "parts", "questions"})
    strong, weak = _keywords(path, f"topic {slug!r}", raw.get("keywords"))
    placements = [(w, line, None) for w, line in _questions(path, f"topic {slug!r}", raw.get("questions"), _value_node(node, "questions"))]
    parts: list[PartRules] = []
    raw_parts = raw.get("parts") or []
    if not isinstance(raw_parts, list) or len(raw_parts) == 1:
        raise ValueError(f"{path}: topic {slug!r}: parts must be a list of at least two sub-sections")
    part_nodes = _value_node(node, "parts")
    for j, raw_part in enumerate(raw_parts):
        part_node = part_nodes.value[j] if isinstance(part_nodes, yaml.SequenceNode) else None
        part, questions = _parse_part(path, slug, raw_part, part_node)
        parts.append(part)
        placements += [(w, line, j) for w, line in questions]
    _check_unique_phrases(path, f"topic {slug!r}'s sub-sections", [(p.subtopic.slug, p.strong) for p in parts])
    subtopics = tuple(p.subtopic for p in parts)
    topic = Topic(slug=slug, title=title, order=order, summary=summary, keywords=strong + weak, subtopics=subtopics)
    part_matcher = _matcher((p.strong, p.weak) for p in parts) if parts else None
    return TopicRules(topic, strong, weak, tuple(parts), part_matcher), placements


def _parse_part(path: Path, topic: str, raw: object, node: yaml.Node | None) -> tuple[PartRules, list[tuple[str, int]]]:
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: topic {topic!r}: a sub-section is not a mapping")
    slug, title = (str(raw.get(k) or "").strip() for k in ("slug", "title"))
    if not slug or not title:
        raise ValueError(f"{path}: topic {topic!r}: a sub-section needs slug and title")
    # Its slug is its heading's id on the page, beside the level groups' and the entries' ids.
    if slug != slugify(slug) or slug.startswith("level-") or slug == "see-also":
        raise ValueError(f"{path}: sub-section {slug!r}: a slug must be URL-safe and not level-… or see-also")
    _check_keys(path, f"sub-section {slug!r}", raw, {"slug", "title", "keywords", "questions"})
    strong, weak = _keywords(path, f"sub-section {slug!r}", raw.get("keywords"))
    questions = _questions(path, f"sub-section {slug!r}", raw.get("questions"), _value_node(node, "questions"))
    return PartRules(Subtopic(slug, title, strong + weak), strong, weak), questions


def _keywords(path: Path, what: str, raw: object) -> tuple[tuple[str, ...], tuple[str, ...]]:
    keywords = raw or {}
    if not isinstance(keywords, dict):
        raise ValueError(f"{path}: {what}: keywords must be a mapping with 'strong' and 'weak'")
    strong = _phrases(path, what, keywords.get("strong"))
    weak = _phrases(path, what, keywords.get("weak"))
    if not strong:
        raise ValueError(f"{path}: {what} has no strong keywords")
    return strong, weak


def _phrases(path: Path, what: str, raw: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ValueError(f"{path}: {what}: keyword lists must be YAML lists")
    out: list[str] = []
    for item in raw:
        # YAML reads bare `false`, `on` or `1.58` as non-strings; they must be quoted to mean text.
        if not isinstance(item, str):
            raise ValueError(f"{path}: {what}: keyword {item!r} is not a string (quote it)")
        phrase = item.strip()
        # Lower case is the documented form; mixed case would suggest a case-sensitive match.
        if not phrase or phrase != phrase.lower():
            raise ValueError(f"{path}: {what}: keyword {phrase!r} must be non-empty lower case")
        out.append(phrase)
    return tuple(out)


def _questions(path: Path, what: str, raw: object, node: yaml.Node | None) -> list[tuple[str, int]]:
    """The wordings a topic or sub-section places, each with its line in the file."""
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(q, str) and wording_key(q) for q in raw):
        raise ValueError(f"{path}: {what}: questions must be a list of question wordings")
    lines = [n.start_mark.line + 1 for n in node.value] if isinstance(node, yaml.SequenceNode) else [0] * len(raw)
    return [(" ".join(q.split()), line) for q, line in zip(raw, lines)]


def _check_unique(path: Path, rules: Sequence[TopicRules]) -> None:
    seen: set[str] = set()
    for r in rules:
        if r.topic.slug in seen:
            raise ValueError(f"{path}: duplicate topic slug {r.topic.slug!r}")
        seen.add(r.topic.slug)
    parts: set[str] = set()
    for r in rules:
        for sub in r.topic.subtopics:
            if sub.slug in parts:
                raise ValueError(f"{path}: duplicate sub-section slug {sub.slug!r}")
            parts.add(sub.slug)
    _check_unique_phrases(path, "topics", [(r.topic.slug, r.strong) for r in rules])


def _check_unique_phrases(path: Path, among: str, groups: Sequence[tuple[str, tuple[str, ...]]]) -> None:
    """A strong phrase says what a question is about, so it belongs to one group only."""
    owner: dict[str, str] = {}
    for slug, strong in groups:
        for phrase in strong:
            key = phrase_key(phrase)
            if owner.setdefault(key, slug) != slug:
                raise ValueError(f"{path}: strong keyword {phrase!r} is claimed by {owner[key]!r} and {slug!r} ({among})")


def _parse_moved(path: Path, raw: object, rules: Sequence[TopicRules]) -> tuple[MovedTopic, ...]:
    """Topics that went into others; their old pages say where."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ValueError(f"{path}: moved must be a list")
    topics = {r.topic.slug: r.topic for r in rules}
    out: list[MovedTopic] = []
    for item in raw:
        if not isinstance(item, dict):
            raise ValueError(f"{path}: a moved topic is not a mapping")
        _check_keys(path, "a moved topic", item, {"slug", "title", "topic", "part"})
        slug, title, topic, part = (str(item.get(k) or "").strip() for k in ("slug", "title", "topic", "part"))
        if not slug or slug != slugify(slug) or slug in topics or slug == OTHER_SLUG:
            raise ValueError(f"{path}: moved topic {slug!r}: needs a URL-safe slug that no topic has")
        if not title or topic not in topics:
            raise ValueError(f"{path}: moved topic {slug!r}: needs a title and the slug of the topic it went to")
        if part and part not in {s.slug for s in topics[topic].subtopics}:
            raise ValueError(f"{path}: moved topic {slug!r}: {topic!r} has no sub-section {part!r}")
        out.append(MovedTopic(slug, title, topic, part))
    return tuple(out)


def _matcher(groups: Iterable[tuple[tuple[str, ...], tuple[str, ...]]]) -> Matcher:
    """The (strong, weak) phrases of each group, compiled and weighted by group index."""
    table: dict[str, dict[int, float]] = {}
    phrases: list[str] = []
    for index, (strong, weak) in enumerate(groups):
        for group_phrases, weight in ((strong, STRONG_WEIGHT), (weak, WEAK_WEIGHT)):
            for phrase in group_phrases:
                per_group = table.setdefault(phrase_key(phrase), {})
                # A phrase listed twice for one group ("pre-training", "pretraining") counts once.
                per_group[index] = max(per_group.get(index, 0.0), weight)
                phrases.append(phrase)
    weights = {key: tuple(sorted(per_group.items())) for key, per_group in table.items()}
    return Matcher(_compile(phrases), weights)


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
