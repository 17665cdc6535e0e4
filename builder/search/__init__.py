"""The search stage: the site's search index, written from the model, and the worker that reads it.

Readers type concepts ("kv cache", "GQA") and questions ("how do you choose the temperature for
generation"). The search answers with questions (and glossary terms), each opening at its anchor:

- ``documents.py``: one document per question (its wordings, the other names of its concepts from
  ``vocabulary.py``, its key points, topic and levels) and one per glossary term;
- ``rules.py``: ``data/search.yml``, the fields and weights, stop and question words, comparisons;
- ``index.py``: MiniSearch's index of the documents, written by Node, and the worker;
- ``web/``: the query step (``query.js``), MiniSearch's options (``engine.js``), the worker that
  speaks Material's search protocol (``worker.js``) and the index writer (``build_index.js``).

Material's search box, page script and look stay; ``builder/theme/main.html`` only points the page at
this worker. Material's search plugin stays enabled (the header shows the box only then) but indexes
nothing: every page is marked ``search: exclude: true`` here. The engine lives behind this package:
changing it changes nothing elsewhere.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping, Sequence

from builder.editorial import Editorial
from builder.model import Page, Problem, Section, Term
from builder.search.documents import GLOSSARY_TOPIC, SearchDocument, search_documents
from builder.search.index import INDEX_PATH, WORKER_PATH, search_files
from builder.search.rules import SearchRules, read_rules
from builder.search.vocabulary import SearchVocabulary, joined_forms, load_vocabulary

EXCLUDED = {"exclude": True}


def build_search(
    sections: Sequence[Section],
    editorial: Mapping[str, Editorial],
    terms: Sequence[Term],
    vocabulary: SearchVocabulary,
    rules: SearchRules,
) -> tuple[dict[str, bytes], list[Problem]]:
    """The search index and its worker, by path under ``docs/``, and any problem writing them."""
    documents = search_documents(sections, editorial, terms, vocabulary, rules)
    topics = {s.topic.slug: s.topic.title for s in sections} | {GLOSSARY_TOPIC: "Glossary"}
    return search_files(documents, rules, topics)


def excluded_from_material_search(pages: Sequence[Page]) -> list[Page]:
    """The pages, each Markdown page marked ``search: exclude: true``: Material's plugin indexes none."""
    return [
        replace(page, front_matter={**page.front_matter, "search": EXCLUDED}) if page.path.endswith(".md") else page
        for page in pages
    ]


__all__ = [
    "INDEX_PATH",
    "WORKER_PATH",
    "SearchDocument",
    "SearchRules",
    "SearchVocabulary",
    "build_search",
    "excluded_from_material_search",
    "joined_forms",
    "load_vocabulary",
    "read_rules",
    "search_documents",
]
