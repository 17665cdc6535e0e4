"""A synthetic corpus N times the size of the real one, for the build benchmark.

Copy 0 of each source is the original; copy k > 0 rewords it deterministically (seeded by the text
and k, so a question a source renders twice is reworded the same way both times): every question
gets a setting ("… for a 7B model on one GPU") and some of its words swapped for synonyms, and
prose lines get the same word swaps. Structure (conventions, numbering, code fences) is kept, so
the builder parses every copy as it parses the original and the corpus grows question for question.
"""

from __future__ import annotations

import hashlib
import logging
import random
import re
import shutil
from pathlib import Path

from builder.parse import CONVENTIONS
from builder.parse.lines import split_lines

log = logging.getLogger(__name__)

SETTINGS = (
    "in a production chatbot", "for a 7B model on one GPU", "in a retrieval pipeline", "for a code assistant",
    "when serving many tenants", "on a mobile device", "in a multilingual product", "for a legal search tool",
    "under a strict latency budget", "with a 128k context window", "in a customer-support agent",
    "for an on-premise deployment", "when the budget is one A100", "in a medical question-answering system",
    "for a speech assistant", "in an offline batch job", "when fine-tuning on private data",
    "for a recommendation engine", "in a safety-critical setting", "for an education app",
    "during a model migration", "in a streaming interface", "for a translation service",
    "with quantised weights", "for an internal analytics bot",
)
SYNONYMS = {
    "model": "network", "models": "networks", "uses": "relies on", "use": "employ", "large": "big",
    "important": "key", "reduces": "cuts", "improves": "boosts", "method": "technique",
    "methods": "techniques", "example": "instance", "different": "distinct", "helps": "aids",
    "common": "frequent", "typically": "usually", "often": "frequently", "fast": "quick",
    "slow": "sluggish", "small": "compact", "better": "stronger", "problem": "issue",
    "problems": "issues", "approach": "strategy", "allows": "lets", "training": "optimisation",
}
_WORD = re.compile(r"\b(" + "|".join(sorted(SYNONYMS, key=len, reverse=True)) + r")\b")


def _rng(text: str, copy: int) -> random.Random:
    seed = hashlib.sha256(f"{copy}\x1f{text}".encode("utf-8")).digest()
    return random.Random(int.from_bytes(seed[:8], "big"))


def reword(text: str, copy: int) -> str:
    """Swap about half of the known words for their synonyms, the same way for the same text."""
    rng = _rng(text, copy)
    return _WORD.sub(lambda m: SYNONYMS[m.group(1)] if rng.random() < 0.5 else m.group(1), text)


def vary_question(question: str, copy: int) -> str:
    setting = SETTINGS[(copy - 1 + _rng(question, copy).randrange(len(SETTINGS))) % len(SETTINGS)]
    body = reword(question, copy).rstrip()
    if body.endswith("?"):
        return f"{body[:-1].rstrip()} {setting}?"
    return f"{body} ({setting})"


def vary_document(text: str, copy: int) -> str:
    """``text`` reworded as copy ``copy``; line structure and code blocks unchanged."""
    if copy == 0:
        return text
    lines = split_lines(text)
    out: list[str] = []
    for i, line in enumerate(lines):
        if line.code or not line.text.strip():
            out.append(line.text)
            continue
        start = next((s for c in CONVENTIONS if (s := c.match(lines, i)) is not None), None)
        if start is not None and start.question and start.question in line.text:
            head, _, tail = line.text.partition(start.question)
            out.append(head + vary_question(start.question, copy) + reword(tail, copy))
        else:
            out.append(reword(line.text, copy))
    return "\n".join(out)


def write_corpus(real: Path, target: Path, times: int) -> Path:
    """``times`` copies of every source of ``real`` in ``target`` (emptied first); returns ``target``."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for path in sorted(real.iterdir()):
        if not path.is_file() or path.name == "sources.yml":
            continue
        text = path.read_text(encoding="utf-8")
        for copy in range(times):
            name = path.name if copy == 0 else f"{path.stem}--v{copy:02d}{path.suffix}"
            (target / name).write_text(vary_document(text, copy), encoding="utf-8")
    log.info("wrote %d× corpus to %s", times, target)
    return target
