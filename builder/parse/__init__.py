"""The parse stage: recognise each document's question conventions and cut it into items.

``CONVENTIONS`` is the registry: one module per way a source marks a question, tried in this order
on every line (the most specific first). ``parse_source`` returns a ``Parsed`` for one document.
"""

from __future__ import annotations

from builder.model import Parsed, SourceDoc
from builder.parse import bold_q, chat_qa, heading_q, numbered_answer, tagged_level
from builder.parse.convention import Convention
from builder.parse.document import parse_document
from builder.parse.rules import StructureRules, load_rules

CONVENTIONS: tuple[Convention, ...] = (
    bold_q.CONVENTION,
    chat_qa.CONVENTION,
    tagged_level.CONVENTION,
    heading_q.CONVENTION,
    numbered_answer.CONVENTION,
)


def parse_source(doc: SourceDoc, rules: StructureRules | None = None) -> Parsed:
    return parse_document(doc, CONVENTIONS, rules or load_rules())


__all__ = ["CONVENTIONS", "parse_source"]
