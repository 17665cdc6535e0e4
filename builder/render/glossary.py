"""The glossary page: every term an answer names, A–Z, one section and anchor per term (its slug),
with its definition, its other names, the questions that discuss it and its related terms.

A term of ``builder/data/glossary.yml`` that no entry links (no answer's prose names it, and no
question) would be a section nothing leads to; such terms are left out and named in one line at the
end of the page.
"""

from __future__ import annotations

import html
import logging
from typing import Sequence

from builder.fences import fenced_html
from builder.model import Links, Page, Term
from builder.render.markdown import inline
from builder.render.site import GLOSSARY_PATH, SiteIndex, question_link

log = logging.getLogger(__name__)

SHOWN_QUESTIONS = 3
"""A term discussed in more questions than this lists them in a collapsed block (which a browser does
not lay out until it is opened), so the page shows every term's definition, names and related terms
at a glance and lays out only the short lists' links."""


def listed_terms(links: Links) -> list[Term]:
    """The terms that get a section: those some entry links (in an answer or beside it), sorted A–Z."""
    named = {slug for slugs in (*links.answer_terms.values(), *links.question_terms.values()) for slug in slugs}
    return sorted((t for t in links.terms if t.slug in named), key=lambda t: (t.term.casefold(), t.slug))


def _letter(term: Term) -> str:
    first = next((c for c in term.term if c.isalnum()), "#").upper()
    return first if first.isalpha() else "0–9"


def _letter_anchor(letter: str) -> str:
    return "letter-" + ("0-9" if letter == "0–9" else letter.lower())


def _heading_text(term: Term) -> str:
    """The term, and its abbreviation after it where the term does not already hold it."""
    return f"{term.term} ({term.abbr})" if term.abbr and term.abbr.casefold() not in term.term.casefold() else term.term


def _by_topic(index: SiteIndex, entry_ids: Sequence[str]) -> list[str]:
    """The questions as HTML list items, one per topic in the order of each topic's first question,
    the topic named once before its questions rather than after each."""
    groups: dict[str, list[str]] = {}
    for entry_id in entry_ids:
        entry = index.entry_by_id[entry_id]
        groups.setdefault(index.topic_of[entry_id].title, []).append(question_link(index, GLOSSARY_PATH, entry))
    return [f"<li><em>{_text(topic)}:</em> " + " · ".join(links) + "</li>" for topic, links in groups.items()]


def _text(text: str) -> str:
    """Plain text of the glossary's data (a name, a definition) as HTML."""
    return html.escape(text, quote=False)


def _term_section(index: SiteIndex, term: Term, listed: set[str]) -> list[str]:
    """A term's section: its heading, an HTML block MkDocs reads (so ``--strict`` checks the links to
    its anchor), then the rest as HTML the builder wrote, in an ``hb-html`` fence (``builder.fences``),
    which MkDocs passes through unread."""
    links = index.links
    assert links is not None
    out = [f"<p>{_text(term.definition)}</p>"]
    other_names = [n for n in (term.abbr, *term.aliases) if n and n.casefold() not in _heading_text(term).casefold()]
    if other_names:
        out.append('<p class="hb-term-names"><em>Also called:</em> ' + ", ".join(_text(n) for n in other_names) + "</p>")
    questions = links.entries_of_term.get(term.slug, ())
    if questions:
        noun = "question" if len(questions) == 1 else "questions"
        lines = _by_topic(index, questions)
        if len(questions) <= SHOWN_QUESTIONS:
            out += [f"<p><strong>Discussed in {len(questions)} {noun}:</strong></p>", "<ul>", *lines, "</ul>"]
        else:
            topics = f", in {len(lines)} topics" if len(lines) > 1 else ""
            out += ['<details class="hb-more">', f"<summary>Discussed in {len(questions)} {noun}{topics}</summary>", "<ul>", *lines, "</ul>", "</details>"]
    related = term.related
    if related:
        names = index.terms_by_slug
        shown = [f'<a href="#{r}">{_text(names[r].term)}</a>' if r in listed else _text(names[r].term) for r in related if r in names]
        out.append("<p><strong>Related terms:</strong> " + " · ".join(shown) + "</p>")
    return [f'<h3 id="{term.slug}">{_text(_heading_text(term))}</h3>', "", *fenced_html("\n".join(out))]


def render_glossary(index: SiteIndex) -> Page | None:
    links = index.links
    if links is None or not links.terms:
        return None
    terms = listed_terms(links)
    listed = {t.slug for t in terms}
    letters = list(dict.fromkeys(_letter(t) for t in terms))
    out = [
        "# Glossary",
        "",
        f"The {len(terms)} terms the questions and answers of this handbook use, A–Z. A term underlined "
        "in an answer links here; hover over it, focus it or tap it once to read its definition in place. "
        "Each entry lists the questions that discuss it, those that name it in the question first.",
        "",
        '<p class="hb-az">' + " ".join(f'<a href="#{_letter_anchor(l)}">{l}</a>' for l in letters) + "</p>",
        "",
    ]
    letter = None
    for term in terms:
        if _letter(term) != letter:
            letter = _letter(term)
            out += [f"## {letter} {{ #{_letter_anchor(letter)} }}", ""]
        out += _term_section(index, term, listed)
    unlisted = [t.term for t in links.terms if t.slug not in listed]
    if unlisted:
        log.info("glossary: %d terms are named by no answer and left off the page", len(unlisted))
        out += [
            "---",
            "",
            f"<small>Not listed because no question or answer uses them outside code: {', '.join(inline(n) for n in sorted(unlisted, key=str.casefold))}.</small>",
            "",
        ]
    return Page(GLOSSARY_PATH, "\n".join(out).rstrip() + "\n", {"title": "Glossary", "description": "Every term the answers use, defined, with the questions that discuss it."})

