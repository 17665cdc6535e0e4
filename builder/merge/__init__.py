"""The merge stage: group the items that ask the same question into one ``Entry`` each.

The five sources ask many of the same questions in different words ("What is KV caching?",
"What is the KV cache and what does it avoid?", "Explain the KV Cache and why it matters"), and
the chat export repeats some of its own questions under new numbers. ``merge`` puts every such
group on one entry, keeping every item and every answer, and gives the entry a canonical wording,
a stable id, and anchors for the slugs of the other wordings so old links still land on it.

The stage's rooms, in the order a question goes through them:

* ``rules``: ``builder/data/merge_rules.yml``, compiled (synonyms, acronyms, stop words, …).
* ``signatures``: a question reduced to the concept it asks about, as weighted word stems;
  ``acronyms``: "words (ACR)" and "ACR (words)", which a signature contracts to the acronym.
* ``clustering``: which signatures ask the same thing (cosine similarity, pairs found by prefix
  filtering, connected components split by complete linkage), then the editors' decisions.
* ``decisions``: ``builder/data/merge_decisions.yml``, read and checked: questions no rule can
  equate (``same``) and wordings with two meanings (``apart``).
* ``names``: each entry's canonical question, id and anchors.

Order: items inside an entry by the order their source first appears in the input, then line
(then input position); entries by their first item in that same order.
"""

from __future__ import annotations

import logging
import time
from typing import Sequence

from builder.merge.clustering import EDGE_THRESHOLD, GROUP_THRESHOLD, group_indices
from builder.merge.decisions import NO_DECISIONS, Decisions, load_decisions, read_decisions
from builder.merge.names import canonical_question, named_entries, wording_penalty
from builder.merge.rules import MergeRules, load_rules
from builder.merge.signatures import ASIDE_WEIGHT, FILLER_WEIGHT, Signature, signature
from builder.model import Entry, Item

log = logging.getLogger(__name__)


def merge(items: Sequence[Item], decisions: Decisions | None = None) -> tuple[Entry, ...]:
    """Group ``items`` that ask the same question into entries (see the module docstring).

    ``decisions``: the editors' (by default the project's; ``NO_DECISIONS`` for the rules alone).
    Every item ends up in exactly one entry; nothing is dropped.
    """
    started = time.perf_counter()
    items = list(items)
    source_rank: dict[str, int] = {}
    for item in items:
        source_rank.setdefault(item.source, len(source_rank))
    order = [(source_rank[item.source], item.line, i) for i, item in enumerate(items)]

    questions = [it.question for it in items]
    groups = [sorted(group, key=order.__getitem__) for group in group_indices(questions, decisions=decisions)]
    groups.sort(key=lambda group: order[group[0]])
    drafts = []
    for group in groups:
        members = tuple(items[i] for i in group)
        drafts.append((canonical_question(m.question for m in members), members))
        if len(members) > 1:
            log.debug("merged %d items as %r: %s", len(members), drafts[-1][0],
                      sorted({m.question for m in members}))
    entries = named_entries(drafts)
    log.info("merged %d items into %d entries in %.2fs", len(items), len(entries),
             time.perf_counter() - started)
    return entries


__all__ = [
    "ASIDE_WEIGHT",
    "Decisions",
    "EDGE_THRESHOLD",
    "FILLER_WEIGHT",
    "GROUP_THRESHOLD",
    "MergeRules",
    "NO_DECISIONS",
    "Signature",
    "canonical_question",
    "group_indices",
    "load_decisions",
    "load_rules",
    "merge",
    "read_decisions",
    "signature",
    "wording_penalty",
]
