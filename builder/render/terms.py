"""Glossary links in answers: the first mention of each glossary term in an answer becomes a link to
its glossary entry; ``assets/terms.js`` shows the term's definition in a tooltip on hover, keyboard
focus and a first tap, from ``assets/terms.json`` (written here, fetched on first use). Without
JavaScript the link leads to the glossary entry.

A definition is written once, in that file, not in every link to its term (as a ``title`` it would be
written, parsed by Python-Markdown and sent again with every link).

Only prose is touched (``builder.prose``): never code, math, headings, existing links, URLs or HTML,
and never part of a word (``builder.glossary.TermMatcher`` matches on word boundaries). The link
stage counts a term for an entry with the same function, so every term linked here has its section
on the glossary page.

The links carry no class: an inline attribute list (``{ .x }``) after a link lets Python-Markdown's
attr_list swallow text up to the last ``}`` of the line (``t_{i-1}`` in a formula). Styles and the
script find term links by their target (``a[href*="glossary/#"]``) instead.
"""

from __future__ import annotations

import json
from typing import Mapping

from builder.glossary import TermMatcher
from builder.model import Page, Term
from builder.prose import first_mentions
from builder.render.glossary import listed_terms
from builder.render.site import GLOSSARY_PATH, SiteIndex, relative

TERM_DEFINITIONS_PATH = "assets/terms.json"


def term_link(term: Term, glossary_href: str, label: str = "") -> str:
    """A Markdown link to the term's glossary entry."""
    return f"[{label or term.term}]({glossary_href}#{term.slug})"


def link_terms(text: str, matcher: TermMatcher, terms: Mapping[str, Term], glossary_href: str) -> str:
    """``text`` with the first prose mention of each term linked to ``glossary_href#<slug>``."""
    out: list[str] = []
    position = 0
    for m in first_mentions(text, matcher):
        out.append(text[position : m.start])
        out.append(term_link(terms[m.slug], glossary_href, m.text))
        position = m.end
    out.append(text[position:])
    return "".join(out)


def link_answer_terms(index: SiteIndex, page: str, text: str) -> str:
    """An answer on ``page`` with its terms linked (unchanged when the build has no glossary)."""
    if index.matcher is None or not index.terms_by_slug:
        return text
    return link_terms(text, index.matcher, index.terms_by_slug, relative(page, GLOSSARY_PATH))


def render_term_definitions(index: SiteIndex) -> Page | None:
    """``assets/terms.json``: the definition of every term with a glossary section (every term a page
    links), by slug, as plain text for the tooltip."""
    if index.links is None or not index.links.terms:
        return None
    definitions = {term.slug: " ".join(term.definition.split()) for term in listed_terms(index.links)}
    text = json.dumps(definitions, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # Not Markdown: a Page without front matter is written byte for byte.
    return Page(TERM_DEFINITIONS_PATH, text + "\n")
