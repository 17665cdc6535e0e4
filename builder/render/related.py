"""The cross-links of a topic page: "Related questions" under each entry and "See also" topics at
the end of the page, from the link stage's ``Links``."""

from __future__ import annotations

import logging

from builder.fences import fenced_html
from builder.model import Entry, Topic
from builder.render.markdown import inline
from builder.render.site import GLOSSARY_PATH, SiteIndex, entry_line, relative, topic_path
from builder.render.terms import term_link

log = logging.getLogger(__name__)

RELATED_CLASS = "hb-related"


def related_block(index: SiteIndex, page: str, entry: Entry) -> list[str]:
    """Lines closing an entry: glossary links for the terms its question names and no answer does (in
    Markdown, so ``--strict`` checks their anchors), then its related questions (nothing when the
    build has no links)."""
    if index.links is None:
        return []
    out = question_terms_line(index, page, entry)
    related = index.links.related.get(entry.id, ())
    if not related:
        return out
    # HTML the builder writes, which MkDocs passes through unread (``builder.fences``)
    items = [entry_line(index, page, entry_id) for entry_id in related]
    return out + fenced_html("\n".join([f'<div class="{RELATED_CLASS}">', "<p><strong>Related questions</strong></p>", "<ul>", *items, "</ul>", "</div>"]))


def question_terms_line(index: SiteIndex, page: str, entry: Entry) -> list[str]:
    links = index.links
    slugs = links.question_terms.get(entry.id, ()) if links else ()
    if not links or not slugs:
        return []
    terms = index.terms_by_slug
    shown = " · ".join(term_link(terms[s], relative(page, GLOSSARY_PATH)) for s in slugs)
    return [f"**In the glossary:** {shown}", "{: .hb-question-terms }", ""]


def see_also_block(index: SiteIndex, page: str, topic: Topic) -> list[str]:
    """A closing "See also" section linking the topic's nearest topics."""
    if index.links is None:
        return []
    near = index.links.see_also.get(topic.slug, ())
    topics = {s.topic.slug: s.topic for s in index.sections}
    if not near:
        return []
    out = ["## See also { #see-also }", ""]
    for slug in near:
        other = topics[slug]
        out.append(f"- [{inline(other.title)}]({relative(page, topic_path(other))}): {other.summary}")
    return out + [""]

