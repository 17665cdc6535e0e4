"""What an entry is called: its canonical question, its id and its anchors.

* ``question``: the member wording with the lowest ``wording_penalty`` (prefers a single complete
  question ending in "?", starting "What is/are", no "Explain"/"Q:" lead, no follow-up clause, no
  decorative quotes, no chatty "again"/"in detail", no trailing setting such as "in LLMs", sentence
  case, an acronym spelled out beside its words, at most ``IDEAL_LENGTH`` characters); ties go to
  the wording used most often, then the shorter, then the alphabetically first, so the choice
  never depends on input order.
* ``id``: ``slugify(question)``. When several entries would share one, the entry that comes first
  keeps it and the others get ``-`` + ``short_hash`` of their sorted item keys: derived from the
  content, never from a position in the list.
* ``anchors``: ``slugify(item.question)`` of every member, except the id, sorted. An anchor equal
  to any entry's id, or already claimed by an earlier entry, is dropped from the later entry.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from typing import Iterable, Sequence

from builder.merge.acronyms import names_acronym
from builder.merge.rules import default_rules, stem
from builder.model import Entry, Item
from builder.slugs import short_hash, slugify

log = logging.getLogger(__name__)

IDEAL_LENGTH = 40
"""Canonical wordings longer than this many characters are penalised in proportion."""

_MARKUP_LEAD = re.compile(r"^\s*(?:q\s*\d*\s*[:.)]|\*\*|#|\[)", re.I)
_STARTS_WEAK = re.compile(r"^\s*(?:explain|describe|define|name|write|calculate|compare|difference|"
                          r"discuss|give|list|tell)\b", re.I)
_STARTS_WHAT = re.compile(r"^\s*what (?:is|are)\b", re.I)
_FOLLOW_UP = re.compile(r",?\s+and\s+(?:why|how|what|which|when|where|is it|are they|its)\b", re.I)
_CHATTY = re.compile(r"\b(?:again|in depth|in detail|in plain english|from the ground up|"
                     r"step by step|at (?:its|the) most fundamental level|in a nutshell)\b", re.I)
_TRAILING_SETTING = re.compile(r"\s(?:in|for|during|within)\s+((?:[\w-]+\s+){0,3}[\w-]+)\W*$", re.I)
_TITLE_WORD = re.compile(r"(?<=\s)[A-Z][a-z]{2,}\b")
_QUESTION_WORDS = frozenset({"What", "How", "Why"})
_MORE_SENTENCES = re.compile(r"[?.!]\s+\S")
_LOWER_ALNUM = re.compile(r"[a-z0-9]+")


def _all_context(words: Iterable[str]) -> bool:
    context = default_rules().context
    return all(stem(w) in context for w in words)


def wording_penalty(question: str) -> float:
    """How far ``question`` is from an ideal canonical wording (lower is better)."""
    q = question.strip()
    penalty = 0.0
    if not q.endswith("?"):
        penalty += 3.0
    if _MARKUP_LEAD.match(q):
        penalty += 4.0
    elif _STARTS_WEAK.match(q):
        penalty += 2.0
    elif not _STARTS_WHAT.match(q):
        penalty += 0.5
    if _MORE_SENTENCES.search(q):
        penalty += 2.0
    if _FOLLOW_UP.search(q):
        penalty += 1.5
    if _CHATTY.search(q):
        penalty += 1.0
    setting = _TRAILING_SETTING.search(q)
    if setting and _all_context(_LOWER_ALNUM.findall(setting.group(1).lower())):
        penalty += 0.5  # "… in LLMs", "… for LLM inference": the setting, not the concept
    if '"' in q or "“" in q or "”" in q:
        penalty += 1.0
    if names_acronym(q):  # "Grouped Query Attention (GQA)": capitals expected, concept named
        penalty -= 0.5
    else:  # prefer sentence case ("layer normalization") to Title Case
        title_words = [w for w in _TITLE_WORD.findall(q) if w not in _QUESTION_WORDS]
        penalty += 0.25 * min(len(title_words), 2)
    penalty += max(0, len(q) - IDEAL_LENGTH) / 30.0 + max(0, 20 - len(q)) / 40.0
    if len(q) > 90:
        penalty += 2.0
    return round(penalty, 6)


def canonical_question(questions: Iterable[str]) -> str:
    """The clearest of ``questions`` (see ``wording_penalty``); independent of their order."""
    counts = Counter([q for q in map(str.strip, questions) if q])
    return min(counts, key=lambda q: (wording_penalty(q), -counts[q], len(q), q.casefold(), q), default="")


def _unique_ids(slugs: Sequence[str], members: Sequence[Sequence[Item]]) -> list[str]:
    """Entry ids: the slug, or for a later entry with a slug already taken, slug + content hash."""
    base_count = Counter(slugs)
    used: set[str] = set()
    ids: list[str] = []
    for slug, items in zip(slugs, members):
        candidate = slug
        if candidate in used:
            keys = sorted(m.key for m in items)
            salt = 0
            while candidate in used or candidate in base_count:
                parts = keys if salt == 0 else [*keys, str(salt)]
                candidate = f"{slug}-{short_hash(*parts)}"
                salt += 1
        used.add(candidate)
        ids.append(candidate)
    return ids


def named_entries(drafts: Sequence[tuple[str, tuple[Item, ...]]]) -> tuple[Entry, ...]:
    """One ``Entry`` per ``(canonical question, members)`` draft, in order, with its id and
    anchors (see the module docstring)."""
    ids = _unique_ids([slugify(question) for question, _ in drafts], [members for _, members in drafts])
    taken = set(ids)
    entries: list[Entry] = []
    for entry_id, (question, members) in zip(ids, drafts):
        anchors = sorted({slugify(m.question) for m in members} - {entry_id})
        kept = tuple(a for a in anchors if a not in taken)
        if len(kept) < len(anchors):
            log.debug("entry %s: dropped colliding anchors %s", entry_id, sorted(set(anchors) - set(kept)))
        taken.update(kept)
        entries.append(Entry(id=entry_id, question=question, items=members, anchors=kept))
    return tuple(entries)
